"""One element of the complex ufuncs, on (real, imag) pairs of the loop's float type.

A complex input arrives as two arguments and a complex result leaves as a (real, imag) pair,
so every computation stays in the loop's float type (complex64 loops compute in float32, as
NumPy's do). Formulas follow the C99 definitions NumPy's npymath uses; special values (zero,
inf, nan parts) are handled where the plain formula would give a different answer.
"""
from __future__ import annotations

import math

from ...extending import register_jitable
from .. import math_ieee
from .ufunc_elements import (LN2, LOG2E, copysign, div, fabs, float_isnan, hypot, rint, trunc,
                             typed)

LOG10E = 1.0 / math.log(10.0)


@register_jitable
def _isinf(x):
    return fabs(x) == typed(x, math.inf)


# -- arithmetic -----------------------------------------------------------------------------------

@register_jitable
def divide(ar, ai, br, bi):
    """NumPy's complex division (Smith's algorithm; a zero divisor gives inf/nan parts)."""
    abs_br, abs_bi = fabs(br), fabs(bi)
    if abs_br >= abs_bi:
        if abs_br == 0 and abs_bi == 0:
            return div(ar, abs_br), div(ai, abs_br)
        rat = div(bi, br)
        scl = div(typed(ar, 1.0), br + bi * rat)
        return (ar + ai * rat) * scl, (ai - ar * rat) * scl
    rat = div(br, bi)
    scl = div(typed(ar, 1.0), bi + br * rat)
    return (ar * rat + ai) * scl, (ai * rat - ar) * scl


@register_jitable
def reciprocal(r, i):
    if fabs(i) <= fabs(r):
        rat = div(i, r)
        d = r + i * rat
        return div(typed(r, 1.0), d), div(-rat, d)
    rat = div(r, i)
    d = r * rat + i
    return div(rat, d), div(typed(r, -1.0), d)


@register_jitable
def square(r, i):
    return r * r - i * i, r * i + i * r


@register_jitable
def multiply(ar, ai, br, bi):
    return ar * br - ai * bi, ar * bi + ai * br


@register_jitable
def power(ar, ai, br, bi):
    """NumPy's npy_cpow: small integer exponents by repeated multiplication, else exp(b log a)."""
    zero, one = typed(ar, 0.0), typed(ar, 1.0)
    if br == 0 and bi == 0:
        return one, zero
    if ar == 0 and ai == 0:
        if br > 0:
            return zero, zero
        return typed(ar, math.nan), typed(ar, math.nan)
    if bi == 0 and fabs(br) < 100 and br == trunc(br):
        return _integer_power(ar, ai, int(br))
    lr, li = log(ar, ai)
    er, ei = multiply(br, bi, lr, li)
    return exp(er, ei)


@register_jitable
def _integer_power(ar, ai, n):
    if n == 1:
        return ar, ai
    if n == 2:
        return multiply(ar, ai, ar, ai)
    if n == 3:
        sr, si = multiply(ar, ai, ar, ai)
        return multiply(sr, si, ar, ai)
    rr, ri = typed(ar, 1.0), typed(ar, 0.0)
    pr, pi = ar, ai
    mask = abs(n)
    while mask > 0:
        if mask & 1:
            rr, ri = multiply(rr, ri, pr, pi)
        mask >>= 1
        if mask > 0:
            pr, pi = multiply(pr, pi, pr, pi)
    if n < 0:
        return divide(typed(ar, 1.0), typed(ar, 0.0), rr, ri)
    return rr, ri


@register_jitable
def absolute(r, i):
    return hypot(r, i)


@register_jitable
def conjugate(r, i):
    return r, -i


@register_jitable
def complex_rint(r, i):
    return rint(r), rint(i)


@register_jitable
def sign(r, i):
    """NumPy 2: z / |z|, with 0 for 0 and unit parts along an infinite axis."""
    size = hypot(r, i)
    zero, one = typed(r, 0.0), typed(r, 1.0)
    if size == 0:
        return zero, zero
    if _isinf(size):
        if _isinf(r) and _isinf(i):
            return typed(r, math.nan), typed(r, math.nan)
        if _isinf(r):
            return (one if r > 0 else -one), zero
        return zero, (one if i > 0 else -one)
    if size != size:
        return typed(r, math.nan), typed(r, math.nan)
    return div(r, size), div(i, size)


# -- exponents and logarithms ---------------------------------------------------------------------

@register_jitable
def exp(r, i):
    if i == 0:  # keeps a signed zero imaginary part and avoids inf * 0
        return math_ieee.exp(r), i
    scale = math_ieee.exp(r)
    return scale * math_ieee.cos(i), scale * math_ieee.sin(i)


@register_jitable
def exp2(r, i):
    return exp(r * typed(r, LN2), i * typed(r, LN2))


@register_jitable
def expm1(r, i):
    half = math_ieee.sin(i * typed(r, 0.5))
    return (math_ieee.expm1(r) * math_ieee.cos(i) - typed(r, 2.0) * half * half,
            math_ieee.exp(r) * math_ieee.sin(i))


@register_jitable
def log(r, i):
    return math_ieee.log(hypot(r, i)), math.atan2(i, r)


@register_jitable
def log2(r, i):
    lr, li = log(r, i)
    return lr * typed(r, LOG2E), li * typed(r, LOG2E)


@register_jitable
def log10(r, i):
    lr, li = log(r, i)
    return lr * typed(r, LOG10E), li * typed(r, LOG10E)


@register_jitable
def log1p(r, i):
    shifted = r + typed(r, 1.0)
    return math_ieee.log(hypot(shifted, i)), math.atan2(i, shifted)


