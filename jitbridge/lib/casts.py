"""Numeric casts (int, float, complex, bool, and integer literals with their range check) and
numeric constants."""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..core import cgutils
from ._registries import lower_cast, lower_constant
from .literals import int_range
from .numbers import complex_parts, make_complex, raise_if


# -- casts --------------------------------------------------------------------------------------

@lower_cast(types.Integer, types.Integer)
def int_to_int(context, builder, fromty, toty, val):
    if fromty.bitwidth == toty.bitwidth:
        return val
    if fromty.bitwidth > toty.bitwidth:
        return builder.trunc(val, context.get_value_type(toty))
    extend = builder.sext if fromty.signed else builder.zext
    return extend(val, context.get_value_type(toty))


@lower_cast(types.Integer, types.RawPointer)
def int_to_voidptr(context, builder, fromty, toty, val):
    return builder.inttoptr(val, context.get_value_type(toty))


@lower_cast(types.IntegerLiteral, types.Integer)
def int_literal_to_int(context, builder, fromty, toty, val):
    """A literal adopting an integer type (NEP 50): one out of range raises OverflowError when
    executed, as NumPy does, instead of wrapping."""
    value = fromty.literal_value
    if value not in int_range(toty):
        raise_if(context, builder, cgutils.true_bit, OverflowError,
                  f"Python integer {value} out of bounds for {toty}")
    return int_constant(context, builder, toty, value)


@lower_cast(types.Integer, types.Float)
def int_to_float(context, builder, fromty, toty, val):
    convert = builder.sitofp if fromty.signed else builder.uitofp
    return convert(val, context.get_value_type(toty))


@lower_cast(types.Float, types.Integer)
def float_to_int(context, builder, fromty, toty, val):
    convert = builder.fptosi if toty.signed else builder.fptoui
    return convert(val, context.get_value_type(toty))


@lower_cast(types.Float, types.Float)
def float_to_float(context, builder, fromty, toty, val):
    if fromty.bitwidth == toty.bitwidth:
        return val
    method = builder.fpext if fromty.bitwidth < toty.bitwidth else builder.fptrunc
    return method(val, context.get_value_type(toty))


@lower_cast(types.Boolean, types.Integer)
def bool_to_int(context, builder, fromty, toty, val):
    return builder.zext(val, context.get_value_type(toty))


@lower_cast(types.Boolean, types.Float)
def bool_to_float(context, builder, fromty, toty, val):
    return builder.uitofp(val, context.get_value_type(toty))


@lower_cast(types.Boolean, types.Boolean)
def bool_to_bool(context, builder, fromty, toty, val):
    return val


@lower_cast(types.Number, types.Boolean)
def number_to_bool(context, builder, fromty, toty, val):
    return context.is_true(builder, fromty, val)


@lower_cast(types.Boolean, types.Complex)
@lower_cast(types.Integer, types.Complex)
@lower_cast(types.Float, types.Complex)
def real_to_complex(context, builder, fromty, toty, val):
    flt = toty.underlying_float
    real = context.cast(builder, val, fromty, flt)
    return make_complex(builder, real, ir.Constant(real.type, 0.0))


@lower_cast(types.Complex, types.Complex)
def complex_to_complex(context, builder, fromty, toty, val):
    real, imag = complex_parts(builder, val)
    src, dst = fromty.underlying_float, toty.underlying_float
    return make_complex(builder, context.cast(builder, real, src, dst),
                         context.cast(builder, imag, src, dst))


# -- constants ----------------------------------------------------------------------------------

@lower_constant(types.Integer)
def int_constant(context, builder, ty, value):
    return ir.Constant(context.get_value_type(ty), int(value) & ((1 << ty.bitwidth) - 1))


@lower_constant(types.Float)
def float_constant(context, builder, ty, value):
    return ir.Constant(context.get_value_type(ty), float(value))


@lower_constant(types.Boolean)
def bool_constant(context, builder, ty, value):
    return ir.Constant(ir.IntType(1), int(bool(value)))


@lower_constant(types.Complex)
def complex_constant(context, builder, ty, value):
    flt = context.get_value_type(ty.underlying_float)
    value = complex(value)
    return ir.Constant(ir.LiteralStructType([flt, flt]), [value.real, value.imag])
