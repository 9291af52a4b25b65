"""gen_choice: Generator.choice in compiled code, drawing what NumPy's Generator draws.

With replacement: bounded integers, or uniform doubles searched in the normalised cumulative
`p`. Without replacement and without `p`: Floyd's sampling with an open-addressing set of
candidates (then a shuffle of the sample), or for a large share of a big population the tail
of a partial Fisher-Yates shuffle, as NumPy chooses between them. Without replacement with `p`:
rounds of weighted draws, each keeping the new distinct values in the order they first appear
and zeroing their weights before the next round.
"""
from __future__ import annotations

import math

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload_method, register_jitable
from ..npfuncs.common import is_none
from .state import as_shape, check_shape, mask_of
from .gen_common import size_is_none, type_error
from .gen_core import NumPyRandomGeneratorType, next_double
from .gen_integers import bounded

U64 = np.uint64
P_TOLERANCE = float(math.sqrt(np.finfo(np.float64).eps))
EMPTY = U64(0xffffffffffffffff)


@register_jitable
def _below(g, top):
    """Uniform in [0, top] (NumPy's random_bounded_uint64 without masking)."""
    value, _, _ = bounded(g, U64(top), 64, 0, U64(0))
    return np.int64(value)


@register_jitable
def _shuffle_tail(g, data, first):
    for i in range(data.shape[0] - 1, first - 1, -1):
        j = _below(g, i)
        data[i], data[j] = data[j], data[i]


@register_jitable
def _floyd(g, pop, n):
    """n distinct values of [0, pop) by Floyd's algorithm, in NumPy's order."""
    out = np.empty(n, np.int64)
    mask = mask_of(U64(np.int64(1.2 * n)))
    table = np.full(np.int64(mask) + 1, EMPTY, np.uint64)
    for j in range(pop - n, pop):
        val = U64(_below(g, j))
        loc = val & mask
        while table[loc] != EMPTY and table[loc] != val:
            loc = (loc + U64(1)) & mask
        if table[loc] == EMPTY:
            table[loc] = val
            out[j - pop + n] = np.int64(val)
        else:
            loc = U64(j) & mask
            while table[loc] != EMPTY:
                loc = (loc + U64(1)) & mask
            table[loc] = U64(j)
            out[j - pop + n] = j
    return out


@register_jitable
def _distinct(g, pop, n, shuffle):
    cutoff = 50 if shuffle else 20
    if pop > 10000 and n > pop // cutoff:
        idx = np.arange(pop)
        _shuffle_tail(g, idx, max(pop - n, 1))
        return idx[pop - n:].copy()
    out = _floyd(g, pop, n)
    if shuffle:
        _shuffle_tail(g, out, 1)
    return out


@register_jitable
def _cdf(p):
    cdf = np.cumsum(p)
    return cdf / cdf[cdf.shape[0] - 1]


@register_jitable
def _weighted(g, cdf, n):
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = np.searchsorted(cdf, next_double(g), side="right")
    return out


@register_jitable
def _weighted_distinct(g, p, n):
    """NumPy's rounds of weighted draws without replacement."""
    weights = p.copy()
    found = np.empty(n, np.int64)
    count = 0
    while count < n:
        for k in range(count):
            weights[found[k]] = 0.0
        batch = _weighted(g, _cdf(weights), n - count)
        start = count
        for value in batch:
            if not _seen(found, start, count, value):
                found[count] = value
                count += 1
    return found


@register_jitable
def _seen(found, start, stop, value):
    for k in range(start, stop):
        if found[k] == value:
            return True
    return False


@register_jitable
def _check_p(p, pop, tolerance):
    if p.shape[0] != pop:
        raise ValueError("a and p must have same size")
    total = 0.0
    for x in p:
        total += x
    if math.isnan(total):
        raise ValueError("Probabilities contain NaN")
    for x in p:
        if x < 0:
            raise ValueError("Probabilities are not non-negative")
    if abs(total - 1.0) > tolerance:
        raise ValueError("Probabilities do not sum to 1. See Notes section of docstring for "
                         "more information.")


@register_jitable
def _check_population(pop, n, is_int):
    if n == 0:
        return
    if is_int and pop <= 0:
        raise ValueError("a must be a positive integer unless no samples are taken")
    if not is_int and pop == 0:
        raise ValueError("a cannot be empty unless no samples are taken")


@register_jitable
def _indices(g, pop, n, replace, p, shuffle, use_p):
    if replace:
        if use_p:
            return _weighted(g, _cdf(p), n)
        out = np.empty(n, np.int64)
        for i in range(n):
            out[i] = _below(g, pop - 1)
        return out
    if n > pop:
        raise ValueError("Cannot take a larger sample than population when replace is False")
    if use_p:
        if np.count_nonzero(p > 0) < n:
            raise ValueError("Fewer non-zero entries in p than size")
        return _weighted_distinct(g, p, n)
    return _distinct(g, pop, n, shuffle)


@register_jitable
def _pick_ints(idx, a, shape, scalar):
    return idx.reshape(shape)


@register_jitable
def _pick_int(idx, a, shape, scalar):
    return idx[0]


@register_jitable
def _pick_items(idx, a, shape, scalar):
    out = np.empty(shape, a.dtype)
    flat = out.reshape(out.size)
    for i in range(idx.shape[0]):
        flat[i] = a[idx[i]]
    return out


@register_jitable
def _pick_item(idx, a, shape, scalar):
    return a[idx[0]]


def _probabilities(p):
    """(use_p, tolerance): NumPy's sum tolerance, looser for single-precision weights."""
    if is_none(p):
        return False, P_TOLERANCE
    if not (isinstance(p, types.Array) and p.ndim == 1 and isinstance(p.dtype, types.Float)):
        raise type_error("choice", "p", p, "[None, 1-d float array]")
    return True, max(P_TOLERANCE, float(math.sqrt(np.finfo(str(p.dtype)).eps)))


def _population(a):
    """(is_int, picker) for `a`, an int or a 1-d array."""
    if isinstance(a, types.Integer) and not isinstance(a, types.Boolean):
        return True, _pick_ints
    if isinstance(a, types.Array) and a.ndim == 1:
        return False, _pick_items
    raise TypingError(f"Generator.choice(): a must be an integer or a 1-d array in compiled "
                      f"code, got {a}")


@register_jitable
def _int_population(a):
    return a


@register_jitable
def _array_population(a):
    return a.shape[0]


@overload_method(NumPyRandomGeneratorType, "choice")
def gen_choice(gen, a, size=None, replace=True, p=None, axis=0, shuffle=True):
    is_int, pick = _population(a)
    population = _int_population if is_int else _array_population
    use_p, tolerance = _probabilities(p)
    scalar = size_is_none("choice", size)
    if scalar:
        pick = _pick_int if is_int else _pick_item
    shape_of = (lambda size: (1,)) if scalar else (lambda size: check_shape(as_shape(size)))
    shape_of = register_jitable(shape_of)
    weights = (lambda p: np.empty(0)) if not use_p else (lambda p: p.astype(np.float64))
    weights = register_jitable(weights)

    def impl(gen, a, size=None, replace=True, p=None, axis=0, shuffle=True):
        if axis != 0:
            raise np.exceptions.AxisError(axis, 1)
        shape = shape_of(size)
        n = 1
        for d in shape:
            n *= d
        pop = population(a)
        _check_population(pop, n, is_int)
        w = weights(p)
        if use_p:
            _check_p(w, pop, tolerance)
        idx = _indices(gen, pop, n, replace, w, shuffle, use_p)
        return pick(idx, a, shape, scalar)
    return impl
