"""Advanced indexing: integer arrays and boolean masks among basic indices. The index arrays
broadcast together (a mask stands for the integer arrays of its true elements' coordinates),
and NumPy's result puts their broadcast dimensions where the indices stood (or first, see
indexing._separated), so one walk serves reading and writing: outer basic dims, then the
advanced part, then inner basic dims, each visited element handed its source pointer and its
index in the result."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from ... import types
from ...core import cgutils
from .assignment import (SCATTER_MESSAGE, broadcast_source, check_broadcastable,
                         copy_if_overlapping)
from .helpers import (allocate_array, broadcast_shapes, broadcast_strides, const,
                      element_pointer, layout_strides, load_item, loop_nest, make_array,
                      shape_of, store_item, strides_of)

INTP_VECTOR = types.Array(types.intp, 1, "C")


def gather(context, builder, aryty, sel, result_ty):
    """A new array of the selected elements (a[idx], a[mask], a[:, idx, idx2]...)."""
    with _advanced_part(context, builder, sel) as part:
        out = allocate_array(context, builder, result_ty, _result_shape(sel, part.shape))
        out_strides = strides_of(builder, out, result_ty.ndim)

        def visit(source, index):
            value = load_item(context, builder, aryty, source)
            store_item(context, builder, result_ty,
                       element_pointer(builder, out, index, out_strides), value)
        _walk(context, builder, sel, part, visit)
    return out._getvalue()


def scatter(context, builder, target, sel, value_ty, value, temporary=False):
    """a[idx] = value, a[mask] = value: a scalar fills every selected element, an array is
    broadcast to the selection's shape (the last write wins for repeated indices); a
    `temporary` value is released on the error path (the caller releases it otherwise)."""
    aryty, _ = target
    with _advanced_part(context, builder, sel, counted=isinstance(value_ty, types.Array)) as part:
        if not isinstance(value_ty, types.Array):
            scalar = context.cast(builder, value, value_ty, aryty.dtype)
            _walk(context, builder, sel, part,
                  lambda dest, _: store_item(context, builder, aryty, dest, scalar))
            return
        shape = _result_shape(sel, part.shape)
        check_broadcastable(context, builder, shape, value_ty, value, SCATTER_MESSAGE,
                            temporary)
        value = copy_if_overlapping(context, builder, target, value_ty, value)
        src, src_strides = broadcast_source(context, builder, shape, value_ty, value)

        def visit(dest, index):
            item = load_item(context, builder, value_ty,
                             element_pointer(builder, src, index, src_strides))
            store_item(context, builder, aryty, dest,
                       context.cast(builder, item, value_ty.dtype, aryty.dtype))
        _walk(context, builder, sel, part, visit)
        context.decref(builder, value_ty, value)


def _result_shape(sel, middle: list) -> list:
    extents = [d.extent for d in sel.dims]
    return extents[:sel.at] + middle + extents[sel.at:]


@dataclass
class _MaskPart:
    """A lone boolean mask: walked in place, its true elements numbered as they come (its
    shape, [count], is computed only when a result or a broadcast value needs it)."""

    mask: object
    shape: list | None


@dataclass
class _IndexPart:
    """Integer index arrays (array proxy, type, axis) and their broadcast shape."""

    arrays: list
    shape: list


@contextmanager
def _advanced_part(context, builder, sel, counted=True):
    """The advanced indices in walkable form; masks among other indices become temporary
    coordinate arrays, released when the walk is done."""
    if len(sel.advanced) == 1 and _is_mask(sel.advanced[0]):
        mask = sel.advanced[0]
        _check_mask_shape(context, builder, mask)
        yield _MaskPart(mask, [_mask_count(context, builder, mask)] if counted else None)
        return
    arrays, temporaries = [], []
    for adv in sel.advanced:
        if _is_mask(adv):
            coordinates = _mask_coordinates(context, builder, adv)
            temporaries += coordinates
            arrays += [(c, INTP_VECTOR, axis) for c, axis in zip(coordinates, adv.axes)]
        else:
            arrays.append((make_array(context, builder, adv.ty, adv.value), adv.ty, adv.axes[0]))
    yield _IndexPart(arrays, _broadcast_indices(context, builder, arrays))
    for proxy in temporaries:
        context.decref(builder, INTP_VECTOR, proxy._getvalue())


def _is_mask(adv) -> bool:
    return isinstance(adv.ty.dtype, types.Boolean)


def _broadcast_indices(context, builder, arrays) -> list:
    shapes = [shape_of(builder, proxy, ty.ndim) for proxy, ty, _ in arrays]
    ndim = max(ty.ndim for _, ty, _ in arrays)
    return broadcast_shapes(context, builder, shapes, ndim, IndexError,
                            "shape mismatch: indexing arrays could not be broadcast together")


def _check_mask_shape(context, builder, adv):
    """IndexError unless the mask covers exactly the axes it indexes."""
    mask = make_array(context, builder, adv.ty, adv.value)
    for extent, axis in zip(shape_of(builder, mask, adv.ty.ndim), adv.axes):
        with cgutils.if_unlikely(builder, builder.icmp_signed("!=", extent, axis.extent)):
            context.call_conv.return_user_exc(builder, IndexError, (
                "boolean index did not match the shape of the indexed array",))


def _mask_count(context, builder, adv):
    """How many elements the mask selects."""
    count = cgutils.alloca_once_value(builder, const(0))
    with _each_true(context, builder, adv):
        builder.store(builder.add(builder.load(count), const(1)), count)
    return builder.load(count)


@contextmanager
def _each_true(context, builder, adv):
    """Runs the body for each true element of the mask (C order); yields its coordinates."""
    mask = make_array(context, builder, adv.ty, adv.value)
    strides = layout_strides(builder, adv.ty, mask)
    with loop_nest(builder, shape_of(builder, mask, adv.ty.ndim)) as idx:
        flag = load_item(context, builder, adv.ty, element_pointer(builder, mask, idx, strides))
        with builder.if_then(flag):
            yield idx


def _mask_coordinates(context, builder, adv) -> list:
    """One intp array per mask axis: the coordinates of its true elements (np.nonzero)."""
    _check_mask_shape(context, builder, adv)
    count = _mask_count(context, builder, adv)
    arrays = [allocate_array(context, builder, INTP_VECTOR, [count]) for _ in adv.axes]
    position = cgutils.alloca_once_value(builder, const(0))
    with _each_true(context, builder, adv) as idx:
        at = builder.load(position)
        for array, coordinate in zip(arrays, idx):
            builder.store(coordinate, element_pointer(builder, array, [at], [const(8)]))
        builder.store(builder.add(at, const(1)), position)
    return arrays


def _walk(context, builder, sel, part, visit):
    before, after = sel.dims[:sel.at], sel.dims[sel.at:]
    counter = cgutils.alloca_once(builder, cgutils.int64_t)
    with loop_nest(builder, [d.extent for d in before]) as outer:
        base = _offset(builder, sel.data, outer, before)

        def inner_loops(start, middle):
            with loop_nest(builder, [d.extent for d in after]) as inner:
                visit(_offset(builder, start, inner, after), outer + middle + inner)
        if isinstance(part, _MaskPart):
            builder.store(const(0), counter)
            _walk_mask(context, builder, part.mask, base, inner_loops, counter)
        else:
            _walk_indices(context, builder, part, base, inner_loops)


def _walk_indices(context, builder, part, base, inner_loops):
    """Each element of the broadcast index arrays, checked against its axis (IndexError)."""
    ndim = len(part.shape)
    readers = [(proxy, ty, axis, broadcast_strides(builder, shape_of(builder, proxy, ty.ndim),
                                                   strides_of(builder, proxy, ty.ndim), ndim))
               for proxy, ty, axis in part.arrays]
    with loop_nest(builder, part.shape) as idx:
        start = base
        for proxy, ty, axis, strides in readers:
            raw = load_item(context, builder, ty, element_pointer(builder, proxy, idx, strides))
            index = _checked_index(context, builder, raw, ty.dtype, axis.extent)
            start = _offset(builder, start, [index], [axis])
        inner_loops(start, idx)


def _walk_mask(context, builder, adv, base, inner_loops, counter):
    """The mask's true elements in C order, numbered by `counter` (the result's index)."""
    with _each_true(context, builder, adv) as idx:
        position = builder.load(counter)
        inner_loops(_offset(builder, base, idx, adv.axes), [position])
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
