"""Array indexing: a[i], a[i, j], a[i:j:k], a[i] of N-D (a view), and assignment through all
of these (scalar or array values, broadcast)."""
from __future__ import annotations

import operator

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...errors import TypingError
from .._registries import AbstractTemplate, lower_builtin, register
from ..slices import normalize_slice
from .construction import copy_array, copy_elements
from .helpers import (boundscheck_enabled, broadcast_shapes, broadcast_strides, element_pointer,
                      layout_strides, loop_nest, owned_item, make_array, shape_of, store_item,
                      strides_of, wrap_index)
from .model import fill_array

Integer = (types.Integer, types.Boolean)


def index_items(index_ty) -> list | None:
    """The per-axis index types of an index expression, or None if unsupported."""
    items = list(index_ty.types) if isinstance(index_ty, types.BaseTuple) else [index_ty]
    ok = all(isinstance(types.unliteral(t), types.Integer) or isinstance(t, types.SliceType)
             for t in items)
    return items if ok and items else None


def result_type(aryty: types.Array, items: list):
    """Scalar for a full integer index, else a view with one axis per slice."""
    if len(items) > aryty.ndim:
        return None
    ints = sum(1 for t in items if not isinstance(t, types.SliceType))
    ndim = aryty.ndim - ints
    if ndim == 0:
        return aryty.dtype
    # still C-contiguous: integers first, then at most one step-less slice, other axes whole
    rest = items[ints:]
    leading_ints = all(not isinstance(t, types.SliceType) for t in items[:ints])
    contiguous = leading_ints and (not rest or (len(rest) == 1 and rest[0].members == 2))
    layout = "C" if aryty.layout == "C" and contiguous else "A"
    return types.Array(aryty.dtype, ndim, layout, aryty.readonly)


class ArrayGetItem(AbstractTemplate):
    key = operator.getitem

    def generic(self, args, kws):
        aryty, index = args
        if not isinstance(aryty, types.Array):
            return None
        items = index_items(index)
        result = result_type(aryty, items) if items else None
        return types.signature(result, aryty, index) if result is not None else None


class ArraySetItem(AbstractTemplate):
    key = operator.setitem

    def generic(self, args, kws):
        aryty, index, value = args
        if not isinstance(aryty, types.Array) or aryty.readonly:
            return None
        items = index_items(index)
        target = result_type(aryty, items) if items else None
        if target is None:
            return None
        if isinstance(target, types.Array) and isinstance(value, types.Array):
            _check_assignable(aryty, value.dtype, value)
            return types.signature(types.none, aryty, index, value)
        if isinstance(types.unliteral(value), (types.Number, types.Boolean)):
            _check_assignable(aryty, types.unliteral(value), types.unliteral(value))
            return types.signature(types.none, aryty, index, aryty.dtype)
        return None


def _check_assignable(aryty: types.Array, element, value) -> None:
    """Numbers convert to any numeric element (as NumPy casts on assignment); a record element
    takes only the same record, element for element."""
    scalars = (types.Number, types.Boolean)
    if isinstance(aryty.dtype, scalars) and isinstance(element, scalars):
        return
    if aryty.dtype != element:
        what = "elements" if isinstance(value, types.Array) else "an element"
        raise TypingError(f"cannot assign {value} to {what} of {aryty}: "
                          f"no conversion from {element} to {aryty.dtype}")


register(ArrayGetItem)
register(ArraySetItem)


def compute_view(context, builder, aryty, ary, index_ty, index_value):
    """(data pointer, shape list, strides list) selected by an index."""
    items = index_items(index_ty)
    values = ([builder.extract_value(index_value, i) for i in range(len(items))]
              if isinstance(index_ty, types.BaseTuple) else [index_value])
    shape = shape_of(builder, ary, aryty.ndim)
    strides = layout_strides(builder, aryty, ary)
    offsets, out_shape, out_strides = [], [], []
    check = boundscheck_enabled(context)
    for axis in range(aryty.ndim):
        if axis >= len(items):
            out_shape.append(shape[axis])
            out_strides.append(strides[axis])
            offsets.append(None)
            continue
        ty, value = items[axis], values[axis]
        if isinstance(ty, types.SliceType):
            start, _, step, count = normalize_slice(context, builder, value, shape[axis])
            offsets.append(start)
            out_shape.append(count)
            out_strides.append(builder.mul(strides[axis], step))
        else:
            index = context.cast(builder, value, ty, types.intp)
            offsets.append(wrap_index(context, builder, index, shape[axis], check))
    used = [(o, s) for o, s in zip(offsets, strides) if o is not None]
    data = element_pointer(builder, ary, [o for o, _ in used], [s for _, s in used])
    return data, out_shape, out_strides


