"""gen_continuous: the continuous distributions of np.random.Generator as native
algorithms, written from the methods NumPy documents for its Generator (Marsaglia-Tsang gamma,
Johnk's beta, the von Mises rejection of Best and Fisher, inversions), in NumPy's order of
operations so that a draw consumes the same bits and rounds the same way."""
from __future__ import annotations

import math

import numpy as np

from ...extending import register_jitable
from .gen_core import next_double
from .. import math_ieee
from .gen_ziggurat import (c_logf, c_powf, next_float, standard_exponential,
                                 standard_exponential_f, standard_normal, standard_normal_f)


@register_jitable
def _gamma_small_shape(g, shape):
    """Shape below 1: Johnk/Ahrens-Dieter rejection against an exponential."""
    while True:
        u = next_double(g)
        v = standard_exponential(g)
        if u <= 1.0 - shape:
            x = math_ieee.pow(u, 1.0 / shape)
            if x <= v:
                return x
        else:
            y = -math_ieee.log((1 - u) / shape)
            x = math_ieee.pow(1.0 - shape + shape * y, 1.0 / shape)
            if x <= v + y:
                return x


@register_jitable
def standard_gamma(g, shape):
    if shape == 1.0:
        return standard_exponential(g)
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        return _gamma_small_shape(g, shape)
    b = shape - 1.0 / 3.0
    c = 1.0 / math_ieee.sqrt(9 * b)
    while True:
        x = standard_normal(g)
        v = 1.0 + c * x
        while v <= 0.0:
            x = standard_normal(g)
            v = 1.0 + c * x
        v = v * v * v
        u = next_double(g)
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if math_ieee.log(u) < 0.5 * x * x + b * (1.0 - v + math_ieee.log(v)):
            return b * v


@register_jitable
def _gamma_small_shape_f(g, shape):
    one = np.float32(1.0)
    while True:
        u = next_float(g)
        v = standard_exponential_f(g)
        if u <= one - shape:
            x = c_powf(u, one / shape)
            if x <= v:
                return x
        else:
            y = -c_logf(np.float32((one - u) / shape))
            x = c_powf(np.float32(one - shape + shape * y), one / shape)
            if x <= v + y:
                return x


@register_jitable
def standard_gamma_f(g, shape_arg):
    """The float32 flavour (NumPy computes it in single precision throughout)."""
    shape = np.float32(shape_arg)
    one = np.float32(1.0)
    if shape == one:
        return standard_exponential_f(g)
    if shape == np.float32(0.0):
        return np.float32(0.0)
    if shape < one:
        return _gamma_small_shape_f(g, shape)
    b = np.float32(shape - np.float32(1.0 / 3.0))
    c = np.float32(one / np.float32(math_ieee.sqrt(np.float32(9.0) * b)))
    while True:
        x = standard_normal_f(g)
        v = np.float32(one + c * x)
        while v <= np.float32(0.0):
            x = standard_normal_f(g)
            v = np.float32(one + c * x)
        v = np.float32(v * v * v)
        u = next_float(g)
        if u < one - np.float32(0.0331) * (x * x) * (x * x):
            return np.float32(b * v)
        if c_logf(u) < np.float32(0.5) * x * x + b * (one - v + c_logf(v)):
            return np.float32(b * v)


@register_jitable
def gamma(g, shape, scale):
    return scale * standard_gamma(g, shape)


@register_jitable
def _beta_johnk(g, a, b):
    while True:
        u = next_double(g)
        v = next_double(g)
        x = math_ieee.pow(u, 1.0 / a)
        y = math_ieee.pow(v, 1.0 / b)
        xpy = x + y
        if xpy <= 1.0 and u + v > 0.0:
            if xpy > 0:
                return x / xpy
            # both powers underflowed: divide in logarithms
            log_x = math_ieee.log(u) / a
            log_y = math_ieee.log(v) / b
            log_m = max(log_x, log_y)
            log_x -= log_m
            log_y -= log_m
            return math_ieee.exp(log_x - math_ieee.log(math_ieee.exp(log_x) + math_ieee.exp(log_y)))


@register_jitable
def beta(g, a, b):
    if a < 3e-103 and b < 3e-103:
        # both powers would underflow: the distribution is Bernoulli(a / (a + b)) to within
        # double precision
        return 1.0 if next_double(g) < a / (a + b) else 0.0
    if a <= 1.0 and b <= 1.0:
        return _beta_johnk(g, a, b)
    ga = standard_gamma(g, a)
    gb = standard_gamma(g, b)
    return ga / (ga + gb)


