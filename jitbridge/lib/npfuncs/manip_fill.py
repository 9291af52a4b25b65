"""Filling arrays from repeated values: np.resize (the data repeated to a new shape) and
np.fill_diagonal (values cycled along the diagonal, in place), with NumPy's semantics and
Numba's refusal of values the array's dtype cannot hold."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .broadcasting import _array_like_ndim, _element_type
from .manipulation import _int_tuple, _is_array, _is_int, _tuple_set


# -- np.resize ------------------------------------------------------------------------------

@register_jitable
def _resized(a, new_shape):
    size = 1
    for extent in new_shape:
        if extent < 0:
            raise ValueError("All elements of `new_shape` must be non-negative")
        size *= extent
    out = np.empty(new_shape, a.dtype)
    flat, src = out.reshape(size), np.ravel(a)
    for i in range(size):
        flat[i] = src[i % src.size] if src.size else 0
    return out


@overload(np.resize)
def np_resize(a, new_shape):
    if _array_like_ndim(a) is None:
        raise TypingError(f'np.resize(): The argument "a" must be array-like, not {a}')
    if not (_is_int(new_shape) or _int_tuple(new_shape)):
        raise TypingError('np.resize(): The argument "new_shape" must be an integer or a tuple '
                          f"of integers, not {new_shape}")
    if _is_int(new_shape):
        return lambda a, new_shape: _resized(np.asarray(a), (new_shape,))
    return lambda a, new_shape: _resized(np.asarray(a), new_shape)


# -- np.fill_diagonal -------------------------------------------------------------------------

_CONFORM = "Unable to safely conform val to a.dtype"


def _conform_check(target, value):
    """A jitable check(v) raising ValueError when the value `v` cannot be stored in an array
    of `target` without overflow or NaN (Numba's rule); a no-op when every value fits."""
    if isinstance(target, types.Integer) and isinstance(value, (types.Integer, types.Float)):
        info = np.iinfo(np.dtype(str(target)))
        low, high = float(info.min), float(info.max)
        return register_jitable(lambda v: _check_range(v, low, high))
    if isinstance(target, types.Float) and isinstance(value, types.Float):
        high = float(np.finfo(np.dtype(str(target))).max)
        return register_jitable(lambda v: _check_range(v, -high, high) if np.isfinite(v) else 0)
    return _no_check


@register_jitable
def _no_check(v):
    return 0


@register_jitable
def _check_range(v, low, high):
    if not (low <= v <= high):
        raise ValueError(_CONFORM)
    return 0


@register_jitable
def _unravel(flat_index, shape):
    """The C-order coordinates (a tuple) of item `flat_index` of an array of `shape`."""
    coords = shape
    for d in range(len(shape) - 1, -1, -1):
        coords = _tuple_set(coords, d, flat_index % shape[d])
        flat_index //= shape[d]
    return coords


@register_jitable
def _diagonal_step(a, wrap):
    """NumPy's step between diagonal items of a.flat, and where filling stops."""
    if a.ndim == 2:
        return a.shape[1] + 1, a.size if wrap else min(a.size, a.shape[1] * a.shape[1])
    step = 1
    stride = 1
    for d in range(a.ndim - 1):
        if a.shape[d] != a.shape[0]:
            raise ValueError("All dimensions of input must be of equal length")
        stride *= a.shape[d]
        step += stride
    if a.shape[a.ndim - 1] != a.shape[0]:
        raise ValueError("All dimensions of input must be of equal length")
    return step, a.size


@overload(np.fill_diagonal)
def np_fill_diagonal(a, val, wrap=False):
    if not _is_array(a) or _array_like_ndim(val) is None:
        return None
    if a.ndim < 2:
        raise TypingError("np.fill_diagonal(): The first argument must be at least 2-D, not "
                          f"{a}")
    check = _conform_check(a.dtype, _element_type(val))

    def impl(a, val, wrap=False):
        values = np.ravel(np.asarray(val))
        for v in values:
            check(v)
        step, end = _diagonal_step(a, wrap)
        for k, pos in enumerate(range(0, end, step)):
            a[_unravel(pos, a.shape)] = values[k % values.size]
    return impl
