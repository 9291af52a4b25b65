"""Searching and index functions: np.searchsorted, np.nonzero / ndarray.nonzero,
np.flatnonzero, np.argwhere, np.where (one and three arguments), np.extract,
np.take_along_axis (np.take is in taking.py)."""
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

Scalar = (types.Number, types.Boolean, types.NPDatetime, types.NPTimedelta)


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


@register_jitable
def _right_side(side):
    """A run-time `side` string: whether it is 'right' (NumPy's ValueError unless 'left')."""
    if side == "right":
        return True
    if side != "left":
        raise ValueError("side must be 'left' or 'right'")
    return False


def _side_is_right(side):
    """True/False for a known side; the run-time string type for a variable one."""
    if side is None or isinstance(side, (types.Omitted, types.NoneType)):
        return False
    if isinstance(side, types.UnicodeType) and not isinstance(side, types.StringLiteral):
        return side
    if not isinstance(side, types.StringLiteral):
        raise TypingError("np.searchsorted(): side must be 'left' or 'right'")
    if side.literal_value not in ("left", "right"):
        raise TypingError(f"np.searchsorted(): side must be 'left' or 'right', "
                          f"not {side.literal_value!r}")
    return side.literal_value == "right"


Key = Scalar + (types.CharSeq,)  # fixed-width strings order as NumPy orders them


def _is_sequence(ty, ndim=None) -> bool:
    if isinstance(ty, types.Array):
        return isinstance(ty.dtype, Key) and (ndim is None or ty.ndim == ndim)
    return isinstance(ty, types.List) and isinstance(ty.dtype, Scalar)


def _key_kind(ty):
    """The class of a char-sequence key (or of an array's items), else None (numbers)."""
    item = ty.dtype if isinstance(ty, (types.Array, types.List)) else ty
    return type(item) if isinstance(item, types.CharSeq) else None


@overload(np.searchsorted, prefer_literal=True)  # a literal side is checked when typing
def np_searchsorted(a, v, side="left", sorter=None):
    right = _side_is_right(side)
    if not _is_sequence(a, ndim=1):
        raise TypingError(f"np.searchsorted(): a must be a 1-D array or list, not {a}")
    if (isinstance(v, Key) or _is_sequence(v)) and _key_kind(a) is not _key_kind(v):
        raise TypingError(f"np.searchsorted(): cannot compare the items of {a} with {v}")
    if not (sorter is None or isinstance(sorter, (types.Omitted, types.NoneType))):
        if not (isinstance(sorter, (types.Array, types.List)) and
                isinstance(sorter.dtype, types.Integer) and getattr(sorter, "ndim", 1) == 1):
            raise TypingError(f"np.searchsorted(): sorter must be a 1-D array of integers, "
                              f"not {sorter}")
        return lambda a, v, side="left", sorter=None: np.searchsorted(
            _sorted_by(a, sorter), v, side)
    if not isinstance(right, bool):  # decided at run time
        return lambda a, v, side="left", sorter=None: _searchsorted(a, v, _right_side(side))
    if isinstance(v, Key) or _is_sequence(v):
        return lambda a, v, side="left", sorter=None: _searchsorted(a, v, right)
    return None


@register_jitable
def _sorted_by(a, sorter):
    """a in the order `sorter` gives (NumPy's checks: the same length, indices in range)."""
    keys = np.asarray(a)
    if len(sorter) != len(keys):
        raise ValueError("sorter.size must equal a.size")
    out = keys.copy()
    for i in range(len(keys)):
        if sorter[i] < 0 or sorter[i] >= len(keys):
            raise ValueError("Sorter index out of range.")
        out[i] = keys[sorter[i]]
    return out


@overload_method(types.Array, "searchsorted", prefer_literal=True)
def array_searchsorted(a, v, side="left", sorter=None):
    return lambda a, v, side="left", sorter=None: np.searchsorted(a, v, side, sorter)


def _searchsorted(a, v, right):
    """Where the key(s) v go in sorted `a`: an index, or an array of them shaped as v."""


@overload(_searchsorted)
def _ol_searchsorted(a, v, right):
    if isinstance(v, Key):
        return lambda a, v, right: _bisect(a, v, 0, len(a), right)
    if isinstance(v, types.Array):
        def impl(a, v, right):
            out = np.empty(v.shape, np.intp)
            _search_keys(a, _flat(v), out.reshape(out.size), right)
            return out
        return impl

    def impl(a, v, right):
        out = np.empty(len(v), np.intp)
        _search_keys(a, v, out, right)
        return out
    return impl


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
    if not isinstance(a, types.Array) or not isinstance(a.dtype, Scalar):
        return None
    if a.ndim == 0:  # NumPy: one row of no coordinates where the item is true
        return lambda a: np.zeros((1 if a[()] else 0, 0), np.intp)
    return lambda a: _coords(a, False).T  # (F-ordered, as NumPy's transpose of nonzero())


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


