"""python: Python's `random` module in compiled code, drawing from the calling thread's
Python state (`state.py_state`, separate from NumPy's).

The algorithms are CPython's (`random.py`): `random()` is the same 53-bit double, `getrandbits`
packs 32-bit words from the least significant end, `randrange` rejects `getrandbits(k)` draws,
`gauss` keeps its second value for the next call. As in Numba, `random.seed(n)` seeds like
NumPy's legacy `RandomState.seed(n)` (`init_genrand`) with the low 32 bits of `n`, not like
CPython (which turns the whole integer into a key array); `getrandbits` is limited to 64 bits
and returns a uint64."""
from __future__ import annotations

import math
import random

import numpy as np

from ... import types
from ...extending import overload, register_jitable
from ..npfuncs.common import is_none
from .state import (HAS_GAUSS, PY_OFFSET, SCRATCH, _offset, _thread_block, get_gauss,
                           get_word, next_double, next_u32, put_word, py_state, seed_state,
                           seed_from_entropy, set_gauss)

TWOPI = 2.0 * math.pi
LOG4 = math.log(4.0)
SG_MAGICCONST = 1.0 + math.log(4.5)
NV_MAGICCONST = 4 * math.exp(-0.5) / math.sqrt(2.0)


def _is_int(ty) -> bool:
    return isinstance(ty, types.Integer) and not isinstance(ty, types.Boolean)


def _real(*tys) -> bool:
    return all(isinstance(t, (types.Integer, types.Float, types.Boolean, types.Omitted))
               for t in tys)


@overload(random.seed)
def py_seed(a=None):
    if is_none(a):
        def from_os(a=None):
            block = _thread_block()
            seed_from_entropy(_offset(block, PY_OFFSET), _offset(block, SCRATCH))
        return from_os
    if _is_int(a):
        return lambda a=None: seed_state(py_state(), np.int64(a) & 0xffffffff)


@overload(random.random)
def py_random():
    return lambda: next_double(py_state())


@register_jitable
def _bits(st, k):
    """CPython's getrandbits(k) for 0 <= k <= 64, as uint64."""
    if k <= 32:
        return np.uint64(next_u32(st) >> (32 - k)) if k > 0 else np.uint64(0)
    low = np.uint64(next_u32(st))
    high = np.uint64(next_u32(st) >> (64 - k))
    return (high << np.uint64(32)) | low


@overload(random.getrandbits)
def py_getrandbits(k):
    if _is_int(k):
        def impl(k):
            if k < 0:
                raise ValueError("number of bits must be non-negative")
            if k > 64:
                raise OverflowError("getrandbits() limited to 64 bits in compiled code")
            return _bits(py_state(), k)
        return impl


@register_jitable
def _bit_length(n):
    k = 0
    while n >> k:
        k += 1
    return k


@register_jitable
def _randbelow(st, n):
    """CPython's `_randbelow_with_getrandbits` for 0 < n < 2**63."""
    k = _bit_length(n)
    r = np.int64(_bits(st, k))
    while r >= n:
        r = np.int64(_bits(st, k))
    return r


@register_jitable
def _randrange(start, stop, step):
    width = stop - start
    if step == 1:
        if width > 0:
            return start + _randbelow(py_state(), width)
        raise ValueError("empty range for randrange()")
    if step > 0:
        n = (width + step - 1) // step
    elif step < 0:
        n = (width + step + 1) // step
    else:
        raise ValueError("zero step for randrange()")
    if n <= 0:
        raise ValueError("empty range for randrange()")
    return start + step * _randbelow(py_state(), n)


@overload(random.randrange)
def py_randrange(start, stop=None, step=1):
    if not (_is_int(start) and (is_none(stop) or _is_int(stop)) and _is_int_or_default(step)):
        return None
    if is_none(stop):
        def below(start, stop=None, step=1):
            if start > 0:
                return np.int64(_randbelow(py_state(), np.int64(start)))
            raise ValueError("empty range for randrange()")
        return below
    return lambda start, stop=None, step=1: _randrange(np.int64(start), np.int64(stop),
                                                        np.int64(step))


def _is_int_or_default(ty) -> bool:
    return isinstance(ty, types.Omitted) or _is_int(ty)


@overload(random.randint)
def py_randint(a, b):
    if _is_int(a) and _is_int(b):
        return lambda a, b: _randrange(np.int64(a), np.int64(b) + 1, 1)


@overload(random.uniform)
def py_uniform(a, b):
    if _real(a, b):
        return lambda a, b: a + (b - a) * next_double(py_state())


@register_jitable
def _triangular(low, high, c):
    u = next_double(py_state())
    if c != c:  # (mode - low) / (high - low) with high == low: CPython returns low
        return low
    if u > c:
        u = 1.0 - u
        c = 1.0 - c
        low, high = high, low
    return low + (high - low) * math.sqrt(u * c)


@register_jitable
def _mode_ratio(low, high, mode):
    if high == low:
        return np.nan
    return (mode - low) / (high - low)


@overload(random.triangular)
def py_triangular(low=0.0, high=1.0, mode=None):
    if not _real(low, high):
        return None
    if is_none(mode):
        return lambda low=0.0, high=1.0, mode=None: _triangular(float(low), float(high), 0.5)
    if _real(mode):
        return lambda low=0.0, high=1.0, mode=None: _triangular(
            float(low), float(high), _mode_ratio(float(low), float(high), float(mode)))


# -- normal family ---------------------------------------------------------------------------

@register_jitable
def _gauss(st):
    """CPython's gauss(0, 1): Box-Muller, the second value kept in the state."""
    if get_word(st, HAS_GAUSS):
        put_word(st, HAS_GAUSS, 0)
        return get_gauss(st)
    x2pi = next_double(st) * TWOPI
    g2rad = math.sqrt(-2.0 * math.log(1.0 - next_double(st)))
    set_gauss(st, math.sin(x2pi) * g2rad)
    put_word(st, HAS_GAUSS, 1)
    return math.cos(x2pi) * g2rad


