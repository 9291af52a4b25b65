"""Searching and index functions: np.searchsorted, np.nonzero / ndarray.nonzero,
np.flatnonzero, np.argwhere, np.where (one and three arguments), np.take / ndarray.take,
np.extract, np.take_along_axis."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method, register_jitable
from ..arrays.model import as_dtype, from_dtype
from ..literals import numpy_operand
from .common import as_c, is_none
from .manipulation import _tuple_set
from .sortkernels import _lt_nan

Scalar = (types.Number, types.Boolean)


def _flat(a):
    """The items of `a` in C order, as a 1-D C-contiguous array (a view when possible)."""


@overload(_flat)
def _ol_flat(a):
    return lambda a: as_c(a).reshape(a.size)


# -- np.searchsorted --------------------------------------------------------------------------
# NumPy's search: each key narrows the bounds left by the previous one (a gain for sorted
# keys); keeping that order gives NumPy's answers even when `a` is not sorted.

@register_jitable
def _bisect(a, key, lo, hi, right):
    while lo < hi:
        mid = lo + ((hi - lo) >> 1)
        if (not _lt_nan(key, a[mid])) if right else _lt_nan(a[mid], key):
            lo = mid + 1
        else:
            hi = mid
    return lo


@register_jitable
def _search_keys(a, keys, out, right):
    n = len(a)
    if len(keys) == 0:
        return
    lo = 0
    hi = n
    last = keys[0]
    for i in range(len(keys)):
        key = keys[i]
        if (not _lt_nan(key, last)) if right else _lt_nan(last, key):
            hi = n
        else:
            lo = 0
            hi = hi + 1 if hi < n else n
        last = key
        lo = _bisect(a, key, lo, hi, right)
        hi = lo  # where the bisection's bounds met
        out[i] = lo


def _side_is_right(side) -> bool:
    if side is None or isinstance(side, (types.Omitted, types.NoneType)):
        return False
    if not isinstance(side, types.StringLiteral):
        raise TypingError("np.searchsorted(): side must be a string literal ('left' or 'right')")
    if side.literal_value not in ("left", "right"):
        raise TypingError(f"np.searchsorted(): side must be 'left' or 'right', "
                          f"not {side.literal_value!r}")
    return side.literal_value == "right"


def _is_sequence(ty, ndim=None) -> bool:
    if isinstance(ty, types.Array):
        return isinstance(ty.dtype, Scalar) and (ndim is None or ty.ndim == ndim)
    return isinstance(ty, types.List) and isinstance(ty.dtype, Scalar)


@overload(np.searchsorted)
def np_searchsorted(a, v, side="left", sorter=None):
    right = _side_is_right(side)
    if not _is_sequence(a, ndim=1):
        raise TypingError(f"np.searchsorted(): a must be a 1-D array or list, not {a}")
    if not (sorter is None or isinstance(sorter, (types.Omitted, types.NoneType))):
        raise TypingError("np.searchsorted(): the sorter argument is not supported")
    if isinstance(v, Scalar):
        return lambda a, v, side="left", sorter=None: _bisect(a, v, 0, len(a), right)
    if isinstance(v, types.Array) and _is_sequence(v):
        def impl(a, v, side="left", sorter=None):
            out = np.empty(v.shape, np.intp)
            _search_keys(a, _flat(v), out.reshape(out.size), right)
            return out
        return impl
    if _is_sequence(v):
        def impl(a, v, side="left", sorter=None):
            out = np.empty(len(v), np.intp)
            _search_keys(a, v, out, right)
            return out
        return impl
    return None


# -- nonzero, flatnonzero, argwhere -----------------------------------------------------------

@register_jitable
def _count_nonzero(flat):
    count = 0
    for i in range(flat.size):
        if flat[i] != 0:
            count += 1
    return count


@register_jitable
def _coords(a, transposed):
    """The indices of a's non-zero items in C order: (ndim, count), or (count, ndim) when
    transposed."""
    flat = _flat(a)
    count = _count_nonzero(flat)
    out = np.empty((count, a.ndim) if transposed else (a.ndim, count), np.intp)
    j = 0
    for i in range(flat.size):
        if flat[i] != 0:
            rest = i
            for d in range(a.ndim - 1, -1, -1):
                if transposed:
                    out[j, d] = rest % a.shape[d]
                else:
                    out[d, j] = rest % a.shape[d]
                rest //= a.shape[d]
            j += 1
    return out


def _rows1(c):
    return (c[0],)


def _rows2(c):
    return (c[0], c[1])


def _rows3(c):
    return (c[0], c[1], c[2])


def _rows4(c):
    return (c[0], c[1], c[2], c[3])


_ROWS = {1: _rows1, 2: _rows2, 3: _rows3, 4: _rows4}


def _check_nonzero(a, func):
    if not isinstance(a, types.Array) or not isinstance(a.dtype, Scalar):
        return False
    if a.ndim == 0:
        raise TypingError(f"{func}(): calling nonzero on 0d arrays is not allowed; use "
                          "np.atleast_1d(scalar).nonzero() instead")
    if a.ndim not in _ROWS:
        raise TypingError(f"{func}(): arrays of more than {max(_ROWS)} dimensions are not "
                          "supported")
    return True


def _nonzero_impl(a, func):
    if not _check_nonzero(a, func):
        return None
    rows = register_jitable(_ROWS[a.ndim])
    return lambda a: rows(_coords(a, False))


@overload(np.nonzero)
def np_nonzero(a):
    return _nonzero_impl(a, "np.nonzero")


@overload_method(types.Array, "nonzero")
def array_nonzero(a):
    return _nonzero_impl(a, "ndarray.nonzero")


@overload(np.flatnonzero)
def np_flatnonzero(a):
    if not isinstance(a, types.Array) or not isinstance(a.dtype, Scalar):
        return None

    def impl(a):
        flat = _flat(a)
        out = np.empty(_count_nonzero(flat), np.intp)
        j = 0
        for i in range(flat.size):
            if flat[i] != 0:
                out[j] = i
                j += 1
        return out
    return impl


@overload(np.argwhere)
def np_argwhere(a):
    if not isinstance(a, types.Array) or a.ndim == 0 or not isinstance(a.dtype, Scalar):
        return None
    return lambda a: _coords(a, True)


# -- np.where ---------------------------------------------------------------------------------

def _where_dtype(x, y):
    """NumPy's result dtype of np.where(c, x, y) (weak Python scalars included)."""
    try:
        return from_dtype(np.result_type(*(as_dtype(t.dtype) if isinstance(t, types.Array)
                                            else numpy_operand(t) for t in (x, y))))
    except (TypeError, ValueError) as exc:
        raise TypingError(f"np.where(): no common type of {x} and {y}") from exc


