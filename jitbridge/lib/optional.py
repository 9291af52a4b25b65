"""Optional values: a variable that is None on some paths and a T on others.

The value is (data: T, valid: bool); None has a zeroed payload, so reference counting the
payload is always safe (a null MemInfo is skipped). Typing retries an operation that has no
implementation for Optional(T) with T itself (typing/context.py); the lowering then converts
the Optional to T with a check that raises TypeError when it is None, as Numba does.
"""
from __future__ import annotations

import operator

from .. import types
from ..core import cgutils
from ..core.datamodel import models, register_model
from ..runtime.boxing import NativeValue, box, unbox
from ..extending import intrinsic, overload, register_jitable
from ._registries import AbstractTemplate, lower_builtin, lower_cast, register


@register_model(types.Optional)
class OptionalModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("data", fe_type.type), ("valid", types.boolean)])


def make_optional(context, builder, ty, data=None):
    """An Optional value holding `data`, or None when `data` is None."""
    value = context.make_helper(builder, ty)
    value.data = context.get_constant_null(ty.type) if data is None else data
    value.valid = cgutils.false_bit if data is None else cgutils.true_bit
    return value._getvalue()


@lower_cast(types.Any, types.Optional, priority=1)
def to_optional(context, builder, fromty, toty, val):
    if isinstance(fromty, types.NoneType):
        return make_optional(context, builder, toty)
    if not isinstance(fromty, types.Optional):
        return make_optional(context, builder, toty, context.cast(builder, val, fromty, toty.type))
    source = context.make_helper(builder, fromty, val)
    result = context.make_helper(builder, toty)
    result.data = context.cast(builder, source.data, fromty.type, toty.type)
    result.valid = source.valid
    return result._getvalue()


@lower_cast(types.Optional, types.Any)
def from_optional(context, builder, fromty, toty, val):
    """The value itself; TypeError when it is None."""
    optional = context.make_helper(builder, fromty, val)
    with cgutils.if_unlikely(builder, builder.not_(optional.valid)):
        context.call_conv.return_user_exc(builder, TypeError, (f"expected {fromty.type}, got None",))
    return context.cast(builder, optional.data, fromty.type, toty)


@lower_builtin(operator.is_, types.Optional, types.NoneType)
@lower_builtin(operator.is_, types.NoneType, types.Optional)
def optional_is_none(context, builder, sig, args):
    index = 0 if isinstance(sig.args[0], types.Optional) else 1
    return builder.not_(context.make_helper(builder, sig.args[index], args[index]).valid)


@lower_builtin(operator.is_not, types.Optional, types.NoneType)
@lower_builtin(operator.is_not, types.NoneType, types.Optional)
def optional_is_not_none(context, builder, sig, args):
    return builder.not_(optional_is_none(context, builder, sig, args))


class OptionalTruth(AbstractTemplate):
    """`if x:` is False for None, else the value's truth (never an error)."""

    key = bool

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.Optional):
            return types.signature(types.boolean, args[0])
        return None


register(OptionalTruth)


@lower_builtin(bool, types.Optional)
def optional_truth(context, builder, sig, args):
    optional = context.make_helper(builder, sig.args[0], args[0])
    truth = cgutils.alloca_once_value(builder, cgutils.false_bit)
    with builder.if_then(optional.valid):
        builder.store(context.is_true(builder, sig.args[0].type, optional.data), truth)
    return builder.load(truth)


@box(types.Optional)
def box_optional(typ, val, c):
    optional = c.context.make_helper(c.builder, typ, val)
    slot = cgutils.alloca_once_value(c.builder, c.pyapi.borrow_none())
    with c.builder.if_else(optional.valid) as (present, absent):
        with present:
            c.builder.store(c.box(typ.type, optional.data), slot)
        with absent:
            c.pyapi.incref(c.pyapi.borrow_none())
    return c.builder.load(slot)


@unbox(types.Optional)
def unbox_optional(typ, obj, c):
    b = c.builder
    slot = cgutils.alloca_once_value(b, make_optional(c.context, b, typ))
    error = cgutils.alloca_once_value(b, cgutils.false_bit)
    is_none = b.icmp_unsigned("==", obj, c.pyapi.borrow_none())
    with b.if_then(b.not_(is_none)):
        native = c.unbox(typ.type, obj)
        b.store(make_optional(c.context, b, typ, native.value), slot)
        b.store(native.is_error, error)
    return NativeValue(b.load(slot), is_error=b.load(error))


# -- == and != with an Optional operand: None equals None only (CPython), never an error ----

def _optional_operands(a, b) -> bool:
    return isinstance(a, types.Optional) or isinstance(b, types.Optional)


@overload(operator.eq)
def optional_eq(a, b):
    if _optional_operands(a, b):
        return _eq_with_none


@overload(operator.ne)
def optional_ne(a, b):
    if _optional_operands(a, b):
        return lambda a, b: not _eq_with_none(a, b)


@register_jitable
def _eq_with_none(a, b):
    if a is None:
        return b is None
    if b is None:
        return False
    return _value_of(a) == _value_of(b)


@intrinsic
def _value_of(typingctx, x):
    """An Optional's value (known not None here), or any other value itself."""
    target = x.type if isinstance(x, types.Optional) else x

    def codegen(context, builder, sig, args):
        value = context.cast(builder, args[0], sig.args[0], sig.return_type)
        context.incref(builder, sig.return_type, value)  # (a new reference, as calls return)
        return value
    return types.signature(target, x), codegen
