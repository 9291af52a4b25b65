"""`np.nditer(a)` and `np.nditer((a, b, ...))` over broadcast operands (Numba's subset: no
flags, no op_flags): each step yields 0-d views of the current element of every operand (one
view for a single operand, a tuple of them otherwise), in C order, or in memory order where
every operand is Fortran-ordered (NumPy's default order 'K' for those cases).

Scalar operands are copied into 0-d arrays when the iterator is made, so every operand is an
array the iterator holds a reference to: {position, broadcast shape, operands}.
"""
from __future__ import annotations

import numpy as np

from ... import types
from ...core import cgutils
from ...core.datamodel import register_model
from .._registries import AbstractTemplate, lower_builtin, register, register_global
from ..iterators import iterator_next
from .helpers import (allocate_array, broadcast_shapes, broadcast_strides, const, make_array,
                      shape_of, store_item, strides_of)
from .iter_flat import OdometerModel, new_odometer, odometer
from .model import fill_array

Scalar = (types.Number, types.Boolean)


class NumpyNdIterType(types.Type):
    """The iterator of np.nditer over `operands` (array or scalar types)."""

    def __init__(self, operands, single: bool):
        self.operands, self.single = tuple(operands), single
        self.arrays = tuple(_as_array(t) for t in self.operands)
        self.ndim = max(a.ndim for a in self.arrays)
        # NumPy's order 'K' (memory order) where every operand with axes says it is Fortran's
        self.fortran = self.ndim > 1 and all(a.layout == "F" for a in self.arrays if a.ndim)
        self.views = tuple(types.Array(a.dtype, 0, "C", a.readonly) for a in self.arrays)
        self.yield_type = self.views[0] if single else types.Tuple(list(self.views))
        self.source_type = types.Tuple([types.UniTuple(types.intp, self.ndim),
                                        types.Tuple(list(self.arrays))])
        super().__init__(f"nditer({', '.join(map(str, self.operands))})")

    @property
    def key(self):
        return (self.operands, self.single)


def _as_array(ty):
    return ty if isinstance(ty, types.Array) else types.Array(ty, 0, "C")


register_model(NumpyNdIterType)(OdometerModel)


def _operand_types(arg):
    """(operand types, single) of nditer's argument, or None where it is not supported; as in
    NumPy, one operand (even in a tuple) yields its views alone, not in a tuple."""
    operands = tuple(arg.types) if isinstance(arg, types.BaseTuple) else (arg,)
    supported = operands and all(
        isinstance(t, types.Array) and isinstance(t.dtype, Scalar) or isinstance(t, Scalar)
        for t in operands)
    return (operands, len(operands) == 1) if supported else None


class NdIter(AbstractTemplate):
    key = np.nditer

    def generic(self, args, kws):
        found = _operand_types(args[0]) if len(args) == 1 and not kws else None
        return None if found is None else types.signature(NumpyNdIterType(*found), args[0])


class IterOfNdIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], NumpyNdIterType):
            return types.signature(args[0], args[0])
        return None


register(NdIter)
register(IterOfNdIter)
register_global(np.nditer, types.Function(np.nditer))


def _operand_array(context, builder, ty, value):
    """The operand as an array (a new reference): a scalar is copied into a new 0-d array."""
    if isinstance(ty, types.Array):
        context.incref(builder, ty, value)
        return value
    ary = allocate_array(context, builder, _as_array(ty), [])
    store_item(context, builder, _as_array(ty), ary.data, value)
    return ary._getvalue()


@lower_builtin(np.nditer, types.Any)
def nditer_impl(context, builder, sig, args):
    """Broadcast the operands' shapes (ValueError as NumPy's when they do not fit)."""
    itty, argty = sig.return_type, sig.args[0]
    if isinstance(argty, types.BaseTuple):
        values = [builder.extract_value(args[0], i) for i in range(len(itty.operands))]
    else:
        values = [args[0]]
    arrays = [_operand_array(context, builder, t, v) for t, v in zip(itty.operands, values)]
    shapes = [shape_of(builder, make_array(context, builder, t, a), t.ndim)
              for t, a in zip(itty.arrays, arrays)]
    shape = broadcast_shapes(context, builder, shapes, itty.ndim)
    tuple_types = itty.source_type.types
    source = context.make_tuple(builder, itty.source_type, [
        context.make_tuple(builder, tuple_types[0], shape),
        context.make_tuple(builder, tuple_types[1], arrays)])
    return new_odometer(context, builder, itty, source)  # owns the operands' references


def _views(context, builder, itty, iterator):
    """item(source, position): the 0-d views of every operand's current element (the
    odometer runs over the axes in iteration order: reversed for Fortran operands)."""
    order = (lambda axes: axes[::-1]) if itty.fortran else (lambda axes: axes)

    def item(source, position):
        shape_tuple, arrays = (builder.extract_value(source, i) for i in range(2))
        shape = [builder.extract_value(shape_tuple, i) for i in range(itty.ndim)]
        counters, advance = odometer(builder, itty.ndim, iterator)
        indices = order(counters)
        views = [_element_view(context, builder, aryty, viewty,
                               builder.extract_value(arrays, i), indices)
                 for i, (aryty, viewty) in enumerate(zip(itty.arrays, itty.views))]
        advance(order(shape))
        return views[0] if itty.single else context.make_tuple(builder, itty.yield_type, views)
    return item


def _element_view(context, builder, aryty, viewty, value, indices):
    """A 0-d view of the element of `value` (broadcast) at `indices` (a new reference)."""
    ary = make_array(context, builder, aryty, value)
    strides = broadcast_strides(builder, shape_of(builder, ary, aryty.ndim),
                                strides_of(builder, ary, aryty.ndim), len(indices))
    offset = const(0)
    for index, stride in zip(indices, strides):
        offset = builder.add(offset, builder.mul(index, stride))
    data = builder.gep(builder.bitcast(ary.data, cgutils.voidptr_t), [offset])
    view = make_array(context, builder, viewty)
    fill_array(context, builder, view, data, [], [], viewty, meminfo=ary.meminfo,
               parent=ary.parent)
    context.incref(builder, aryty, value)
    return view._getvalue()


def _length(builder, itty):
    def length(source):
        total = const(1)
        shape_tuple = builder.extract_value(source, 0)
        for axis in range(itty.ndim):
            total = builder.mul(total, builder.extract_value(shape_tuple, axis))
        return total
    return length


@lower_builtin("iternext", NumpyNdIterType)
def nditer_iternext_impl(context, builder, sig, args):
    itty = sig.args[0]
    return iterator_next(context, builder, sig, args, length=_length(builder, itty),
                         item=_views(context, builder, itty, args[0]))


@lower_builtin(iter, NumpyNdIterType)
def nditer_iter_impl(context, builder, sig, args):
    context.incref(builder, sig.args[0], args[0])
    return args[0]
