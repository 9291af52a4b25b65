"""ndarray.reshape (and np.reshape through it): a view with the new shape, never a copy, as in
Numba. A C-contiguous array always reshapes; any other array reshapes when NumPy could do it
without copying (the axes merged or split are contiguous among themselves), else
NotImplementedError. One extent may be -1."""
from __future__ import annotations

from ... import types
from ...extending import overload_method, register_jitable
from .manip_arity import fixed_arity
from .manipulation import _c_strides, _int_tuple, _is_int, _tuple_set, _view, _view_c


@register_jitable
def _resolved_shape(shape, size):
    """`shape` with its -1 extent (if any) inferred from `size`; NumPy's ValueErrors."""
    known, missing = 1, -1
    for i in range(len(shape)):
        if shape[i] < 0:
            if missing >= 0:
                raise ValueError("multiple negative shape values")
            missing = i
        else:
            known *= shape[i]
    if missing >= 0:
        if size % max(known, 1) or known == 0 and size:
            raise ValueError("total size of new array must be unchanged")
        shape = _tuple_set(shape, missing, size // max(known, 1))
    elif known != size:
        raise ValueError("total size of new array must be unchanged")
    return shape


@register_jitable
def _squeezed_geometry(a):
    """a's extents and strides without its length-1 axes (padded tuples) and their count."""
    dims, strides, count = a.shape, a.strides, 0
    for i in range(a.ndim):
        if a.shape[i] != 1:
            dims = _tuple_set(dims, count, a.shape[i])
            strides = _tuple_set(strides, count, a.strides[i])
            count += 1
    return dims, strides, count


@register_jitable
def _nocopy_strides(a, shape):
    """Strides showing a's items in C order with `shape` (same size), or NotImplementedError
    when a's memory cannot: each group of old axes making one group of new ones must be
    contiguous within itself."""
    if a.size == 0:
        return _c_strides(shape, a.itemsize)
    dims, old, count = _squeezed_geometry(a)
    strides = shape
    oi, ni = 0, 0
    while ni < len(shape) and oi < count:
        oj, nj, np_, op = oi + 1, ni + 1, shape[ni], dims[oi]
        while np_ != op:
            if np_ < op:
                np_ *= shape[nj]
                nj += 1
            else:
                op *= dims[oj]
                oj += 1
        for k in range(oi, oj - 1):
            if old[k] != dims[k + 1] * old[k + 1]:
                raise NotImplementedError("incompatible shape for array")
        strides = _tuple_set(strides, nj - 1, old[oj - 1])
        for k in range(nj - 1, ni, -1):
            strides = _tuple_set(strides, k - 1, strides[k] * shape[k])
        ni, oi = nj, oj
    last = strides[ni - 1] if ni > 0 else a.itemsize
    for k in range(ni, len(shape)):
        strides = _tuple_set(strides, k, last)
    return strides


@register_jitable
def _reshaped_0d(a):
    if a.size != 1:
        raise ValueError("total size of new array must be unchanged")
    return _view_c(a, 0, (), ())


@register_jitable
def _reshaped_c(a, shape):
    shape = _resolved_shape(shape, a.size)
    return _view_c(a, 0, shape, _c_strides(shape, a.itemsize))


@register_jitable
def _reshaped_any(a, shape):
    shape = _resolved_shape(shape, a.size)
    return _view(a, 0, shape, _nocopy_strides(a, shape))


@overload_method(types.Array, "reshape")
def array_reshape(a, *shape):
    reshaped = _reshaped_c if a.layout == "C" else _reshaped_any
    if len(shape) == 1 and _is_int(shape[0]):
        return lambda a, extent: reshaped(a, (extent,))
    if len(shape) == 1 and _int_tuple(shape[0]):
        if len(shape[0]) == 0:
            return lambda a, shape: _reshaped_0d(a)
        return lambda a, shape: reshaped(a, shape)
    if shape and all(_is_int(t) for t in shape):
        return fixed_arity("return reshaped(a, EACH(@))", ("a",), len(shape),
                           {"reshaped": reshaped})
    return None
