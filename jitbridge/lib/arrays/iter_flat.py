"""Iteration in C order over every element or index: `a.flat` (also indexed and assigned),
`np.ndenumerate(a)` and `np.ndindex(shape)`.

Each is an index-based iterator (as `for x in a`) that also keeps its N-D position in C order,
whatever the array's layout, advanced as an odometer (no division per step); `a.flat[i]`
unravels `i` instead.
"""
from __future__ import annotations

import operator

import numpy as np
from llvmlite import ir
from ... import types
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...extending import intrinsic, overload, register_jitable
from ...lowering.registry import VarArg
from .._registries import (AbstractTemplate, AttributeTemplate, lower_builtin, lower_getattr,
                           register, register_attr, register_global)
from ..iterators import (iterator_facts, iterator_next, iterator_next_unchecked,
                         iterator_remaining)
from .helpers import const, make_array, owned_item, shape_of, store_item, strides_of
from .model import as_dtype


class NumpyFlatType(types.Type):
    """`a.flat`: the elements of `a` in C order."""

    def __init__(self, array_type):
        self.array_type = self.source_type = array_type
        self.dtype = self.yield_type = array_type.dtype
        self.ndim = array_type.ndim
        super().__init__(f"array.flat({array_type})")

    @property
    def key(self):
        return self.array_type


class NumpyNdEnumerateType(types.Type):
    """`np.ndenumerate(a)`: (index tuple, element) pairs in C order."""

    def __init__(self, array_type):
        self.array_type = self.source_type = array_type
        self.ndim = array_type.ndim
        index = types.Tuple([types.intp] * array_type.ndim)
        self.yield_type = types.Tuple([index, array_type.dtype])
        super().__init__(f"ndenumerate({array_type})")

    @property
    def key(self):
        return self.array_type


class NumpyNdIndexType(types.Type):
    """`np.ndindex(shape)`: every index tuple of `shape` in C order."""

    def __init__(self, ndim: int):
        self.ndim = ndim
        self.source_type = self.yield_type = types.Tuple([types.intp] * ndim)
        super().__init__(f"ndindex({ndim}d)")

    @property
    def key(self):
        return self.ndim


