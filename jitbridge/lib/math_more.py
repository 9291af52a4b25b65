"""math.frexp, math.ldexp, math.nextafter and math.gcd (through the C library where it has
the exact operation)."""
from __future__ import annotations

import math

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..extending import intrinsic, overload, register_jitable

F64, I32 = ir.DoubleType(), ir.IntType(32)


def _libm(builder, name, result, args):
    fnty = ir.FunctionType(result, [a.type for a in args])
    return builder.call(cgutils.get_or_insert_function(builder.module, fnty, name), list(args))


@intrinsic
def _frexp(typingctx, x):
    """(mantissa, exponent) of a float64 (frexp(3)); (x, 0) for zeros, infinities and NaN."""
    if x != types.float64:
        return None

    def codegen(context, builder, sig, args):
        slot = cgutils.alloca_once_value(builder, ir.Constant(I32, 0))
        mantissa = _libm(builder, "frexp", F64, [args[0], slot])
        exponent = builder.sext(builder.load(slot), ir.IntType(64))
        return context.make_tuple(builder, sig.return_type, [mantissa, exponent])
    return types.Tuple([types.float64, types.int64])(x), codegen


@intrinsic
def _ldexp(typingctx, x, e):
    """x * 2**e (ldexp(3)); exponents beyond int32 saturate, as they over/underflow anyway."""
    if x != types.float64 or not isinstance(e, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        wide = context.cast(builder, args[1], sig.args[1], types.int64)
        limit = ir.Constant(ir.IntType(64), 2 ** 31 - 1)
        clamped = builder.select(builder.icmp_signed(">", wide, limit), limit, wide)
        low = ir.Constant(ir.IntType(64), -(2 ** 31 - 1))
        clamped = builder.select(builder.icmp_signed("<", clamped, low), low, clamped)
        return _libm(builder, "ldexp", F64, [args[0], builder.trunc(clamped, I32)])
    return types.float64(x, types.int64), codegen


@intrinsic
def _nextafter(typingctx, x, y):
    if x != types.float64 or y != types.float64:
        return None

    def codegen(context, builder, sig, args):
        return _libm(builder, "nextafter", F64, args)
    return types.float64(x, y), codegen


def _real(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Integer, types.Float, types.Boolean))


def _float_type(ty):
    ty = types.unliteral(ty)
    return ty if isinstance(ty, types.Float) else types.float64


@overload(math.frexp)
def frexp(x):
    if not _real(x):
        return None
    result = _float_type(x)

    def impl(x):
        m, e = _frexp(float(x))
        return result(m), e  # (a float32's mantissa is exact in float32)
    return impl


@overload(math.ldexp)
def ldexp(x, i):
    if not _real(x) or not isinstance(types.unliteral(i), (types.Integer, types.Boolean)):
        return None
    result = _float_type(x)
    return lambda x, i: result(_ldexp(float(x), int(i)))


@overload(math.nextafter)
def nextafter(x, y):
    if _real(x) and _real(y):
        return lambda x, y: _nextafter(float(x), float(y))
    return None


@register_jitable
def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


@overload(math.gcd)
def gcd(a, b):
    ints = (types.Integer, types.Boolean)
    if not all(isinstance(types.unliteral(t), ints) for t in (a, b)):
        return None
    return lambda a, b: _gcd(abs(a), abs(b))
