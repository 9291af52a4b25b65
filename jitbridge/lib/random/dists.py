"""dists: one draw of each of NumPy's legacy RandomState distributions, from a state of
`state` (`st`). They follow the algorithms NumPy documents for its legacy generator
(polar normals, Marsaglia-Tsang gammas on those normals, BTPE/inversion binomials, PTRS/
multiplication Poisson draws, HRUA/simple hypergeometric draws...), so that equal seeds give
equal values; `more` turns them into `np.random.*` overloads."""
from __future__ import annotations

import math

import numpy as np

from ...extending import register_jitable
from .state import legacy_gauss, next_double
from .. import math_ieee


@register_jitable
def ffloor(x):
    """floor(x) as a float (math.floor gives an int, which huge values overflow)."""
    if not abs(x) < 4503599627370496.0:  # 2**52: already integral, or inf/nan
        return x
    whole = float(int(x))
    return whole - 1.0 if whole > x else whole


@register_jitable
def std_exponential(st):
    return -math_ieee.log(1.0 - next_double(st))


@register_jitable
def _gamma_below_one(st, shape):
    while True:
        u = next_double(st)
        v = std_exponential(st)
        if u <= 1.0 - shape:
            x = u ** (1.0 / shape)
            if x <= v:
                break
        else:
            y = -math_ieee.log((1.0 - u) / shape)
            x = (1.0 - shape + shape * y) ** (1.0 / shape)
            if x <= v + y:
                break
    return x


@register_jitable
def std_gamma(st, shape):
    if shape == 1.0:
        return std_exponential(st)
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        return _gamma_below_one(st, shape)
    b = shape - 1.0 / 3.0
    c = 1.0 / math_ieee.sqrt(9.0 * b)
    while True:
        while True:
            x = legacy_gauss(st)
            v = 1.0 + c * x
            if v > 0.0:
                break
        v = v * v * v
        u = next_double(st)
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            break
        if math_ieee.log(u) < 0.5 * x * x + b * (1.0 - v + math_ieee.log(v)):
            break
    return b * v


@register_jitable
def _beta_johnk(st, a, b):
    while True:
        u = next_double(st)
        v = next_double(st)
        x = u ** (1.0 / a)
        y = v ** (1.0 / b)
        if x + y <= 1.0:
            break
    if x + y > 0:
        return x / (x + y)
    log_x = math_ieee.log(u) / a
    log_y = math_ieee.log(v) / b
    top = max(log_x, log_y)
    log_x -= top
    log_y -= top
    return math_ieee.exp(log_x - math_ieee.log(math_ieee.exp(log_x) + math_ieee.exp(log_y)))


@register_jitable
def beta(st, a, b):
    if a <= 1.0 and b <= 1.0:
        return _beta_johnk(st, a, b)
    ga = std_gamma(st, a)
    gb = std_gamma(st, b)
    return ga / (ga + gb)


@register_jitable
def chisquare(st, df):
    return 2.0 * std_gamma(st, df / 2.0)


@register_jitable
def noncentral_chisquare(st, df, nonc):
    if nonc == 0:
        return chisquare(st, df)
    if 1 < df:
        chi2 = chisquare(st, df - 1)
        n = legacy_gauss(st) + math_ieee.sqrt(nonc)
        return chi2 + n * n
    i = poisson(st, nonc / 2.0)
    out = chisquare(st, df + 2 * i)
    return np.nan if math.isnan(nonc) else out


@register_jitable
def standard_t(st, df):
    num = legacy_gauss(st)
    denom = std_gamma(st, df / 2)
    return math_ieee.sqrt(df / 2) * num / math_ieee.sqrt(denom)


@register_jitable
def wald(st, mean, scale):
    mu_2l = mean / (2 * scale)
    y = legacy_gauss(st)
    y = mean * y * y
    x = mean + mu_2l * (y - math_ieee.sqrt(4 * scale * y + y * y))
    if next_double(st) <= mean / (mean + x):
        return x
    return mean * mean / x


