"""range(): construction, len, iteration (the counted loops of compiled code)."""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..ir.markers import prange, range_count
from ._registries import AbstractTemplate, lower_builtin, register, register_global


class RangeTemplate(AbstractTemplate):
    key = range

    def generic(self, args, kws):
        if kws or not 1 <= len(args) <= 3:
            return None
        if not all(isinstance(types.unliteral(a), (types.Integer, types.Boolean)) for a in args):
            return None
        return types.signature(types.range_state64, *([types.int64] * len(args)))


class PrangeTemplate(RangeTemplate):
    """prange() outside an outlined parallel loop (no parallel=True, a nested prange, or used
    as a value) is range()."""
    key = prange


class RangeCountTemplate(AbstractTemplate):
    key = range_count

    def generic(self, args, kws):
        if len(args) == 3 and all(isinstance(types.unliteral(a), (types.Integer, types.Boolean))
                                  for a in args):
            return types.signature(types.int64, *([types.int64] * 3))
        return None


register(RangeTemplate)
register(PrangeTemplate)
register(RangeCountTemplate)
register_global(prange, types.Function(prange))
register_global(range_count, types.Function(range_count))


@lower_builtin(range_count, types.Integer, types.Integer, types.Integer)
def range_count_impl(context, builder, sig, args):
    """len(range(start, stop, step)); step 0 raises ValueError as range() does."""
    start, stop, step = args
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, step)):
        context.call_conv.return_user_exc(builder, ValueError, ("range() arg 3 must not be zero",))
    return range_length(builder, start, stop, step)


@lower_builtin(prange, types.Integer)
@lower_builtin(prange, types.Integer, types.Integer)
@lower_builtin(prange, types.Integer, types.Integer, types.Integer)
@lower_builtin(range, types.Integer)
@lower_builtin(range, types.Integer, types.Integer)
@lower_builtin(range, types.Integer, types.Integer, types.Integer)
def range_impl(context, builder, sig, args):
    """range(stop) / range(start, stop[, step]); step 0 raises ValueError."""
    i64 = ir.IntType(64)
    start, stop, step = ir.Constant(i64, 0), None, ir.Constant(i64, 1)
    if len(args) == 1:
        stop = args[0]
    elif len(args) == 2:
        start, stop = args
    else:
        start, stop, step = args
        with cgutils.if_unlikely(builder, cgutils.is_null(builder, step)):
            context.call_conv.return_user_exc(builder, ValueError, ("range() arg 3 must not be zero",))
    return cgutils.pack_struct(builder, [start, stop, step])


def range_length(builder, start, stop, step):
    """Number of items of range(start, stop, step), step != 0."""
    zero, one = ir.Constant(start.type, 0), ir.Constant(start.type, 1)
    positive = builder.icmp_signed(">", step, zero)
    span = builder.sub(stop, start)
    adjusted = builder.add(span, builder.select(positive, builder.sub(step, one),
                                                builder.add(step, one)))
    count = builder.sdiv(adjusted, step)
    return builder.select(builder.icmp_signed(">", count, zero), count, zero)


class RangeLen(AbstractTemplate):
    key = len

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.RangeType):
            return types.signature(types.intp, args[0])
        return None


register(RangeLen)


@lower_builtin(len, types.RangeType)
def range_len_impl(context, builder, sig, args):
    return range_length(builder, *cgutils.unpack_tuple(builder, args[0], 3))


@lower_builtin(bool, types.RangeType)
def range_bool_impl(context, builder, sig, args):
    return cgutils.is_not_null(builder, range_len_impl(context, builder, sig, args))


class RangeIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.RangeType):
            return types.signature(types.RangeIteratorType(args[0].dtype), args[0])
        return None


register(RangeIter)


@lower_builtin(iter, types.RangeType)
def range_iter_impl(context, builder, sig, args):
    """The iterator: a pointer to the current value, and the range."""
    start, stop, step = cgutils.unpack_tuple(builder, args[0], 3)
    current = cgutils.alloca_once_value(builder, start, name="range.current")
    return cgutils.pack_struct(builder, [current, start, stop, step])


@lower_builtin("iternext", types.RangeIteratorType)
def range_iternext_impl(context, builder, sig, args):
    """(value, valid): valid while current hasn't passed stop in the step's direction."""
    current_ptr, _, stop, step = cgutils.unpack_tuple(builder, args[0], 4)
    value = builder.load(current_ptr)
    zero = ir.Constant(step.type, 0)
    valid = builder.select(builder.icmp_signed(">", step, zero),
                           builder.icmp_signed("<", value, stop),
                           builder.icmp_signed(">", value, stop))
    builder.store(builder.add(value, step), current_ptr)
    return context.make_tuple(builder, sig.return_type, [value, valid])


