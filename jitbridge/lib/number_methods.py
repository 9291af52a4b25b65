"""Builtins on numbers beyond the operators: round(x, ndigits), pow(base, exp, mod),
int.bit_length(), float.is_integer(). CPython's results are the reference."""
from __future__ import annotations

import math

import numpy as np

from llvmlite import ir

from .. import types
from ..extending import intrinsic, overload, overload_method, register_jitable

F64 = types.float64
TWO53 = 9007199254740992.0


# -- primitives --------------------------------------------------------------------------------

@intrinsic
def _fma(typingctx, a, b, c):
    """a * b + c rounded once."""
    if not all(isinstance(t, types.Float) for t in (a, b, c)):
        return None

    def codegen(context, builder, sig, args):
        values = [context.cast(builder, v, t, F64) for v, t in zip(args, sig.args)]
        fnty = ir.FunctionType(ir.DoubleType(), [ir.DoubleType()] * 3)
        return builder.call(builder.module.declare_intrinsic("llvm.fma", [ir.DoubleType()], fnty),
                            values)
    return F64(a, b, c), codegen


@intrinsic
def _floor(typingctx, x):
    """floor(x) as a float (math.floor gives an int, which overflows for huge x)."""
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, sig, args):
        value = context.cast(builder, args[0], sig.args[0], F64)
        fnty = ir.FunctionType(ir.DoubleType(), [ir.DoubleType()])
        return builder.call(builder.module.declare_intrinsic("llvm.floor", [ir.DoubleType()],
                                                             fnty), [value])
    return F64(x), codegen


@intrinsic
def _leading_zeros(typingctx, x):
    """The number of leading zero bits of the 64-bit unsigned `x`."""
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        value = context.cast(builder, args[0], sig.args[0], types.uint64)
        fnty = ir.FunctionType(value.type, [value.type, ir.IntType(1)])
        ctlz = builder.module.declare_intrinsic("llvm.ctlz", [value.type], fnty)
        return builder.call(ctlz, [value, ir.Constant(ir.IntType(1), 0)])
    return types.int64(x), codegen


# -- round(x, ndigits) ---------------------------------------------------------------------------

def _pow10_table(limit: int, shift: int):
    """10**n / 2**shift for n < limit as (hi, lo) double-doubles (hi + lo is exact to about
    106 bits). Integer true division rounds correctly, as Fraction's would, in a quarter of
    the time (this runs at import)."""
    his, los, scale = [], [], 2 ** shift
    for n in range(limit):
        exact = 10 ** n
        hi = exact / scale
        p, q = hi.as_integer_ratio()
        his.append(hi)
        los.append((exact * q - p * scale) / (scale * q))  # (exact - hi), rounded
    return tuple(his), tuple(los)


#: 10**n for n <= 308; beyond, 10**n / 2**SHIFT, with the argument scaled by 2**SHIFT
SHIFT = 200
P10_HI, P10_LO = _pow10_table(309, 0)
P10S_HI, P10S_LO = _pow10_table(324, SHIFT)
TWO_SHIFT = 2.0 ** SHIFT


@register_jitable
def _pow10(n):
    """10**n (0 <= n <= 323) as a double-double (hi, lo) and the power of two it is divided by."""
    if n <= 308:
        return P10_HI[n], P10_LO[n], 1.0
    return P10S_HI[n], P10S_LO[n], TWO_SHIFT


@register_jitable
def _normalized(a, b):
    """(s, t): s = fl(a + b), s + t == a + b exactly (|a| >= |b|), so |t| <= ulp(s) / 2."""
    s = a + b
    return s, b - (s - a)


@register_jitable
def _times(x, hi, lo):
    """(p, e): p + e == x * (hi + lo) to about 106 bits, p the rounded product."""
    p = x * hi
    if not math.isfinite(p):  # overflowed: no remainder to carry
        return p, 0.0
    return _normalized(p, _fma(x, hi, -p) + x * lo)


@register_jitable
def _over(x, hi, lo):
    """(q, c): q + c == x / (hi + lo) to about 106 bits, q the rounded quotient."""
    q = x / hi
    return _normalized(q, (_fma(-q, hi, x) - q * lo) / hi)


@register_jitable
def _is_even(f):
    return _floor(f * 0.5) * 2.0 == f


@register_jitable
def _round_half_even(p, e):
    """The integer nearest to the exact value p + e (|e| <= ulp(p) / 2), ties to even."""
    f = _floor(p)
    frac = p - f
    if frac == 0.0 and e == -0.5:
        return f if _is_even(f) else f - 1.0
    s = (frac - 0.5) + e
    if s > 0.0 or (s == 0.0 and not _is_even(f)):
        return f + 1.0
    return f


@register_jitable
def _round_up_digits(x, n):
    """round(x, n) for 0 <= n <= 323: x * 10**n rounded to an integer, divided back."""
    hi, lo, scale = _pow10(n)
    p, e = _times(x * scale, hi, lo)
    if not abs(p) < TWO53:  # (or infinite)
        return x  # every decimal of x beyond the n-th lies below its last bit
    q, c = _over(_round_half_even(p, e), hi, lo)
    return (q + c) / scale


@register_jitable
def _round_down_digits(x, n):
    """round(x, -n) for 0 < n <= 308: x / 10**n rounded to an integer, multiplied back."""
    hi, lo, _ = _pow10(n)
    q, c = _over(x, hi, lo)
    if not abs(q) < TWO53:
        return x
    p, e = _times(_round_half_even(q, c), hi, lo)
    return p + e