@register_jitable
def laplace(st, loc, scale):
    u = next_double(st)
    while u == 0.0:
        u = next_double(st)
    if u >= 0.5:
        return loc - scale * math_ieee.log(2.0 - u - u)
    return loc + scale * math_ieee.log(u + u)


@register_jitable
def gumbel(st, loc, scale):
    u = 1.0 - next_double(st)
    while u == 1.0:
        u = 1.0 - next_double(st)
    return loc - scale * math_ieee.log(-math_ieee.log(u))


@register_jitable
def logistic(st, loc, scale):
    u = next_double(st)
    while u == 0.0:
        u = next_double(st)
    return loc + scale * math_ieee.log(u / (1.0 - u))


@register_jitable
def triangular(st, left, mode, right):
    base = right - left
    leftbase = mode - left
    ratio = leftbase / base
    u = next_double(st)
    if u <= ratio:
        return left + math_ieee.sqrt(u * leftbase * base)
    return right - math_ieee.sqrt((1.0 - u) * (right - mode) * base)


@register_jitable
def vonmises(st, mu, kappa):
    if kappa < 1e-8:
        return math.pi * (2 * next_double(st) - 1)
    r = 1 + math_ieee.sqrt(1 + 4 * kappa * kappa)
    rho = (r - math_ieee.sqrt(2 * r)) / (2 * kappa)
    s = (1 + rho * rho) / (2 * rho)
    while True:
        z = math_ieee.cos(math.pi * next_double(st))
        w = (1 + s * z) / (s + z)
        y = kappa * (s - w)
        v = next_double(st)
        if y * (2 - y) - v >= 0 or math_ieee.log(y / v) + 1 - y >= 0:
            break
    result = math_ieee.acos(w)
    if next_double(st) < 0.5:
        result = -result
    result += mu
    mod = math_ieee.fmod(abs(result) + math.pi, 2 * math.pi) - math.pi
    return -mod if result < 0 else mod


# -- discrete distributions ------------------------------------------------------------------

@register_jitable
def loggam(x):
    """log(gamma(x)) by the series NumPy's generator uses (same rounding)."""
    if x == 1.0 or x == 2.0:
        return 0.0
    n = 0
    x0 = x
    if x <= 7.0:
        n = int(7 - x)
        x0 = x + n
    x2 = 1.0 / (x0 * x0)
    coeffs = (8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
              -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
              6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
              -1.39243221690590e+00)
    gl0 = coeffs[9]
    for k in range(8, -1, -1):
        gl0 = gl0 * x2 + coeffs[k]
    gl = gl0 / x0 + 0.5 * math_ieee.log(2 * math.pi) + (x0 - 0.5) * math_ieee.log(x0) - x0
    if x <= 7.0:
        for _ in range(n):
            gl -= math_ieee.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@register_jitable
def _poisson_mult(st, lam):
    enlam = math_ieee.exp(-lam)
    x = 0
    prod = 1.0
    prod *= next_double(st)
    while prod > enlam:
        x += 1
        prod *= next_double(st)
    return x


@register_jitable
def _poisson_ptrs(st, lam):
    slam = math_ieee.sqrt(lam)
    loglam = math_ieee.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = next_double(st) - 0.5
        v = next_double(st)
        us = 0.5 - abs(u)
        k = int(math.floor((2 * a / us + b) * u + lam + 0.43))
        if us >= 0.07 and v <= vr:
            break
        if k < 0 or (us < 0.013 and v > us):
            continue
        if math_ieee.log(v) + math_ieee.log(invalpha) - math_ieee.log(a / (us * us) + b) <= \
                -lam + k * loglam - loggam(k + 1):
            break
    return k


@register_jitable
def poisson(st, lam):
    if lam >= 10:
        return _poisson_ptrs(st, lam)
    if lam == 0:
        return 0
    return _poisson_mult(st, lam)