@lower_builtin("iternext_unchecked", types.RangeIteratorType)
def range_iternext_unchecked_impl(context, builder, sig, args):
    """(value, True) and advance, where the caller knows a value remains (iter_remaining). The
    step cannot overflow but past the last value, which is never read again (`nsw`)."""
    current_ptr, _, _, step = cgutils.unpack_tuple(builder, args[0], 4)
    value = builder.load(current_ptr)
    builder.store(builder.add(value, step, flags=["nsw"]), current_ptr)
    return context.make_tuple(builder, sig.return_type, [value, cgutils.true_bit])


@lower_builtin("iter_facts", types.RangeIteratorType)
def range_facts_impl(context, builder, sig, args):
    """While a value remains: tell LLVM the current value lies in the range (the end test of
    `iternext` told it), so `a[i]` in the loop needs no negative-index wraparound and stays
    vectorisable (where lowering/chunks.py places this matters: see there)."""
    current_ptr, start, stop, step = cgutils.unpack_tuple(builder, args[0], 4)
    value = builder.load(current_ptr)
    zero = ir.Constant(step.type, 0)
    up = builder.and_(builder.icmp_signed("<=", start, value), builder.icmp_signed("<", value, stop))
    down = builder.and_(builder.icmp_signed(">=", start, value),
                        builder.icmp_signed(">", value, stop))
    builder.assume(builder.select(builder.icmp_signed(">", step, zero), up, down))
    return context.get_dummy_value()


@lower_builtin("iter_chunk_facts", types.RangeIteratorType)
def range_chunk_facts_impl(context, builder, sig, args):
    """What iter_chunk_check made true for the chunk: with a step of 1 or -1, the distance from
    start (as `i - start` in the body computes it) does not wrap, so `a[i - start]` needs no
    negative-index wraparound either."""
    current_ptr, start, _, step = cgutils.unpack_tuple(builder, args[0], 4)
    value = builder.load(current_ptr)
    zero = ir.Constant(step.type, 0)
    distance = builder.select(builder.icmp_signed(">", step, zero), builder.sub(value, start),
                              builder.sub(start, value))
    builder.assume(builder.or_(builder.not_(_unit_step(builder, step)),
                               builder.icmp_signed(">=", distance, zero)))
    return context.get_dummy_value()


def _unit_step(builder, step):
    one = ir.Constant(step.type, 1)
    return builder.or_(builder.icmp_signed("==", step, one),
                       builder.icmp_signed("==", step, builder.neg(one)))


@lower_builtin("iter_chunk_check", types.RangeIteratorType, types.intp)
def range_chunk_check_impl(context, builder, sig, args):
    """Before a chunk of `count` (> 0) values of a range stepping by 1 or -1: the last of them
    lies less than 2**63 from start, which makes iter_chunk_facts true; OverflowError
    otherwise, which only a loop past 2**63 iterations (centuries) can meet."""
    current_ptr, start, stop, step = cgutils.unpack_tuple(builder, args[0], 4)
    value = builder.load(current_ptr)
    span = builder.mul(builder.sub(args[1], ir.Constant(step.type, 1)), step)  # |span| < 2**18
    last, past = cgutils.unpack_tuple(builder, builder.sadd_with_overflow(value, span), 2)
    upward = builder.icmp_signed(">", step, ir.Constant(step.type, 0))
    distance = builder.select(upward, builder.ssub_with_overflow(last, start),
                              builder.ssub_with_overflow(start, last))
    failed = builder.and_(_unit_step(builder, step),
                          builder.or_(past, builder.extract_value(distance, 1)))
    with cgutils.if_unlikely(builder, failed):
        context.call_conv.return_user_exc(builder, OverflowError, (
            "a range loop ran past 2**63 values (its distance from start no longer fits "
            "an int64)",))
    return context.get_dummy_value()


@lower_builtin("iter_remaining", types.RangeIteratorType)
def range_iter_remaining_impl(context, builder, sig, args):
    """The values still to come, in unsigned arithmetic: exact for any int64 bounds and step
    (range(-2**63, 2**63 - 1) has more than 2**63 values)."""
    current_ptr, _, stop, step = cgutils.unpack_tuple(builder, args[0], 4)
    current = builder.load(current_ptr)
    zero, one = ir.Constant(step.type, 0), ir.Constant(step.type, 1)
    upward = builder.icmp_signed(">", step, zero)
    ahead = builder.select(upward, builder.icmp_signed("<", current, stop),
                           builder.icmp_signed(">", current, stop))
    distance = builder.select(upward, builder.sub(stop, current), builder.sub(current, stop))
    stride = builder.select(upward, step, builder.sub(zero, step))
    count = builder.add(builder.udiv(builder.sub(distance, one), stride), one)
    return builder.select(ahead, count, zero)
