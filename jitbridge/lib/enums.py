"""Enum and IntEnum members: as arguments, frozen globals (`Color.red`, `Color['red']`),
compared (`==`, `!=`, `is`, `is not`), `.value`, and returned as the member itself.

A member is represented by its `.value` (all members of a class share one value type), so two
members of one class are the same object exactly when their values are equal (Enum aliases).
IntEnum members also convert to integers (`x + Shape.circle`, `int16(Shape.circle)`).
"""
from __future__ import annotations

import operator

from .. import types
from ..core import cgutils
from ..core.datamodel.manager import register_model
from ..errors import TypingError
from ..extending import intrinsic, overload, overload_attribute
from ..runtime.boxing import (NativeValue, box, call_class, check_exact, is_exact_instance,
                              type_error_unless, unbox)
from ._registries import (AbstractTemplate, AttributeTemplate, lower_builtin, lower_cast,
                          lower_constant, lower_getattr, lower_getattr_generic, register,
                          register_attr)


@register_model(types.EnumMember)
def enum_member_model(dmm, fe_type):
    """A member is stored as its value."""
    return dmm.lookup(fe_type.dtype)


# -- the class as a namespace: Color.red, Color['red'] ----------------------------------------
def _member_named(class_type, name: str):
    member = class_type.instance_class.__members__.get(name)
    if member is None:
        raise TypingError(f"{class_type.instance_class.__qualname__} has no member {name!r}")
    return member


@register_attr
class EnumClassAttributes(AttributeTemplate):
    key = types.EnumClass

    def generic_resolve(self, ty, attr):
        _member_named(ty, attr)
        return ty.member


@lower_getattr_generic(types.EnumClass)
def enum_class_getattr_impl(context, builder, ty, value, attr):
    member = _member_named(ty, attr)
    return context.get_constant_generic(builder, ty.dtype, member.value)


class EnumClassGetItem(AbstractTemplate):
    key = operator.getitem

    def generic(self, args, kws):
        cls, name = args
        if isinstance(cls, types.EnumClass) and isinstance(name, types.StringLiteral):
            _member_named(cls, name.literal_value)
            return types.signature(cls.member, cls, name)
        return None


register(EnumClassGetItem)


@lower_builtin(operator.getitem, types.EnumClass, types.StringLiteral)
def enum_class_getitem_impl(context, builder, sig, args):
    cls, name = sig.args
    return context.get_constant_generic(builder, cls.dtype,
                                        _member_named(cls, name.literal_value).value)


@lower_constant(types.EnumMember)
def enum_member_constant(context, builder, ty, value):
    return context.get_constant_generic(builder, ty.dtype, value.value)


# -- members: .value, comparisons, conversion to int ------------------------------------------
@register_attr
class EnumMemberAttributes(AttributeTemplate):
    key = types.EnumMember

    def resolve_value(self, ty):
        return ty.dtype


@lower_getattr(types.EnumMember, "value")
def enum_value_impl(context, builder, ty, value, attr):
    context.incref(builder, ty.dtype, value)  # expressions produce new references
    return value


def _enum_operands(args) -> bool:
    return len(args) == 2 and any(isinstance(a, types.EnumMember) for a in args)


class EnumCompare(AbstractTemplate):
    """Members of one class compare by value; an Enum member never equals (nor is) anything
    else. IntEnum members against other integers fall through to integer comparison."""

    def generic(self, args, kws):
        if not _enum_operands(args):
            return None
        a, b = args
        int_like = all(isinstance(t, (types.IntEnumMember, types.Integer)) for t in args)
        if a != b and int_like and self.key in (operator.eq, operator.ne):
            return None  # compared as integers (IntEnum members are ints)
        return types.signature(types.boolean, a, b)


for _key in (operator.eq, operator.ne, operator.is_, operator.is_not):
    register(type(f"EnumCompare_{_key.__name__}", (EnumCompare,), {"key": _key}))


def _members_equal(context, builder, sig, args):
    """i1: same class and equal values (statically false across classes)."""
    a, b = sig.args
    if a != b:
        return cgutils.false_bit
    value_sig = context.typing_context.resolve_key(operator.eq, (a.dtype, a.dtype), {})
    values = [context.cast(builder, v, a.dtype, t) for v, t in zip(args, value_sig.args)]
    return context.get_function(types.Function(operator.eq), value_sig)(builder, values)


# priority: an enum member against any other operand (an array's included) is decided here
@lower_builtin(operator.eq, types.EnumMember, types.Any, priority=1)
@lower_builtin(operator.eq, types.Any, types.EnumMember, priority=1)
@lower_builtin(operator.is_, types.EnumMember, types.Any, priority=1)
@lower_builtin(operator.is_, types.Any, types.EnumMember, priority=1)
def enum_eq_impl(context, builder, sig, args):
    return _members_equal(context, builder, sig, args)