@register_jitable
def _binomial_inversion(st, n, p):
    q = 1.0 - p
    qn = math_ieee.exp(n * math_ieee.log(q))
    mean = n * p
    bound = int(min(float(n), mean + 10.0 * math_ieee.sqrt(mean * q + 1)))
    x = 0
    px = qn
    u = next_double(st)
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = next_double(st)
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@register_jitable
def binomial(st, n, p):
    """NumPy's legacy binomial: inversion for small means, else BTPE."""
    if p <= 0.5:
        if p * n <= 30.0:
            return _binomial_inversion(st, n, p)
        return btpe(st, n, p)
    q = 1.0 - p
    if q * n <= 30.0:
        return n - _binomial_inversion(st, n, q)
    return n - btpe(st, n, q)


@register_jitable
def binomial_nonzero(st, n, p):
    """The binomial draw multinomial uses: none at all for n == 0 or p == 0."""
    if n == 0 or p == 0.0:
        return 0
    return binomial(st, n, p)


@register_jitable
def _btpe_setup(n, p):
    r = min(p, 1.0 - p)
    q = 1.0 - r
    fm = n * r + r
    m = int(math.floor(fm))
    p1 = ffloor(2.195 * math_ieee.sqrt(n * r * q) - 4.6 * q) + 0.5
    xm = m + 0.5
    xl = xm - p1
    xr = xm + p1
    c = 0.134 + 20.5 / (15.3 + m)
    a = (fm - xl) / (fm - xl * r)
    laml = a * (1.0 + a / 2.0)
    a = (xr - fm) / (xr * q)
    lamr = a * (1.0 + a / 2.0)
    p2 = p1 * (1.0 + 2.0 * c)
    p3 = p2 + c / laml
    p4 = p3 + c / lamr
    return r, q, fm, m, p1, xm, xl, xr, c, laml, lamr, p2, p3, p4


@register_jitable
def _stirling_terms(x):
    x2 = x * x
    return (13680. - (462. - (132. - (99. - 140. / x2) / x2) / x2) / x2) / x / 166320.


@register_jitable
def _btpe_accepts(n, m, y, v, r, q, xm):
    """The acceptance test of BTPE's steps 50-52 for candidate y with variate v."""
    k = abs(y - m)
    nrq = n * r * q
    if not (k > 20 and k < nrq / 2.0 - 1):
        s = r / q
        a = s * (n + 1)
        f = 1.0
        if m < y:
            for i in range(m + 1, y + 1):
                f *= (a / i - s)
        elif m > y:
            for i in range(y + 1, m + 1):
                f /= (a / i - s)
        return v <= f
    rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5)
    t = -k * k / (2 * nrq)
    big_a = math_ieee.log(v)
    if big_a < t - rho:
        return True
    if big_a > t + rho:
        return False
    x1 = y + 1.0
    f1 = m + 1.0
    z = n + 1.0 - m
    w = n - y + 1.0
    bound = (xm * math_ieee.log(f1 / x1) + (n - m + 0.5) * math_ieee.log(z / w)
             + (y - m) * math_ieee.log(w * r / (x1 * q)) + _stirling_terms(f1) + _stirling_terms(z)
             + _stirling_terms(x1) + _stirling_terms(w))
    return not big_a > bound


@register_jitable
def btpe(st, n, p):
    r, q, fm, m, p1, xm, xl, xr, c, laml, lamr, p2, p3, p4 = _btpe_setup(n, p)
    while True:
        u = next_double(st) * p4
        v = next_double(st)
        if u <= p1:
            y = int(math.floor(xm - p1 * v + u))
            break
        if u <= p2:
            x = xl + (u - p1) / c
            v = v * c + 1.0 - abs(m - x + 0.5) / p1
            if v > 1.0:
                continue
            y = int(math.floor(x))
        elif u <= p3:
            y = int(math.floor(xl + math_ieee.log(v) / laml))
            if y < 0 or v == 0.0:
                continue
            v = v * (u - p2) * laml
        else:
            y = int(math.floor(xr - math_ieee.log(v) / lamr))
            if y > n or v == 0.0:
                continue
            v = v * (u - p3) * lamr
        if _btpe_accepts(n, m, y, v, r, q, xm):
            break
    return n - y if p > 0.5 else y


