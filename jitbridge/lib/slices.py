"""slice objects: `a[1:n:2]` builds slice(start, stop, step); None parts become sentinels that
`normalize_slice` resolves with Python's rules for a given length."""
from __future__ import annotations

import functools
import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..extending import intrinsic
from ..lowering.registry import VarArg
from ..runtime.boxing import NativeValue, box, unbox
from ..typing.typeof import typeof_impl
from ._registries import (AbstractTemplate, AttributeTemplate, lower_builtin, lower_cast,
                          lower_constant, lower_getattr, register, register_attr,
                          register_global)

MISSING = -(2 ** 63)  # stands for None in start/stop
i64 = cgutils.int64_t


class SliceTemplate(AbstractTemplate):
    key = slice

    def generic(self, args, kws):
        if kws or not 1 <= len(args) <= 3:
            return None
        if not all(isinstance(types.unliteral(a), (types.Integer, types.NoneType)) for a in args):
            return None
        has_step = len(args) == 3 and not isinstance(args[2], types.NoneType)
        return types.signature(_literal_slice(args) or types.SliceType(3 if has_step else 2),
                               *args)


def _literal_slice(args):
    """A SliceLiteral when every part is a literal int or None (`t[1:-1]`), else None."""
    if not all(isinstance(a, (types.IntegerLiteral, types.NoneType)) for a in args):
        return None
    values = [getattr(a, "literal_value", None) for a in args]
    return types.SliceLiteral(slice(*values) if len(values) > 1 else slice(values[0]))


register(SliceTemplate)
register_global(slice, types.Function(slice))


@lower_builtin(slice, VarArg(types.Any))
def slice_impl(context, builder, sig, args):
    parts = list(zip(args, sig.args))
    if len(parts) == 1:
        parts = [(None, types.none)] + parts
    values = []
    for i, default in enumerate((MISSING, MISSING, 1)):
        value, ty = parts[i] if i < len(parts) else (None, types.none)
        missing = value is None or isinstance(ty, types.NoneType)
        values.append(ir.Constant(i64, default) if missing else context.cast(builder, value, ty, types.intp))
    return cgutils.pack_struct(builder, values)


@lower_cast(types.SliceType, types.SliceType)
def literal_slice_to_slice(context, builder, fromty, toty, val):
    """A literal slice widened to a plain one (same parts, same representation)."""
    return val


# -- slc.start, slc.stop, slc.step: Python's values (None where the slice left a part out) ---------

_PARTS_INDEX = {"start": 0, "stop": 1, "step": 2}


def part_type(ty, attr: str):
    """The type of a part: a literal slice's own values; otherwise None for a step the slice
    was made without, int64 for a step it has, and Optional(int64) for start and stop,
    which may be None at run time (as in Python, not Numba's defaults)."""
    if ty.literal_value is not None:
        part = getattr(ty.literal_value, attr)
        return types.none if part is None else types.literal(part)
    if attr == "step":
        return types.int64 if ty.members == 3 else types.none
    return types.Optional(types.int64)


@register_attr
class SliceAttributes(AttributeTemplate):
    key = types.SliceType

    def generic_resolve(self, ty, attr):
        return part_type(ty, attr) if attr in _PARTS_INDEX else None


def _lower_part(attr: str):
    @lower_getattr(types.SliceType, attr)
    def get_part(context, builder, ty, value, attr=attr):
        result_ty = part_type(ty, attr)
        if isinstance(result_ty, (types.Literal, types.NoneType)):
            return context.get_constant_generic(builder, result_ty,
                                                getattr(result_ty, "literal_value", None))
        part = builder.extract_value(value, _PARTS_INDEX[attr])
        if not isinstance(result_ty, types.Optional):
            return part
        optional = context.make_helper(builder, result_ty)
        optional.valid = builder.icmp_signed("!=", part, ir.Constant(i64, MISSING))
        optional.data = builder.select(optional.valid, part, ir.Constant(i64, 0))
        return optional._getvalue()


for _attr in _PARTS_INDEX:
    _lower_part(_attr)