def _broadcast_to(v, shape, dtype):
    """v as a C-contiguous array of `shape` and `dtype` (v itself when it already is)."""


@overload(_broadcast_to)
def _ol_broadcast_to(v, shape, dtype):
    copy = _broadcast_copy
    element = getattr(dtype, "dtype", getattr(dtype, "instance_type", None))
    if isinstance(v, types.Array) and v.layout == "C" and v.ndim == len(shape) and \
            v.dtype == element:
        return lambda v, shape, dtype: v if v.shape == shape else copy(v, shape, dtype)
    return copy


@register_jitable
def _broadcast_copy(v, shape, dtype):
    out = np.empty(shape, dtype)
    out[:] = v
    return out


@register_jitable
def _select(c, x, y, out):
    for i in range(out.size):
        out[i] = x[i] if c[i] else y[i]


@overload(np.where, prefer_literal=True)
def np_where(condition, x=None, y=None):
    none = (types.NoneType, types.Omitted)
    if isinstance(x, none) and isinstance(y, none):
        if not _check_nonzero(condition, "np.where"):
            return None
        return lambda condition, x=None, y=None: np.nonzero(condition)
    operands = (condition, x, y)
    if not all(isinstance(t, types.Array) and isinstance(t.dtype, Scalar) or
               isinstance(t, Scalar) for t in operands):
        return None
    ndim = max(t.ndim if isinstance(t, types.Array) else 0 for t in operands)
    if ndim == 0:
        return None
    dtype = as_dtype(_where_dtype(x, y))

    def impl(condition, x=None, y=None):
        shape = ((condition != 0) | (x == x) | (y == y)).shape  # broadcasts, or ValueError
        c = _broadcast_to(condition, shape, np.bool_)
        out = np.empty(shape, dtype)
        _select(_flat(c), _flat(_broadcast_to(x, shape, dtype)),
                _flat(_broadcast_to(y, shape, dtype)), out.reshape(out.size))
        return out
    return impl


