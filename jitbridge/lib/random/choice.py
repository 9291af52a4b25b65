"""choice: np.random.choice, multinomial and dirichlet in compiled code, drawing what
NumPy's legacy RandomState draws for the same seed (choice with replacement draws bounded
integers, or uniform doubles searched in the normalised cumulative `p`; without replacement
it takes the head of a permutation, or NumPy's repeated draws over the remaining `p`)."""
from __future__ import annotations

import math

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..npfuncs.common import is_none
from .dists import binomial_nonzero, std_gamma
from .legacy import shuffle_1d
from .state import (as_shape, bounded_u64, check_shape, mask_of, next_double, np_state,
                           size_is_none)


_P_TOLERANCE = float(math.sqrt(np.finfo(np.float64).eps))


@register_jitable
def _cdf(p):
    """NumPy's normalised cumulative sums of p (added in order, as np.cumsum does)."""
    cdf = np.empty(p.shape[0])
    run = 0.0
    for k in range(p.shape[0]):
        run += p[k]
        cdf[k] = run
    return cdf / cdf[p.shape[0] - 1]


@register_jitable
def _check_p(p, n):
    if p.shape[0] != n:
        raise ValueError("'a' and 'p' must have same size")
    total = 0.0
    for k in range(n):
        if not p[k] >= 0:
            raise ValueError("probabilities are not non-negative")
        total += p[k]
    if abs(total - 1.0) > _P_TOLERANCE:
        raise ValueError("probabilities do not sum to 1")


@register_jitable
def _search_right(cdf, u):
    """The first index whose cumulative probability exceeds u."""
    lo, hi = 0, cdf.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if cdf[mid] <= u:
            lo = mid + 1
        else:
            hi = mid
    return lo


@register_jitable
def _uniform_indices(st, n, out):
    rng = np.uint64(n - 1)
    mask = mask_of(rng)
    for i in range(out.size):
        out[i] = np.int64(bounded_u64(st, rng, mask))


@register_jitable
def _weighted_indices(st, p, out):
    cdf = _cdf(p)
    for i in range(out.size):
        out[i] = _search_right(cdf, next_double(st))


@register_jitable
def _distinct_indices(st, n, out):
    perm = np.arange(n)
    shuffle_1d(st, perm)
    out[:] = perm[:out.size]


@register_jitable
def _take_new(new, count, out, found):
    """Append the distinct values of new[:count] in order of first appearance (what NumPy's
    np.unique(return_index=True) and a sort of those indices keep)."""
    for i in range(count):
        seen = False
        for j in range(i):
            seen = seen or new[j] == new[i]
        if not seen:
            out[found] = new[i]
            found += 1
    return found


@register_jitable
def _distinct_weighted(st, p, out):
    """NumPy's loop: draw the missing count, zero the weights of what was found, search."""
    nonzero = 0
    for k in range(p.shape[0]):
        nonzero += p[k] > 0
    if nonzero < out.size:
        raise ValueError("Fewer non-zero entries in p than size")
    weights = p.astype(np.float64)
    new = np.empty(out.size, np.int64)
    draws = np.empty(out.size)
    found = 0
    while found < out.size:
        count = out.size - found
        for i in range(count):
            draws[i] = next_double(st)
        for i in range(found):
            weights[out[i]] = 0.0
        cdf = _cdf(weights)
        for i in range(count):
            new[i] = _search_right(cdf, draws[i])
        found = _take_new(new, count, out, found)
    return out


@register_jitable
def _indices(st, n, count, replace, p, weighted):
    """`count` population indices drawn as NumPy's legacy choice draws them."""
    if n <= 0 and count != 0:
        raise ValueError("a must be greater than 0 unless no samples are taken")
    out = np.empty(count, np.int64)
    if weighted:
        _check_p(p, n)
    if replace:
        if weighted:
            _weighted_indices(st, p, out)
        else:
            _uniform_indices(st, n, out)
        return out
    if count > n:
        raise ValueError("Cannot take a larger sample than population when 'replace=False'")
    if weighted:
        return _distinct_weighted(st, p, out)
    _distinct_indices(st, n, out)
    return out


def _probs(p):
    """`p`, or an empty array when p is None (compiled code only)."""


@overload(_probs)
def _probs_impl(p):
    if is_none(p):
        return lambda p: np.empty(0)
    return lambda p: p


def _is_int(ty) -> bool:
    return isinstance(ty, types.Integer) and not isinstance(ty, types.Boolean)


def _real_vector(ty) -> bool:
    return isinstance(ty, types.Array) and ty.ndim == 1 and \
        isinstance(ty.dtype, (types.Integer, types.Float, types.Boolean))


@register_jitable
def _prod(shape):
    count = 1
    for n in shape:
        count *= n
    return count


