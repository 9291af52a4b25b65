"""Code-generation helpers shared by the array modules: allocation, strides, element access,
loop nests and broadcasting."""
from __future__ import annotations

from contextlib import contextmanager

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...runtime import nrt
from .model import as_dtype, fill_array

i64 = cgutils.int64_t


def const(value: int) -> ir.Constant:
    return ir.Constant(i64, value)


def make_array(context, builder, aryty, value=None):
    """A struct proxy over an array value (fields: meminfo, parent, nitems, data, shape...)."""
    return context.make_helper(builder, aryty, value=value)


def shape_of(builder, ary, ndim: int) -> list:
    return [builder.extract_value(ary.shape, i) for i in range(ndim)]


def strides_of(builder, ary, ndim: int) -> list:
    return [builder.extract_value(ary.strides, i) for i in range(ndim)]


def layout_strides(builder, aryty, ary) -> list:
    """Byte strides; derived from the shape for C/F layouts so LLVM sees unit inner steps."""
    if aryty.layout in ("C", "F"):
        return contiguous_strides(builder, shape_of(builder, ary, aryty.ndim),
                                  as_dtype(aryty.dtype).itemsize, aryty.layout)
    return strides_of(builder, ary, aryty.ndim)


def contiguous_strides(builder, shape: list, itemsize: int, layout: str = "C") -> list:
    """Byte strides of a freshly allocated C (or F) array."""
    strides = [None] * len(shape)
    step = const(itemsize)
    order = reversed(range(len(shape))) if layout == "C" else range(len(shape))
    for i in order:
        strides[i] = step
        step = builder.mul(step, shape[i])
    return strides


def allocate_array(context, builder, aryty, shape: list, zero: bool = False):
    """A new C/F-contiguous array of `aryty` with the given extents (a new reference)."""
    itemsize = as_dtype(aryty.dtype).itemsize
    nitems = const(1)
    for extent in shape:
        with cgutils.if_unlikely(builder, builder.icmp_signed("<", extent, const(0))):
            context.call_conv.return_user_exc(builder, ValueError, (
                "negative dimensions are not allowed",))
        nitems = builder.mul(nitems, extent)
    nbytes = builder.mul(nitems, const(itemsize))
    meminfo = nrt.allocate(builder, nbytes)
    data = nrt.meminfo_data(builder, meminfo)
    if zero:
        builder.call(builder.module.declare_intrinsic("llvm.memset", [cgutils.voidptr_t, i64]),
                     [data, ir.Constant(ir.IntType(8), 0), nbytes, cgutils.false_bit])
    ary = make_array(context, builder, aryty)
    layout = "F" if aryty.layout == "F" else "C"
    fill_array(context, builder, ary, data, shape,
               contiguous_strides(builder, shape, itemsize, layout), aryty, meminfo=meminfo,
               nitems=nitems)
    return ary


def element_pointer(builder, ary, indices: list, strides: list):
    """&data[indices] using byte strides."""
    offset = const(0)
    for index, stride in zip(indices, strides):
        offset = builder.add(offset, builder.mul(index, stride))
    base = builder.bitcast(ary.data, cgutils.voidptr_t)
    return builder.bitcast(builder.gep(base, [offset]), ary.data.type)


def load_item(context, builder, aryty, ptr):
    """The element at `ptr` (for records: a view of the element's bytes that borrows them)."""
    return context.data_model_manager.lookup(aryty.dtype).load_from_pointer(builder, ptr)


def owned_item(context, builder, aryty, ary, ptr):
    """The element at `ptr` as a value owning its references: a record view shares, and so
    keeps alive, the memory of the array `ary` it was taken from."""
    item = load_item(context, builder, aryty, ptr)
    if isinstance(aryty.dtype, types.Record):
        item = builder.insert_value(item, ary.meminfo, 0)
        context.incref(builder, aryty.dtype, item)
    return item


def store_item(context, builder, aryty, ptr, value):
    """Store an element (for records: copy the bytes of the record `value` views)."""
    context.data_model_manager.lookup(aryty.dtype).store_to_pointer(builder, value, ptr)


def wrap_index(context, builder, index, extent, boundscheck: bool):
    """Python-style negative index; IndexError when `boundscheck`."""
    index = builder.select(builder.icmp_signed("<", index, const(0)), builder.add(index, extent), index)
    if boundscheck:
        out = builder.icmp_unsigned(">=", index, extent)
        with cgutils.if_unlikely(builder, out):
            context.call_conv.return_user_exc(builder, IndexError, ("index out of bounds",))
    return index


def boundscheck_enabled(context) -> bool:
    return context.flags.boundscheck


@contextmanager
def loop_nest(builder, shape: list):
    """Nested loops over every index of `shape` (row-major); yields the index list."""
    if not shape:
        yield []
        return
    with cgutils.for_range(builder, shape[0]) as outer:
        with loop_nest(builder, shape[1:]) as inner:
            yield [outer.index, *inner]


def is_contiguous_same(builder, arrays):
    """i1: every (aryty, ary) pair is C-contiguous (by its strides)."""
    ok = cgutils.true_bit
    for aryty, ary in arrays:
        if aryty.layout == "C":
            continue
        itemsize = as_dtype(aryty.dtype).itemsize
        expected = contiguous_strides(builder, shape_of(builder, ary, aryty.ndim), itemsize)
        for got, want in zip(strides_of(builder, ary, aryty.ndim), expected):
            ok = builder.and_(ok, builder.icmp_signed("==", got, want))
    return ok


def broadcast_shapes(context, builder, shapes: list, ndim: int, error=ValueError,
                     message="operands could not be broadcast together") -> list:
    """NumPy broadcasting of several shapes (right-aligned) to `ndim` dims; `error` if not."""
    out = []
    for axis in range(ndim):
        extent = const(1)
        for shape in shapes:
            offset = ndim - len(shape)
            if axis < offset:
                continue
            dim = shape[axis - offset]
            conflict = builder.and_(builder.icmp_signed("!=", dim, const(1)),
                                    builder.and_(builder.icmp_signed("!=", extent, const(1)),
                                                 builder.icmp_signed("!=", dim, extent)))
            with cgutils.if_unlikely(builder, conflict):
                context.call_conv.return_user_exc(builder, error, (message,))
            extent = builder.select(builder.icmp_signed("==", dim, const(1)), extent, dim)
        out.append(extent)
    return out


def broadcast_strides(builder, shape: list, strides: list, ndim: int) -> list:
    """Strides to read an array of `shape` as if broadcast to `ndim` dims (0 where size 1)."""
    pad = [const(0)] * (ndim - len(shape))
    return pad + [builder.select(builder.icmp_signed("==", extent, const(1)), const(0), stride)
                  for extent, stride in zip(shape, strides)]


def array_new_ref(context, builder, aryty, value):
    """Return `value` (a borrowed array) as a new reference."""
    context.incref(builder, aryty, value)
    return value


def is_array(ty) -> bool:
    return isinstance(ty, types.Array)