# -- np.take, ndarray.take --------------------------------------------------------------------

@register_jitable
def _take_one(flat, i):
    n = flat.size
    if i < -n or i >= n:
        raise IndexError("index out of bounds")
    return flat[i + n if i < 0 else i]


def _take_impl(a, indices, axis):
    if not isinstance(a, types.Array) or not (axis is None or
                                               isinstance(axis, (types.NoneType, types.Omitted))):
        return None
    if isinstance(indices, (types.Integer, types.Boolean)):
        return lambda a, indices, axis=None: _take_one(_flat(a), indices)
    if not (_is_sequence(indices) and isinstance(indices.dtype, (types.Integer, types.Boolean))):
        return None
    if isinstance(indices, types.List):
        def impl(a, indices, axis=None):
            flat = _flat(a)
            out = np.empty(len(indices), a.dtype)
            n = flat.size
            for j in range(len(indices)):
                i = indices[j]
                if i < -n or i >= n:
                    raise IndexError("index out of bounds")
                out[j] = flat[i + n if i < 0 else i]
            return out
        return impl

    def impl(a, indices, axis=None):
        flat = _flat(a)
        out = np.empty(indices.shape, a.dtype)
        oflat = out.reshape(out.size)
        iflat = _flat(indices)
        n = flat.size
        for j in range(iflat.size):  # inline: a call passing arrays costs atomic increfs
            i = iflat[j]
            if i < -n or i >= n:
                raise IndexError("index out of bounds")
            oflat[j] = flat[i + n if i < 0 else i]
        return out
    return impl


@overload(np.take)
def np_take(a, indices, axis=None):
    return _take_impl(a, indices, axis)


@overload_method(types.Array, "take")
def array_take(a, indices, axis=None):
    return _take_impl(a, indices, axis)


# -- np.extract ---------------------------------------------------------------------------------

@register_jitable
def _extract(condition, arr):
    cond = np.ravel(np.asarray(condition))
    values = np.ravel(np.asarray(arr))
    if values.size == 0 and cond.size:
        raise ValueError("Cannot extract from an empty array")
    count = 0
    for i in range(cond.size):
        if cond[i] != 0:
            if i >= values.size:  # NumPy: an IndexError from take
                raise ValueError("condition shape inconsistent with arr shape")
            count += 1
    out = np.empty(count, values.dtype)
    j = 0
    for i in range(cond.size):
        if cond[i] != 0:
            out[j] = values[i]
            j += 1
    return out


def _array_like(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Array, types.List, types.BaseTuple) + Scalar)


@overload(np.extract)
def np_extract(condition, arr):
    if not _array_like(condition):
        raise TypingError("np.extract(): condition must be array-like")
    if not _array_like(arr):
        raise TypingError("np.extract(): arr must be array-like")
    return lambda condition, arr: _extract(condition, arr)


# -- np.take_along_axis -------------------------------------------------------------------------

@register_jitable
def _along_shape(arr, indices, axis):
    """The result's shape: indices' along `axis`, arr's and indices' broadcast elsewhere."""
    shape = arr.shape
    for d in range(arr.ndim):
        n, m = arr.shape[d], indices.shape[d]
        if d != axis and n != m and n != 1 and m != 1:
            raise ValueError("dimensions don't match: shape mismatch: indexing arrays could "
                             "not be broadcast together")
        shape = _tuple_set(shape, d, m if d == axis or n == 1 else n)
    return shape