class OdometerModel(models.StructModel):
    """{linear position, N-D position (C order), source}: positions behind pointers, so every
    copy of the iterator advances them."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("index", types.CPointer(types.intp)),
                                        ("counters", types.CPointer(types.intp)),
                                        ("source", fe_type.source_type)])


_ITERATORS = (NumpyFlatType, NumpyNdEnumerateType, NumpyNdIndexType)
for _cls in _ITERATORS:
    register_model(_cls)(OdometerModel)


# -- typing ------------------------------------------------------------------------------------

@register_attr
class ArrayFlatAttribute(AttributeTemplate):
    key = types.Array

    def resolve_flat(self, ty):
        return NumpyFlatType(ty)


class IterOfNdIterator(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], _ITERATORS):
            return types.signature(args[0], args[0])
        return None


class FlatLen(AbstractTemplate):
    key = len

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], NumpyFlatType):
            return types.signature(types.intp, args[0])
        return None


class FlatGetItem(AbstractTemplate):
    key = operator.getitem

    def generic(self, args, kws):
        if len(args) == 2 and isinstance(args[0], NumpyFlatType) and _is_int(args[1]):
            return types.signature(args[0].dtype, args[0], types.intp)
        return None


class FlatSetItem(AbstractTemplate):
    key = operator.setitem

    def generic(self, args, kws):
        if len(args) == 3 and isinstance(args[0], NumpyFlatType) and _is_int(args[1]) \
                and not args[0].array_type.readonly:
            return types.signature(types.none, args[0], types.intp, args[0].dtype)
        return None


class NdEnumerate(AbstractTemplate):
    key = np.ndenumerate

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.Array):
            return types.signature(NumpyNdEnumerateType(args[0]), args[0])
        return None


class NdIndex(AbstractTemplate):
    key = np.ndindex

    def generic(self, args, kws):
        if kws:
            return None
        extents = args
        if len(args) == 1 and isinstance(args[0], types.BaseTuple):
            extents = args[0].types
        if not all(_is_int(e) for e in extents):
            return None
        return types.signature(NumpyNdIndexType(len(extents)), *map(types.unliteral, args))


def _is_int(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Integer, types.Boolean))


for _template in (IterOfNdIterator, FlatLen, FlatGetItem, FlatSetItem, NdEnumerate, NdIndex):
    register(_template)
for _func in (np.ndenumerate, np.ndindex):
    register_global(_func, types.Function(_func))


# -- lowering ----------------------------------------------------------------------------------

def unravel(builder, position, shape: list) -> list:
    """The C-order indices of a linear position inside `shape` (which holds it)."""
    indices = []
    for extent in reversed(shape):
        indices.append(builder.urem(position, extent))
        position = builder.udiv(position, extent)
    return indices[::-1]


def _element_pointer(builder, aryty, ary, position):
    """&element at a C-order linear position (no unravelling for a C-contiguous array)."""
    if aryty.layout == "C":
        offset = builder.mul(position, const(as_dtype(aryty.dtype).itemsize))
        base = builder.bitcast(ary.data, cgutils.voidptr_t)
        return builder.bitcast(builder.gep(base, [offset]), ary.data.type)
    indices = unravel(builder, position, shape_of(builder, ary, aryty.ndim))
    return _strided_pointer(builder, ary, indices, strides_of(builder, ary, aryty.ndim))


def _array_length(context, builder, aryty):
    return lambda source: make_array(context, builder, aryty, source).nitems


def odometer(builder, ndim: int, iterator):
    """The loads of an OdometerModel iterator's N-D position, and a function advancing it in
    C order over a shape (no division per step)."""
    base = builder.extract_value(iterator, 1)
    slots = [builder.gep(base, [const(axis)]) for axis in range(ndim)]
    indices = [builder.load(slot) for slot in slots]

    def advance(shape):
        """The last index moves; only when it wraps does the next one (a rare branch)."""
        done = builder.append_basic_block("odometer.done")
        for slot, index, extent in reversed(list(zip(slots, indices, shape))):
            moved = builder.add(index, const(1))
            with builder.if_then(builder.icmp_signed("<", moved, extent), likely=True):
                builder.store(moved, slot)
                builder.branch(done)
            builder.store(const(0), slot)
        builder.branch(done)
        builder.position_at_end(done)
    return indices, advance


def _strided_pointer(builder, ary, indices: list, strides: list):
    offset = const(0)
    for index, stride in zip(indices, strides):
        offset = builder.add(offset, builder.mul(index, stride))
    base = builder.bitcast(ary.data, cgutils.voidptr_t)
    return builder.bitcast(builder.gep(base, [offset]), ary.data.type)


def _array_item(context, builder, itty, iterator):
    """item(source, position): the element (flat) or (index, element) pair (ndenumerate)."""
    aryty = itty.array_type

    flat = isinstance(itty, NumpyFlatType)

    def item(source, position):
        ary = make_array(context, builder, aryty, source)
        if flat and aryty.layout == "C":  # the linear position is enough
            return owned_item(context, builder, aryty, ary,
                              _element_pointer(builder, aryty, ary, position))
        indices, advance = odometer(builder, itty.ndim, iterator)
        ptr = _strided_pointer(builder, ary, indices, strides_of(builder, ary, aryty.ndim))
        advance(shape_of(builder, ary, aryty.ndim))
        element = owned_item(context, builder, aryty, ary, ptr)
        if flat:
            return element
        index = context.make_tuple(builder, itty.yield_type.types[0], indices)
        return context.make_tuple(builder, itty.yield_type, [index, element])
    return item


def _ndindex_length(builder, itty):
    def length(source):
        total = const(1)
        for axis in range(itty.ndim):
            total = builder.mul(total, builder.extract_value(source, axis))
        return total
    return length


def _ndindex_item(context, builder, itty, iterator):
    def item(source, position):
        indices, advance = odometer(builder, itty.ndim, iterator)
        advance([builder.extract_value(source, axis) for axis in range(itty.ndim)])
        return context.make_tuple(builder, itty.yield_type, indices)
    return item


def _describe(context, builder, itty, iterator):
    """(length, item) functions of the iterator's source."""
    if isinstance(itty, NumpyNdIndexType):
        return _ndindex_length(builder, itty), _ndindex_item(context, builder, itty, iterator)
    return (_array_length(context, builder, itty.array_type),
            _array_item(context, builder, itty, iterator))