@lower_builtin(operator.ne, types.EnumMember, types.Any, priority=1)
@lower_builtin(operator.ne, types.Any, types.EnumMember, priority=1)
@lower_builtin(operator.is_not, types.EnumMember, types.Any, priority=1)
@lower_builtin(operator.is_not, types.Any, types.EnumMember, priority=1)
def enum_ne_impl(context, builder, sig, args):
    return builder.not_(_members_equal(context, builder, sig, args))


class IntEnumAsInteger(AbstractTemplate):
    """Arithmetic and comparisons see an IntEnum member as its integer value."""

    def generic(self, args, kws):
        if not any(isinstance(a, types.IntEnumMember) for a in args):
            return None
        plain = tuple(a.dtype if isinstance(a, types.IntEnumMember) else a for a in args)
        if any(isinstance(a, types.EnumMember) for a in plain):
            return None  # an Enum member: not a number (EnumCompare decides)
        return self.context.resolve_key(self.key, plain, kws)


_INTEGER_OPERATORS = (
    operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
    operator.mod, operator.pow, operator.lshift, operator.rshift, operator.and_, operator.or_,
    operator.xor, operator.neg, operator.pos, operator.invert, operator.lt, operator.le,
    operator.gt, operator.ge, operator.eq, operator.ne, abs, int, float, bool)
for _key in _INTEGER_OPERATORS:
    register(type(f"IntEnumAsInteger_{_key.__name__}", (IntEnumAsInteger,), {"key": _key}))


class NumberClassOfIntEnum(AbstractTemplate):
    """`int16(Shape.circle)`: the member's value converted (lowered by the NumberClass call)."""

    key = types.NumberClass

    def generic(self, args, kws):
        if kws or len(args) != 2 or not isinstance(args[1], types.IntEnumMember):
            return None
        return types.signature(args[0].instance_type, *args)


register(NumberClassOfIntEnum)


@lower_cast(types.IntEnumMember, types.Number)
def int_enum_to_number(context, builder, fromty, toty, val):
    return context.cast(builder, val, fromty.dtype, toty)


# -- boxing: the member itself crosses the boundary -------------------------------------------
@box(types.EnumMember)
def box_enum_member(typ, val, c):
    """`cls(value)`: the (unique) member with that value."""
    return call_class(c, typ, "enum", c.box(typ.dtype, val),
                      lambda cls, value: c.pyapi.call_function_objargs(cls, [value]))



@unbox(types.EnumMember)
def unbox_enum_member(typ, obj, c):
    """Validated first: exactly a member of the class; then its `.value`."""
    b = c.builder
    ok = is_exact_instance(c, obj, typ, "enum")
    out = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    message = f"expected a member of {typ.instance_class.__qualname__} for {typ}"
    failed = cgutils.alloca_once_value(b, type_error_unless(c, ok, message))
    with b.if_then(ok):
        value = c.pyapi.object_getattr_string(obj, "_value_")  # the member keeps it alive
        native = c.unbox(typ.dtype, value)
        c.pyapi.decref(value)
        b.store(native.value, out)
        b.store(native.is_error, failed)
    return NativeValue(b.load(out), is_error=b.load(failed))


@check_exact(types.EnumMember)
def check_enum_member(typ, obj, c):
    """Any member of the class has the one value type: the class test suffices."""
    return is_exact_instance(c, obj, typ, "enum")


@overload_attribute(types.EnumMember, "name")
def enum_member_name(member):
    """The member's name (a string; an alias gives its canonical member's, as in CPython):
    the value is compared with each member's, and the matching name is a constant."""
    members = list(member.instance_class)  # (canonical members only: aliases are skipped)

    @intrinsic
    def name_of(typingctx, member_type):
        eq = typingctx.resolve_function_type(types.Function(operator.eq),
                                             (member_type.dtype,) * 2, {})

        def codegen(context, builder, sig, args):
            equal = context.get_function(types.Function(operator.eq), eq)
            out = cgutils.alloca_once(builder, context.get_value_type(types.unicode_type))
            for m in members:  # (their values differ: aliases are not listed)
                same = equal(builder, [args[0], context.get_constant_generic(
                    builder, member_type.dtype, m.value)])
                text = types.literal(m.name)
                with builder.if_then(same):
                    builder.store(context.cast(builder, context.get_constant_generic(
                        builder, text, m.name), text, types.unicode_type), out)
            return builder.load(out)
        return types.unicode_type(member_type), codegen
    return lambda member: name_of(member)


@overload(hash)
def enum_member_hash(member):
    """CPython's Enum hashes a member by its name (IntEnum, by its integer: hashing.py)."""
    if type(member) is types.EnumMember:
        return lambda member: hash(member.name)
    return None


@overload(str)
def enum_member_str(member):
    """`Color.red` (an IntEnum member's str is its integer's, as in CPython >= 3.11)."""
    if type(member) is types.EnumMember:
        prefix = member.instance_class.__name__ + "."
        return lambda member: prefix + member.name
    if type(member) is types.IntEnumMember:
        return lambda member: str(member.value)
    return None