@register_jitable
def _take_along(arr, indices, axis):
    shape = _along_shape(arr, indices, axis)
    out = np.empty(shape, arr.dtype)
    flat = out.reshape(out.size)
    length = arr.shape[axis]
    for j in range(out.size):
        at, where, rest = arr.shape, indices.shape, j
        for d in range(arr.ndim - 1, -1, -1):
            i = rest % shape[d]
            rest //= shape[d]
            at = _tuple_set(at, d, 0 if arr.shape[d] == 1 else i)
            where = _tuple_set(where, d, 0 if indices.shape[d] == 1 else i)
        k = indices[where]
        if k < -length or k >= length:
            raise IndexError("index out of bounds")
        flat[j] = arr[_tuple_set(at, axis, k + length if k < 0 else k)]
    return out


def _check_take_along(arr, indices, axis):
    if not isinstance(arr, types.Array):
        raise TypingError('np.take_along_axis(): The first argument "arr" must be an array')
    if not isinstance(indices, types.Array):
        raise TypingError('np.take_along_axis(): The second argument "indices" must be an '
                          'array')
    if not isinstance(indices.dtype, types.Integer):
        raise TypingError("np.take_along_axis(): indices array must contain integers")
    if is_none(axis):
        return None
    if not isinstance(axis, (types.IntegerLiteral, types.BooleanLiteral)):
        if isinstance(types.unliteral(axis), types.Integer):
            raise TypingError("np.take_along_axis(): axis must be a literal value")
        raise TypingError(f"np.take_along_axis(): axis must be an integer, not {axis}")
    value = axis.literal_value
    if not -arr.ndim <= value < arr.ndim:
        raise TypingError(f"np.take_along_axis(): axis is out of bounds for an array of "
                          f"{arr.ndim} dimensions")
    return value % arr.ndim


@overload(np.take_along_axis, prefer_literal=True)
def np_take_along_axis(arr, indices, axis):
    ax = _check_take_along(arr, indices, axis)
    ndim = 1 if ax is None else arr.ndim
    if indices.ndim != ndim:
        raise TypingError("np.take_along_axis(): indices and arr must have the same number "
                          "of dimensions")
    if ax is None:
        return lambda arr, indices, axis: _take_along(_flat(arr), indices, 0)
    return lambda arr, indices, axis: _take_along(arr, indices, ax)


# -- np.digitize --------------------------------------------------------------------------------

@register_jitable
def _monotonicity(bins):
    """1 increasing (or constant), -1 decreasing, 0 neither, as NumPy decides (NaNs compare
    false, so a NaN after the first distinct pair reads as decreasing)."""
    n = len(bins)
    if n == 0:
        return 1
    last = bins[0]
    i = 1
    while i < n and bins[i] == last:
        i += 1
    if i == n:
        return 1
    nxt = bins[i]
    increasing = last < nxt
    for j in range(i + 1, n):
        last, nxt = nxt, bins[j]
        if (last > nxt) if increasing else (last < nxt):
            return 0
    return 1 if increasing else -1


@overload(np.digitize)
def np_digitize(x, bins, right=False):
    if not (_array_like(x) and _array_like(bins)):
        return None
    x_element, bins_element = (getattr(types.unliteral(t), "dtype", types.unliteral(t))
                               for t in (x, bins))
    if isinstance(x_element, types.Complex):
        raise TypingError("np.digitize(): x may not be complex")
    if not all(isinstance(t, Scalar) for t in (x_element, bins_element)):
        return None
    # NumPy compares in the common dtype (an integer bin against a NaN key included)
    cls = np.result_type(as_dtype(x_element), as_dtype(bins_element)).type

    def impl(x, bins, right=False):
        edges = np.asarray(bins).astype(cls)
        keys = np.asarray(x).astype(cls)
        mono = _monotonicity(edges)
        if mono == 0:
            raise ValueError("bins must be monotonically increasing or decreasing")
        out = np.empty(keys.shape, np.intp)
        flat = out.reshape(out.size)
        if mono == -1:
            _search_keys(edges[::-1], _flat(keys), flat, not right)
            for i in range(flat.size):
                flat[i] = edges.size - flat[i]
        else:
            _search_keys(edges, _flat(keys), flat, not right)
        return out
    return impl
