"""np.clip, np.round/np.around and the `clip`/`round` array methods, on top of the ufuncs.

Both follow NumPy's own definitions so results match bit for bit: clip is
minimum(maximum(a, a_min), a_max) in the dtype NumPy's promotion gives (a literal bound is a
weak Python scalar that takes the array's dtype); round scales by a power of ten, rounds half to
even with rint and scales back, in the array's float type (integers in float64, then cast back),
as NumPy's PyArray_Round does.
"""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method, register_jitable
from ..arrays.model import as_dtype
from ..arrays.ufuncs import _numpy_operand
from .common import is_none

_NUMERIC = (types.Number, types.Boolean)


def _element(ty):
    return ty.dtype if isinstance(ty, types.Array) else types.unliteral(ty)


def _numeric(ty) -> bool:
    return isinstance(_element(ty), _NUMERIC)


# -- clip -----------------------------------------------------------------------------------------

def _clip_dtype(a, a_min, a_max) -> np.dtype:
    """The dtype NumPy's clip computes in: maximum with a_min, then minimum with a_max."""
    dtype = as_dtype(_element(a))
    for ufunc, bound in ((np.maximum, a_min), (np.minimum, a_max)):
        if not is_none(bound):
            dtype = ufunc.resolve_dtypes((dtype, _numpy_operand(bound), None))[-1]
    return dtype


def _bound_caster(bound, dtype: np.dtype):
    """A function converting a bound to the computing dtype first, so a weak literal bound
    compares in the array's dtype as in NumPy (float32 arrays clip in float32)."""
    if isinstance(bound, types.Array):
        return register_jitable(lambda b: b.astype(dtype))
    if not is_none(bound) and dtype.kind in "iu" and \
            isinstance(types.unliteral(bound), types.Integer) and bound.signed:
        return _saturating_caster(dtype)
    if not is_none(bound) and dtype.kind in "iuf":
        scalar = dtype.type
        return register_jitable(lambda b: scalar(b))
    return _unchanged


def _saturating_caster(dtype: np.dtype):
    """A Python int bound outside the array's integer range clips nothing on that side in
    NumPy 2 (it compares by value): saturate it rather than let it wrap (-1 -> 255)."""
    scalar, info = dtype.type, np.iinfo(dtype)
    if dtype.itemsize == 8:  # the bound is an int64 already: only uint64 needs the low side
        low = 0 if dtype.kind == "u" else -(2 ** 63)
        return register_jitable(lambda b: scalar(max(b, low)))
    low, high = int(info.min), int(info.max)
    return register_jitable(lambda b: scalar(min(max(b, low), high)))


@register_jitable
def _unchanged(b):
    return b


def _check_clip_arguments(a, a_min, a_max, out):
    """Numba's typing errors for arguments of the wrong kind (NumPy raises at run time)."""
    if not isinstance(a, (types.Array, types.Number, types.Boolean)):
        raise TypingError('The argument "a" must be array-like')
    for name, bound in (("a_min", a_min), ("a_max", a_max)):
        if not (is_none(bound) or isinstance(types.unliteral(bound),
                                            (types.Array, types.Number, types.Boolean))):
            raise TypingError(f'The argument "{name}" must be a number or an array-like')
    if not (is_none(out) or isinstance(out, types.Array)):
        raise TypingError('The argument "out" must be an array if it is provided')
    ndim = max(getattr(t, "ndim", 0) for t in (a, a_min, a_max))
    if isinstance(out, types.Array) and out.ndim != ndim:
        raise TypingError('The argument "out" must have the same number of dimensions as '
                          'the result')


def _clip_impl(a, a_min, a_max, out):
    """impl(a, a_min, a_max, out) for these argument types, or None."""
    _check_clip_arguments(a, a_min, a_max, out)
    if not all(_numeric(t) for t in (a, a_min, a_max) if not is_none(t)):
        return None
    try:
        dtype = _clip_dtype(a, a_min, a_max)
    except (TypeError, ValueError):
        raise TypingError(f"np.clip() is not supported for arguments ({a}, {a_min}, {a_max})")
    low, high = _bound_caster(a_min, dtype), _bound_caster(a_max, dtype)
    finish = _minimum_new if is_none(out) else _minimum_into
    raise_to = _maximum_new if is_none(out) else _maximum_into
    if is_none(a_min) and is_none(a_max):
        return lambda a, a_min, a_max, out=None: finish(a, a, out)
    if is_none(a_min):
        return lambda a, a_min, a_max, out=None: finish(a, high(a_max), out)
    if is_none(a_max):
        return lambda a, a_min, a_max, out=None: raise_to(a, low(a_min), out)

    def impl(a, a_min, a_max, out=None):
        return finish(np.maximum(a, low(a_min)), high(a_max), out)
    return impl


@overload(np.clip, prefer_literal=True)
def np_clip(a, a_min=None, a_max=None, out=None, min=None, max=None):  # noqa: A002
    """NumPy 2.1's min=/max= keywords name the bounds too (one spelling per call)."""
    keywords = not isinstance(min, types.Omitted) or not isinstance(max, types.Omitted)
    if keywords and not (isinstance(a_min, types.Omitted) and isinstance(a_max, types.Omitted)):
        raise TypingError("np.clip(): give the bounds as a_min/a_max or as min/max, not both")
    inner = _clip_impl(a, *((min, max) if keywords else (a_min, a_max)), out)
    if inner is None:
        return None
    inner = register_jitable(inner)
    if keywords:
        return lambda a, a_min=None, a_max=None, out=None, min=None, max=None: \
            inner(a, min, max, out)
    return lambda a, a_min=None, a_max=None, out=None, min=None, max=None: \
        inner(a, a_min, a_max, out)


