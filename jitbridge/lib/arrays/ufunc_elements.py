"""One element of the real-valued ufuncs, written in Python as NumPy's C loops compute it.

Each function takes scalars of the loop's input types and returns the loop's output(s) (a
tuple for two outputs); the ufunc machinery casts the result to the output type, so integer
arithmetic done in int64 wraps to the loop type exactly as NumPy's typed loop does. Float
constants go through `typed` so that float32 loops compute in float32, as NumPy's do.
"""
from __future__ import annotations

import math

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...extending import intrinsic, register_jitable
from .. import math_ieee

LN2 = math.log(2.0)
LOG2E = 1.0 / LN2


# -- LLVM helpers ---------------------------------------------------------------------------------

def _float_function(name: str, arity: int, libm: bool):
    """An intrinsic applying the LLVM intrinsic or libm function `name` to floats of one type."""
    def typer(typingctx, *args):
        if len(args) != arity or not all(isinstance(a, types.Float) for a in args) or \
                len(set(args)) != 1:
            return None

        def codegen(context, builder, sig, values):
            if not libm:
                return cgutils.call_intrinsic(builder, name, values)
            ty = values[0].type
            c_name = name + ("f" if isinstance(ty, ir.FloatType) else "")
            fn = cgutils.declare_c_function(builder.module, c_name, ty, [ty] * arity)
            return builder.call(fn, list(values))
        return args[0](*args), codegen
    typer.__name__ = typer.__qualname__ = f"ufunc_{name.replace('.', '_')}"
    return intrinsic(typer)


rint = _float_function("llvm.roundeven", 1, False)  # rint in the default rounding mode
floor = _float_function("llvm.floor", 1, False)
ceil = _float_function("llvm.ceil", 1, False)
trunc = _float_function("llvm.trunc", 1, False)
fabs = _float_function("llvm.fabs", 1, False)
copysign = _float_function("llvm.copysign", 2, False)
cbrt = _float_function("cbrt", 1, True)
nextafter = _float_function("nextafter", 2, True)
hypot = _float_function("hypot", 2, True)  # (the C library's, as NumPy's complex kernels)


@intrinsic
def typed(typingctx, like, value):
    """`value` (a constant) converted to the numeric type of `like`."""
    if not isinstance(like, types.Number):
        return None

    def codegen(context, builder, sig, args):
        return context.cast(builder, args[1], sig.args[1], like)
    return like(like, value), codegen


@intrinsic
def div(typingctx, a, b):
    """IEEE division of floats (inf or nan for a zero divisor, where Python's `/` raises)."""
    if not isinstance(a, types.Float) or a != b:
        return None

    def codegen(context, builder, sig, args):
        return builder.fdiv(*args)
    return a(a, b), codegen


@intrinsic
def magnitude(typingctx, x):
    """|x| of an integer as uint64 (the minimum of a signed type has a magnitude there)."""
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        wide = context.cast(builder, args[0], x, types.int64 if x.signed else types.uint64)
        if not x.signed:
            return wide
        return builder.select(builder.icmp_signed("<", wide, ir.Constant(wide.type, 0)),
                              builder.neg(wide), wide)
    return types.uint64(x), codegen


@intrinsic
def widen(typingctx, x):
    """An integer as int64 or uint64 (its signedness kept), so arithmetic stays in one type."""
    if not isinstance(x, types.Integer):
        return None
    wide = types.int64 if x.signed else types.uint64

    def codegen(context, builder, sig, args):
        return context.cast(builder, args[0], x, wide)
    return wide(x), codegen


@intrinsic
def signbit(typingctx, x):
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, sig, args):
        bits = ir.IntType(x.bitwidth)
        return builder.icmp_signed("<", builder.bitcast(args[0], bits), ir.Constant(bits, 0))
    return types.boolean(x), codegen


@intrinsic
def c_frexp(typingctx, x):
    """libm frexp: (mantissa, int32 exponent)."""
    if not isinstance(x, types.Float):
        return None
    result = types.Tuple((x, types.int32))

    def codegen(context, builder, sig, args):
        ty = args[0].type
        slot = cgutils.alloca_once(builder, ir.IntType(32), zfill=True)
        name = "frexpf" if isinstance(ty, ir.FloatType) else "frexp"
        fn = cgutils.declare_c_function(builder.module, name, ty, [ty, slot.type])
        mantissa = builder.call(fn, [args[0], slot])
        return context.make_tuple(builder, result, [mantissa, builder.load(slot)])
    return result(x), codegen