def normalize_slice(context, builder, slice_value, length):
    """(start, stop, step, count) of a slice applied to `length` items (Python semantics)."""
    start, stop, step = (builder.extract_value(slice_value, i) for i in range(3))
    zero, one = ir.Constant(i64, 0), ir.Constant(i64, 1)
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, step)):
        context.call_conv.return_user_exc(builder, ValueError, ("slice step cannot be zero",))
    negative = builder.icmp_signed("<", step, zero)
    lower = builder.select(negative, ir.Constant(i64, -1), zero)
    upper = builder.select(negative, builder.sub(length, one), length)
    start = _adjust(builder, start, length, lower, upper, builder.select(negative, upper, lower))
    stop = _adjust(builder, stop, length, lower, upper, builder.select(negative, lower, upper))
    span = builder.select(negative, builder.sub(start, stop), builder.sub(stop, start))
    abs_step = builder.select(negative, builder.neg(step), step)
    count = builder.sdiv(builder.add(span, builder.sub(abs_step, one)), abs_step)
    count = builder.select(builder.icmp_signed(">", count, zero), count, zero)
    return start, stop, step, count


def _adjust(builder, value, length, lower, upper, default):
    missing = builder.icmp_signed("==", value, ir.Constant(i64, MISSING))
    value = builder.select(builder.icmp_signed("<", value, ir.Constant(i64, 0)),
                           builder.add(value, length), value)
    value = builder.select(builder.icmp_signed("<", value, lower), lower, value)
    value = builder.select(builder.icmp_signed(">", value, upper), upper, value)
    return builder.select(missing, default, value)


# -- slice objects as arguments and results -------------------------------------------------------

@typeof_impl.register(slice)
def typeof_slice(value, c):
    """A slice of ints and Nones (as indexing takes it); a step makes it a 3-part slice."""
    parts = (value.start, value.stop, value.step)
    if not all(p is None or isinstance(p, int) for p in parts):
        return None
    return types.SliceType(2 if value.step is None else 3)


def _slice_parts(value) -> tuple:
    """(start, stop, step) with None as the sentinels compiled code uses."""
    if not isinstance(value, slice):
        raise TypeError(f"expected a slice, got {type(value).__name__}")
    start, stop, step = (None if p is None else operator.index(p)
                         for p in (value.start, value.stop, value.step))
    return (MISSING if start is None else start, MISSING if stop is None else stop,
            1 if step is None else step)


def _slice_of(has_step: bool, start: int, stop: int, step: int) -> slice:
    return slice(None if start == MISSING else start, None if stop == MISSING else stop,
                 step if has_step else None)


_PARTS = types.UniTuple(types.int64, 3)


@unbox(types.SliceType)
def unbox_slice(typ, obj, c):
    b = c.builder
    parts = c.pyapi.call_function_objargs(c.pyapi.constant_object(_slice_parts, "slice"), [obj])
    error = cgutils.alloca_once_value(b, cgutils.true_bit)
    slot = cgutils.alloca_once_value(b, ir.Constant(c.context.get_value_type(typ), None))
    with b.if_then(cgutils.is_not_null(b, parts), likely=True):
        native = c.unbox(_PARTS, parts)
        b.store(_as_slice(b, native.value), slot)
        b.store(native.is_error, error)
        c.pyapi.decref(parts)
    return NativeValue(b.load(slot), is_error=b.load(error))


@lower_constant(types.SliceType)
def slice_constant(context, builder, ty, value):
    """A frozen slice (a global `S = slice(1, 3)`): its parts as compiled code holds them."""
    return ir.Constant.literal_struct([ir.Constant(i64, p) for p in _slice_parts(value)])


def _as_slice(builder, parts):
    return cgutils.pack_struct(builder, [builder.extract_value(parts, i) for i in range(3)])


@box(types.SliceType)
def box_slice(typ, val, c):
    parts = [c.pyapi.long_from_longlong(c.builder.extract_value(val, i)) for i in range(3)]
    make = functools.partial(_slice_of, typ.members == 3)
    result = c.pyapi.call_function_objargs(c.pyapi.constant_object(make, "slice_of"), parts)
    for part in parts:
        c.pyapi.decref(part)
    return result


@intrinsic
def slice_span(typingctx, sl, length):
    """(start, step, count) of slice `sl` over `length` items (ValueError for a zero step)."""
    if not isinstance(sl, types.SliceType):
        return None

    def codegen(context, builder, sig, args):
        start, _, step, count = normalize_slice(context, builder, args[0], args[1])
        with cgutils.if_unlikely(builder, cgutils.is_null(builder, step)):
            context.call_conv.return_user_exc(builder, ValueError, ("slice step cannot be zero",))
        return context.make_tuple(builder, sig.return_type, [start, step, count])
    return types.UniTuple(types.intp, 3)(sl, types.intp), codegen