@register_jitable
def sqrt(r, i):
    """The C99 csqrt algorithm (FreeBSD's, which npymath carries)."""
    zero = typed(r, 0.0)
    if r == 0 and i == 0:
        return zero, i
    if _isinf(i):
        return typed(r, math.inf), i
    if r != r:
        return r, div(i - i, i - i)
    if _isinf(r):
        if r < 0:
            return fabs(i - i), copysign(r, i)
        return r, copysign(i - i, i)
    if r >= 0:
        t = math_ieee.sqrt((r + hypot(r, i)) * typed(r, 0.5))
        return t, div(i, typed(r, 2.0) * t)
    t = math_ieee.sqrt((-r + hypot(r, i)) * typed(r, 0.5))
    return div(fabs(i), typed(r, 2.0) * t), copysign(t, i)


# -- trigonometric and hyperbolic -----------------------------------------------------------------

@register_jitable
def sin(r, i):
    return math_ieee.sin(r) * math_ieee.cosh(i), math_ieee.cos(r) * math_ieee.sinh(i)


@register_jitable
def cos(r, i):
    return math_ieee.cos(r) * math_ieee.cosh(i), -(math_ieee.sin(r) * math_ieee.sinh(i))


@register_jitable
def sinh(r, i):
    return math_ieee.sinh(r) * math_ieee.cos(i), math_ieee.cosh(r) * math_ieee.sin(i)


@register_jitable
def cosh(r, i):
    return math_ieee.cosh(r) * math_ieee.cos(i), math_ieee.sinh(r) * math_ieee.sin(i)


@register_jitable
def tanh(r, i):
    """Kahan's formula; exp(-2|r|) carries the imaginary part where cosh would overflow."""
    if fabs(r) >= typed(r, 22.0):
        small = math_ieee.exp(typed(r, -2.0) * fabs(r))
        return copysign(typed(r, 1.0), r), typed(r, 4.0) * math_ieee.sin(i) * math_ieee.cos(i) * small
    t = math_ieee.tan(i)
    beta = typed(r, 1.0) + t * t
    s = math_ieee.sinh(r)
    rho = math_ieee.sqrt(typed(r, 1.0) + s * s)
    denom = typed(r, 1.0) + beta * s * s
    return div(beta * rho * s, denom), div(t, denom)


@register_jitable
def tan(r, i):  # tan z = -i tanh(i z)
    tr, ti = tanh(-i, r)
    return ti, -tr


@register_jitable
def arcsinh(r, i):
    """log(z + sqrt(z*z + 1)), computed for re >= 0 (asinh is odd) to avoid cancellation."""
    flip = r < 0 or (r == 0 and copysign(typed(r, 1.0), r) < 0)
    if flip:
        r, i = -r, -i
    zr, zi = square(r, i)
    sr, si = sqrt(zr + typed(r, 1.0), zi)
    lr, li = log(r + sr, i + si)
    return (-lr, -li) if flip else (lr, li)


@register_jitable
def arcsin(r, i):  # asin z = -i asinh(i z)
    hr, hi = arcsinh(-i, r)
    return hi, -hr


@register_jitable
def arccos(r, i):  # acos z = pi/2 - asin z
    ar, ai = arcsin(r, i)
    return typed(r, math.pi / 2) - ar, -ai


@register_jitable
def arctanh(r, i):  # (log1p(z) - log1p(-z)) / 2
    pr, pi = log1p(r, i)
    nr, ni = log1p(-r, -i)
    return (pr - nr) * typed(r, 0.5), (pi - ni) * typed(r, 0.5)


@register_jitable
def arctan(r, i):  # atan z = -i atanh(i z)
    hr, hi = arctanh(-i, r)
    return hi, -hr


@register_jitable
def arccosh(r, i):  # log(z + sqrt(z + 1) sqrt(z - 1))
    ar, ai = sqrt(r + typed(r, 1.0), i)
    br, bi = sqrt(r - typed(r, 1.0), i)
    pr, pi = multiply(ar, ai, br, bi)
    return log(r + pr, i + pi)


# -- comparisons and predicates (NumPy orders complex numbers lexicographically) ------------------

@register_jitable
def less(ar, ai, br, bi):
    return ar < br or (ar == br and ai < bi)


@register_jitable
def less_equal(ar, ai, br, bi):
    return ar < br or (ar == br and ai <= bi)


@register_jitable
def greater(ar, ai, br, bi):
    return ar > br or (ar == br and ai > bi)


@register_jitable
def greater_equal(ar, ai, br, bi):
    return ar > br or (ar == br and ai >= bi)


@register_jitable
def maximum(ar, ai, br, bi):
    if greater_equal(ar, ai, br, bi) or ar != ar or ai != ai:
        return ar, ai
    return br, bi


@register_jitable
def minimum(ar, ai, br, bi):
    if less_equal(ar, ai, br, bi) or ar != ar or ai != ai:
        return ar, ai
    return br, bi


@register_jitable
def fmax(ar, ai, br, bi):
    if greater_equal(ar, ai, br, bi) or br != br or bi != bi:
        return ar, ai
    return br, bi


@register_jitable
def fmin(ar, ai, br, bi):
    if less_equal(ar, ai, br, bi) or br != br or bi != bi:
        return ar, ai
    return br, bi


@register_jitable
def isnan(r, i):
    return float_isnan(r) or float_isnan(i)


@register_jitable
def isinf(r, i):
    return _isinf(r) or _isinf(i)


@register_jitable
def isfinite(r, i):
    return fabs(r) < typed(r, math.inf) and fabs(i) < typed(r, math.inf)