def _iternext_impl(context, builder, sig, args):
    length, item = _describe(context, builder, sig.args[0], args[0])
    return iterator_next(context, builder, sig, args, length=length, item=item)


def _iternext_unchecked_impl(context, builder, sig, args):
    _, item = _describe(context, builder, sig.args[0], args[0])
    return iterator_next_unchecked(context, builder, sig, args, item=item)


def _iter_remaining_impl(context, builder, sig, args):
    length, _ = _describe(context, builder, sig.args[0], args[0])
    return iterator_remaining(context, builder, sig, args, length=length)


def _iterator_itself(context, builder, sig, args):
    context.incref(builder, sig.args[0], args[0])
    return args[0]


for _cls in _ITERATORS:
    lower_builtin("iternext", _cls)(_iternext_impl)
    lower_builtin("iternext_unchecked", _cls)(_iternext_unchecked_impl)
    lower_builtin("iter_remaining", _cls)(_iter_remaining_impl)
    lower_builtin("iter_facts", _cls)(iterator_facts)
    lower_builtin(iter, _cls)(_iterator_itself)


def new_odometer(context, builder, itty, source):
    """A fresh OdometerModel iterator at position 0 over `source` (whose references it takes
    over)."""
    it = context.make_helper(builder, itty)
    it.index = cgutils.alloca_once_value(builder, const(0))
    counters = cgutils.alloca_once(builder, ir.ArrayType(cgutils.int64_t, itty.ndim),
                                   zfill=True)
    it.counters = builder.gep(counters, [ir.Constant(ir.IntType(32), 0)] * 2)
    it.source = source
    return it._getvalue()


def _new_over(context, builder, itty, source_ty, source):
    """A fresh iterator over `source`, a borrowed value it takes a reference to."""
    context.incref(builder, source_ty, source)
    return new_odometer(context, builder, itty, source)


@lower_getattr(types.Array, "flat")
def array_flat_impl(context, builder, ty, value, attr):
    return _new_over(context, builder, NumpyFlatType(ty), ty, value)


@lower_builtin(np.ndenumerate, types.Array)
def ndenumerate_impl(context, builder, sig, args):
    return _new_over(context, builder, sig.return_type, sig.args[0], args[0])


@lower_builtin(np.ndindex, VarArg(types.Any))
def ndindex_impl(context, builder, sig, args):
    """The shape, as intp extents; ValueError for a negative one (as NumPy)."""
    if len(sig.args) == 1 and isinstance(sig.args[0], types.BaseTuple):
        extents = [(builder.extract_value(args[0], i), t) for i, t in enumerate(sig.args[0])]
    else:
        extents = list(zip(args, sig.args))
    shape = [context.cast(builder, value, ty, types.intp) for value, ty in extents]
    for extent in shape:
        with cgutils.if_unlikely(builder, builder.icmp_signed("<", extent, const(0))):
            context.call_conv.return_user_exc(builder, ValueError, (
                "negative dimensions are not allowed",))
    itty = sig.return_type
    source = context.make_tuple(builder, itty.source_type, shape)
    return _new_over(context, builder, itty, itty.source_type, source)


@lower_builtin(len, NumpyFlatType)
def flat_len_impl(context, builder, sig, args):
    it = context.make_helper(builder, sig.args[0], value=args[0])
    return make_array(context, builder, sig.args[0].array_type, it.source).nitems


