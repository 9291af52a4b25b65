"""Tuples: indexing (static and dynamic), len, unpacking, equality, concatenation, constants."""
from __future__ import annotations

import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ..frontend.statements import unpack_sequence
from ._registries import AbstractTemplate, lower_builtin, lower_cast, lower_constant, register


class StaticGetItem(AbstractTemplate):
    """`tup[const]`: element type known statically; `UniTuple[int]`: dynamic index."""

    key = operator.getitem

    def generic(self, args, kws):
        tup, index = args
        if not isinstance(tup, types.BaseTuple):
            return None
        if isinstance(index, types.IntegerLiteral):
            i = index.literal_value
            if not -len(tup) <= i < len(tup):
                raise TypingError(f"tuple index {i} out of range for {tup}")
            return types.signature(tup.types[i], tup, index)
        if isinstance(tup, types.UniTuple) and isinstance(index, types.Integer):
            return types.signature(tup.dtype, tup, types.intp)
        return None


register(StaticGetItem)


@lower_builtin(operator.getitem, types.BaseTuple, types.IntegerLiteral)
def static_getitem_impl(context, builder, sig, args):
    tup_ty, index = sig.args
    item = builder.extract_value(args[0], index.literal_value % len(tup_ty))
    context.incref(builder, sig.return_type, item)  # implementations return new references
    return item


@lower_builtin(operator.getitem, types.UniTuple, types.Integer)
def dynamic_getitem_impl(context, builder, sig, args):
    """Negative indices wrap; an index out of range raises IndexError."""
    tup, index = args
    count = ir.Constant(index.type, len(sig.args[0]))
    index = builder.select(builder.icmp_signed("<", index, ir.Constant(index.type, 0)),
                           builder.add(index, count), index)
    out_of_range = builder.icmp_unsigned(">=", index, count)
    with cgutils.if_unlikely(builder, out_of_range):
        context.call_conv.return_user_exc(builder, IndexError, ("tuple index out of range",))
    slot = cgutils.alloca_once_value(builder, tup)
    item = builder.load(builder.gep(slot, [ir.Constant(index.type, 0), index]))
    context.incref(builder, sig.return_type, item)
    return item


class TupleLen(AbstractTemplate):
    key = len

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.BaseTuple):
            return types.signature(types.intp, args[0])
        return None


register(TupleLen)


@lower_builtin(len, types.BaseTuple)
def tuple_len_impl(context, builder, sig, args):
    return ir.Constant(ir.IntType(64), len(sig.args[0]))


class UnpackTemplate(AbstractTemplate):
    """`a, b = value`: the value must be a tuple of exactly that many items."""

    key = unpack_sequence

    def generic(self, args, kws):
        value, count = args
        if not isinstance(value, types.BaseTuple):
            raise TypingError(f"cannot unpack a value of type {value}")
        if len(value) != count.literal_value:
            raise TypingError(f"cannot unpack {value} ({len(value)} items) into "
                              f"{count.literal_value} targets")
        return types.signature(value, value, count)


register(UnpackTemplate)


@lower_builtin(unpack_sequence, types.BaseTuple, types.Integer)
def unpack_impl(context, builder, sig, args):
    context.incref(builder, sig.return_type, args[0])
    return args[0]


class TupleEquality(AbstractTemplate):
    """Elementwise ==/!= of equal-length tuples whose elements compare."""

    def generic(self, args, kws):
        a, b = args
        if not (isinstance(a, types.BaseTuple) and isinstance(b, types.BaseTuple)):
            return None
        if len(a) != len(b):
            return types.signature(types.boolean, a, b)
        for x, y in zip(a.types, b.types):
            if self.context.resolve_key(operator.eq, (x, y), {}) is None:
                return None
        return types.signature(types.boolean, a, b)


for _key in (operator.eq, operator.ne):
    register(type(f"TupleEq_{_key.__name__}", (TupleEquality,), {"key": _key}))


@lower_builtin(operator.eq, types.BaseTuple, types.BaseTuple)
def tuple_eq_impl(context, builder, sig, args):
    a_ty, b_ty = sig.args
    if len(a_ty) != len(b_ty):
        return cgutils.false_bit
    result = cgutils.true_bit
    for i, (x, y) in enumerate(zip(a_ty.types, b_ty.types)):
        item_sig = context.typing_context.resolve_key(operator.eq, (x, y), {})
        values = [context.cast(builder, builder.extract_value(v, i), t, f)
                  for v, t, f in zip(args, (x, y), item_sig.args)]
        eq = context.get_function(types.Function(operator.eq), item_sig)(builder, values)
        result = builder.and_(result, eq)
    return result


@lower_builtin(operator.ne, types.BaseTuple, types.BaseTuple)
def tuple_ne_impl(context, builder, sig, args):
    return builder.not_(tuple_eq_impl(context, builder, sig, args))


class TupleAdd(AbstractTemplate):
    key = operator.add

    def generic(self, args, kws):
        a, b = args
        if isinstance(a, types.BaseTuple) and isinstance(b, types.BaseTuple):
            return types.signature(types.tuple_of(a.types + b.types), a, b)
        return None


register(TupleAdd)


@lower_builtin(operator.add, types.BaseTuple, types.BaseTuple)
def tuple_add_impl(context, builder, sig, args):
    values = [builder.extract_value(v, i) for v, t in zip(args, sig.args) for i in range(len(t))]
    result = context.make_tuple(builder, sig.return_type, values)
    context.incref(builder, sig.return_type, result)
    return result


@lower_cast(types.BaseTuple, types.BaseTuple)
def tuple_to_tuple(context, builder, fromty, toty, val):
    items = [context.cast(builder, builder.extract_value(val, i), f, t)
             for i, (f, t) in enumerate(zip(fromty.types, toty.types))]
    return context.make_tuple(builder, toty, items)


@lower_constant(types.BaseTuple)
def tuple_constant(context, builder, ty, value):
    items = [context.get_constant_generic(builder, t, v) for t, v in zip(ty.types, value)]
    if all(isinstance(i, ir.Constant) for i in items):
        return ir.Constant(context.get_value_type(ty), items)
    return context.make_tuple(builder, ty, items)
