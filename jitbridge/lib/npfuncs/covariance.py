"""np.cov and np.corrcoef. NumPy squeezes the covariance matrix, so the result's number of
dimensions would depend on the data; compiled code decides it from the argument types instead,
as Numba does: one variable (1-D m, no y) gives a 0-d array, anything else a 2-D one, and a 2-D
input holding a single row (which NumPy would squeeze) is a RuntimeError. Row means use NumPy's
pairwise summation so that results match it to the last bits."""
from __future__ import annotations

import math

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .common import conjugate, is_none
from .grids import _element_of
from .manipulation import _depth
from .. import math_ieee

_ONE_ROW = ("2D array containing a single row is unsupported due to ambiguity in type "
            "inference. To use numpy.cov in this case simply pass the row as a 1D array, "
            "i.e. m[0].")


def _ndim_of(ty) -> int:
    return ty.ndim if isinstance(ty, types.Array) else _depth(ty)


def _element(ty):
    return ty.dtype if isinstance(ty, types.Array) else _element_of(ty)


@register_jitable
def _block_sum(v, lo, n):
    """NumPy's sum of at most 128 items: eight running sums, combined pairwise."""
    total = v[lo] * 0 if n else v[:0].sum()
    if n < 8:
        for i in range(lo, lo + n):
            total += v[i]
        return total
    r = v[lo:lo + 8].copy()
    i = 8
    while i < n - n % 8:
        for j in range(8):
            r[j] += v[lo + i + j]
        i += 8
    total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    for k in range(i, n):
        total += v[lo + k]
    return total


@register_jitable
def _pairwise_sum(v, lo, n):
    """NumPy's pairwise summation of v[lo:lo + n]: halves (multiples of 8) summed
    recursively down to blocks of 128; the recursion runs on an explicit stack."""
    if n <= 128:
        return _block_sum(v, lo, n)
    los, sizes = np.empty(64, np.intp), np.empty(64, np.intp)
    stages, lefts = np.zeros(64, np.intp), np.empty(64, v.dtype)
    top, los[0], sizes[0] = 0, lo, n
    result = _block_sum(v, lo, 0)
    while top >= 0:
        m = sizes[top]
        half = m // 2 - (m // 2) % 8
        if m <= 128:
            result = _block_sum(v, los[top], m)
            top -= 1
        elif stages[top] == 2:
            result = lefts[top] + result
            top -= 1
        else:
            if stages[top] == 1:
                lefts[top] = result
            stages[top] += 1
            start = los[top] + (half if stages[top] == 2 else 0)
            top += 1
            los[top], sizes[top], stages[top] = start, m - half if stages[top - 1] == 2 \
                else half, 0
    return result


@register_jitable
def _fill_rows(out, start, a, transpose):
    """Copy the 2-D array `a` (transposed if asked) into rows start... of `out`."""
    rows = a.shape[1] if transpose else a.shape[0]
    for i in range(rows):
        for j in range(out.shape[1]):
            out[start + i, j] = a[j, i] if transpose else a[i, j]


def _as_2d(a):
    """np.asarray(a) with at least two dimensions (ndmin=2)."""


@overload(_as_2d)
def _ol_as_2d(a):
    ndim = _ndim_of(a)
    if ndim == 2:
        return lambda a: np.asarray(a)
    if ndim == 1:
        return lambda a: np.asarray(a).reshape((1, -1))
    return lambda a: np.asarray(a).reshape((1, 1))


def _observations(m, y, rowvar, cls, m_is_1d):
    """The variables as the rows of one C-ordered 2-D array of `cls` (NumPy's X)."""


@overload(_observations)
def _ol_observations(m, y, rowvar, cls, m_is_1d):
    if is_none(y):
        return lambda m, y, rowvar, cls, m_is_1d: _stacked_rows(m, rowvar, cls, m_is_1d,
                                                                 np.empty((0, 0), cls), False)
    return lambda m, y, rowvar, cls, m_is_1d: _stacked_rows(m, rowvar, cls, m_is_1d,
                                                             _as_2d(y), True)


@register_jitable
def _stacked_rows(m, rowvar, cls, m_is_1d, y2, has_y):
    x = _as_2d(m)
    flip_x = not rowvar and not m_is_1d
    rows = x.shape[1] if flip_x else x.shape[0]
    cols = x.shape[0] if flip_x else x.shape[1]
    flip_y = not rowvar and y2.shape[0] != 1
    y_rows = (y2.shape[1] if flip_y else y2.shape[0]) if has_y else 0
    if has_y and (y2.shape[0] if flip_y else y2.shape[1]) != cols:
        raise ValueError("m and y have incompatible dimensions")
    out = np.empty((rows + y_rows, cols), cls)
    _fill_rows(out, 0, x, flip_x)
    if has_y:
        _fill_rows(out, rows, y2, flip_y)
    return out


