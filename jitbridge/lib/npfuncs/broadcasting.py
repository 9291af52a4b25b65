"""NumPy broadcasting: np.broadcast_to, np.broadcast_shapes, np.broadcast_arrays. Results
are zero-stride views over the arguments' memory (manipulation.py's `_view`), so
np.broadcast_to(a, shape) sees later writes to `a`; broadcast_to's views are read-only, as
NumPy's are."""
from __future__ import annotations

import functools

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .manip_arity import fixed_arity
from .manipulation import _int_tuple, _is_array, _is_int, _tuple_set, _view, _view_readonly

_MISMATCH = "shape mismatch: objects cannot be broadcast to a single shape"


# -- shapes ---------------------------------------------------------------------------------

@register_jitable
def _broadcast_strides(a, shape):
    """Strides that show `a` with `shape` (0 on broadcast axes); ValueError if it cannot."""
    strides = shape
    lead = len(shape) - a.ndim
    if lead < 0:
        raise ValueError("input operand has more dimensions than allowed by the axis remapping")
    for i in range(len(shape)):
        if shape[i] < 0:
            raise ValueError("all elements of broadcast shape must be non-negative")
        extent = 1 if i < lead else a.shape[i - lead]
        if extent != shape[i] and extent != 1:
            raise ValueError("operands could not be broadcast together with remapped shapes")
        stride = 0 if i < lead or extent == 1 else a.strides[i - lead]  # NumPy's 0 for 1s
        strides = _tuple_set(strides, i, stride)
    return strides


def _padded(shape, ones):
    """`shape` (a tuple or an int) with leading 1s up to len(ones)."""


@overload(_padded)
def _ol_padded(shape, ones):
    if _is_int(shape):
        return lambda shape, ones: _padded((shape,), ones)
    if len(shape) == 0:
        return lambda shape, ones: ones

    def impl(shape, ones):
        out = ones
        lead = len(ones) - len(shape)
        for i in range(len(shape)):
            out = _tuple_set(out, lead + i, shape[i])
        return out
    return impl


@register_jitable
def _common_shape(shapes):
    """The broadcast of equal-length shapes (a homogeneous tuple of them)."""
    out = shapes[0]
    for i in range(len(out)):
        extent = 1
        for shape in shapes:
            if shape[i] < 0:
                raise ValueError("negative dimensions are not allowed")
            if shape[i] != 1:
                if extent != 1 and shape[i] != extent:
                    raise ValueError(_MISMATCH)
                extent = shape[i]
        out = _tuple_set(out, i, extent)
    return out


@functools.lru_cache(maxsize=None)
def _shapes_impl(count: int, ndim: int):
    if ndim == 0:
        return fixed_arity("return ()", (), count, {})
    return fixed_arity("return _common_shape(EACH(_padded(@, ONES)))", (), count,
                       {"_common_shape": _common_shape, "_padded": _padded, "ONES": (1,) * ndim})


def _shape_length(ty, index: int) -> int:
    """The length of the shape np.broadcast_shapes reads from argument `index`."""
    if _is_int(ty):
        return 1
    if _int_tuple(ty):
        return len(ty)
    raise TypingError(f'np.broadcast_shapes(): argument "{index}" must be either an int or '
                      f"tuple[int], not {ty}")


@overload(np.broadcast_shapes)
def np_broadcast_shapes(*args):
    ndim = max([_shape_length(ty, i) for i, ty in enumerate(args)], default=0)
    return _shapes_impl(len(args), ndim)


# -- broadcast_arrays -----------------------------------------------------------------------

def _array_like_ndim(ty):
    """How many dimensions np.asarray gives `ty`, or None when it is not array-like."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.Array):
        return ty.ndim
    if isinstance(ty, (types.Number, types.Boolean)):
        return 0
    if isinstance(ty, types.BaseTuple) and len(ty) == 0:
        return 1
    if isinstance(ty, (types.UniTuple, types.List)):
        inner = _array_like_ndim(ty.dtype)
        return None if inner is None else inner + 1
    if isinstance(ty, types.BaseTuple):
        inner = {_array_like_ndim(t) for t in ty.types}
        return None if None in inner or len(inner) > 1 else inner.pop() + 1
    return None


def _element_type(ty):
    ty = types.unliteral(ty)
    if isinstance(ty, (types.Array, types.UniTuple, types.List)):
        return _element_type(ty.dtype)
    return ty


@register_jitable
def _stretch(a, shape):
    """`a` seen with `shape`; an array of that shape already keeps its strides, as NumPy's."""
    if a.shape == shape:
        return _view(a, 0, shape, _padded(a.strides, shape))
    return _view(a, 0, shape, _broadcast_strides(a, shape))


@functools.lru_cache(maxsize=None)
def _arrays_impl(count: int, ndim: int):
    body = ("shape = _common_shape(EACH(_padded(np.shape(@), ONES)))\n"
            "return EACH(_stretch(np.asarray(@), shape))")
    return fixed_arity(body, (), count, {"np": np, "_common_shape": _common_shape,
                                         "_padded": _padded, "_stretch": _stretch,
                                         "ONES": (1,) * ndim})


@overload(np.broadcast_arrays)
def np_broadcast_arrays(*args):
    ndims = [_array_like_ndim(ty) for ty in args]
    for i, ndim in enumerate(ndims):
        if ndim is None:
            raise TypingError(f'np.broadcast_arrays(): Argument "{i}" must be array-like, '
                              f"not {args[i]}")
    dtypes = {_element_type(ty) for ty in args}
    if len(dtypes) > 1:
        raise TypingError("np.broadcast_arrays(): Mismatch of argument types: all arguments "
                          f"must have one dtype, not {', '.join(map(str, args))}")
    # as Numba: scalars alone broadcast to shape (1,), not ()
    return _arrays_impl(len(args), max([1, *ndims]))


# -- broadcast_to ---------------------------------------------------------------------------

def _check_shape(shape):
    """TypingError unless `shape` is an int or a tuple of ints (NumPy's TypeErrors)."""
    if _is_int(shape) or _int_tuple(shape):
        return
    items = shape.types if isinstance(shape, types.BaseTuple) else ()
    if any(isinstance(types.unliteral(t), types.UnicodeType) for t in items):
        raise TypingError(f"np.broadcast_to(): 'str' object cannot be interpreted as an "
                          f"integer (in shape {shape})")
    raise TypingError(f'np.broadcast_to(): The second argument "shape" must be a tuple of '
                      f"integers, not {shape}")


@overload(np.broadcast_to)
def np_broadcast_to(array, shape):
    _check_shape(shape)
    if isinstance(array, types.StringLiteral):  # NumPy's 0-d array of str_
        chars = np.array(array.literal_value)
        return lambda array, shape: np.broadcast_to(np.copy(chars), shape)
    ndim = _array_like_ndim(array)
    if ndim is None:
        raise TypingError(f'np.broadcast_to(): The first argument "array" must be array-like, '
                          f"not {array}")
    if _is_int(shape):
        return lambda array, shape: np.broadcast_to(array, (shape,))
    if len(shape) == 0 and ndim:
        raise TypingError("np.broadcast_to(): Cannot broadcast a non-scalar to a scalar array")
    if not _is_array(array):
        return lambda array, shape: np.broadcast_to(np.asarray(array), shape)
    if len(shape) == 0:
        return lambda array, shape: _view_readonly(array, 0, (), ())
    return lambda array, shape: _view_readonly(array, 0, shape, _broadcast_strides(array, shape))