def _where_operand(ty, name, suffix=""):
    """The number of dimensions of an np.where operand, or a TypingError naming it."""
    ty = types.unliteral(ty)
    if isinstance(ty, Scalar):
        return 0
    if isinstance(ty, types.Array) and isinstance(ty.dtype, Scalar):
        return ty.ndim
    if isinstance(ty, (types.List, types.BaseTuple)) and _nested_numbers(ty):
        return _nested_numbers(ty)
    raise TypingError(f'np.where(): The argument "{name}" must be array-like{suffix}, '
                      f'not {ty}')


def _nested_numbers(ty) -> int:
    """The depth of a (nested) list or homogeneous tuple of numbers; 0 when it is not one."""
    ty = types.unliteral(ty)
    if isinstance(ty, Scalar):
        return 0
    inner = getattr(ty, "dtype", None) if isinstance(ty, (types.List, types.UniTuple)) else None
    if inner is None:
        return 0
    depth = _nested_numbers(inner)
    return depth + 1 if depth or isinstance(types.unliteral(inner), Scalar) else 0


@register_jitable
def _where_0d(condition, x, y, dtype):
    out = np.asarray(x).astype(dtype)  # a 0-d copy: np.empty cannot make one
    if not np.asarray(condition)[()]:
        out[()] = np.asarray(y)[()]
    return out


@register_jitable
def _broadcast3(a, b, c):
    """The shape three equally long shapes broadcast to, or NumPy's ValueError."""
    out = a
    for i in range(len(a)):
        out = _tuple_set(out, i, _broadcast_dim(_broadcast_dim(a[i], b[i]), c[i]))
    return out


@register_jitable
def _broadcast_dim(m, n):
    """The length two broadcast axes give: the one that is not 1 (0 included, not the max)."""
    if m != 1 and n != 1 and m != n:
        raise ValueError("shape mismatch: objects cannot be broadcast to a single shape")
    return n if m == 1 else m


@register_jitable
def _where_nd(condition, x, y, dtype, pads):
    c, xa, ya = np.asarray(condition), np.asarray(x), np.asarray(y)
    shape = _broadcast3(pads[0] + c.shape, pads[1] + xa.shape, pads[2] + ya.shape)
    out = np.empty(shape, dtype)
    _select(_flat(_broadcast_to(c, shape, np.bool_)), _flat(_broadcast_to(xa, shape, dtype)),
            _flat(_broadcast_to(ya, shape, dtype)), out.reshape(out.size))
    return out


@overload(np.where, prefer_literal=True)
def np_where(condition, x=None, y=None):
    omitted = (types.Omitted, types.NoneType)
    if isinstance(x, types.Omitted) and isinstance(y, types.Omitted):
        if isinstance(condition, (types.List, types.BaseTuple)) and _nested_numbers(condition):
            return lambda condition, x=None, y=None: np.nonzero(np.asarray(condition))
        if not _check_nonzero(condition, "np.where"):
            return None
        return lambda condition, x=None, y=None: np.nonzero(condition)
    if isinstance(x, omitted) or isinstance(y, omitted):
        raise TypingError('np.where(): Argument "x" or "y" cannot be None')
    ndims = (_where_operand(condition, "condition"), _where_operand(x, "x", " if provided"),
             _where_operand(y, "y", " if provided"))
    ndim = max(ndims)
    pads = tuple((1,) * (ndim - n) for n in ndims)  # leading 1s: shapes broadcast from the end
    dtype = as_dtype(_where_dtype(*(_array_type(t) for t in (x, y))))
    if ndim == 0:
        return lambda condition, x=None, y=None: _where_0d(condition, x, y, dtype)
    arrays = [t for t in (condition, x, y) if not isinstance(types.unliteral(t), Scalar)]
    if ndim > 1 and all(isinstance(t, types.Array) and t.layout == "F" and t.ndim == ndim
                        for t in arrays):
        # NumPy keeps the inputs' memory order: work on the C-ordered transposes
        return lambda condition, x=None, y=None: _where_nd(
            _transposed(condition), _transposed(x), _transposed(y), dtype, pads).T
    return lambda condition, x=None, y=None: _where_nd(condition, x, y, dtype, pads)


def _transposed(a):
    """a.T for an array, a itself for a scalar."""


@overload(_transposed)
def _ol_transposed(a):
    if isinstance(a, types.Array):
        return lambda a: a.T
    return lambda a: a


def _array_type(ty):
    """A sequence operand as the array type np.asarray gives it; others unchanged (a literal
    stays one: NumPy 2 treats a Python scalar as weak)."""
    if isinstance(ty, (types.List, types.BaseTuple)):
        element = ty
        while not isinstance(element, Scalar):
            element = types.unliteral(element.dtype)
        return types.Array(element, _nested_numbers(ty), "C")
    return ty


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