@overload(random.gauss)
def py_gauss(mu=0.0, sigma=1.0):
    if _real(mu, sigma):
        return lambda mu=0.0, sigma=1.0: mu + _gauss(py_state()) * sigma


@register_jitable
def _normalvariate(mu, sigma):
    st = py_state()
    while True:
        u1 = next_double(st)
        u2 = 1.0 - next_double(st)
        z = NV_MAGICCONST * (u1 - 0.5) / u2
        if z * z / 4.0 <= -math.log(u2):
            break
    return mu + z * sigma


@overload(random.normalvariate)
def py_normalvariate(mu=0.0, sigma=1.0):
    if _real(mu, sigma):
        return lambda mu=0.0, sigma=1.0: _normalvariate(mu, sigma)


@overload(random.lognormvariate)
def py_lognormvariate(mu, sigma):
    if _real(mu, sigma):
        return lambda mu, sigma: math.exp(_normalvariate(mu, sigma))


# -- gamma family ----------------------------------------------------------------------------

@register_jitable
def _gamma_above_one(st, alpha):
    ainv = math.sqrt(2.0 * alpha - 1.0)
    bbb = alpha - LOG4
    ccc = alpha + ainv
    while True:
        u1 = next_double(st)
        if not (1e-7 < u1 and u1 < 0.9999999):
            continue
        u2 = 1.0 - next_double(st)
        v = math.log(u1 / (1.0 - u1)) / ainv
        x = alpha * math.exp(v)
        z = u1 * u1 * u2
        r = bbb + ccc * v - x
        if r + SG_MAGICCONST - 4.5 * z >= 0.0 or r >= math.log(z):
            break
    return x


@register_jitable
def _gamma_below_one(st, alpha):
    b = (math.e + alpha) / math.e
    while True:
        p = b * next_double(st)
        if p <= 1.0:
            x = p ** (1.0 / alpha)
        else:
            x = -math.log((b - p) / alpha)
        u1 = next_double(st)
        if p > 1.0:
            if u1 <= x ** (alpha - 1.0):
                break
        elif u1 <= math.exp(-x):
            break
    return x


@register_jitable
def gammavariate(alpha, beta):
    if alpha <= 0.0 or beta <= 0.0:
        raise ValueError("gammavariate: alpha and beta must be > 0.0")
    st = py_state()
    if alpha > 1.0:
        return _gamma_above_one(st, alpha) * beta
    if alpha == 1.0:
        return -math.log(1.0 - next_double(st)) * beta
    return _gamma_below_one(st, alpha) * beta


@overload(random.gammavariate)
def py_gammavariate(alpha, beta):
    if _real(alpha, beta):
        return lambda alpha, beta: gammavariate(float(alpha), float(beta))


@register_jitable
def _betavariate(alpha, beta):
    y = gammavariate(alpha, 1.0)
    if y:
        return y / (y + gammavariate(beta, 1.0))
    return 0.0


@overload(random.betavariate)
def py_betavariate(alpha, beta):
    if _real(alpha, beta):
        return lambda alpha, beta: _betavariate(float(alpha), float(beta))


# -- the rest --------------------------------------------------------------------------------

@register_jitable
def _vonmises(mu, kappa):
    st = py_state()
    if kappa <= 1e-6:
        return TWOPI * next_double(st)
    s = 0.5 / kappa
    r = s + math.sqrt(1.0 + s * s)
    while True:
        z = math.cos(math.pi * next_double(st))
        d = z / (r + z)
        u2 = next_double(st)
        if u2 < 1.0 - d * d or u2 <= (1.0 - d) * math.exp(d):
            break
    q = 1.0 / r
    f = (q + z) / (1.0 + q * z)
    if next_double(st) > 0.5:
        return (mu + math.acos(f)) % TWOPI
    return (mu - math.acos(f)) % TWOPI


@overload(random.vonmisesvariate)
def py_vonmisesvariate(mu, kappa):
    if _real(mu, kappa):
        return lambda mu, kappa: _vonmises(float(mu), float(kappa))


@overload(random.expovariate)
def py_expovariate(lambd=1.0):
    if _real(lambd):
        return lambda lambd=1.0: -math.log(1.0 - next_double(py_state())) / lambd


@overload(random.paretovariate)
def py_paretovariate(alpha):
    if _real(alpha):
        return lambda alpha: (1.0 - next_double(py_state())) ** (-1.0 / alpha)


@overload(random.weibullvariate)
def py_weibullvariate(alpha, beta):
    if _real(alpha, beta):
        return lambda alpha, beta: alpha * (-math.log(1.0 - next_double(py_state()))) ** (
            1.0 / beta)


@register_jitable
def _shuffle_rows(x):
    if x.shape[0] < 2:
        return
    st = py_state()
    buf = np.empty_like(x[0])
    for i in range(x.shape[0] - 1, 0, -1):
        j = _randbelow(st, i + 1)
        if i != j:
            buf[...] = x[j]
            x[j] = x[i]
            x[i] = buf


@register_jitable
def _shuffle_1d(x):
    st = py_state()
    for i in range(x.shape[0] - 1, 0, -1):
        j = _randbelow(st, i + 1)
        x[i], x[j] = x[j], x[i]


@overload(random.shuffle)
def py_shuffle(x):
    if isinstance(x, types.Array) and x.ndim >= 1 and x.mutable:
        return (lambda x: _shuffle_1d(x)) if x.ndim == 1 else (lambda x: _shuffle_rows(x))
