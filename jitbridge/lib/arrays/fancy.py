"""Advanced indexing: one integer array or boolean mask among basic indices. NumPy's result
puts the index array's dimensions (a mask's count of true elements) where the index stood, so
one walk serves reading and writing: outer basic dims, then the advanced part, then inner
basic dims, each visited element handed its source pointer and its index in the result."""
from __future__ import annotations

from ... import types
from ...core import cgutils
from .assignment import broadcast_source, copy_if_overlapping
from .helpers import (allocate_array, const, element_pointer, layout_strides, load_item,
                      loop_nest, make_array, shape_of, store_item, strides_of)


def gather(context, builder, aryty, sel, result_ty):
    """A new array of the selected elements (a[idx], a[mask], a[:, idx]...)."""
    out = allocate_array(context, builder, result_ty, _result_shape(context, builder, sel))
    out_strides = strides_of(builder, out, result_ty.ndim)

    def visit(source, index):
        value = load_item(context, builder, aryty, source)
        store_item(context, builder, result_ty, element_pointer(builder, out, index, out_strides),
                   value)
    _walk(context, builder, sel, visit)
    return out._getvalue()


def scatter(context, builder, target, sel, value_ty, value):
    """a[idx] = value, a[mask] = value: a scalar fills every selected element, an array is
    broadcast to the selection's shape (the last write wins for repeated indices)."""
    aryty, _ = target
    shape = _result_shape(context, builder, sel)
    if not isinstance(value_ty, types.Array):
        scalar = context.cast(builder, value, value_ty, aryty.dtype)
        _walk(context, builder, sel, lambda dest, _: store_item(context, builder, aryty, dest, scalar))
        return
    value = copy_if_overlapping(context, builder, target, value_ty, value)
    src, src_strides = broadcast_source(context, builder, shape, value_ty, value)

    def visit(dest, index):
        item = load_item(context, builder, value_ty, element_pointer(builder, src, index, src_strides))
        store_item(context, builder, aryty, dest, context.cast(builder, item, value_ty.dtype, aryty.dtype))
    _walk(context, builder, sel, visit)
    context.decref(builder, value_ty, value)


def _is_mask(sel) -> bool:
    return isinstance(sel.advanced.ty.dtype, types.Boolean)


def _result_shape(context, builder, sel) -> list:
    extents = [d.extent for d in sel.dims]
    if _is_mask(sel):
        middle = [_mask_count(context, builder, sel)]
    else:
        middle = shape_of(builder, make_array(context, builder, sel.advanced.ty, sel.value),
                          sel.advanced.ty.ndim)
    return extents[:sel.at] + middle + extents[sel.at:]


def _mask_count(context, builder, sel):
    """How many elements the mask selects, after checking it covers the indexed axes."""
    maskty = sel.advanced.ty
    mask = make_array(context, builder, maskty, sel.value)
    shape = shape_of(builder, mask, maskty.ndim)
    for extent, axis in zip(shape, sel.axes):
        with cgutils.if_unlikely(builder, builder.icmp_signed("!=", extent, axis.extent)):
            context.call_conv.return_user_exc(builder, IndexError, (
                "boolean index did not match the shape of the indexed array",))
    count = cgutils.alloca_once_value(builder, const(0))
    strides = layout_strides(builder, maskty, mask)
    with loop_nest(builder, shape) as idx:
        flag = load_item(context, builder, maskty, element_pointer(builder, mask, idx, strides))
        builder.store(builder.add(builder.load(count), builder.zext(flag, count.type.pointee)), count)
    return builder.load(count)


def _walk(context, builder, sel, visit):
    before, after = sel.dims[:sel.at], sel.dims[sel.at:]
    walk_advanced = _walk_mask if _is_mask(sel) else _walk_indices
    counter = cgutils.alloca_once(builder, cgutils.int64_t)
    with loop_nest(builder, [d.extent for d in before]) as outer:
        base = _offset(builder, sel.data, outer, before)

        def inner_loops(start, middle):
            with loop_nest(builder, [d.extent for d in after]) as inner:
                visit(_offset(builder, start, inner, after), outer + middle + inner)
        builder.store(const(0), counter)
        walk_advanced(context, builder, sel, base, inner_loops, counter)


def _walk_indices(context, builder, sel, base, inner_loops, _):
    """Each element of the index array, checked against the axis (IndexError as NumPy)."""
    idxty, (axis,) = sel.advanced.ty, sel.axes
    indices = make_array(context, builder, idxty, sel.value)
    strides = layout_strides(builder, idxty, indices)
    with loop_nest(builder, shape_of(builder, indices, idxty.ndim)) as idx:
        raw = load_item(context, builder, idxty, element_pointer(builder, indices, idx, strides))
        index = _checked_index(context, builder, raw, idxty.dtype, axis.extent)
        inner_loops(_offset(builder, base, [index], [axis]), idx)


def _walk_mask(context, builder, sel, base, inner_loops, counter):
    """The mask's true elements in C order, numbered by `counter` (the result's index)."""
    maskty = sel.advanced.ty
    mask = make_array(context, builder, maskty, sel.value)
    strides = layout_strides(builder, maskty, mask)
    with loop_nest(builder, shape_of(builder, mask, maskty.ndim)) as idx:
        flag = load_item(context, builder, maskty, element_pointer(builder, mask, idx, strides))
        with builder.if_then(flag):
            position = builder.load(counter)
            inner_loops(_offset(builder, base, idx, sel.axes), [position])
            builder.store(builder.add(position, const(1)), counter)


def _checked_index(context, builder, raw, dtype, extent):
    index = context.cast(builder, raw, dtype, types.intp)
    if dtype.signed:
        index = builder.select(builder.icmp_signed("<", index, const(0)),
                               builder.add(index, extent), index)
    with cgutils.if_unlikely(builder, builder.icmp_unsigned(">=", index, extent)):
        context.call_conv.return_user_exc(builder, IndexError, (
            "index out of bounds for the indexed axis",))
    return index


def _offset(builder, pointer, indices: list, dims: list):
    """`pointer` moved by sum(index * stride) over `dims`."""
    offset = const(0)
    for index, dim in zip(indices, dims):
        offset = builder.add(offset, builder.mul(index, dim.stride))
    raw = builder.gep(builder.bitcast(pointer, cgutils.voidptr_t), [offset])
    return builder.bitcast(raw, pointer.type)