@register_jitable
def geometric(st, p):
    if p >= 0.333333333333333333333333:
        x = 1
        total = p
        prod = p
        q = 1.0 - p
        u = next_double(st)
        while u > total:
            prod *= q
            total += prod
            x += 1
        return x
    u, scale = next_double(st), math_ieee.log(1.0 - p)
    draw = math_ieee.log(1.0 - u) / scale if scale != 0.0 else math.inf  # (C: +-inf or NaN)
    if not -9.223372036854775807e18 <= draw < 9.223372036854775807e18:
        return -9223372036854775808  # (NumPy's C cast of a draw beyond int64, on x86)
    return int(math.ceil(draw))


@register_jitable
def logseries(st, p):
    r = math_ieee.log(1.0 - p)
    result = 0
    while result == 0:
        v = next_double(st)
        if v >= p:
            return 1
        q = 1.0 - math_ieee.exp(r * next_double(st))
        if v > q * q:
            return 1 if v >= q else 2
        result = int(math.floor(1 + math_ieee.log(v) / math_ieee.log(q)))
        if result < 1 or v == 0.0:
            result = 0
    return result


@register_jitable
def zipf(st, a):
    am1 = a - 1.0
    b = 2.0 ** am1
    while True:
        u = 1.0 - next_double(st)
        v = next_double(st)
        x = ffloor(u ** (-1.0 / am1))
        if x > 9223372036854775807.0 or x < 1.0:
            continue
        t = (1.0 + 1.0 / x) ** am1
        if v * x * (t - 1.0) / (b - 1.0) <= t / b:
            break
    return int(x)


@register_jitable
def _hypergeometric_simple(st, good, bad, sample):
    d1 = bad + good - sample
    d2 = float(min(bad, good))
    y = d2
    k = sample
    while y > 0.0:
        u = next_double(st)
        y -= int(math.floor(u + y / (d1 + k)))
        k -= 1
        if k == 0:
            break
    z = int(d2 - y)
    return sample - z if good > bad else z


@register_jitable
def _hrua_log_weight(z, mingoodbad, m, maxgoodbad):
    return (loggam(z + 1) + loggam(mingoodbad - z + 1) + loggam(m - z + 1)
            + loggam(maxgoodbad - m + z + 1))


@register_jitable
def _hypergeometric_hrua(st, good, bad, sample):
    mingoodbad = min(good, bad)
    popsize = good + bad
    maxgoodbad = max(good, bad)
    m = min(sample, popsize - sample)
    d4 = mingoodbad / popsize
    d5 = 1.0 - d4
    d6 = m * d4 + 0.5
    d7 = math_ieee.sqrt(float(popsize - m) * sample * d4 * d5 / (popsize - 1) + 0.5)
    d8 = 1.7155277699214135 * d7 + 0.8989161620588988
    d9 = int(math.floor(float(m + 1) * (mingoodbad + 1) / (popsize + 2)))
    d10 = _hrua_log_weight(d9, mingoodbad, m, maxgoodbad)
    d11 = min(min(m, mingoodbad) + 1.0, ffloor(d6 + 16 * d7))
    while True:
        x = next_double(st)
        y = next_double(st)
        w = d6 + d8 * (y - 0.5) / x
        if w < 0.0 or w >= d11:
            continue
        z = int(math.floor(w))
        t = d10 - _hrua_log_weight(z, mingoodbad, m, maxgoodbad)
        if x * (4.0 - x) - 3.0 <= t:
            break
        if x * (x - t) >= 1:
            continue
        if 2.0 * math_ieee.log(x) <= t:
            break
    if good > bad:
        z = m - z
    if m < sample:
        z = good - z
    return z


@register_jitable
def hypergeometric(st, good, bad, sample):
    if sample > 10:
        return _hypergeometric_hrua(st, good, bad, sample)
    if sample > 0:
        return _hypergeometric_simple(st, good, bad, sample)
    return 0