@register_jitable
def _gather(a, idx, shape):
    out = np.empty(shape, a.dtype)
    flat = out.reshape(out.size)
    for i in range(idx.size):
        flat[i] = a[idx[i]]
    return out


@overload(np.random.choice)
def np_choice(a, size=None, replace=True, p=None):
    if not (_is_int(a) or (isinstance(a, types.Array) and a.ndim == 1)):
        return None
    if not (is_none(p) or _real_vector(p)):
        raise TypingError(f"np.random.choice(): p must be a 1-D array of probabilities, got {p}")
    weighted = not is_none(p)
    scalar = size_is_none("choice", size)
    if _is_int(a):
        if scalar:
            return lambda a, size=None, replace=True, p=None: _indices(
                np_state(), a, 1, replace, _probs(p), weighted)[0]

        def ints(a, size=None, replace=True, p=None):
            shape = check_shape(as_shape(size))
            count = _prod(shape)
            return _indices(np_state(), a, count, replace, _probs(p), weighted).reshape(shape)
        return ints
    if scalar:
        return lambda a, size=None, replace=True, p=None: a[_indices(
            np_state(), a.shape[0], 1, replace, _probs(p), weighted)[0]]

    def items(a, size=None, replace=True, p=None):
        shape = check_shape(as_shape(size))
        count = _prod(shape)
        return _gather(a, _indices(np_state(), a.shape[0], count, replace, _probs(p), weighted),
                       shape)
    return items


# -- multinomial and dirichlet ---------------------------------------------------------------

def _as_vector(values):
    """A 1-D float64 array of an array or a tuple of numbers (compiled code only)."""


@overload(_as_vector)
def _as_vector_impl(values):
    if isinstance(values, types.Array):
        return lambda values: values.astype(np.float64)
    if isinstance(values, (types.BaseTuple, types.List)):
        def impl(values):
            out = np.empty(len(values))
            for i, v in enumerate(values):
                out[i] = v
            return out
        return impl


def _vector_like(ty) -> bool:
    if isinstance(ty, types.BaseTuple):
        return all(isinstance(t, (types.Integer, types.Float)) for t in ty.types)
    if isinstance(ty, types.List):
        return isinstance(ty.dtype, (types.Integer, types.Float))
    return _real_vector(ty)


@register_jitable
def _check_pvals(n, pvals):
    if n < 0:
        raise ValueError("n < 0")
    total = 0.0
    for j in range(pvals.shape[0]):
        if not (pvals[j] >= 0 and pvals[j] <= 1):
            raise ValueError("pvals < 0, pvals > 1 or pvals contains NaNs")
        if j < pvals.shape[0] - 1:
            total += pvals[j]
    if total > 1.0 + 1e-12:
        raise ValueError("sum(pvals[:-1]) > 1.0")


@register_jitable
def _multinomial_row(st, n, pvals, out):
    d = pvals.shape[0]
    remaining = 1.0
    left = n
    for j in range(d - 1):
        out[j] = binomial_nonzero(st, left, pvals[j] / remaining)
        left -= out[j]
        if left <= 0:
            break
        remaining -= pvals[j]
    if left > 0:
        out[d - 1] = left


@register_jitable
def _multinomial(n, pvals, shape):
    _check_pvals(n, pvals)
    d = pvals.shape[0]
    out = np.zeros(shape + (d,), np.int64)
    rows = out.reshape((out.size // d if d else 0, d))
    st = np_state()
    for i in range(rows.shape[0]):
        _multinomial_row(st, np.int64(n), pvals, rows[i])
    return out


@overload(np.random.multinomial)
def np_multinomial(n, pvals, size=None):
    if not (_is_int(n) and _vector_like(pvals)):
        return None
    if size_is_none("multinomial", size):
        return lambda n, pvals, size=None: _multinomial(n, _as_vector(pvals), ())
    return lambda n, pvals, size=None: _multinomial(n, _as_vector(pvals),
                                                    check_shape(as_shape(size)))


@register_jitable
def _dirichlet(alpha, shape):
    k = alpha.shape[0]
    for j in range(k):
        if not alpha[j] > 0:
            raise ValueError("dirichlet: alpha must be > 0.0")
    out = np.empty(shape + (k,))
    rows = out.reshape((out.size // k if k else 0, k))
    st = np_state()
    for i in range(rows.shape[0]):
        total = 0.0
        for j in range(k):
            rows[i, j] = std_gamma(st, alpha[j])
            total += rows[i, j]
        scale = 1.0 / total
        for j in range(k):
            rows[i, j] = rows[i, j] * scale
    return out


@overload(np.random.dirichlet)
def np_dirichlet(alpha, size=None):
    if not _vector_like(alpha):
        return None
    if size_is_none("dirichlet", size):
        return lambda alpha, size=None: _dirichlet(_as_vector(alpha), ())
    return lambda alpha, size=None: _dirichlet(_as_vector(alpha), check_shape(as_shape(size)))
