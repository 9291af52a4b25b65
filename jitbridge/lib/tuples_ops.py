"""More tuple operations: static slicing, `in`, index/count, tuple(), repetition by a literal
int. All are unrolled over the items, whose types are known when typing."""
from __future__ import annotations

import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ._registries import (AbstractTemplate, AttributeTemplate, bound_function, lower_builtin,
                          register, register_attr, register_global)


def _items(builder, value, ty):
    return [builder.extract_value(value, i) for i in range(len(ty))]


def _new_tuple(context, builder, ty, items):
    """A tuple owning its items (implementations return new references)."""
    result = context.make_tuple(builder, ty, items)
    context.incref(builder, ty, result)
    return result


# -- t[1:3], t * 3 ------------------------------------------------------------------------------

class TupleStaticSlice(AbstractTemplate):
    key = operator.getitem

    def generic(self, args, kws):
        tup, index = args
        if isinstance(tup, types.BaseTuple) and _is_literal_slice(index):
            picked = range(len(tup))[index.literal_value]
            return types.signature(types.tuple_of([tup.types[i] for i in picked]), tup, index)
        return None


def _is_literal_slice(ty):
    return isinstance(ty, types.SliceType) and ty.literal_value is not None


register(TupleStaticSlice)


@lower_builtin(operator.getitem, types.BaseTuple, types.SliceType)
def tuple_static_slice_impl(context, builder, sig, args):
    tup_ty, index = sig.args
    picked = range(len(tup_ty))[index.literal_value]
    items = _items(builder, args[0], tup_ty)
    return _new_tuple(context, builder, sig.return_type, [items[i] for i in picked])


class TupleRepeat(AbstractTemplate):
    """`t * 3` and `3 * t`: the count must be known when typing (it decides the type)."""

    key = operator.mul

    def generic(self, args, kws):
        tup, count = args if isinstance(args[0], types.BaseTuple) else args[::-1]
        if not isinstance(tup, types.BaseTuple):
            return None
        if not isinstance(count, types.IntegerLiteral):
            if isinstance(count, types.Integer):
                raise TypingError(f"repeating a tuple ({tup}) needs a constant count: "
                                  "the result's length is part of its type")
            return None
        result = types.tuple_of(tup.types * max(count.literal_value, 0))
        return types.signature(result, *args)


register(TupleRepeat)


@lower_builtin(operator.mul, types.BaseTuple, types.IntegerLiteral)
@lower_builtin(operator.mul, types.IntegerLiteral, types.BaseTuple)
def tuple_repeat_impl(context, builder, sig, args):
    position = 0 if isinstance(sig.args[0], types.BaseTuple) else 1
    items = _items(builder, args[position], sig.args[position])
    count = max(sig.args[1 - position].literal_value, 0)
    return _new_tuple(context, builder, sig.return_type, items * count)


# -- x in t, t.index(x), t.count(x) ------------------------------------------------------------

def _matches(context, builder, tup_ty, tup, value_ty, value):
    """[(position, i1 item == value)] for the items comparable with the value (others never
    equal it, as in Python for unrelated types)."""
    found = []
    for i, item_ty in enumerate(tup_ty.types):
        eq_sig = context.typing_context.resolve_key(operator.eq, (item_ty, value_ty), {})
        if eq_sig is None:
            continue
        pair = [context.cast(builder, v, t, f) for v, t, f in
                zip((builder.extract_value(tup, i), value), (item_ty, value_ty), eq_sig.args)]
        eq = context.get_function(types.Function(operator.eq), eq_sig)(builder, pair)
        found.append((i, context.cast(builder, eq, eq_sig.return_type, types.boolean)))
    return found


class TupleContains(AbstractTemplate):
    key = operator.contains

    def generic(self, args, kws):
        tup, value = args
        if isinstance(tup, types.BaseTuple):
            return types.signature(types.boolean, tup, types.unliteral(value))
        return None


register(TupleContains)


@lower_builtin(operator.contains, types.BaseTuple, types.Any)
def tuple_contains_impl(context, builder, sig, args):
    result = cgutils.false_bit
    for _, eq in _matches(context, builder, sig.args[0], args[0], sig.args[1], args[1]):
        result = builder.or_(result, eq)
    return result


def _index_impl(context, builder, sig, args):
    """The first position holding the value; ValueError if none does."""
    position = ir.Constant(ir.IntType(64), -1)
    matches = _matches(context, builder, sig.recvr, args[0], sig.args[0], args[1])
    for i, eq in reversed(matches):
        position = builder.select(eq, ir.Constant(ir.IntType(64), i), position)
    with cgutils.if_unlikely(builder, builder.icmp_signed("<", position, position.type(0))):
        context.call_conv.return_user_exc(builder, ValueError,
                                          ("tuple.index(x): x not in tuple",))
    return position


def _count_impl(context, builder, sig, args):
    total = ir.Constant(ir.IntType(64), 0)
    for _, eq in _matches(context, builder, sig.recvr, args[0], sig.args[0], args[1]):
        total = builder.add(total, builder.zext(eq, total.type))
    return total


@register_attr
class TupleMethods(AttributeTemplate):
    key = types.BaseTuple

    @bound_function("tuple.index")
    def resolve_index(self, tup, args, kws):
        if len(args) != 1 or kws:
            return None  # start/stop: not supported
        return types.Signature(types.intp, (types.unliteral(args[0]),), recvr=tup,
                               impl=_index_impl)

    @bound_function("tuple.count")
    def resolve_count(self, tup, args, kws):
        if len(args) != 1 or kws:
            return None
        return types.Signature(types.intp, (types.unliteral(args[0]),), recvr=tup,
                               impl=_count_impl)


# -- tuple() ------------------------------------------------------------------------------------

class TupleConstructor(AbstractTemplate):
    """`tuple()` and `tuple(t)` of a tuple; other iterables have no length known when typing."""

    key = tuple

    def generic(self, args, kws):
        if kws or len(args) > 1:
            return None
        if not args:
            return types.signature(types.Tuple(()))
        if isinstance(args[0], types.BaseTuple):
            plain = types.tuple_of(args[0].types)  # a namedtuple becomes a plain tuple
            return types.signature(plain, args[0])
        if isinstance(args[0], _SIZED_AT_RUN_TIME):
            raise TypingError(f"tuple() of {args[0]} is not supported in compiled code: a "
                              "tuple's length is part of its type, known when compiling, and "
                              "this iterable's is not (build a list, or an array, instead)")
        return None


#: iterables whose length is known only when the code runs (generator expressions included)
_SIZED_AT_RUN_TIME = (types.List, types.Set, types.DictType, types.Array, types.RangeType,
                      types.UnicodeType, types.Generator)


register(TupleConstructor)
register_global(tuple, types.Function(tuple))


@lower_builtin(tuple)
def empty_tuple_impl(context, builder, sig, args):
    return context.make_tuple(builder, sig.return_type, [])


@lower_builtin(tuple, types.BaseTuple)
def tuple_from_tuple_impl(context, builder, sig, args):
    items = _items(builder, args[0], sig.args[0])
    return _new_tuple(context, builder, sig.return_type, items)


# -- type(namedtuple) ---------------------------------------------------------------------------

class NamedTupleType(AbstractTemplate):
    """`type(p)` of a namedtuple: its class, callable to build another (`type(p)(1, 2)`); the
    lowering is type()'s own (a class is a compile-time value)."""

    key = type

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.BaseNamedTuple):
            return types.signature(types.NamedTupleClass(args[0].instance_class), args[0])
        return None


register(NamedTupleType)
