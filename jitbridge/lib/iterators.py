"""Iteration helpers: index-based iterators shared by arrays, lists and tuples ({pointer to the
position, source}), and the builtins over iterators: iter(it), next(), enumerate(), zip()."""
from __future__ import annotations

import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.datamodel import models, register_model
from ..errors import TypingError
from ..lowering.registry import VarArg
from ._registries import AbstractTemplate, lower_builtin, register, register_global

i64 = cgutils.int64_t


class IndexedIteratorModel(models.StructModel):
    """The position lives behind a pointer so every copy of the iterator advances it."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("index", types.CPointer(types.intp)),
                                        ("source", fe_type.source_type)])


def new_iterator(context, builder, sig, args):
    """iter(source): the iterator holds a reference to its source."""
    it = context.make_helper(builder, sig.return_type)
    it.index = cgutils.alloca_once_value(builder, ir.Constant(i64, 0))
    it.source = args[0]
    context.incref(builder, sig.args[0], args[0])
    return it._getvalue()


def iterator_next(context, builder, sig, args, length, item):
    """(item, valid) and advance; `length(source)` and `item(source, index)` (a new reference)
    describe the source."""
    itty = sig.args[0]
    it = context.make_helper(builder, itty, value=args[0])
    index = builder.load(it.index)
    valid = builder.icmp_signed("<", index, length(it.source))
    out = cgutils.alloca_once(builder, context.get_value_type(itty.yield_type), zfill=True)
    with builder.if_then(valid, likely=True):
        builder.store(item(it.source, index), out)
        builder.store(builder.add(index, ir.Constant(i64, 1)), it.index)
    return context.make_tuple(builder, sig.return_type, [builder.load(out), valid])


def iterator_remaining(context, builder, sig, args, length):
    """How many items `iterator_next` will still yield (the source's length is fixed)."""
    it = context.make_helper(builder, sig.args[0], value=args[0])
    return builder.sub(length(it.source), builder.load(it.index))


def iterator_next_unchecked(context, builder, sig, args, item):
    """(item, True) and advance, where the caller knows an item remains (iter_remaining)."""
    it = context.make_helper(builder, sig.args[0], value=args[0])
    index = builder.load(it.index)
    value = item(it.source, index)
    builder.store(builder.add(index, ir.Constant(i64, 1), flags=["nsw"]), it.index)
    return context.make_tuple(builder, sig.return_type, [value, cgutils.true_bit])


def iterator_facts(context, builder, sig, args):
    """While an item remains: the position is not negative (the end test of `iterator_next`
    told LLVM so), so item access needs no negative-index wraparound."""
    it = context.make_helper(builder, sig.args[0], value=args[0])
    builder.assume(builder.icmp_signed(">=", builder.load(it.index), ir.Constant(i64, 0)))
    return context.get_dummy_value()


# --- Iterators over iterators: iter(it), next(it), enumerate(), zip(), tuples -----------------
# Builtins of the core (`enumerate(range(n))` needs no lazy area). Each holds the iterators it
# draws from, so it keeps their sources alive as they do.

#: iterator type classes of other areas (named so this module need not import them)
_FOREIGN_ITERATORS = (types.RangeIteratorType, types.ListIterator, types.ArrayIterator)


class UniTupleIterator(types.Type):
    """Iterator over a tuple of one item type."""

    def __init__(self, tuple_type):
        self.tuple_type = self.source_type = tuple_type
        self.yield_type = tuple_type.dtype
        super().__init__(f"iter({tuple_type})")

    @property
    def key(self):
        return self.tuple_type


class EnumerateType(types.Type):
    """`enumerate(x)`: (count, item) pairs drawn from `iter(x)`."""

    def __init__(self, iterator_type):
        self.iterator_type = iterator_type
        self.yield_type = types.Tuple([types.intp, iterator_type.yield_type])
        super().__init__(f"enumerate({iterator_type})")

    @property
    def key(self):
        return self.iterator_type


class ZipType(types.Type):
    """`zip(x, y, ...)`: tuples of one item from each iterator, until the first runs out."""

    def __init__(self, iterator_types):
        self.iterator_types = tuple(iterator_types)
        self.yield_type = types.Tuple([t.yield_type for t in self.iterator_types])
        super().__init__(f"zip({', '.join(map(str, self.iterator_types))})")

    @property
    def key(self):
        return self.iterator_types


register_model(UniTupleIterator)(IndexedIteratorModel)


@register_model(EnumerateType)
class EnumerateModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("count", types.CPointer(types.intp)),
                                        ("iterator", fe_type.iterator_type)])


