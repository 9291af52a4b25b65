"""Powers: `**` of numbers with an integer exponent lowered as multiplications (a literal
exponent unrolled, a run-time one by binary squaring) in Numba's order, so float results agree
with it bit for bit; Python's errors for zero to a negative power (NumPy's inf with
error_model='numpy'). Typing is in numbers.py, with the other binary operators."""
from __future__ import annotations

import math
import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ._registries import lower_builtin
from .numbers import fastmath_flags, intrinsic_call, is_zero, python_errors, raise_if


def power_loop(builder, mul, one, base, exponent):
    """base ** exponent (an integer read as unsigned) by binary squaring, least significant bit
    first: Numba's order of multiplications, so float results agree with it bit for bit."""
    ty = exponent.type
    result, b_slot, e_slot = (cgutils.alloca_once_value(builder, v) for v in (one, base, exponent))
    cond, body, done = (builder.append_basic_block(n) for n in ("pow.cond", "pow.body", "pow.end"))
    builder.branch(cond)
    builder.position_at_end(cond)
    e = builder.load(e_slot)
    builder.cbranch(builder.icmp_unsigned("!=", e, ir.Constant(ty, 0)), body, done)
    builder.position_at_end(body)
    b = builder.load(b_slot)
    odd = builder.trunc(e, ir.IntType(1))
    builder.store(builder.select(odd, mul(builder.load(result), b), builder.load(result)), result)
    builder.store(mul(b, b), b_slot)
    builder.store(builder.lshr(e, ir.Constant(ty, 1)), e_slot)
    builder.branch(cond)
    builder.position_at_end(done)
    return builder.load(result)


@lower_builtin(operator.pow, types.Integer, types.Integer)
def int_pow_impl(context, builder, sig, args):
    """Exponentiation by squaring (wrapping on overflow). A negative run-time exponent: CPython
    gives a float, which the int result type holds only for a base of 1 or -1 (those give
    CPython's value, as Numba); 0 raises CPython's ZeroDivisionError, other bases ValueError."""
    base, exp = args
    if sig.args[1].signed:
        negative = builder.icmp_signed("<", exp, ir.Constant(exp.type, 0))
        _check_negative_exponent(context, builder, base, negative, sig.args[0].signed)
        exp = builder.select(negative, builder.neg(exp), exp)  # MIN stays MIN: 2**63 unsigned
    return power_loop(builder, builder.mul, ir.Constant(base.type, 1), base, exp)


def _check_negative_exponent(context, builder, base, negative, signed: bool):
    def base_is(value):
        return builder.icmp_signed("==", base, ir.Constant(base.type, value))
    raise_if(context, builder, builder.and_(negative, base_is(0)), ZeroDivisionError,
             _NEGATIVE_POWER)
    unit = builder.or_(base_is(1), base_is(-1)) if signed else base_is(1)
    raise_if(context, builder, builder.and_(negative, builder.not_(unit)), ValueError,
             "integer to a negative power: its float result does not fit the int result type "
             "(use a float base or a literal exponent)")


@lower_builtin(operator.pow, types.Float, types.Float)
def float_pow_impl(context, builder, sig, args):
    """pow(); zero to a finite negative power raises as with an integer exponent (0.0 ** -inf
    is inf in Python too). Overflow and a negative base to a fraction keep IEEE's inf and nan:
    a float64 here is NumPy's float64 as much as Python's float, and NumPy gives those."""
    a, b = (context.cast(builder, v, t, sig.return_type) for v, t in zip(args, sig.args))
    negative = builder.fcmp_ordered("<", b, ir.Constant(b.type, 0.0))
    finite = builder.fcmp_ordered(">", b, ir.Constant(b.type, -math.inf))
    _check_zero_base(context, builder, a, builder.and_(negative, finite))
    return intrinsic_call(builder, "llvm.pow", a, b)


#: beyond this exponent, pow() (Numba's cutoff: squaring would lose accuracy for no speed)
SQUARING_LIMIT = 0x10000
_NEGATIVE_POWER = "0.0 cannot be raised to a negative power"


def _unrolled_power(mul, base, exponent: int):
    """base ** exponent (exponent >= 1), the multiplications of `power_loop` unrolled."""
    result = None
    while exponent:
        if exponent & 1:
            result = base if result is None else mul(result, base)
        exponent >>= 1
        base = mul(base, base) if exponent else base
    return result


def _check_zero_base(context, builder, base, negative):
    """Python: zero to a negative power raises (IEEE pow() would give inf, which error_model
    'numpy' keeps)."""
    if python_errors(context):
        raise_if(context, builder, builder.and_(negative, is_zero(builder, base)),
                 ZeroDivisionError, _NEGATIVE_POWER)


@lower_builtin(operator.pow, types.Float, types.IntegerLiteral)
def float_literal_pow_impl(context, builder, sig, args):
    """`x ** 6`: an unrolled chain of multiplications (1 / chain for negative exponents)."""
    base = context.cast(builder, args[0], sig.args[0], sig.return_type)
    n = sig.args[1].literal_value
    if n < 0:
        _check_zero_base(context, builder, base, cgutils.true_bit)
    if abs(n) > SQUARING_LIMIT:
        return intrinsic_call(builder, "llvm.pow", base, ir.Constant(base.type, float(n)))
    if n == 0:
        return ir.Constant(base.type, 1.0)
    power = _unrolled_power(lambda a, b: builder.fmul(a, b, flags=fastmath_flags(context)), base, abs(n))
    return builder.fdiv(ir.Constant(base.type, 1.0), power, flags=fastmath_flags(context)) if n < 0 else power


@lower_builtin(operator.pow, types.Float, types.Integer)
def float_int_pow_impl(context, builder, sig, args):
    """`x ** n`: binary squaring up to SQUARING_LIMIT, pow() beyond (as Numba)."""
    base, n = context.cast(builder, args[0], sig.args[0], sig.return_type), args[1]
    signed, zero, one = sig.args[1].signed, ir.Constant(n.type, 0), ir.Constant(base.type, 1.0)
    negative = builder.icmp_signed("<", n, zero) if signed else cgutils.false_bit
    _check_zero_base(context, builder, base, negative)
    magnitude = builder.select(negative, builder.neg(n), n)  # MIN stays MIN: 2**63 unsigned
    huge = builder.icmp_unsigned(">", magnitude, ir.Constant(n.type, SQUARING_LIMIT))
    with builder.if_else(huge, likely=False) as (then, otherwise):
        with then:
            as_float = builder.sitofp(n, base.type) if signed else builder.uitofp(n, base.type)
            by_pow, pow_block = intrinsic_call(builder, "llvm.pow", base, as_float), builder.block
        with otherwise:
            mul = lambda a, b: builder.fmul(a, b, flags=fastmath_flags(context))
            power = power_loop(builder, mul, one, base, magnitude)
            power = builder.select(negative, builder.fdiv(one, power, flags=fastmath_flags(context)), power)
            loop_block = builder.block
    result = builder.phi(base.type)
    result.add_incoming(by_pow, pow_block)
    result.add_incoming(power, loop_block)
    return result
