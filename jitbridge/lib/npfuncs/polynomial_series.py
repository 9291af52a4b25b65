"""numpy.polynomial.polynomial on coefficient series, lowest power first (polyadd, polysub,
polymul, polydiv on 1-d series; polyval, polyder, polyint also on the columns of N-d arrays,
along axis 0) and polyutils.trimseq/as_series, with NumPy's dtypes (np.common_type: integers
as float64), NumPy's run-time errors and Numba's typing errors."""
from __future__ import annotations

import numpy as np
import numpy.polynomial.polynomial as poly
import numpy.polynomial.polyutils as pu

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .gradients import _mul
from .grids import _element_of
from .generated import jitable

_NUMBERS = (types.Integer, types.Float, types.Complex, types.Boolean)


def _series_element(ty, name: str, multi: bool = False):
    """The element type of one series (an array, list, tuple or number); Numba's TypingErrors
    for others (`multi`: several series as the columns of an N-d array are accepted)."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.Array):
        if ty.ndim > 1 and not multi:
            raise TypingError("Coefficient array is not 1-d")
        element = ty.dtype
    elif isinstance(ty, (types.List, types.BaseTuple)):
        inner = ty.types if isinstance(ty, types.BaseTuple) else (ty.dtype,)
        if any(isinstance(t, (types.Array, types.List, types.BaseTuple)) for t in inner):
            raise TypingError("Coefficient array is not 1-d")
        element = _element_of(ty)
    elif isinstance(ty, _NUMBERS):
        element = ty
    else:
        raise TypingError(f'The argument "{name}" must be array-like')
    if not isinstance(element, _NUMBERS):
        raise TypingError("Input dtype must be scalar.")
    return element


def _common_class(elements):
    """np.common_type's scalar class for series of these element types."""
    dtypes = [np.dtype(np.float64) if isinstance(e, (types.Integer, types.Boolean))
              else as_dtype(e) for e in elements]
    return np.result_type(*dtypes).type


def _as_series_class(elements):
    """pu.as_series's class: np.common_type refuses booleans (NumPy's ValueError, here at
    compile time), where polyval/polyder/polyint take them as float64."""
    if any(isinstance(e, types.Boolean) for e in elements):
        raise TypingError("Coefficient arrays have no common type (boolean series)")
    return _common_class(elements)


def _series(c, cls):
    """A 1-d copy of the series c in `cls`; ValueError when it is empty."""


@overload(_series)
def _ol_series(c, cls):
    def impl(c, cls):
        out = np.atleast_1d(np.asarray(c)).astype(cls)
        if out.size == 0:
            raise ValueError("Coefficient array is empty")
        return out
    return impl


@register_jitable
def _trim(seq):
    """pu.trimseq: seq without its trailing zeros (keeping one item)."""
    end = len(seq)
    while end > 1 and seq[end - 1] == 0:
        end -= 1
    return seq[:end]


@overload(pu.trimseq)
def pu_trimseq(seq):
    if isinstance(seq, types.BaseTuple):  # (Numba's words and spelling of the type)
        shown = f"UniTuple({seq.dtype}, {len(seq)})" if isinstance(seq, types.UniTuple) else seq
        raise TypingError(f'Unsupported type {shown} for argument "seq"')
    if not isinstance(seq, types.Array):
        raise TypingError('The argument "seq" must be array-like')
    if seq.ndim != 1:
        raise TypingError("Coefficient array is not 1-d")
    return lambda seq: _trim(seq) if len(seq) else seq


def _as_series_items(alist):
    """(the item types of alist, whether they are scalars of a 1-d array); Numba's errors."""
    if isinstance(alist, types.Array):
        if alist.ndim > 2:
            raise TypingError("Coefficient array is not 1-d")
        return [alist.dtype], alist.ndim == 1
    if isinstance(alist, types.BaseTuple):
        return list(alist.types), False
    if isinstance(alist, types.List):
        return [alist.dtype], False
    raise TypingError('The argument "alist" must be array-like')


@overload(pu.as_series)
def pu_as_series(alist, trim=True):
    items, scalars = _as_series_items(alist)
    cls = _as_series_class([_series_element(t, "alist") for t in items])
    if not isinstance(types.unliteral(trim), (types.Boolean, types.Omitted)):
        raise TypingError('The argument "trim" must be boolean')
    if scalars:
        return lambda alist, trim=True: [_series(alist[i:i + 1], cls)
                                         for i in range(len(alist))]
    if isinstance(alist, types.BaseTuple) and len(set(items)) > 1:
        return _as_series_mixed(len(items), cls)

    def impl(alist, trim=True):
        out = [_series(a, cls) for a in alist]
        return [_trim(a) for a in out] if trim else out
    return impl


