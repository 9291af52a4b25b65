"""Assignment into array views: `view[...] = value` with the value broadcast as NumPy
broadcasts it, and copied first when it shares memory with the target."""
from __future__ import annotations

from ... import types
from ...core import cgutils
from ...core.pythonapi import PythonAPI
from .construction import copy_array, copy_elements
from .helpers import (broadcast_strides, const, element_pointer, loop_nest,
                      make_array, shape_of, store_item, strides_of)
from .model import fill_array


def assign_view(context, builder, target_ty, target, value_ty, value, temporary=False):
    """target[...] = value for the array view `target` (a struct proxy): an array value is
    broadcast to the target's shape, a scalar fills it. A `temporary` value (made for this
    assignment, released by the caller) is released on the error path."""
    shape = shape_of(builder, target, target_ty.ndim)
    if isinstance(value_ty, types.Array):
        check_broadcastable(context, builder, shape, value_ty, value, temporary=temporary)
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


ASSIGN_MESSAGE = "cannot assign slice of shape {target} from input of shape {source}"
SCATTER_MESSAGE = ("shape mismatch: value array of shape {source} could not be broadcast to "
                   "indexing result of shape {target}")


def check_broadcastable(context, builder, shape, value_ty, value, message=ASSIGN_MESSAGE,
                        temporary=False):
    """ValueError naming both shapes unless the array `value` broadcasts to `shape`. Checked
    before any reference is taken, so that the error path owns nothing but a `temporary`
    value, which it releases."""
    src_shape = shape_of(builder, make_array(context, builder, value_ty, value), value_ty.ndim)
    with cgutils.if_unlikely(builder, builder.not_(_fits(builder, shape, src_shape))):
        if temporary:
            context.decref(builder, value_ty, value)
        _raise_mismatch(context, builder, message, shape, src_shape)


def _fits(builder, shape, src_shape):
    """Whether `src_shape` broadcasts to `shape`: leading axes beyond the target's are 1, the
    others 1 or the target's extent."""
    extra = max(len(src_shape) - len(shape), 0)
    ok = cgutils.true_bit
    for extent in src_shape[:extra]:
        ok = builder.and_(ok, builder.icmp_signed("==", extent, const(1)))
    for got, want in zip(reversed(src_shape[extra:]), reversed(shape)):
        ok = builder.and_(ok, builder.or_(builder.icmp_signed("==", got, const(1)),
                                          builder.icmp_signed("==", got, want)))
    return ok


def _raise_mismatch(context, builder, message, target_shape, source_shape):
    """ValueError(message) with both shapes printed as Python prints tuples."""
    shapes = {"target": target_shape, "source": source_shape}
    order = sorted(shapes, key=lambda name: message.index("{" + name + "}"))
    fmt = message.format(**{name: _shape_format(len(dims)) for name, dims in shapes.items()})
    values = [extent for name in order for extent in shapes[name]]
    PythonAPI(context, builder).raise_formatted("PyExc_ValueError", fmt, *values)


def broadcast_source(context, builder, shape, value_ty, value):
    """(array proxy, strides) reading `value` (checked by check_broadcastable) broadcast to
    `shape`."""
    src = make_array(context, builder, value_ty, value)
    extra = max(value_ty.ndim - len(shape), 0)
    src_shape = shape_of(builder, src, value_ty.ndim)[extra:]
    src_strides = strides_of(builder, src, value_ty.ndim)[extra:]
    return src, broadcast_strides(builder, src_shape, src_strides, len(shape))


def _shape_format(ndim: int) -> str:
    """printf format of a shape as Python prints the tuple: (), (5,), (2, 5)."""
    return "(%zd,)" if ndim == 1 else "(" + ", ".join(["%zd"] * ndim) + ")"


def _assign_from(context, builder, target_ty, target, shape, value_ty, value):
    src, src_strides = broadcast_source(context, builder, shape, value_ty, value)
    bview_ty = types.Array(value_ty.dtype, len(shape), "A")
    bview = make_array(context, builder, bview_ty)
    fill_array(context, builder, bview, src.data, shape, src_strides, bview_ty)
    copy_elements(context, builder, target_ty, target, bview_ty, bview, shape)
