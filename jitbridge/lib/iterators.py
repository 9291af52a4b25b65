"""Index-based iterators shared by arrays and lists: {pointer to the position, source}."""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.datamodel import models

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