def _flat_pointer(context, builder, flatty, flat, index):
    """&a.flat[index]: negative indices count from the end; IndexError outside (as NumPy)."""
    aryty = flatty.array_type
    ary = make_array(context, builder, aryty, context.make_helper(builder, flatty, flat).source)
    index = builder.select(builder.icmp_signed("<", index, const(0)),
                           builder.add(index, ary.nitems), index)
    with cgutils.if_unlikely(builder, builder.icmp_unsigned(">=", index, ary.nitems)):
        context.call_conv.return_user_exc(builder, IndexError, (
            "index out of bounds for the size of the array (a.flat)",))
    return ary, _element_pointer(builder, aryty, ary, index)


@lower_builtin(operator.getitem, NumpyFlatType, types.Integer)
def flat_getitem_impl(context, builder, sig, args):
    flatty = sig.args[0]
    ary, ptr = _flat_pointer(context, builder, flatty, args[0], args[1])
    return owned_item(context, builder, flatty.array_type, ary, ptr)


@lower_builtin(operator.setitem, NumpyFlatType, types.Integer, types.Any)
def flat_setitem_impl(context, builder, sig, args):
    flatty = sig.args[0]
    _, ptr = _flat_pointer(context, builder, flatty, args[0], args[1])
    store_item(context, builder, flatty.array_type, ptr, args[2])
    return context.get_dummy_value()



# -- a.flat[slice], a.flat[...], a.flat[index array or list]: positions in C order --------------

def _flat_selector(index):
    """Whether `index` selects several a.flat positions (NumPy: slices, `...`, integer arrays
    and lists, 1-d boolean masks)."""
    if isinstance(index, (types.SliceType, types.EllipsisType)):
        return True
    if isinstance(index, types.List):
        return isinstance(index.dtype, types.Integer)  # (NumPy refuses lists of booleans)
    return isinstance(index, types.Array) and index.ndim and (
        isinstance(index.dtype, types.Integer) or
        (isinstance(index.dtype, types.Boolean) and index.ndim == 1))


@intrinsic
def _flat_base(typingctx, flat):
    """The array a.flat walks (a new reference)."""
    if not isinstance(flat, NumpyFlatType):
        return None

    def codegen(context, builder, sig, args):
        source = context.make_helper(builder, sig.args[0], args[0]).source
        context.incref(builder, sig.return_type, source)
        return source
    return flat.array_type(flat), codegen


def _positions_function(index):
    """positions(size, index): the C-order positions `index` selects (IndexError outside)."""
    if isinstance(index, types.EllipsisType):
        return _every_position
    return _selected_positions


@register_jitable
def _every_position(size, index):
    return np.arange(size)


@register_jitable
def _selected_positions(size, index):
    return np.arange(size)[index]


@overload(operator.getitem)
def flat_getitem_many(flat, index):
    if not isinstance(flat, NumpyFlatType) or not _flat_selector(index):
        return None
    positions_of = _positions_function(index)

    def impl(flat, index):
        base = _flat_base(flat)
        positions = positions_of(base.size, index)
        out = np.empty(positions.shape, base.dtype)
        chosen, values = positions.ravel(), out.reshape(-1)
        for k in range(chosen.size):
            values[k] = flat[chosen[k]]
        return out
    return impl


@overload(operator.setitem)
def flat_setitem_many(flat, index, value):
    """NumPy repeats the values (flattened) over the selected positions."""
    if not isinstance(flat, NumpyFlatType) or not _flat_selector(index) or \
            flat.array_type.readonly:
        return None
    positions_of = _positions_function(index)

    def impl(flat, index, value):
        base = _flat_base(flat)
        chosen = positions_of(base.size, index).ravel()
        values = np.asarray(value).ravel()
        if values.size:
            for k in range(chosen.size):
                flat[chosen[k]] = values[k % values.size]
    return impl