@register_model(ZipType)
class ZipModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"iterator{i}", t)
                                        for i, t in enumerate(fe_type.iterator_types)])


ITERATOR_TYPES = (*_FOREIGN_ITERATORS, UniTupleIterator, EnumerateType, ZipType)


def is_iterator(ty) -> bool:
    """Whether `ty` is an iterator (it has a `yield_type` and `iternext` lowers it)."""
    return isinstance(ty, types.Type) and hasattr(ty, "yield_type")


def resolve_iter(context, ty):
    """The iterator type `iter(ty)` gives, or None where `ty` is not iterable."""
    sig = context.resolve_function_type(types.Function(iter), (ty,), {})
    return None if sig is None else sig.return_type


def call_iter(context, builder, itty, source_ty, source):
    """iter(source) in generated code (a new reference)."""
    sig = types.signature(itty, source_ty)
    return context.get_function(types.Function(iter), sig)(builder, [source])


def call_iternext(context, builder, itty, iterator):
    """(item, valid) of the iterator; the item is a new reference where valid."""
    sig = types.signature(types.Tuple([itty.yield_type, types.boolean]), itty)
    pair = context.get_function("iternext", sig)(builder, [iterator])
    return builder.extract_value(pair, 0), builder.extract_value(pair, 1)


for _builtin in (enumerate, zip, next):
    register_global(_builtin, types.Function(_builtin))


class IterOfIterable(AbstractTemplate):
    """iter(it) of an iterator is the iterator itself; iter(tuple) of one item type."""
    key = iter

    def generic(self, args, kws):
        if len(args) != 1 or kws:
            return None
        if isinstance(args[0], ITERATOR_TYPES):
            return types.signature(args[0], args[0])
        if isinstance(args[0], types.UniTuple):
            return types.signature(UniTupleIterator(args[0]), args[0])
        if isinstance(args[0], types.Tuple):  # items of one common type (functions, numbers)
            common = self.context.unify_types(*args[0].types)
            if common is not None:
                uniform = types.UniTuple(common, len(args[0]))
                return types.signature(UniTupleIterator(uniform), args[0])
        return None


class Enumerate(AbstractTemplate):
    key = enumerate

    def generic(self, args, kws):
        if "start" in kws and len(args) == 1:  # the lowering takes it as the second argument
            args, kws = (*args, kws["start"]), {k: v for k, v in kws.items() if k != "start"}
        if kws or not 1 <= len(args) <= 2:
            return None
        args = tuple(map(types.unliteral, args))
        if len(args) == 2 and isinstance(args[1], types.Boolean):
            args = (args[0], types.intp)  # (a bool is an int, as in CPython)
        if len(args) == 2 and not isinstance(args[1], (types.Integer, types.Optional)):
            raise TypingError(f"Only integers supported as start value in enumerate, not "
                              f"{args[1]} (CPython raises TypeError: the start cannot be "
                              "interpreted as an integer)")
        itty = resolve_iter(self.context, args[0])
        if itty is None or isinstance(args[-1], types.Optional):
            return None  # (an Optional start: typed again for its value, checked when run)
        return types.signature(EnumerateType(itty), *args)


class Zip(AbstractTemplate):
    key = zip

    def generic(self, args, kws):
        if kws:
            return None
        iterators = [resolve_iter(self.context, a) for a in args]
        if any(it is None for it in iterators):
            return None
        return types.signature(ZipType(iterators), *args)


class Next(AbstractTemplate):
    key = next

    def generic(self, args, kws):
        if len(args) == 1 and not kws and is_iterator(args[0]):
            return types.signature(args[0].yield_type, args[0])
        return None


for _template in (IterOfIterable, Enumerate, Zip, Next):
    register(_template)


def _iterator_itself(context, builder, sig, args):
    context.incref(builder, sig.args[0], args[0])
    return args[0]


for _cls in ITERATOR_TYPES:
    lower_builtin(iter, _cls)(_iterator_itself)
lower_builtin(iter, types.UniTuple)(new_iterator)


@lower_builtin(iter, types.Tuple)
def iterate_converted(context, builder, sig, args):
    """A tuple of items of one common type is iterated as the uniform tuple it converts to."""
    uniform = sig.return_type.tuple_type
    value = context.cast(builder, args[0], sig.args[0], uniform)
    return new_iterator(context, builder, types.signature(sig.return_type, uniform), [value])


