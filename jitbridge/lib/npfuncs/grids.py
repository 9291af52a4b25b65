"""Index grids and number sequences: np.indices, np.tril_indices/np.triu_indices (and their
_from forms), np.vander, np.logspace, np.geomspace. Sequences follow NumPy's own order of
operations (linspace, then power, then the exact end points), so results match it bit for bit
where the elementary functions do."""
from __future__ import annotations

import math

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype, from_dtype
from .common import is_none
from .manipulation import _array_like, _is_array
from .. import math_ieee



def _is_integer(ty) -> bool:
    """An int argument (not a bool, which NumPy's index functions refuse)."""
    if isinstance(ty, types.Omitted):
        return isinstance(ty.value, int) and not isinstance(ty.value, bool)
    return isinstance(types.unliteral(ty), types.Integer)


def _require_int(ty, name, func, optional=False):
    if not (_is_integer(ty) or optional and is_none(ty)):
        raise TypingError(f"np.{func}(): {name} must be an integer, not {ty}")


# -- np.indices -------------------------------------------------------------------------------

@register_jitable
def _fill_indices(flat, dims):
    for j in range(flat.shape[1]):
        rest = j
        for d in range(len(dims) - 1, -1, -1):
            flat[d, j] = rest % dims[d]
            rest //= dims[d]


@overload(np.indices)
def np_indices(dimensions, dtype=int, sparse=False):
    if not (isinstance(dimensions, types.UniTuple) and _is_integer(dimensions.dtype)
            or isinstance(dimensions, types.BaseTuple) and len(dimensions) == 0):
        raise TypingError('np.indices(): The argument "dimensions" must be a tuple of integers')
    if not (isinstance(dtype, types.Omitted) and dtype.value is int) or \
            not (isinstance(sparse, types.Omitted) and sparse.value is False):
        return None
    count = len(dimensions)

    def impl(dimensions, dtype=int, sparse=False):
        out = np.empty((count,) + dimensions, np.intp)
        size = 1
        for n in dimensions:
            size *= n
        _fill_indices(out.reshape((count, size)), dimensions)
        return out
    return impl


# -- triangle indices ---------------------------------------------------------------------------

@register_jitable
def _triangle(n, m, k, lower):
    """(rows, cols) of the n x m entries with j - i <= k (lower) or j - i >= k, C order."""
    n, m = max(n, 0), max(m, 0)
    count = 0
    for i in range(n):
        for j in range(m):
            count += (j - i <= k) if lower else (j - i >= k)
    rows = np.empty(count, np.intp)
    cols = np.empty(count, np.intp)
    at = 0
    for i in range(n):
        for j in range(m):
            if (j - i <= k) if lower else (j - i >= k):
                rows[at] = i
                cols[at] = j
                at += 1
    return rows, cols


def _tri_indices(n, k, m, lower):
    func = "tril_indices" if lower else "triu_indices"
    _require_int(n, "n", func)
    _require_int(k, "k", func)
    _require_int(m, "m", func, optional=True)
    if is_none(m):
        return lambda n, k=0, m=None: _triangle(n, n, k, lower)
    return lambda n, k=0, m=None: _triangle(n, m, k, lower)


@overload(np.tril_indices)
def np_tril_indices(n, k=0, m=None):
    return _tri_indices(n, k, m, True)


@overload(np.triu_indices)
def np_triu_indices(n, k=0, m=None):
    return _tri_indices(n, k, m, False)


def _tri_indices_from(arr, k, lower):
    func = "tril_indices_from" if lower else "triu_indices_from"
    if not _is_array(arr):
        return None
    if arr.ndim != 2:
        raise TypingError(f"np.{func}(): input array must be 2-d")
    _require_int(k, "k", func)
    return lambda arr, k=0: _triangle(arr.shape[0], arr.shape[1], k, lower)


@overload(np.tril_indices_from)
def np_tril_indices_from(arr, k=0):
    return _tri_indices_from(arr, k, True)


@overload(np.triu_indices_from)
def np_triu_indices_from(arr, k=0):
    return _tri_indices_from(arr, k, False)


# -- np.vander ----------------------------------------------------------------------------------

def _vander(x, n, increasing, cls):
    """The Vandermonde matrix of the 1-D array x; ValueError (at run time, as in NumPy) for
    other dimensions."""


@overload(_vander)
def _ol_vander(x, n, increasing, cls):
    if x.ndim != 1:
        def refuse(x, n, increasing, cls):
            raise ValueError("x must be a one-dimensional array or sequence.")
            return np.empty((0, 0), cls)
        return refuse
    return _vander_1d


@register_jitable
def _vander_1d(x, n, increasing, cls):
    if n < 0:
        raise ValueError("Negative dimensions are not allowed")
    out = np.empty((x.shape[0], n), cls)
    for i in range(x.shape[0]):
        power = cls(1)
        value = cls(x[i])
        for j in range(n):  # NumPy accumulates the product column by column
            out[i, j if increasing else n - 1 - j] = power
            power = power * value
    return out