def _as_series_mixed(count: int, cls):
    """as_series of a tuple of differently typed series (unrolled: one item each)."""
    body = "out = [" + "".join(f"_series(alist[{i}], cls), " for i in range(count)) + "]\n" \
           "return [_trim(a) for a in out] if trim else out"
    convert = jitable("alist, trim, cls", body, {"_series": _series, "_trim": _trim})
    return lambda alist, trim=True: convert(alist, trim, cls)


def _pair_class(c1, c2):
    return _as_series_class([_series_element(c1, "c1"), _series_element(c2, "c2")])


@register_jitable
def _add(a, b):
    """The longer series plus the shorter, trimmed (NumPy adds into the longer)."""
    if len(a) > len(b):
        a[:len(b)] += b
        return _trim(a)
    b[:len(a)] += a
    return _trim(b)


@overload(poly.polyadd)
def poly_polyadd(c1, c2):
    cls = _pair_class(c1, c2)
    return lambda c1, c2: _add(_trim(_series(c1, cls)), _trim(_series(c2, cls)))


@overload(poly.polysub)
def poly_polysub(c1, c2):
    cls = _pair_class(c1, c2)
    return lambda c1, c2: _add(_trim(_series(c1, cls)), -_trim(_series(c2, cls)))


@overload(poly.polymul)
def poly_polymul(c1, c2):
    cls = _pair_class(c1, c2)
    return lambda c1, c2: _trim(np.convolve(_trim(_series(c1, cls)), _trim(_series(c2, cls))))


@register_jitable
def _divide(c1, c2):
    if c2[-1] == 0:
        raise ZeroDivisionError("polydiv(): division by zero")
    lc1, lc2 = len(c1), len(c2)
    if lc1 < lc2:
        return c1[:1] * 0, c1
    if lc2 == 1:
        return c1 / c2[-1], c1[:1] * 0
    scl = c2[-1]
    c2 = c2[:-1] / scl
    i, j = lc1 - lc2, lc1 - 1
    while i >= 0:
        c1[i:j] -= c2 * c1[j]
        i -= 1
        j -= 1
    return c1[j + 1:] / scl, _trim(c1[:j + 1])


@overload(poly.polydiv)
def poly_polydiv(c1, c2):
    cls = _pair_class(c1, c2)
    return lambda c1, c2: _divide(_trim(_series(c1, cls)), _trim(_series(c2, cls)))


# -- polyval, polyder, polyint ---------------------------------------------------------------

def _value_class(c_cls, x):
    """The class polyval computes in: a Python scalar x is weak (NEP 50), an array is not."""
    ty = types.unliteral(x)
    if isinstance(ty, types.Array):
        return np.result_type(np.dtype(c_cls), ty.dtype.name).type
    if isinstance(ty, types.Complex):
        return np.result_type(np.dtype(c_cls), np.complex64).type
    return c_cls


def _coefficients(c, cls):
    """np.array(c, ndmin=1) in `cls` (a copy: the calculus works in place)."""


@overload(_coefficients)
def _ol_coefficients(c, cls):
    return lambda c, cls: np.atleast_1d(np.asarray(c)).astype(cls)


@register_jitable
def _horner_rows(c, x, cls):
    """poly.polyval(x, c) of a Python scalar x (weak: in c's class) and the columns of c."""
    y = c[-1] + _mul(cls(x), cls(0))
    for i in range(2, len(c) + 1):
        y = c[-i] + y * cls(x)
    return y


def _tensor_flag(tensor) -> bool:
    if isinstance(tensor, types.Omitted):
        return bool(tensor.value)
    if isinstance(tensor, types.BooleanLiteral):
        return tensor.literal_value
    if isinstance(tensor, types.Boolean):
        raise TypingError("polyval(): tensor= must be a constant (it decides the shape)")
    raise TypingError('The argument "tensor" must be boolean')


def _check_x(x):
    ty = types.unliteral(x)
    element = ty.dtype if isinstance(ty, types.Array) else _element_of(ty) \
        if isinstance(ty, (types.List, types.BaseTuple)) else ty
    if not isinstance(element, _NUMBERS):
        raise TypingError('The argument "x" must be array-like')