def _tuple_item_getter(context, builder, itty):
    sig = types.signature(itty.yield_type, itty.tuple_type, types.intp)
    getitem = context.get_function(types.Function(operator.getitem), sig)
    return lambda source, index: getitem(builder, [source, index])  # (a new reference)


@lower_builtin("iternext", UniTupleIterator)
def tuple_iternext_impl(context, builder, sig, args):
    itty = sig.args[0]
    count = ir.Constant(i64, itty.tuple_type.count)
    return iterator_next(context, builder, sig, args, length=lambda source: count,
                         item=_tuple_item_getter(context, builder, itty))


@lower_builtin(enumerate, types.Any)
@lower_builtin(enumerate, types.Any, types.Integer)
def enumerate_impl(context, builder, sig, args):
    enumty = sig.return_type
    it = context.make_helper(builder, enumty)
    it.iterator = call_iter(context, builder, enumty.iterator_type, sig.args[0], args[0])
    start = args[1] if len(args) == 2 else ir.Constant(i64, 0)
    start = context.cast(builder, start, sig.args[1], types.intp) if len(args) == 2 else start
    it.count = cgutils.alloca_once_value(builder, start)
    return it._getvalue()


@lower_builtin("iternext", EnumerateType)
def enumerate_iternext_impl(context, builder, sig, args):
    enumty = sig.args[0]
    it = context.make_helper(builder, enumty, value=args[0])
    item, valid = call_iternext(context, builder, enumty.iterator_type, it.iterator)
    count = builder.load(it.count)
    with builder.if_then(valid, likely=True):
        builder.store(builder.add(count, ir.Constant(i64, 1)), it.count)
    pair = context.make_tuple(builder, enumty.yield_type, [count, item])
    return context.make_tuple(builder, sig.return_type, [pair, valid])


@lower_builtin(zip, VarArg(types.Any))
def zip_impl(context, builder, sig, args):
    zipty = sig.return_type
    iterators = [call_iter(context, builder, itty, ty, arg)
                 for itty, ty, arg in zip(zipty.iterator_types, sig.args, args)]
    return context.make_tuple(builder, zipty, iterators)


@lower_builtin("iternext", ZipType)
def zip_iternext_impl(context, builder, sig, args):
    """Draw from each iterator in turn while all gave an item (as CPython: an exhausted one
    stops the others from advancing); on failure release the items already drawn."""
    zipty = sig.args[0]
    valid = cgutils.alloca_once_value(builder, ir.Constant(cgutils.bool_t,
                                                          bool(zipty.iterator_types)))
    items = [_draw_while_valid(context, builder, itty, builder.extract_value(args[0], i), valid)
             for i, itty in enumerate(zipty.iterator_types)]
    all_valid = builder.load(valid)
    with builder.if_then(builder.not_(all_valid), likely=False):
        for itty, (item, got) in zip(zipty.iterator_types, items):
            with builder.if_then(got):
                context.decref(builder, itty.yield_type, item)
    # the released items must not reach the caller, which owns what an iternext gives
    values = [builder.select(all_valid, item, cgutils.get_null_value(item.type))
              for item, _ in items]
    return context.make_tuple(builder, sig.return_type, [
        context.make_tuple(builder, zipty.yield_type, values), all_valid])


def _draw_while_valid(context, builder, itty, iterator, valid):
    """(item, got): the next item if `valid` still holds (then `valid` becomes its result)."""
    slot = cgutils.alloca_once(builder, context.get_value_type(itty.yield_type), zfill=True)
    got = cgutils.alloca_once_value(builder, cgutils.false_bit)
    with builder.if_then(builder.load(valid), likely=True):
        item, ok = call_iternext(context, builder, itty, iterator)
        builder.store(item, slot)
        builder.store(ok, got)
        builder.store(ok, valid)
    return builder.load(slot), builder.load(got)


@lower_builtin(next, types.Any)
def next_impl(context, builder, sig, args):
    """The next item; StopIteration when the iterator is exhausted."""
    item, valid = call_iternext(context, builder, sig.args[0], args[0])
    with cgutils.if_unlikely(builder, builder.not_(valid)):
        context.call_conv.return_user_exc(builder, StopIteration, ())
    return item