@register_jitable
def _check_ddof(ddof):
    if not math.isfinite(ddof):
        raise ValueError("Cannot convert non-finite ddof to integer")
    if ddof != int(ddof):
        raise ValueError("ddof must be integral value")
    return int(ddof)


@register_jitable
def _covariance(X, ddof, cls):
    rows, n = X.shape
    fact = n - ddof
    scale = 1.0 / fact if fact > 0 else np.inf  # NumPy: 1 / 0.0 after a warning
    for i in range(rows):
        if n:
            mean = _pairwise_sum(X[i], 0, n) / n
            for k in range(n):
                X[i, k] -= mean
    c = np.empty((rows, rows), cls)
    for i in range(rows):
        for j in range(rows):
            total = cls(0)
            for k in range(n):
                total += X[i, k] * conjugate(X[j, k])
            c[i, j] = total * scale
    return c


def _cov_typing(m, y, ddof, bias, func):
    """(result class, whether the result is 0-d) for np.cov/np.corrcoef's arguments."""
    if _element(m) is None or not isinstance(types.unliteral(m), (
            types.Array, types.List, types.BaseTuple, types.Number, types.Boolean)):
        return None
    if _ndim_of(m) > 2:
        raise TypingError(f"np.{func}(): m has more than 2 dimensions")
    if not is_none(y) and _ndim_of(y) > 2:
        raise TypingError(f"np.{func}(): y has more than 2 dimensions")
    if not (is_none(ddof) or isinstance(types.unliteral(ddof), (types.Integer, types.Float,
                                                                types.Boolean))):
        raise TypingError(f"np.{func}(): ddof must be a real numerical scalar type")
    elements = [_element(m)] + ([] if is_none(y) else [_element(y)])
    cls = np.result_type(*(as_dtype(e) for e in elements), np.float64).type
    return cls, is_none(y) and (_ndim_of(m) <= 1 or _single_row_tuple(m))


def _single_row_tuple(ty) -> bool:
    """A tuple holding one row, whose row count (unlike an array's) is known in typing."""
    return isinstance(ty, types.BaseTuple) and len(ty) == 1


def _cov_core(m_is_1d, squeeze):
    @register_jitable
    def core(m, y, rowvar, ddof, cls):
        X = _observations(m, y, rowvar, cls, m_is_1d)
        if X.shape[0] == 0:
            return np.empty((0, 0), cls)
        if not squeeze and X.shape[0] == 1:
            raise RuntimeError(_ONE_ROW)
        return _covariance(X, ddof, cls)
    return core


@overload(np.cov)
def np_cov(m, y=None, rowvar=True, bias=False, ddof=None):
    typed = _cov_typing(m, y, ddof, bias, "cov")
    if typed is None:
        return None
    cls, squeeze = typed
    core = _cov_core(_ndim_of(m) <= 1, squeeze)
    dof = _ddof_of(ddof)
    if squeeze:
        return lambda m, y=None, rowvar=True, bias=False, ddof=None: np.array(
            core(m, y, rowvar, dof(ddof, bias), cls)[0, 0])
    return lambda m, y=None, rowvar=True, bias=False, ddof=None: core(
        m, y, rowvar, dof(ddof, bias), cls)


def _ddof_of(ddof):
    """A kernel giving the integer ddof NumPy uses (None: 0 with bias, else 1)."""
    if is_none(ddof):
        return register_jitable(lambda ddof, bias: 0 if bias else 1)
    return register_jitable(lambda ddof, bias: _check_ddof(ddof))


@register_jitable
def _clip_unit(x):
    return min(max(x, -1.0), 1.0) if x == x else x


def _clipped(v):
    """v with its real (and imaginary) part clipped to [-1, 1], NaN kept."""


@overload(_clipped)
def _ol_clipped(v):
    if isinstance(v, types.Complex):
        return lambda v: complex(_clip_unit(v.real), _clip_unit(v.imag))
    return lambda v: _clip_unit(v)


@register_jitable
def _normalized(c):
    std = np.empty(c.shape[0])
    for i in range(c.shape[0]):
        std[i] = math_ieee.sqrt(c[i, i].real)
    for i in range(c.shape[0]):
        for j in range(c.shape[1]):
            c[i, j] = _clipped(np.divide(np.divide(c[i, j], std[i]), std[j]))  # IEEE: no raise
    return c


@overload(np.corrcoef)
def np_corrcoef(x, y=None, rowvar=True):
    typed = _cov_typing(x, y, None, False, "corrcoef")
    if typed is None:
        return None
    cls, squeeze = typed
    core = _cov_core(_ndim_of(x) <= 1, squeeze)
    if squeeze:  # NumPy: c / c of the 0-d covariance, a scalar
        return lambda x, y=None, rowvar=True: _self_ratio(core(x, y, rowvar, 1, cls)[0, 0])
    return lambda x, y=None, rowvar=True: _normalized(core(x, y, rowvar, 1, cls))


@register_jitable
def _self_ratio(v):
    return v / v if v != 0 else v * np.nan
