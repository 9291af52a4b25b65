"""numpy.lib.stride_tricks: as_strided and sliding_window_view, views over an array's memory
made by manipulation.py's `_view`. As in Numba, as_strided needs explicit strides and
sliding_window_view's views are writeable."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .common import is_none
from .manipulation import _int_tuple, _is_array, _is_int, _tuple_set, _view, _view_readonly

_AS_STRIDED = "np.lib.stride_tricks.as_strided()"
_WINDOWS = "np.lib.stride_tricks.sliding_window_view()"


def _writeable_view(writeable):
    """The view intrinsic for the `writeable` argument: a literal or omitted bool, else None."""
    if isinstance(writeable, types.Omitted):
        value = writeable.value
    elif isinstance(writeable, types.BooleanLiteral):
        value = writeable.literal_value
    else:
        return None
    return _view if value else _view_readonly


@overload(np.lib.stride_tricks.as_strided)
def np_as_strided(x, shape=None, strides=None, subok=False, writeable=True):
    if not _is_array(x):
        return None
    if is_none(strides):
        raise TypingError(f"{_AS_STRIDED}: strides argument cannot be None")
    if not _int_tuple(strides) or not (is_none(shape) or _int_tuple(shape)):
        return None
    length = x.ndim if is_none(shape) else len(shape)
    if len(strides) != length:
        raise TypingError(f"{_AS_STRIDED}: shape and strides have different lengths "
                          f"({length} and {len(strides)})")
    view = _writeable_view(writeable)
    if view is None:
        return None
    if is_none(shape):
        return lambda x, shape=None, strides=None, subok=False, writeable=True: \
            view(x, 0, x.shape, strides)
    return lambda x, shape=None, strides=None, subok=False, writeable=True: \
        view(x, 0, shape, strides)


@register_jitable
def _window_view(x, window, axes):
    """NumPy's sliding_window_view of `x` with windows of `window` along `axes` (tuples)."""
    for w in window:
        if w < 0:
            raise ValueError("`window_shape` cannot contain negative values")
    if len(window) != len(axes):
        raise ValueError("Must provide matching length window_shape and axis")
    trimmed = x.shape
    inner = window
    for i in range(len(window)):
        if axes[i] < -x.ndim or axes[i] >= x.ndim:
            raise ValueError("Argument axis out of bounds")
        ax = axes[i] + x.ndim if axes[i] < 0 else axes[i]
        if trimmed[ax] < window[i]:
            raise ValueError("window_shape cannot be larger than input array shape")
        trimmed = _tuple_set(trimmed, ax, trimmed[ax] - window[i] + 1)
        inner = _tuple_set(inner, i, x.strides[ax])
    return _view(x, 0, trimmed + window, x.strides + inner)


@overload(np.lib.stride_tricks.sliding_window_view)
def np_sliding_window_view(x, window_shape, axis=None):
    if not _is_array(x) or x.ndim == 0:
        return None
    if not (_is_int(window_shape) or _int_tuple(window_shape) and len(window_shape)):
        raise TypingError(f"{_WINDOWS}: window_shape must be an integer or tuple of integers, "
                          f"not {window_shape}")
    if not (is_none(axis) or _is_int(axis) or _int_tuple(axis) and len(axis)):
        raise TypingError(f"{_WINDOWS}: axis must be None, an integer or tuple of integers, "
                          f"not {axis}")
    every_axis = tuple(range(x.ndim))
    as_window = (lambda w: (w,)) if _is_int(window_shape) else (lambda w: w)
    as_axes = (lambda a: every_axis) if is_none(axis) else \
        (lambda a: (a,)) if _is_int(axis) else (lambda a: a)
    window_of, axes_of = register_jitable(as_window), register_jitable(as_axes)
    return lambda x, window_shape, axis=None: \
        _window_view(x, window_of(window_shape), axes_of(axis))
