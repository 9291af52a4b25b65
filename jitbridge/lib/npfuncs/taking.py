"""np.take / ndarray.take: elements of the flattened array (no axis), or whole slices along
an axis, picked by a scalar, an array, or a (nested) list or tuple of integer indices."""
from __future__ import annotations

import numpy as np
from llvmlite import ir

from ... import types
from ...extending import intrinsic, overload, overload_method, register_jitable
from .common import is_none
from .statistics import _flat, _lanes

_INDEX = (types.Integer, types.Boolean)


@intrinsic
def _splice(typingctx, shape, axis, inner):
    """`shape` with its entry `axis` (a run-time index) replaced by all of `inner`'s."""
    count, k = len(shape), len(inner)
    result = types.UniTuple(types.intp, count - 1 + k)

    def codegen(context, builder, sig, args):
        ax = context.cast(builder, args[1], sig.args[1], types.intp)
        items = [builder.extract_value(args[0], i) for i in range(count)]
        news = [builder.extract_value(args[2], t) for t in range(k)]
        out = ir.Constant(context.get_value_type(result), ir.Undefined)
        for j in range(count - 1 + k):
            value = items[j - k + 1] if 0 <= j - k + 1 < count else ir.Constant(ax.type, 0)
            for t in range(k):  # position j holds inner[t] when axis == j - t
                here = builder.icmp_signed("==", ax, ir.Constant(ax.type, j - t))
                value = builder.select(here, news[t], value)
            if j < count:
                before = builder.icmp_signed(">", ax, ir.Constant(ax.type, j))
                value = builder.select(before, items[j], value)
            out = builder.insert_value(out, value, j)
        return out
    return result(shape, axis, inner), codegen


@register_jitable
def _checked(i, n, axis):
    """Index i into an axis of length n, negative counting from the end; NumPy's IndexError."""
    if i < -n or i >= n:
        raise IndexError("index out of bounds: " + str(i) + " for axis " + str(axis) +
                         " with size " + str(n))
    return i + n if i < 0 else i


@register_jitable
def _check_axis(axis, ndim):
    if axis < -ndim or axis >= ndim:
        raise ValueError("axis " + str(axis) + " is out of bounds for array of dimension " +
                         str(ndim))
    return axis + ndim if axis < 0 else axis


@register_jitable
def _take_one(a, i, axis):
    _check_axis(axis, a.ndim)
    return _flat(a)[_checked(i, a.size, 0)]


@register_jitable
def _take_flat(a, indices):
    flat = _flat(a)
    out = np.empty(indices.shape, a.dtype)
    oflat = out.reshape(out.size)
    iflat = _flat(indices)
    n = flat.size
    for j in range(iflat.size):
        oflat[j] = flat[_checked(iflat[j], n, 0)]
    return out


@register_jitable
def _take_list(a, indices):
    flat = _flat(a)
    out = np.empty(len(indices), a.dtype)
    for j in range(len(indices)):  # a reflected list indexes without an array copy
        out[j] = flat[_checked(indices[j], flat.size, 0)]
    return out


@register_jitable
def _take_axis(a, indices, axis):
    ax = _check_axis(axis, a.ndim)
    lanes = _lanes(a, ax)
    iflat = _flat(indices)
    out = np.empty((lanes.shape[0], iflat.size, lanes.shape[2]), a.dtype)
    for j in range(iflat.size):
        out[:, j, :] = lanes[:, _checked(iflat[j], lanes.shape[1], ax), :]
    return out.reshape(_splice(a.shape, ax, indices.shape))


def _index_depth(ty):
    """The nesting depth of integer indices (0: a scalar), or None if `ty` holds other items."""
    ty = types.unliteral(ty)
    if isinstance(ty, _INDEX):
        return 0
    if isinstance(ty, types.Array):
        return ty.ndim if isinstance(ty.dtype, _INDEX) else None
    if isinstance(ty, (types.List, types.UniTuple)):
        inner = _index_depth(ty.dtype)
        return None if inner is None else inner + 1
    return None


def _take_impl(a, indices, axis):
    depth = _index_depth(indices)
    if not isinstance(a, types.Array) or depth is None:
        return None
    if not is_none(axis):
        if not isinstance(types.unliteral(axis), types.Integer):
            return None
        if depth == 0 and a.ndim == 1:  # NumPy gives a scalar, not a 0-d array
            return lambda a, indices, axis=None: _take_one(a, np.asarray(indices)[()], axis)
        return lambda a, indices, axis=None: _take_axis(a, np.asarray(indices), axis)
    if depth == 0:
        return lambda a, indices, axis=None: _take_one(a, np.asarray(indices)[()], 0)
    if isinstance(indices, types.List) and depth == 1:
        return lambda a, indices, axis=None: _take_list(a, indices)
    return lambda a, indices, axis=None: _take_flat(a, np.asarray(indices))


@overload(np.take)
def np_take(a, indices, axis=None):
    return _take_impl(a, indices, axis)


@overload_method(types.Array, "take")
def array_take(a, indices, axis=None):
    return _take_impl(a, indices, axis)