@lower_builtin(operator.getitem, types.Array, types.Any)
def getitem_impl(context, builder, sig, args):
    aryty, index_ty = sig.args
    ary = make_array(context, builder, aryty, args[0])
    data, shape, strides = compute_view(context, builder, aryty, ary, index_ty, args[1])
    result = sig.return_type
    if not isinstance(result, types.Array):
        return owned_item(context, builder, aryty, ary, data)
    view = make_array(context, builder, result)
    fill_array(context, builder, view, data, shape, strides, result, meminfo=ary.meminfo,
               parent=ary.parent)
    context.incref(builder, aryty, args[0])
    return view._getvalue()


@lower_builtin(operator.setitem, types.Array, types.Any, types.Any)
def setitem_impl(context, builder, sig, args):
    aryty, index_ty, value_ty = sig.args
    ary = make_array(context, builder, aryty, args[0])
    data, shape, strides = compute_view(context, builder, aryty, ary, index_ty, args[1])
    if not shape:
        store_item(context, builder, aryty, data, context.cast(builder, args[2], value_ty, aryty.dtype))
        return context.get_dummy_value()
    target_ty = types.Array(aryty.dtype, len(shape), "A")
    target = make_array(context, builder, target_ty)
    fill_array(context, builder, target, data, shape, strides, target_ty)
    assign_view(context, builder, target_ty, target, value_ty, args[2])
    return context.get_dummy_value()


def assign_view(context, builder, target_ty, target, value_ty, value):
    """target[...] = value for the array view `target` (a struct proxy): an array value is
    broadcast to the target's shape, a scalar fills it."""
    shape = shape_of(builder, target, target_ty.ndim)
    if isinstance(value_ty, types.Array):
        _assign_array(context, builder, target_ty, target, shape, value_ty, value)
        return
    value = context.cast(builder, value, value_ty, target_ty.dtype)
    strides = strides_of(builder, target, target_ty.ndim)
    with loop_nest(builder, shape) as idx:
        store_item(context, builder, target_ty, element_pointer(builder, target, idx, strides), value)


def _assign_array(context, builder, target_ty, target, shape, value_ty, value):
    """target[...] = value with the value broadcast to the target's shape; a source that
    overlaps the target in memory is copied first (`a[1:] = a[:-1]` behaves as in NumPy)."""
    overlap = _may_overlap(builder, [(target_ty, target), (value_ty, make_array(
        context, builder, value_ty, value))])
    slot = cgutils.alloca_once_value(builder, value)
    with builder.if_then(overlap, likely=False):  # a copy of the same layout
        builder.store(copy_array(context, builder, value_ty, value, layout=value_ty.layout), slot)
    value = builder.load(slot)
    _assign_from(context, builder, target_ty, target, shape, value_ty, value)
    with builder.if_then(overlap, likely=False):
        context.decref(builder, value_ty, value)


def _extent(builder, aryty, ary):
    """(lowest, highest) byte address an array view touches."""
    base = builder.ptrtoint(ary.data, cgutils.int64_t)
    low, high = base, base
    zero = ir.Constant(cgutils.int64_t, 0)
    for extent, stride in zip(shape_of(builder, ary, aryty.ndim), strides_of(builder, ary, aryty.ndim)):
        span = builder.mul(builder.sub(extent, ir.Constant(cgutils.int64_t, 1)), stride)
        low = builder.add(low, builder.select(builder.icmp_signed("<", span, zero), span, zero))
        high = builder.add(high, builder.select(builder.icmp_signed(">", span, zero), span, zero))
    return low, high


def _may_overlap(builder, pairs):
    (lo1, hi1), (lo2, hi2) = (_extent(builder, t, a) for t, a in pairs)
    return builder.and_(builder.icmp_unsigned("<=", lo1, hi2), builder.icmp_unsigned("<=", lo2, hi1))


def _assign_from(context, builder, target_ty, target, shape, value_ty, value):
    src = make_array(context, builder, value_ty, value)
    src_shape = shape_of(builder, src, value_ty.ndim)
    full = broadcast_shapes(context, builder, [shape, src_shape], len(shape))
    for got, want in zip(full, shape):
        with cgutils.if_unlikely(builder, builder.icmp_signed("!=", got, want)):
            context.call_conv.return_user_exc(builder, ValueError, (
                "could not broadcast input array into the assigned shape",))
    src_strides = broadcast_strides(builder, src_shape, strides_of(builder, src, value_ty.ndim),
                                    len(shape))
    bview_ty = types.Array(value_ty.dtype, len(shape), "A")
    bview = make_array(context, builder, bview_ty)
    fill_array(context, builder, bview, src.data, shape, src_strides, bview_ty)
    copy_elements(context, builder, target_ty, target, bview_ty, bview, shape)
