"""Assignment into array views: `view[...] = value` with the value broadcast as NumPy
broadcasts it, and copied first when it shares memory with the target."""
from __future__ import annotations

from ... import types
from ...core import cgutils
from .construction import copy_array, copy_elements
from .helpers import (broadcast_shapes, broadcast_strides, const, element_pointer, loop_nest,
                      make_array, shape_of, store_item, strides_of)
from .model import fill_array


def assign_view(context, builder, target_ty, target, value_ty, value):
    """target[...] = value for the array view `target` (a struct proxy): an array value is
    broadcast to the target's shape, a scalar fills it."""
    shape = shape_of(builder, target, target_ty.ndim)
    if isinstance(value_ty, types.Array):
        value = copy_if_overlapping(context, builder, (target_ty, target), value_ty, value)
        _assign_from(context, builder, target_ty, target, shape, value_ty, value)
        context.decref(builder, value_ty, value)
        return
    value = context.cast(builder, value, value_ty, target_ty.dtype)
    strides = strides_of(builder, target, target_ty.ndim)
    with loop_nest(builder, shape) as idx:
        store_item(context, builder, target_ty, element_pointer(builder, target, idx, strides), value)


def copy_if_overlapping(context, builder, target, value_ty, value):
    """A new reference to `value`, or to a copy of it when it may share memory with the
    target (`a[1:] = a[:-1]` reads every element before any is written, as in NumPy)."""
    overlap = _may_overlap(builder, [target, (value_ty, make_array(
        context, builder, value_ty, value))])
    context.incref(builder, value_ty, value)
    slot = cgutils.alloca_once_value(builder, value)
    with builder.if_then(overlap, likely=False):  # a copy of the same layout
        builder.store(copy_array(context, builder, value_ty, value, layout=value_ty.layout), slot)
        context.decref(builder, value_ty, value)
    return builder.load(slot)


def _extent(builder, aryty, ary):
    """(lowest, highest) byte address an array view touches."""
    base = builder.ptrtoint(ary.data, cgutils.int64_t)
    low, high = base, base
    zero = const(0)
    for extent, stride in zip(shape_of(builder, ary, aryty.ndim), strides_of(builder, ary, aryty.ndim)):
        span = builder.mul(builder.sub(extent, const(1)), stride)
        low = builder.add(low, builder.select(builder.icmp_signed("<", span, zero), span, zero))
        high = builder.add(high, builder.select(builder.icmp_signed(">", span, zero), span, zero))
    return low, high


def _may_overlap(builder, pairs):
    (lo1, hi1), (lo2, hi2) = (_extent(builder, t, a) for t, a in pairs)
    return builder.and_(builder.icmp_unsigned("<=", lo1, hi2), builder.icmp_unsigned("<=", lo2, hi1))


def broadcast_source(context, builder, shape, value_ty, value):
    """(array proxy, strides) reading `value` broadcast to `shape`; ValueError as NumPy
    when it cannot be (leading length-1 axes beyond the target's are dropped)."""
    src = make_array(context, builder, value_ty, value)
    src_shape = shape_of(builder, src, value_ty.ndim)
    src_strides = strides_of(builder, src, value_ty.ndim)
    extra = max(value_ty.ndim - len(shape), 0)
    for extent in src_shape[:extra]:
        _fail_unless(context, builder, builder.icmp_signed("==", extent, const(1)))
    src_shape, src_strides = src_shape[extra:], src_strides[extra:]
    full = broadcast_shapes(context, builder, [shape, src_shape], len(shape))
    for got, want in zip(full, shape):
        _fail_unless(context, builder, builder.icmp_signed("==", got, want))
    return src, broadcast_strides(builder, src_shape, src_strides, len(shape))


def _fail_unless(context, builder, ok):
    with cgutils.if_unlikely(builder, builder.not_(ok)):
        context.call_conv.return_user_exc(builder, ValueError, (
            "could not broadcast input array into the assigned shape",))


def _assign_from(context, builder, target_ty, target, shape, value_ty, value):
    src, src_strides = broadcast_source(context, builder, shape, value_ty, value)
    bview_ty = types.Array(value_ty.dtype, len(shape), "A")
    bview = make_array(context, builder, bview_ty)
    fill_array(context, builder, bview, src.data, shape, src_strides, bview_ty)
    copy_elements(context, builder, target_ty, target, bview_ty, bview, shape)
