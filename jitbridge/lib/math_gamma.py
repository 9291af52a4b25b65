"""math.gamma and math.lgamma with CPython's results to the last bit, and its errors.

CPython does not call the C library here: it evaluates Lanczos' approximation itself, with
the N=13, g=6.0246800407767... coefficients that Godfrey's method gives (as published in
Boost's `lanczos13m53`), exact factorials for small integers and the reflection formula for
negative arguments. The same sums in the same order (and the C library's exp, pow, log, sin
and cos, as CPython's) give the same doubles. Poles (0, negative integers, -inf) raise
ValueError, overflows OverflowError; error_model='numpy' gives IEEE's inf and nan instead."""
from __future__ import annotations

import math

from .. import types
from ..extending import overload, register_jitable
from . import math_ieee as ieee
from .math_errors import DOMAIN, RANGE, python_error_model

LANCZOS_G = 6.024680040776729583740234375
LANCZOS_G_MINUS_HALF = 5.524680040776729583740234375
#: the rational function's numerator and denominator, constant term first; the denominator
#: is x (x + 1) ... (x + 11) expanded
NUMERATOR = (
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408)
DENOMINATOR = (0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0,
               13339535.0, 2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0)
#: gamma(n) = (n - 1)! for n = 1 ... 23, exact in a double
FACTORIALS = tuple(float(math.factorial(k)) for k in range(23))
LOG_PI = 1.144729885849400174143427351353058711647


@register_jitable
def _lanczos_sum(x):
    """The rational function at x > 0; from 5 on, in powers of 1/x (no overflow, and more
    accurate there)."""
    num = den = 0.0
    if x < 5.0:
        for i in range(len(NUMERATOR) - 1, -1, -1):
            num = num * x + NUMERATOR[i]
            den = den * x + DENOMINATOR[i]
    else:
        for i in range(len(NUMERATOR)):
            num = num / x + NUMERATOR[i]
            den = den / x + DENOMINATOR[i]
    return num / den


@register_jitable
def _sin_pi(x):
    """sin(pi * x) for finite x, reduced to a quarter period first (exact zeros at integers)."""
    y = ieee.fmod(abs(x), 2.0)
    quarter = int(ieee.round(2.0 * y))
    if quarter == 0:
        r = ieee.sin(math.pi * y)
    elif quarter == 1:
        r = ieee.cos(math.pi * (y - 0.5))
    elif quarter == 2:
        r = ieee.sin(math.pi * (1.0 - y))  # (not -sin(pi * (y - 1)): -0.0 at y == 1)
    elif quarter == 3:
        r = -ieee.cos(math.pi * (y - 1.5))
    else:
        r = ieee.sin(math.pi * (y - 2.0))
    return ieee.copysign(1.0, x) * r


@register_jitable
def _domain_error(ieee_result):
    if python_error_model():
        raise ValueError(DOMAIN)
    return ieee_result


@register_jitable
def _range_checked(result):
    if python_error_model() and math.isinf(result):
        raise OverflowError(RANGE)
    return result


@register_jitable
def _lanczos_correction(absx, y):
    """The rounding error of y = absx + (g - 1/2), scaled: restores the bits y lost."""
    if absx > LANCZOS_G_MINUS_HALF:
        z = (y - absx) - LANCZOS_G_MINUS_HALF
    else:
        z = (y - LANCZOS_G_MINUS_HALF) - absx
    return z * LANCZOS_G / y


@register_jitable
def _gamma_lanczos(x, absx):
    """gamma(x) for 1e-20 <= |x| <= 200, x not an integer below 24."""
    y = absx + LANCZOS_G_MINUS_HALF
    z = _lanczos_correction(absx, y)
    if x < 0.0:  # reflection: gamma(x) gamma(-x) = -pi / (x sin(pi x))
        r = -math.pi / _sin_pi(absx) / absx * ieee.exp(y) / _lanczos_sum(absx)
        r -= z * r
        if absx < 140.0:
            return r / ieee.pow(y, absx - 0.5)
        half_power = ieee.pow(y, absx / 2.0 - 0.25)  # (the whole power would overflow)
        return r / half_power / half_power
    r = _lanczos_sum(absx) / ieee.exp(y)
    r += z * r
    if absx < 140.0:
        return r * ieee.pow(y, absx - 0.5)
    half_power = ieee.pow(y, absx / 2.0 - 0.25)
    return r * half_power * half_power


@register_jitable
def _gamma(x):
    if not math.isfinite(x):
        return x if math.isnan(x) or x > 0.0 else _domain_error(math.nan)
    if x == 0.0:
        return _domain_error(ieee.copysign(math.inf, x))
    if x == ieee.floor(x):
        if x < 0.0:
            return _domain_error(math.nan)
        if x <= len(FACTORIALS):
            return FACTORIALS[int(x) - 1]
    absx = abs(x)
    if absx < 1e-20:  # gamma(x) ~ 1 / x
        return _range_checked(1.0 / x)
    if absx > 200.0:  # overflows; for negative x, underflows to a zero of sin's sign
        return 0.0 / _sin_pi(x) if x < 0.0 else _range_checked(math.inf)
    return _range_checked(_gamma_lanczos(x, absx))


@register_jitable
def _lgamma(x):
    if not math.isfinite(x):
        return abs(x)
    if x == ieee.floor(x) and x <= 2.0:
        return _domain_error(math.inf) if x <= 0.0 else 0.0
    absx = abs(x)
    if absx < 1e-20:  # lgamma(x) ~ -log|x|
        return -ieee.log(absx)
    r = ieee.log(_lanczos_sum(absx)) - LANCZOS_G
    r += (absx - 0.5) * (ieee.log(absx + LANCZOS_G - 0.5) - 1.0)
    if x < 0.0:  # reflection
        r = LOG_PI - ieee.log(abs(_sin_pi(absx))) - ieee.log(absx) - r
    return _range_checked(r)


def _result_type(x):
    """float32 for a float32 argument (computed in double, as CPython); float64 otherwise."""
    x = types.unliteral(x)
    if isinstance(x, (types.Integer, types.Boolean, types.Float)):
        return x if x == types.float32 else types.float64
    return None


@overload(math.gamma)
def gamma(x):
    result = _result_type(x)
    if result is not None:
        return lambda x: result(_gamma(float(x)))
    return None


@overload(math.lgamma)
def lgamma(x):
    result = _result_type(x)
    if result is not None:
        return lambda x: result(_lgamma(float(x)))
    return None
