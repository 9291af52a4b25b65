"""slice objects: `a[1:n:2]` builds slice(start, stop, step); None parts become sentinels that
`normalize_slice` resolves with Python's rules for a given length."""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..lowering.registry import VarArg
from ._registries import AbstractTemplate, lower_builtin, register, register_global

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
        return types.signature(types.SliceType(3 if has_step else 2), *args)


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