@intrinsic
def c_ldexp(typingctx, x, exponent):
    """libm ldexp with an exponent already clamped to the int32 range."""
    if not isinstance(x, types.Float) or not isinstance(exponent, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        ty, i32 = args[0].type, ir.IntType(32)
        name = "ldexpf" if isinstance(ty, ir.FloatType) else "ldexp"
        fn = cgutils.declare_c_function(builder.module, name, ty, [ty, i32])
        return builder.call(fn, [args[0], context.cast(builder, args[1], exponent, types.int32)])
    return x(x, exponent), codegen


# -- exponents and logarithms ---------------------------------------------------------------------

@register_jitable
def logaddexp(x, y):
    if x == y:  # also both infinite of one sign
        return x + typed(x, LN2)
    d = x - y
    if d > 0:
        return x + math_ieee.log1p(math_ieee.exp(-d))
    if d <= 0:
        return y + math_ieee.log1p(math_ieee.exp(d))
    return d  # nan


@register_jitable
def logaddexp2(x, y):
    if x == y:
        return x + typed(x, 1.0)
    d = x - y
    if d > 0:
        return x + typed(x, LOG2E) * math_ieee.log1p(math_ieee.exp2(-d))
    if d <= 0:
        return y + typed(y, LOG2E) * math_ieee.log1p(math_ieee.exp2(d))
    return d


@register_jitable
def float_power(x, y):
    return math_ieee.pow(x, y)


@register_jitable
def int_power(base, exponent):
    """Binary exponentiation in 64 bits: the loop type's wrapping follows from the cast (a
    negative exponent was rejected before the loop, see ufuncs._check_exponents)."""
    b, e = widen(base), widen(exponent)
    result = b if e & 1 else typed(b, 1)
    e >>= 1
    while e > 0:
        b *= b
        if e & 1:
            result *= b
        e >>= 1
    return result


@register_jitable
def square(x):
    return x * x


@register_jitable
def float_reciprocal(x):
    return div(typed(x, 1.0), x)


@register_jitable
def deg2rad(x):
    return x * (typed(x, math.pi) / typed(x, 180.0))


@register_jitable
def rad2deg(x):
    return x * (typed(x, 180.0) / typed(x, math.pi))


# -- division -------------------------------------------------------------------------------------

@register_jitable
def float_divmod(a, b):
    """NumPy's npy_divmod: (floor quotient, remainder with the divisor's sign)."""
    mod = math_ieee.fmod(a, b)
    if b == 0:
        return div(a, b), mod
    quotient = div(a - mod, b)
    if mod:
        if (b < 0) != (mod < 0):
            mod += b
            quotient -= typed(a, 1.0)
    else:
        mod = copysign(typed(a, 0.0), b)
    if quotient:
        floordiv = floor(quotient)
        if quotient - floordiv > typed(a, 0.5):
            floordiv += typed(a, 1.0)
    else:
        floordiv = copysign(typed(a, 0.0), div(a, b))
    return floordiv, mod


@register_jitable
def float_floor_divide(a, b):
    return float_divmod(a, b)[0]


@register_jitable
def float_remainder(a, b):
    return float_divmod(a, b)[1]


@register_jitable
def signed_divmod(a, b):
    """NumPy's answers where C would trap: a zero divisor gives 0, MIN // -1 wraps."""
    if b == 0:
        return b, b
    if b == -1:
        return -a, b - b
    return a // b, a % b


@register_jitable
def unsigned_divmod(a, b):
    if b == 0:
        return b, b
    return a // b, a % b


@register_jitable
def signed_fmod(a, b):
    """C's remainder (the dividend's sign); 0 for a zero divisor, as NumPy's loop gives."""
    if b == 0 or b == -1:
        return b - b
    r = a % b
    if r != 0 and (r < 0) != (a < 0):
        r -= b
    return r


@register_jitable
def unsigned_fmod(a, b):
    return b if b == 0 else a % b


@register_jitable
def float_fmod(a, b):
    return math_ieee.fmod(a, b)


@register_jitable
def gcd(a, b):
    """Euclid's algorithm on the magnitudes, in uint64 (as NumPy's loop, for every int type)."""
    x, y = magnitude(a), magnitude(b)
    while y != 0:
        x, y = y, x % y
    return x


@register_jitable
def lcm(a, b):
    divisor = gcd(a, b)
    if divisor == 0:
        return divisor
    return magnitude(a) // divisor * magnitude(b)  # wraps as NumPy's does


# -- floating-point functions ---------------------------------------------------------------------

@register_jitable
def float_sign(x):
    if x > 0:
        return typed(x, 1.0)
    if x < 0:
        return typed(x, -1.0)
    return typed(x, 0.0) if x == 0 else x  # nan stays nan


@register_jitable
def int_sign(x):
    return (x > 0) - (x < 0)


@register_jitable
def float_maximum(a, b):  # NumPy's: nan propagates; of equal values the second
    return a if a > b or a != a else b


@register_jitable
def float_minimum(a, b):
    return a if a < b or a != a else b


@register_jitable
def fmax(a, b):  # nan ignored (NumPy's loops differ on which of two equal zeros they give)
    return a if a >= b or b != b else b


@register_jitable
def fmin(a, b):
    return a if a <= b or b != b else b


@register_jitable
def float_isnan(x):
    return x != x


@register_jitable
def float_isinf(x):
    return fabs(x) == typed(x, math.inf)


@register_jitable
def float_isfinite(x):
    return fabs(x) < typed(x, math.inf)


@register_jitable
def never(x):
    return False


@register_jitable
def always(x):
    return True


@register_jitable
def modf(x):
    whole = trunc(x)
    if fabs(x) == typed(x, math.inf):
        return copysign(typed(x, 0.0), x), whole
    return copysign(x - whole, x), whole


@register_jitable
def frexp(x):
    return c_frexp(x)


@register_jitable
def ldexp(x, exponent):
    return c_ldexp(x, min(max(exponent, -2147483648), 2147483647))


@register_jitable
def spacing(x):
    if x != x or fabs(x) == typed(x, math.inf):
        return typed(x, math.nan)
    if x == 0:
        return nextafter(typed(x, 0.0), typed(x, 1.0))
    return nextafter(x, copysign(typed(x, math.inf), x)) - x


@register_jitable
def heaviside(x, h0):  # NumPy's: NaN for NaN, h0 at zero, else the step
    if x != x:
        return typed(x, math.nan)
    if x == 0:
        return h0
    return typed(x, 0.0) if x < 0 else typed(x, 1.0)


@register_jitable
def identity(x):
    return x


@register_jitable
def float_signbit(x):
    return signbit(x)