@overload(np.vander)
def np_vander(x, N=None, increasing=False):
    if not (is_none(N) or isinstance(types.unliteral(N), types.Integer)):
        raise TypingError("np.vander(): Second argument N must be None or an integer")
    if not _array_like(x):
        return None
    if _is_array(x):
        element = x.dtype
    else:
        element = _element_of(x)
        if element is None:
            return None
    cls = np.promote_types(as_dtype(element), np.int_).type
    if is_none(N):
        return lambda x, N=None, increasing=False: _vander(
            np.asarray(x), len(x), increasing, cls)
    return lambda x, N=None, increasing=False: _vander(np.asarray(x), N, increasing, cls)


def _element_of(ty):
    """The dtype np.asarray gives a number or a (nested) list or tuple of numbers."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.BaseTuple) and len(ty) == 0:
        return types.float64
    if isinstance(ty, types.List):
        return _element_of(ty.dtype)
    if isinstance(ty, types.BaseTuple):
        items = [_element_of(t) for t in ty.types]
        if any(t is None for t in items):
            return None
        return from_dtype(np.result_type(*(as_dtype(t) for t in items)))
    return ty if isinstance(ty, (types.Number, types.Boolean)) else None


# -- np.logspace, np.geomspace ------------------------------------------------------------------

def _check_number(ty, message):
    if not isinstance(types.unliteral(ty), (types.Number, types.Boolean)):
        raise TypingError(message)


@register_jitable
def _spaced(start, stop, num, cls):
    """NumPy's linspace of `num` points in `cls` (i * step + start, the end point exact)."""
    out = np.empty(num, cls)
    div = num - 1 if num > 1 else 1
    delta = cls(stop) - cls(start)
    step = delta / div
    for i in range(num):
        out[i] = cls(i) / div * delta + start if step == 0 else cls(i) * step + start
    if num > 1:
        out[num - 1] = stop
    return out


def _power_of(base):
    """`base ** y` as NumPy computes it (complex y: glibc's cexp(y * log(base)))."""
    log_base = math.log(base)

    def power(y):
        pass

    @overload(power)
    def _ol_power(y):
        if isinstance(y, types.Complex):
            def impl(y):
                scale = math_ieee.exp(y.real * log_base)
                angle = y.imag * log_base
                return complex(scale * math_ieee.cos(angle), scale * math_ieee.sin(angle))
            return impl
        return lambda y: base ** y
    return power


_pow10 = _power_of(10.0)


@overload(np.logspace)
def np_logspace(start, stop, num=50):
    _check_number(start, 'np.logspace(): The first argument "start" must be a number')
    _check_number(stop, 'np.logspace(): The second argument "stop" must be a number')
    if not _is_integer(num):
        raise TypingError('np.logspace(): The third argument "num" must be an integer')
    cls = _inexact_class(start, stop)
    power = _pow10

    def impl(start, stop, num=50):
        if num < 0:
            raise ValueError("Number of samples must be non-negative.")
        y = _spaced(start, stop, num, cls)
        for i in range(num):
            y[i] = power(y[i])
        return y
    return impl


def _inexact_class(*tys):
    """The float or complex class NumPy computes these scalars' sequences in."""
    dtypes = [np.result_type(as_dtype(types.unliteral(t)), 1.0) for t in tys]
    return np.result_type(*dtypes).type


def _sign(z):
    """np.sign as NumPy 2 defines it for complex numbers (z / |z|); ±1 for reals."""


@overload(_sign)
def _ol_sign(z):
    if isinstance(z, types.Complex):
        def impl(z):
            size = abs(z)
            return complex(z.real / size, z.imag / size)
        return impl
    return lambda z: 1.0 if z > 0 else -1.0


_LOG10_E = math.log10(math.e)


def _log10(z):
    """np.log10 as NumPy computes it: complex z as log(z) * log10(e), item by item."""


@overload(_log10)
def _ol_log10(z):
    if isinstance(z, types.Complex):
        def impl(z):
            return complex(math_ieee.log(abs(z)) * _LOG10_E, math.atan2(z.imag, z.real) * _LOG10_E)
        return impl
    return lambda z: np.log10(z)


@overload(np.geomspace)
def np_geomspace(start, stop, num=50):
    _check_number(start, 'np.geomspace(): The argument "start" must be a number')
    _check_number(stop, 'np.geomspace(): The argument "stop" must be a number')
    if not _is_integer(num):
        raise TypingError('np.geomspace(): The argument "num" must be an integer')
    cls = _inexact_class(start, stop, types.float64)  # NumPy 2 computes in at least float64
    power = _pow10

    def impl(start, stop, num=50):
        if start == 0 or stop == 0:
            raise ValueError("Geometric sequence cannot include zero")
        if num < 0:
            raise ValueError("Number of samples must be non-negative.")
        sign = _sign(cls(start))
        first, last = cls(start) / sign, cls(stop) / sign
        out = _spaced(_log10(first), _log10(last), num, cls)
        for i in range(num):
            out[i] = sign * power(out[i])
        if num > 0:
            out[0] = sign * first
        if num > 1:
            out[num - 1] = sign * last
        return out
    return impl
