"""gen_discrete: the integer-valued distributions of np.random.Generator as native
algorithms in NumPy's order of operations (Poisson by multiplication below 10 and the PTRS
transformed rejection above, binomial by inversion or BTPE, geometric by search or inversion,
Kemp's logarithmic series, zipf by rejection). BTPE's setup and acceptance test and the log-gamma
series are the ones the legacy np.random.* uses (dists), which NumPy shares between
its two generators."""
from __future__ import annotations

import math

import numpy as np

from ...extending import register_jitable
from .dists import _btpe_accepts, _btpe_setup, loggam
from .gen_continuous import gamma
from .gen_core import next_double
from .gen_ziggurat import standard_exponential
from .. import math_ieee

INT64_MAX = np.iinfo(np.int64).max
INT64_MAX_FLOAT = float(INT64_MAX)


@register_jitable
def _poisson_mult(g, lam):
    enlam = math_ieee.exp(-lam)
    x = 0
    prod = 1.0
    while True:
        prod *= next_double(g)
        if prod > enlam:
            x += 1
        else:
            return x


@register_jitable
def _poisson_ptrs(g, lam):
    slam = math_ieee.sqrt(lam)
    loglam = math_ieee.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = next_double(g) - 0.5
        v = next_double(g)
        us = 0.5 - abs(u)
        k = np.int64(math.floor((2 * a / us + b) * u + lam + 0.43))
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if math_ieee.log(v) + math_ieee.log(invalpha) - math_ieee.log(a / (us * us) + b) <= \
                -lam + k * loglam - loggam(k + 1):
            return k


@register_jitable
def poisson(g, lam):
    if lam >= 10:
        return _poisson_ptrs(g, lam)
    if lam == 0:
        return np.int64(0)
    return np.int64(_poisson_mult(g, lam))


@register_jitable
def _binomial_inversion(g, n, p):
    q = 1.0 - p
    qn = math_ieee.exp(n * math_ieee.log(q))
    mean = n * p
    bound = min(float(n), mean + 10.0 * math_ieee.sqrt(mean * q + 1))
    x = 0
    px = qn
    u = next_double(g)
    while u > px:
        x += 1
        if x > bound:
            x = 0
            px = qn
            u = next_double(g)
        else:
            u -= px
            px = ((n - x + 1) * p * px) / (x * q)
    return x


@register_jitable
def _btpe_candidate(g, n, m, p1, xm, xl, xr, c, laml, lamr, p2, p3, p4):
    """One BTPE candidate (y, v, done): done when the triangle accepts it outright; y < 0
    when it is rejected before the test."""
    u = next_double(g) * p4
    v = next_double(g)
    if u <= p1:
        return int(math.floor(xm - p1 * v + u)), v, True
    if u <= p2:
        x = xl + (u - p1) / c
        v = v * c + 1.0 - abs(m - x + 0.5) / p1
        if v > 1.0:
            return -1, v, False
        return int(math.floor(x)), v, False
    if u <= p3:
        y = int(math.floor(xl + math_ieee.log(v) / laml))
        if y < 0 or v == 0.0:
            return -1, v, False
        return y, v * (u - p2) * laml, False
    y = int(math.floor(xr - math_ieee.log(v) / lamr))
    if y > n or v == 0.0:
        return -1, v, False
    return y, v * (u - p3) * lamr, False


@register_jitable
def _btpe(g, n, p):
    r, q, fm, m, p1, xm, xl, xr, c, laml, lamr, p2, p3, p4 = _btpe_setup(n, p)
    while True:
        y, v, done = _btpe_candidate(g, n, m, p1, xm, xl, xr, c, laml, lamr, p2, p3, p4)
        if done or (y >= 0 and _btpe_accepts(n, m, y, v, r, q, xm)):
            return y


@register_jitable
def binomial(g, n, p):
    if n == 0 or p == 0.0:
        return np.int64(0)
    if p <= 0.5:
        if p * n <= 30.0:
            return np.int64(_binomial_inversion(g, n, p))
        return np.int64(_btpe(g, n, p))
    q = 1.0 - p
    if q * n <= 30.0:
        return np.int64(n - _binomial_inversion(g, n, q))
    return np.int64(n - _btpe(g, n, q))


@register_jitable
def negative_binomial(g, n, p):
    return poisson(g, gamma(g, n, (1 - p) / p))


@register_jitable
def _geometric_search(g, p):
    x = 1
    total = p
    prod = p
    q = 1.0 - p
    u = next_double(g)
    while u > total:
        prod *= q
        total += prod
        x += 1
    return np.int64(x)


@register_jitable
def geometric(g, p):
    if p >= 0.333333333333333333333333:
        return _geometric_search(g, p)
    z = np.ceil(-standard_exponential(g) / math_ieee.log1p(-p))  # (a float: compared first)
    if z >= INT64_MAX_FLOAT:
        return np.int64(INT64_MAX)
    return np.int64(z)


@register_jitable
def logseries(g, p):
    r = math_ieee.log1p(-p)
    while True:
        v = next_double(g)
        if v >= p:
            return np.int64(1)
        q = -math_ieee.expm1(r * next_double(g))
        if v <= q * q:
            result = np.int64(math.floor(1 + math_ieee.log(v) / math_ieee.log(q)))
            if result < 1 or v == 0.0:
                continue
            return result
        if v >= q:
            return np.int64(1)
        return np.int64(2)


@register_jitable
def zipf(g, a):
    if a >= 1025:
        return np.int64(1)   # any other value has probability below 3e-309
    am1 = a - 1.0
    b = math_ieee.pow(2.0, am1)
    umin = math_ieee.pow(INT64_MAX_FLOAT, -am1)
    while True:
        u01 = next_double(g)
        u = u01 * umin + (1 - u01)
        v = next_double(g)
        x = math.floor(math_ieee.pow(u, -1.0 / am1))
        if x > INT64_MAX_FLOAT or x < 1.0:
            continue   # the distribution is truncated to int64
        t = math_ieee.pow(1.0 + 1.0 / x, am1)
        if v * x * (t - 1.0) / (b - 1.0) <= t / b:
            return np.int64(x)
