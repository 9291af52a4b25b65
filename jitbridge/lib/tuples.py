"""Tuples: indexing (static and dynamic), len, unpacking, equality, concatenation, constants."""
from __future__ import annotations

import inspect
import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.pythonapi import PythonAPI
from ..errors import TypingError
from ..ir.markers import unpack_sequence
from ..typing.binder import fold_arguments
from ..lowering.registry import VarArg
from ..runtime.boxing import (NativeValue, box, box_tuple, call_class, check_exact,
                              check_tuple_items, is_exact_instance, type_error_unless, unbox)
from ._registries import (AbstractTemplate, AttributeTemplate, lower_builtin, lower_cast,
                          lower_constant, lower_getattr_generic, register, register_attr)


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
@lower_builtin(operator.getitem, types.UniTuple, types.IntegerLiteral)  # (before the dynamic one)
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
    """`a, b = value`: a tuple of exactly that many items, or an array, whose items (along
    its first axis) are all read into a tuple before any target is assigned, as Python's
    iteration does (`a[0], a[1] = a` swaps)."""

    key = unpack_sequence

    def generic(self, args, kws):
        value, count = args
        if isinstance(value, types.Array) and value.ndim >= 1:
            item = self.context.resolve_key(operator.getitem, (value, types.intp), {})
            return types.signature(types.UniTuple(item.return_type, count.literal_value),
                                   value, count)
        if isinstance(value, types.Optional):
            return None  # typing retries with the value itself (checked for None when run)
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


@lower_builtin(unpack_sequence, types.Array, types.Integer)
def unpack_array_impl(context, builder, sig, args):
    """A length other than the number of targets raises Python's ValueError (Numba's has no
    message)."""
    array_ty, array = sig.args[0], args[0]
    tup_ty = sig.return_type
    length_sig = context.typing_context.resolve_key(len, (array_ty,), {})
    length = context.get_function(types.Function(len), length_sig)(builder, [array])
    _check_unpack_length(context, builder, length, len(tup_ty))
    item_sig = context.typing_context.resolve_key(operator.getitem, (array_ty, types.intp), {})
    getitem = context.get_function(types.Function(operator.getitem), item_sig)
    items = [getitem(builder, [array, ir.Constant(ir.IntType(64), i)]) for i in range(len(tup_ty))]
    return context.make_tuple(builder, tup_ty, items)


def _check_unpack_length(context, builder, length, expected: int) -> None:
    expected_value = ir.Constant(length.type, expected)
    with cgutils.if_unlikely(builder, builder.icmp_signed("!=", length, expected_value)):
        api = PythonAPI(context, builder)
        with builder.if_else(builder.icmp_signed(">", length, expected_value)) as (many, few):
            with many:
                api.raise_formatted("PyExc_ValueError",
                                    f"too many values to unpack (expected {expected})")
            with few:
                api.raise_formatted("PyExc_ValueError",
                                    f"not enough values to unpack (expected {expected}, got %zd)",
                                    length)
        builder.unreachable()


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


class TupleOrdering(AbstractTemplate):
    """`<`, `<=`, `>`, `>=`: lexicographic, as Python (the first unequal items decide, else
    the lengths)."""

    def generic(self, args, kws):
        a, b = args
        if not (isinstance(a, types.BaseTuple) and isinstance(b, types.BaseTuple)):
            return None
        for x, y in zip(a.types, b.types):
            for key in (operator.eq, self.key):
                if self.context.resolve_key(key, (x, y), {}) is None:
                    return None
        return types.signature(types.boolean, a, b)


_ORDERINGS = (operator.lt, operator.le, operator.gt, operator.ge)
for _key in _ORDERINGS:
    register(type(f"TupleOrder_{_key.__name__}", (TupleOrdering,), {"key": _key}))


def _item_op(context, builder, key, types_, values):
    """i1: `key(x, y)` on two items, converted as the operator's signature wants."""
    item_sig = context.typing_context.resolve_key(key, types_, {})
    args = [context.cast(builder, v, t, f) for v, t, f in zip(values, types_, item_sig.args)]
    return context.get_function(types.Function(key), item_sig)(builder, args)


