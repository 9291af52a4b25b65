"""quantiles: np.median, np.percentile, np.quantile and their nan* forms.

Each lane is copied (without its NaNs for the nan* forms) and sorted; the quantiles then
interpolate linearly between neighbours exactly as NumPy's default method does, in float64
(complex128 for complex arrays) before the cast to NumPy's result dtype."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .axes import gathering, is_axis_tuple
from .common import is_none, normalize_axis
from .statistics import (_drop_axis, _flat, _less, array_like, caster, dtype_of,
                         reducer_for)


def sort_less(x, y):
    """x < y in NumPy's sort order: NaNs last, complex numbers lexicographically."""


@overload(sort_less)
def _ol_sort_less(x, y):
    if isinstance(x, types.Float):
        return lambda x, y: x < y or (y != y and x == x)
    return lambda x, y: _less(x, y)


@register_jitable
def _sift(buf, root, end):
    while 2 * root + 1 < end:
        child = 2 * root + 1
        if child + 1 < end and sort_less(buf[child], buf[child + 1]):
            child += 1
        if not sort_less(buf[root], buf[child]):
            return
        buf[root], buf[child] = buf[child], buf[root]
        root = child


@register_jitable
def heapsort(buf):
    """In-place ascending sort in NumPy's order; O(n log n) without recursion."""
    n = buf.shape[0]
    for start in range(n // 2 - 1, -1, -1):
        _sift(buf, start, n)
    for end in range(n - 1, 0, -1):
        buf[0], buf[end] = buf[end], buf[0]
        _sift(buf, 0, end)


@register_jitable
def _sorted_values(v, skip_nan):
    """(sorted copy of the non-NaN items, whether a NaN was seen)."""
    buf = np.empty(v.shape[0], v.dtype)
    m = 0
    seen_nan = False
    for j in range(v.shape[0]):
        if v[j] != v[j]:
            seen_nan = True
            if skip_nan:
                continue
        buf[m] = v[j]
        m += 1
    buf = buf[:m]
    if not seen_nan or skip_nan:
        heapsort(buf)
    return buf, seen_nan and not skip_nan


def _wide_of(aryty):
    """The dtype interpolated in (NumPy's float32 results may differ in the last bits)."""
    return np.complex128 if isinstance(aryty.dtype, types.Complex) else np.float64


def _median_lane(aryty, dtype, skip_nan):
    """Median in NumPy's order: the middle item, or the mean of the middle two."""
    wide = caster(np.dtype(_wide_of(aryty)))
    cast = caster(dtype)

    @register_jitable
    def lane(v, arg):
        buf, has_nan = _sorted_values(v, skip_nan)
        m = buf.shape[0]
        if has_nan or m == 0:
            return cast(wide(np.nan))
        half = m // 2
        if m % 2:
            return cast(wide(buf[half]))
        return cast((wide(buf[half - 1]) + wide(buf[half])) / 2)
    return lane


def _median(skip_nan):
    func = np.nanmedian if skip_nan else np.median

    # keepdims (and out=None, overwrite_input) are keepdims.py's: it reduces through this
    def typer(a, axis=None):
        if array_like(a) and is_none(axis):
            return lambda a, axis=None: func(np.asarray(a))
        if not isinstance(a, types.Array) or not isinstance(a.dtype, (types.Number,
                                                                      types.Boolean)):
            return None
        dtype = dtype_of(func, a)
        core = reducer_for(_median_lane(a, dtype, skip_nan), dtype, a, axis)
        return lambda a, axis=None: core(a, axis, 0)
    return typer


overload(np.median)(_median(False))
overload(np.nanmedian)(_median(True))


@register_jitable
def _lerp(buf, fraction, wide):
    """The `fraction` quantile of sorted `buf`: NumPy's 'linear' method, including its
    choice of endpoint for the interpolation (from `b` when past the middle)."""
    m = buf.shape[0]
    virtual = (m - 1) * fraction
    below = int(np.floor(virtual))
    if virtual >= m - 1:
        below = m - 1
    above = min(below + 1, m - 1)
    gamma = wide(virtual - below)
    a = wide(buf[below])
    b = wide(buf[above])
    diff = wide(b - a)
    if gamma.real >= 0.5:
        return wide(b - wide(diff * wide(1 - gamma)))
    return wide(a + wide(diff * gamma))


def _quantile_core(aryty, dtype, skip_nan, scale, message):
    wide = caster(np.dtype(_wide_of(aryty)))
    cast = caster(dtype)

    @register_jitable
    def core(a, fractions):
        for i in range(fractions.shape[0]):
            if not (0 <= fractions[i] <= scale):
                raise ValueError(message)
        buf, has_nan = _sorted_values(_flat(a), skip_nan)
        out = np.empty(fractions.shape[0], dtype)
        for i in range(fractions.shape[0]):
            if has_nan or buf.shape[0] == 0:
                out[i] = cast(wide(np.nan))
            else:
                out[i] = cast(_lerp(buf, fractions[i] / scale, wide))
        return out
    return core


def _quantile(name):
    """np.percentile/np.quantile (and nan* forms) of a whole array, for a scalar or an array
    of quantiles (the result has q's shape)."""
    func = getattr(np, name)
    skip_nan = name.startswith("nan")
    scale = 100.0 if name.endswith("percentile") else 1.0
    message = "Percentiles must be in the range [0, 100]" if scale == 100.0 else \
        "Quantiles must be in the range [0, 1]"

    def typer(a, q, axis=None):
        if array_like(a) or isinstance(q, (types.List, types.BaseTuple)):
            return lambda a, q, axis=None: func(np.asarray(a), _as_array(q), axis)
        if not isinstance(a, types.Array) or not isinstance(a.dtype, types.Number):
            return None
        if isinstance(a.dtype, types.Complex):  # NumPy: "a must be an array of real numbers"
            raise TypingError(f"np.{name}(): Not supported for complex dtype: a must be an "
                              "array of real numbers")
        if is_axis_tuple(axis):  # the axes flattened into the last one
            gather, last = gathering(a.ndim, len(axis)), a.ndim - len(axis)
            return lambda a, q, axis=None: func(gather(a, axis), q, last)
        if not is_none(axis) and not isinstance(types.unliteral(axis), types.Integer):
            raise TypingError(f"np.{name}(): axis must be an integer or None, not {axis}")
        q_ty = getattr(q, "dtype", q)
        if not isinstance(q_ty, (types.Integer, types.Float)):
            return None
        sample = np.ones(q.ndim * (1,)) * 0.5 if isinstance(q, types.Array) else 0.5
        with np.errstate(all="ignore"):
            dtype = np.asarray(func(np.ones(2, dtype=as_dtype(a.dtype)), sample)).dtype
        if not is_none(axis):
            return _quantile_along_typed(a, q, dtype, skip_nan, scale, message, axis)
        core = _quantile_core(a, dtype, skip_nan, scale, message)
        if isinstance(q, types.Array) and q.ndim == 0:  # a scalar result, as NumPy's
            return lambda a, q, axis=None: core(a, _flat(q).astype(np.float64))[0]
        if isinstance(q, types.Array):
            return lambda a, q, axis=None: core(a, _flat(q).astype(np.float64)).reshape(q.shape)
        return lambda a, q, axis=None: core(a, np.full(1, q, np.float64))[0]
    return typer


def _quantile_lane(aryty, dtype, skip_nan):
    """lane(v, fraction): one quantile of a lane, as _quantile_core computes it."""
    wide = caster(np.dtype(_wide_of(aryty)))
    cast = caster(dtype)

    @register_jitable
    def lane(v, fraction):
        buf, has_nan = _sorted_values(v, skip_nan)
        if has_nan or buf.shape[0] == 0:
            return cast(wide(np.nan))
        return cast(_lerp(buf, fraction, wide))
    return lane


def _quantile_along(aryty, dtype, skip_nan, scale, message, axis):
    """along(a, fractions, axis): the quantiles of each lane along `axis`, an array of shape
    (len(fractions),) + the other axes of `a` (NumPy puts q's axes first)."""
    core = reducer_for(_quantile_lane(aryty, dtype, skip_nan), dtype, aryty, axis)

    @register_jitable
    def along(a, fractions, axis):
        for i in range(fractions.shape[0]):
            if not (0 <= fractions[i] <= scale):
                raise ValueError(message)
        rest = _drop_axis(a.shape, normalize_axis(axis, a.ndim))
        out = np.empty((fractions.shape[0],) + rest, dtype)
        for i in range(fractions.shape[0]):
            out[i] = core(a, axis, fractions[i] / scale)
        return out
    return along


def _quantile_along_typed(aryty, q, dtype, skip_nan, scale, message, axis):
    """The implementation of a quantile along an int axis, shaped after q as NumPy's."""
    along = _quantile_along(aryty, dtype, skip_nan, scale, message, axis)
    if isinstance(q, types.Array) and q.ndim > 0:
        def impl(a, q, axis=None):
            out = along(a, _flat(q).astype(np.float64), axis)
            return out.reshape(q.shape + _drop_axis(a.shape, normalize_axis(axis, a.ndim)))
        return impl
    if isinstance(q, types.Array):  # 0-d
        return lambda a, q, axis=None: along(a, _flat(q).astype(np.float64), axis)[0]
    return lambda a, q, axis=None: along(a, np.full(1, q, np.float64), axis)[0]


def _as_array(x):
    """np.asarray for sequences; arrays and scalars (quantiles) as they are."""


@overload(_as_array)
def _ol_as_array(x):
    if isinstance(x, (types.List, types.BaseTuple)) or (
            array_like(x) and not isinstance(x, types.Number)):
        return lambda x: np.asarray(x)
    return lambda x: x


for _name in ("percentile", "quantile", "nanpercentile", "nanquantile"):
    overload(getattr(np, _name))(_quantile(_name))