@register_jitable
def round_float(x, n):
    """round(x, n) for a float, as CPython's correctly rounded result."""
    if not math.isfinite(x) or x == 0.0 or n > 323:
        return x
    if n < -308:
        return math.copysign(0.0, x)
    result = _round_up_digits(x, n) if n >= 0 else _round_down_digits(x, -n)
    if math.isinf(result):
        raise OverflowError("rounded value too large to represent")
    return math.copysign(result, x)


@register_jitable
def round_int(x, n):
    """round(x, n) for an int: x itself for n >= 0, else the nearest multiple of 10**-n."""
    if n >= 0:
        return x
    if n < -18:
        if abs(x) > 5 * 10 ** 18:
            raise OverflowError("round() result does not fit in int64")
        return 0
    m = 10 ** (-n)
    q, r = divmod(x, m)
    if 2 * r > m or (2 * r == m and q % 2 == 1):
        q += 1
    if q > (2 ** 63 - 1) // m or q < -(2 ** 63) // m:
        raise OverflowError("round() result does not fit in int64")
    return q * m


@overload(round)
def round_ndigits(x, ndigits=None):
    if isinstance(ndigits, (types.Omitted, types.NoneType)) or ndigits is None:
        if isinstance(ndigits, types.NoneType):  # round(x, None) is round(x)
            return lambda x, ndigits=None: round(x)
        return None
    if not isinstance(types.unliteral(ndigits), (types.Integer, types.Boolean)):
        return None
    if isinstance(x, types.Float):
        return lambda x, ndigits=None: round_float(x, ndigits)
    if isinstance(x, (types.Integer, types.Boolean)):
        return lambda x, ndigits=None: round_int(int(x), ndigits)
    return None


# -- pow(base, exp, mod) -------------------------------------------------------------------------

@register_jitable
def _addmod(a, b, m):
    """(a + b) % m for 0 <= a, b < m, without overflowing."""
    return a - (m - b) if a >= m - b else a + b


@register_jitable
def _mulmod(a, b, m):
    """(a * b) % m for 0 <= a, b < m, without overflowing (by doubling: no 128-bit division,
    which would need compiler-rt)."""
    if a < 3037000499 and b < 3037000499:  # the product fits in 63 bits
        return (a * b) % m
    result = a - a  # 0 of a's type: unsigned stays unsigned
    while b > 0:
        if b & 1:
            result = _addmod(result, a, m)
        a = _addmod(a, a, m)
        b >>= 1
    return result

@register_jitable
def _inverse(a, m):
    """The inverse of a modulo m (0 <= a < m), by the extended Euclidean algorithm."""
    r0, r1, s0, s1 = m, a, 0, 1
    while r1 != 0:
        q = r0 // r1
        r0, r1 = r1, r0 - q * r1
        s0, s1 = s1, s0 - q * s1
    if r0 != 1:
        raise ValueError("base is not invertible for the given modulus")
    return s0 % m


@register_jitable
def pow_mod(base, exp, mod):
    """Python's pow(base, exp, mod) for ints (a negative exponent inverts the base)."""
    if mod == 0:
        raise ValueError("pow() 3rd argument cannot be 0")
    m = abs(mod)
    b = base % m
    if exp < 0:
        b, exp = _inverse(b, m), -exp
    result = _power_mod(b, exp, m)
    return result - m if mod < 0 and result != 0 else result


@register_jitable
def _power_mod(b, exp, m):
    """b ** exp % m for 0 <= b < m and exp >= 0, by binary squaring."""
    result = (m - m + 1) % m  # 1 of m's type (0 when m == 1)
    while exp > 0:
        if exp & 1:
            result = _mulmod(result, b, m)
        b = _mulmod(b, b, m)
        exp >>= 1
    return result


@register_jitable
def pow_mod_unsigned(base, exp, mod):
    """pow(base, exp, mod) of unsigned ints: no sign, no inverse, the full uint64 range."""
    if mod == 0:
        raise ValueError("pow() 3rd argument cannot be 0")
    return _power_mod(base % mod, exp, mod)


@overload(pow)
def pow_three(base, exp, mod=None):
    if isinstance(mod, (types.Omitted, types.NoneType)) or mod is None:
        return None
    args = [types.unliteral(t) for t in (base, exp, mod)]
    if not all(isinstance(t, (types.Integer, types.Boolean)) for t in args):
        return None
    if all(isinstance(t, types.Integer) and not t.signed for t in args):
        return lambda base, exp, mod=None: pow_mod_unsigned(base, exp, mod)
    # mixed signs compute in int64 (as CPython would for every value below 2**63)
    return lambda base, exp, mod=None: pow_mod(np.int64(base), np.int64(exp), np.int64(mod))


# -- methods ---------------------------------------------------------------------------------------

@overload_method(types.Integer, "bit_length")
def int_bit_length(x):
    if x.signed:
        return lambda x: 64 - _leading_zeros(x if x >= 0 else -x)  # -(-2**63) wraps to 2**63
    return lambda x: 64 - _leading_zeros(x)


@overload_method(types.Boolean, "bit_length")
def bool_bit_length(x):
    return lambda x: 1 if x else 0


@overload_method(types.Float, "is_integer")
def float_is_integer(x):
    return lambda x: math.isfinite(x) and _floor(x) == x