def tuple_order_impl(context, builder, sig, args, key):
    a_ty, b_ty = sig.args
    result = cgutils.alloca_once_value(builder, ir.Constant(ir.IntType(1),
                                                            int(key(len(a_ty), len(b_ty)))))
    done = builder.append_basic_block("tuple.order.done")
    for i, pair in enumerate(zip(a_ty.types, b_ty.types)):
        items = [builder.extract_value(v, i) for v in args]
        equal = _item_op(context, builder, operator.eq, pair, items)
        with builder.if_then(builder.not_(equal)):
            builder.store(_item_op(context, builder, key, pair, items), result)
            builder.branch(done)
    builder.branch(done)
    builder.position_at_end(done)
    return builder.load(result)


def _ordering_impl(key):
    def impl(context, builder, sig, args):
        return tuple_order_impl(context, builder, sig, args, key)
    return impl


for _key in _ORDERINGS:
    lower_builtin(_key, types.BaseTuple, types.BaseTuple)(_ordering_impl(_key))


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


# -- namedtuples: fields by name, construction, boxing to the class ----------------------------
@register_attr
class NamedTupleAttributes(AttributeTemplate):
    key = types.BaseNamedTuple

    def generic_resolve(self, ty, attr):
        if attr in ty.fields:
            return ty.types[ty.fields.index(attr)]
        return None


@lower_getattr_generic(types.BaseNamedTuple)
def namedtuple_getattr_impl(context, builder, ty, value, attr):
    item = builder.extract_value(value, ty.fields.index(attr))
    context.incref(builder, ty.types[ty.fields.index(attr)], item)
    return item


class NamedTupleConstruct(AbstractTemplate):
    """`Point(x, y)`, `Point(y=2, x=1)`: the values folded into field order (the signature's
    `order` tells the lowering which value goes where)."""

    key = types.NamedTupleClass

    def generic(self, args, kws):
        cls_ty, *values = args
        cls = cls_ty.instance_class
        fields = inspect.Signature([inspect.Parameter(f, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                                    for f in cls._fields])
        folded, order = fold_arguments(fields, tuple(values), dict(kws), cls.__qualname__)
        items = [types.unliteral(t) for t in folded]
        return types.Signature(types.named_tuple_of(items, cls), (cls_ty, *items), order=order)


register(NamedTupleConstruct)


@lower_builtin(types.NamedTupleClass, types.NamedTupleClass, VarArg(types.Any))
def namedtuple_construct_impl(context, builder, sig, args):
    result = context.make_tuple(builder, sig.return_type, args[1:])
    context.incref(builder, sig.return_type, result)  # the tuple owns its items
    return result


@box(types.BaseNamedTuple)
def box_namedtuple(typ, val, c):
    """`cls(*items)`, through a plain tuple of the boxed items."""
    return call_class(c, typ, "namedtuple", box_tuple(typ, val, c), c.pyapi.call)



@unbox(types.BaseNamedTuple)
def unbox_namedtuple(typ, obj, c):
    """Exactly the class, then its items as a plain tuple's (which they share)."""
    b = c.builder
    ok = is_exact_instance(c, obj, typ, "namedtuple")
    plain_type = types.tuple_of(typ.types)
    out = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    message = f"expected a {typ.instance_class.__qualname__} for {typ}"
    failed = cgutils.alloca_once_value(b, type_error_unless(c, ok, message))
    with b.if_then(ok):
        plain = c.pyapi.call_function_objargs(c.pyapi.get_type_object("PyTuple_Type"), [obj])
        b.store(cgutils.is_null(b, plain), failed)  # MemoryError: set by tuple()
        with b.if_then(cgutils.is_not_null(b, plain)):
            native = c.unbox(plain_type, plain)  # `obj` keeps the shared items alive
            c.pyapi.decref(plain)
            b.store(native.value, out)
            b.store(native.is_error, failed)
    return NativeValue(b.load(out), is_error=b.load(failed))


@check_exact(types.BaseNamedTuple)
def check_namedtuple(typ, obj, c):
    """The exact class, the right size (`tuple.__new__(cls, items)` can give any size), and
    each item passes its own exact check."""
    return check_tuple_items(typ, obj, c, is_exact_instance(c, obj, typ, "namedtuple"))

from . import tuples_ops  # noqa: E402,F401  (slicing, in, index/count, tuple(), repetition)
