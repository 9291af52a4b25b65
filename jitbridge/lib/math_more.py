"""math.frexp, ldexp, nextafter, cbrt, modf, remainder, ulp and isclose (through the C
library where it has the exact operation). The integer functions are `math_int.py`, sums and
norms `math_sums.py`."""
from __future__ import annotations

import math

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..extending import intrinsic, overload, register_jitable
from . import math_errors
from .keyword_only import refuse_extra_positional

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
    """x * 2**e (ldexp(3)); exponents beyond int32 saturate, as they over/underflow anyway;
    an overflow from a finite x raises OverflowError, as CPython's ldexp does."""
    if x != types.float64 or not isinstance(e, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        wide = context.cast(builder, args[1], sig.args[1], types.int64)
        limit = ir.Constant(ir.IntType(64), 2 ** 31 - 1)
        clamped = builder.select(builder.icmp_signed(">", wide, limit), limit, wide)
        low = ir.Constant(ir.IntType(64), -(2 ** 31 - 1))
        clamped = builder.select(builder.icmp_signed("<", clamped, low), low, clamped)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(F64, [F64, I32]),
                                            "ldexp")
        fn.args[1].add_attribute("signext")  # (C's int: some ABIs want it extended by callers)
        result = builder.call(fn, [args[0], builder.trunc(clamped, I32)])
        math_errors.check_overflow(context, builder, args[0], result)  # (CPython's error)
        return result
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


@intrinsic
def _libm_unary(typingctx, name, x):
    """A float64 function of libm named by a string literal (cbrt)."""
    if not isinstance(name, types.StringLiteral) or x != types.float64:
        return None
    symbol = name.literal_value

    def codegen(context, builder, sig, args):
        return _libm(builder, symbol, F64, [args[1]])
    return types.float64(name, x), codegen


@intrinsic
def _libm_binary(typingctx, name, x, y):
    if not isinstance(name, types.StringLiteral) or x != types.float64 or y != types.float64:
        return None
    symbol = name.literal_value

    def codegen(context, builder, sig, args):
        return _libm(builder, symbol, F64, [args[1], args[2]])
    return types.float64(name, x, y), codegen


@intrinsic
def _modf(typingctx, x):
    """(fractional part, integral part) of a float64, both with x's sign (modf(3))."""
    if x != types.float64:
        return None

    def codegen(context, builder, sig, args):
        slot = cgutils.alloca_once_value(builder, ir.Constant(F64, 0.0))
        fraction = _libm(builder, "modf", F64, [args[0], slot])
        return context.make_tuple(builder, sig.return_type, [fraction, builder.load(slot)])
    return types.UniTuple(types.float64, 2)(x), codegen


if hasattr(math, "cbrt"):  # Python 3.11+
    @overload(math.cbrt)
    def cbrt(x):
        if _real(x):
            return lambda x: _libm_unary("cbrt", float(x))
        return None


@overload(math.modf)
def modf(x):
    if _real(x):
        return lambda x: _modf(float(x))
    return None


@overload(math.remainder)
def remainder(x, y):
    """IEEE 754 remainder; CPython's ValueError for remainder(inf, y) and remainder(x, 0)."""
    if not (_real(x) and _real(y)):
        return None

    def impl(x, y):
        a, b = float(x), float(y)
        result = _libm_binary("remainder", a, b)
        if math.isnan(result) and not (math.isnan(a) or math.isnan(b)):
            raise ValueError("math domain error")
        return result
    return impl


@overload(math.ulp)
def ulp(x):
    """The value of the least significant bit of x (the largest finite float's for it)."""
    if not _real(x):
        return None

    def impl(x):
        value = abs(float(x))
        if math.isnan(value) or math.isinf(value):
            return value
        above = _nextafter(value, math.inf)
        if math.isinf(above):
            return value - _nextafter(value, -math.inf)
        return above - value
    return impl


@overload(math.isclose)
def isclose(a, b, rel_tol=1e-09, abs_tol=0.0):
    if all(_real(t) for t in (a, b, rel_tol, abs_tol) if not isinstance(t, types.Omitted)):
        return lambda a, b, rel_tol=1e-09, abs_tol=0.0: _isclose(
            float(a), float(b), float(rel_tol), float(abs_tol))
    return None


@register_jitable
def _isclose(a, b, rel_tol, abs_tol):
    if rel_tol < 0.0 or abs_tol < 0.0:
        raise ValueError("tolerances must be non-negative")
    if a == b:
        return True
    if math.isinf(a) or math.isinf(b):
        return False
    diff = abs(b - a)
    return diff <= abs(rel_tol * b) or diff <= abs(rel_tol * a) or diff <= abs_tol


refuse_extra_positional(math.isclose, "isclose", 2)