@overload(poly.polyval)
def poly_polyval(x, c, tensor=True):
    _check_x(x)
    c_cls = _common_class([_series_element(c, "c", multi=True)])
    tensor = _tensor_flag(tensor)
    if isinstance(types.unliteral(x), _NUMBERS):
        cls = _value_class(c_cls, x)
        return lambda x, c, tensor=True: _horner_rows(_coefficients(c, c_cls), x, cls)
    ty = types.unliteral(x)
    x_ndim = ty.ndim if isinstance(ty, types.Array) else 1
    x_zero = as_dtype(ty.dtype if isinstance(ty, types.Array) else _element_of(ty)).type(0)
    widen = (1,) * x_ndim if tensor else ()

    def array(x, c, tensor=True):  # (arrays on both sides: NumPy's promotions)
        xs = np.asarray(x)
        cs = _coefficients(c, c_cls)
        cs = cs.reshape(cs.shape + widen)
        y = cs[-1] + xs * x_zero
        for i in range(2, len(cs) + 1):
            y = cs[-i] + y * xs
        return y
    return array


def _check_count(m):
    if not isinstance(types.unliteral(m), (types.Integer, types.Omitted)):
        raise TypingError('The argument "m" must be an integer')


def _check_scalar(ty, name: str, func: str):
    if not isinstance(types.unliteral(ty), _NUMBERS + (types.Omitted,)):
        raise TypingError(f"{func}(): {name} must be a scalar.")


def _check_axis(axis, func: str):
    if not (isinstance(axis, types.Omitted) or isinstance(axis, types.IntegerLiteral) and
            axis.literal_value == 0):
        raise TypingError(f"{func}(): only axis=0 is supported in compiled code")


@overload(poly.polyder)
def poly_polyder(c, m=1, scl=1, axis=0):
    cls = _common_class([_series_element(c, "c", multi=True)])
    _check_count(m)
    _check_scalar(scl, "scl", "polyder")
    _check_axis(axis, "polyder")

    def impl(c, m=1, scl=1, axis=0):
        if m < 0:
            raise ValueError("The order of derivation must be non-negative")
        c = _coefficients(c, cls)
        n = len(c)
        if m >= n and m > 0:
            return c[:1] * cls(0)
        for _ in range(m):
            n -= 1
            c = c * cls(scl)
            der = np.empty((n,) + c.shape[1:], cls)
            for j in range(n, 0, -1):
                der[j - 1] = c[j] * cls(j)
            c = der
        return c
    return impl


def _constants(k, m, cls):
    """polyint's k= as m constants (zeros after those given)."""


@overload(_constants)
def _ol_constants(k, m, cls):
    if isinstance(k, (types.Omitted, types.NoneType)) or k is None:
        return lambda k, m, cls: np.zeros(m, cls)

    def impl(k, m, cls):
        given = np.atleast_1d(np.asarray(k))
        if len(given) > m:
            raise ValueError("Too many integration constants")
        out = np.zeros(m, cls)
        out[:len(given)] = given
        return out
    return impl


@overload(poly.polyint)
def poly_polyint(c, m=1, k=None, lbnd=0, scl=1, axis=0):
    cls = _common_class([_series_element(c, "c", multi=True)])
    _check_count(m)
    _check_scalar(lbnd, "lbnd", "polyint")
    _check_scalar(scl, "scl", "polyint")
    if not isinstance(k, (types.Omitted, types.NoneType)):
        _series_element(k, "k")
    _check_axis(axis, "polyint")

    def impl(c, m=1, k=None, lbnd=0, scl=1, axis=0):
        if m < 0:
            raise ValueError("The order of integration must be non-negative")
        constants = _constants(k, m, cls)
        c = _coefficients(c, cls)
        for i in range(m):
            c = _integrate(c * cls(scl), constants[i], lbnd, cls)
        return c
    return impl


def _all_zero(v):
    """Whether the scalar or array v is all zeros."""


@overload(_all_zero)
def _ol_all_zero(v):
    if isinstance(v, types.Array):
        return lambda v: np.all(v == 0)
    return lambda v: v == 0


@register_jitable
def _integrate(c, constant, lbnd, cls):
    """One integration of the columns of c along its first axis (NumPy's steps)."""
    n = len(c)
    if n == 1 and _all_zero(c[0]):
        c[0] += constant
        return c
    tmp = np.empty((n + 1,) + c.shape[1:], cls)
    tmp[0] = c[0] * cls(0)
    tmp[1] = c[0]
    for j in range(1, n):
        tmp[j + 1] = c[j] / cls(j + 1)
    tmp[0] += constant - _horner_rows(tmp, lbnd, cls)
    return tmp