@register_jitable
def _minimum_new(x, bound, out):
    return np.minimum(x, bound)


@register_jitable
def _check_out_shape(x, bound, out):
    """`out` is never broadcast: its shape must be the result's."""
    if out.shape != np.broadcast_shapes(np.shape(x), np.shape(bound)):
        raise ValueError("clip: the shape of the 'out' array does not match the shape of "
                         "the result")


@register_jitable
def _minimum_into(x, bound, out):
    _check_out_shape(x, bound, out)
    return np.minimum(x, bound, out)


@register_jitable
def _maximum_new(x, bound, out):
    return np.maximum(x, bound)


@register_jitable
def _maximum_into(x, bound, out):
    _check_out_shape(x, bound, out)
    return np.maximum(x, bound, out)


@overload_method(types.Array, "clip", prefer_literal=True)
def array_clip(a, min=None, max=None, out=None):  # noqa: A002 - NumPy's parameter names
    inner = _clip_impl(a, min, max, out)
    if inner is None:
        return None
    inner = register_jitable(inner)

    def impl(a, min=None, max=None, out=None):  # noqa: A002
        return inner(a, min, max, out)
    return impl


# -- round ----------------------------------------------------------------------------------------

@register_jitable
def _power_of_ten(n):
    """10**n as NumPy's round computes it (exact up to 1e22, then repeated products)."""
    table = (1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8)
    if n < 9:
        return table[n]
    result = 1e9
    while n > 9:
        result *= 10.0
        n -= 1
    return result


def _work_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype rounding computes in: the array's, float64 for integers."""
    return np.dtype(np.float64) if dtype.kind in "iu" else dtype


def _scale_type(dtype: np.dtype):
    """The scalar type of the power of ten (a weak Python float in NumPy: it takes the float
    type of the computation)."""
    return np.float32 if dtype in (np.float32, np.complex64) else np.float64


@register_jitable
def _round_into(a, decimals, work, scale):
    """rint(a * 10**d) / 10**d (or rint(a / 10**-d) * 10**-d), computed into `work`."""
    if decimals >= 0:
        factor = scale(_power_of_ten(decimals))
        np.multiply(a, factor, work)
        np.rint(work, work)
        np.true_divide(work, factor, work)
    else:
        factor = scale(_power_of_ten(-decimals))
        np.true_divide(a, factor, work)
        np.rint(work, work)
        np.multiply(work, factor, work)
    return work


@register_jitable
def _round_scalar(x, decimals, scale):
    if decimals >= 0:
        factor = scale(_power_of_ten(decimals))
        return np.true_divide(np.rint(np.multiply(x, factor)), factor)
    factor = scale(_power_of_ten(-decimals))
    return np.multiply(np.rint(np.true_divide(x, factor)), factor)


def _round_typer(a, decimals, out):
    element = _element(a)
    integral = isinstance(decimals, types.Omitted) or isinstance(types.unliteral(decimals),
                                                                 types.Integer)
    if not isinstance(element, types.Number) or not integral:
        return None
    dtype = as_dtype(element)
    integer = dtype.kind in "iu"
    target = as_dtype(out.dtype) if isinstance(out, types.Array) else _work_dtype(dtype)
    scale = _scale_type(target)
    if not isinstance(a, types.Array):
        return _scalar_round(dtype, integer, scale)
    return _array_round(dtype, integer, scale, is_none(out))


def _scalar_round(dtype, integer, scale):
    cast = dtype.type

    def integer_impl(a, decimals=0, out=None):
        if decimals >= 0:
            return a
        return cast(_round_scalar(a, decimals, scale))

    def float_impl(a, decimals=0, out=None):
        return _round_scalar(a, decimals, scale)

    def complex_impl(a, decimals=0, out=None):
        return complex(_round_scalar(a.real, decimals, scale),
                       _round_scalar(a.imag, decimals, scale))
    if dtype.kind == "c":
        return complex_impl
    return integer_impl if integer else float_impl


def _array_round(dtype, integer, scale, no_out):
    work_dtype = _work_dtype(dtype)
    if dtype.kind == "c":  # NumPy rounds the real and imaginary parts as float arrays
        return _complex_round(work_dtype, scale, no_out)

    def integer_into(a, decimals=0, out=None):
        if decimals >= 0:
            return _minimum_into(a, a, out)
        return _round_into(a, decimals, out, scale)

    def float_into(a, decimals=0, out=None):
        return _round_into(a, decimals, out, scale)

    def integer_impl(a, decimals=0, out=None):
        if decimals >= 0:
            return a.copy()
        return _round_into(a, decimals, np.empty(a.shape, work_dtype), scale).astype(dtype)

    def float_impl(a, decimals=0, out=None):
        return _round_into(a, decimals, np.empty(a.shape, work_dtype), scale)
    if no_out:
        return integer_impl if integer else float_impl
    return integer_into if integer else float_into


def _complex_round(work_dtype, scale, no_out):
    def into(a, decimals=0, out=None):
        _round_into(a.real, decimals, out.real, scale)
        _round_into(a.imag, decimals, out.imag, scale)
        return out

    def new(a, decimals=0, out=None):
        result = np.empty(a.shape, work_dtype)
        _round_into(a.real, decimals, result.real, scale)
        _round_into(a.imag, decimals, result.imag, scale)
        return result
    return new if no_out else into


@overload(np.round)
def np_round(a, decimals=0, out=None):
    return _round_typer(a, decimals, out)


@overload(np.around)
def np_around(a, decimals=0, out=None):
    return _round_typer(a, decimals, out)


@overload_method(types.Array, "round")
def array_round(a, decimals=0, out=None):
    return _round_typer(a, decimals, out)