@register_jitable
def chisquare(g, df):
    return 2.0 * standard_gamma(g, df / 2.0)


@register_jitable
def f(g, dfnum, dfden):
    return (chisquare(g, dfnum) * dfden) / (chisquare(g, dfden) * dfnum)


@register_jitable
def standard_cauchy(g):
    return standard_normal(g) / standard_normal(g)


@register_jitable
def standard_t(g, df):
    num = standard_normal(g)
    denom = standard_gamma(g, df / 2)
    return math_ieee.sqrt(df / 2) * num / math_ieee.sqrt(denom)


@register_jitable
def pareto(g, a):
    return math_ieee.expm1(standard_exponential(g) / a)


@register_jitable
def weibull(g, a):
    if a == 0.0:
        return 0.0
    return math_ieee.pow(standard_exponential(g), 1.0 / a)


@register_jitable
def power(g, a):
    return math_ieee.pow(-math_ieee.expm1(-standard_exponential(g)), 1.0 / a)


@register_jitable
def laplace(g, loc, scale):
    while True:
        u = next_double(g)
        if u >= 0.5:
            return loc - scale * math_ieee.log(2.0 - u - u)
        if u > 0.0:
            return loc + scale * math_ieee.log(u + u)


@register_jitable
def gumbel(g, loc, scale):
    while True:
        u = 1.0 - next_double(g)
        if u < 1.0:
            return loc - scale * math_ieee.log(-math_ieee.log(u))


@register_jitable
def logistic(g, loc, scale):
    while True:
        u = next_double(g)
        if u > 0.0:
            return loc + scale * math_ieee.log(u / (1.0 - u))


@register_jitable
def lognormal(g, mean, sigma):
    return math_ieee.exp(mean + sigma * standard_normal(g))


@register_jitable
def rayleigh(g, mode):
    return mode * math_ieee.sqrt(2.0 * standard_exponential(g))


@register_jitable
def wald(g, mean, scale):
    """Michael, Schucany and Haas's transformation, in the cancellation-free form NumPy's
    Generator uses: the smaller root is mean * (1 - 2 / (1 + sqrt(1 + 4 scale / Y)))."""
    y = standard_normal(g)
    y = mean * y * y
    x = mean * (1 - 2 / (1 + math_ieee.sqrt(1 + 4 * scale / y)))
    if next_double(g) <= mean / (mean + x):
        return x
    return mean * mean / x


@register_jitable
def triangular(g, left, mode, right):
    base = right - left
    leftbase = mode - left
    ratio = leftbase / base
    leftprod = leftbase * base
    rightprod = (right - mode) * base
    u = next_double(g)
    if u <= ratio:
        return left + math_ieee.sqrt(u * leftprod)
    return right - math_ieee.sqrt((1.0 - u) * rightprod)


@register_jitable
def _vonmises_s(kappa):
    """The envelope parameter s of Best and Fisher's method."""
    if kappa < 1e-5:
        return 1.0 / kappa + kappa   # second-order expansion: rho vanishes in doubles
    r = 1 + math_ieee.sqrt(1 + 4 * kappa * kappa)
    rho = (r - math_ieee.sqrt(2 * r)) / (2 * kappa)
    return (1 + rho * rho) / (2 * rho)


@register_jitable
def _wrapped_normal(g, mu, kappa):
    """Very concentrated von Mises: the wrapped normal it converges to."""
    result = mu + math_ieee.sqrt(1.0 / kappa) * standard_normal(g)
    if result < -math.pi:
        result += 2 * math.pi
    if result > math.pi:
        result -= 2 * math.pi
    return result


@register_jitable
def vonmises(g, mu, kappa):
    if math.isnan(kappa):
        return math.nan
    if kappa < 1e-8:
        return math.pi * (2 * next_double(g) - 1)
    if kappa > 1e6:
        return _wrapped_normal(g, mu, kappa)
    s = _vonmises_s(kappa)
    while True:
        z = math_ieee.cos(math.pi * next_double(g))
        w = (1 + s * z) / (s + z)
        y = kappa * (s - w)
        v = next_double(g)
        if y * (2 - y) - v >= 0 or math_ieee.log(y / v) + 1 - y >= 0:
            break
    result = math_ieee.acos(w)
    if next_double(g) < 0.5:
        result = -result
    result += mu
    mod = math_ieee.fmod(abs(result) + math.pi, 2 * math.pi) - math.pi
    return -mod if result < 0 else mod
