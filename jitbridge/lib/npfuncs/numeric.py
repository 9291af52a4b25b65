"""numeric: NumPy's statistics and numeric helpers beyond plain reductions: ptp, count_nonzero,
diff, trapezoid, cross, interp, convolve/correlate, unique, isin (average: average.py;
bincount and histogram: histograms.py). Algorithms follow NumPy's own where its results depend
on them (interp's NaN fallbacks), so results match bit for bit there."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .quantiles import heapsort
from .common import conjugate, constant_flag, is_none, normalize_axis
from .manip_arity import fixed_arity
from .statistics import (_drop_axis, _flat, _lanes, _less, array_like, caster, is_array,
                         reducer_for, replace_item)


def given(value, default):
    """`value`, or `default` where it is None: chosen by type, as compiled code types both
    arms of a conditional even when its condition is a constant."""


@overload(given)
def _ol_given(value, default):
    if is_none(value):
        return lambda value, default: default
    return lambda value, default: value


def _result_dtype(*tys):
    return np.result_type(*(as_dtype(t.dtype if isinstance(t, types.Array) else t) for t in tys))


# -- ptp, count_nonzero, average --------------------------------------------------------------

def _ptp_lane(dtype):
    cast = caster(dtype)

    @register_jitable
    def lane(v, arg):
        if v.shape[0] == 0:
            raise ValueError("zero-size array to reduction operation maximum which has no "
                             "identity")
        lo = v[0]
        hi = v[0]
        for j in range(v.shape[0]):
            x = v[j]
            if x != x:
                return cast(x - x)
            if _less(x, lo):
                lo = x
            if _less(hi, x):
                hi = x
        return cast(hi - lo)
    return lane


@overload(np.ptp)
def _ol_ptp(a, axis=None):
    if array_like(a) and is_none(axis):
        return lambda a, axis=None: np.ptp(np.asarray(a))
    if is_array(a) and isinstance(a.dtype, types.Boolean):
        raise TypingError("np.ptp(): Boolean dtype is unsupported (as per NumPy)")
    if not is_array(a):
        return None
    dtype = as_dtype(a.dtype)
    core = reducer_for(_ptp_lane(dtype), dtype, a, axis)
    return lambda a, axis=None: core(a, axis, 0)


@register_jitable
def _nonzero_lane(v, arg):
    n = 0
    for j in range(v.shape[0]):
        n += v[j] != 0
    return n


@overload(np.count_nonzero)
def _ol_count_nonzero(a, axis=None):
    if not is_array(a):
        return None
    core = reducer_for(_nonzero_lane, np.dtype(np.intp), a, axis)
    return lambda a, axis=None: core(a, axis, 0)


# -- diff, trapezoid, cross, interp -----------------------------------------------------------

def _delta(later, now):
    """later - now; booleans differ (NumPy's diff of booleans is `!=`)."""


@overload(_delta)
def _ol_delta(later, now):
    if isinstance(later, types.Boolean):
        return lambda later, now: later != now
    return lambda later, now: later - now


@overload(np.diff)
def _ol_diff(a, n=1, axis=-1):
    if not is_array(a) or a.ndim == 0:
        return None

    def impl(a, n=1, axis=-1):
        if n < 0:
            raise ValueError("order must be non-negative")
        ax = normalize_axis(axis, a.ndim)
        view = _lanes(a, ax)
        length = max(view.shape[1] - n, 0)
        work = view.copy()
        for step in range(min(n, view.shape[1])):
            for j in range(view.shape[1] - step - 1):
                for i in range(view.shape[0]):
                    for k in range(view.shape[2]):
                        work[i, j, k] = _delta(work[i, j + 1, k], work[i, j, k])
        return work[:, :length, :].copy().reshape(replace_item(a.shape, ax, length))
    return impl


@overload(np.trapezoid)
def _ol_trapezoid(y, x=None, dx=1.0, axis=-1):
    """NumPy's sum of d * (y[1:] + y[:-1]) / 2.0 along `axis`, on the (outer, n, inner) view
    of y; a 1-d y gives a scalar."""
    if not isinstance(y, types.Array) or y.ndim == 0:
        return None
    if isinstance(x, types.Array) and x.ndim not in (1, y.ndim):
        raise TypingError(f"np.trapezoid(): x must be 1-d or have y's dimensions, not {x}")
    if y.ndim == 1:
        return lambda y, x=None, dx=1.0, axis=-1: _trapezoid_terms(y, x, dx, axis).sum()

    def impl(y, x=None, dx=1.0, axis=-1):
        ax = normalize_axis(axis, y.ndim)
        return _trapezoid_terms(y, x, dx, ax).sum(axis=1).reshape(_drop_axis(y.shape, ax))
    return impl


@register_jitable
def _trapezoid_terms(y, x, dx, axis):
    ax = normalize_axis(axis, y.ndim)
    v = _lanes(y, ax)
    return _widths(x, dx, ax) * (v[:, 1:, :] + v[:, :-1, :]) / 2.0


def _widths(x, dx, axis):
    """The sample spacings broadcasting against the (outer, n - 1, inner) terms: dx, or the
    differences of x (along `axis` for an x of y's shape)."""


@overload(_widths)
def _ol_widths(x, dx, axis):
    if is_none(x):
        return lambda x, dx, axis: dx
    if x.ndim == 1:
        # NumPy's broadcasting decides whether x's length fits
        return lambda x, dx, axis: np.diff(x).reshape((1, max(x.shape[0] - 1, 0), 1))
    return lambda x, dx, axis: _lanes(np.diff(x, axis=axis), axis)


@register_jitable
def _cross_line(x, y, out):
    """NumPy's formulas for vectors of 2 or 3 components (a missing z is not taken as 0,
    so infinities give NumPy's values)."""
    nx, ny = x.shape[0], y.shape[0]
    out[2] = x[0] * y[1] - x[1] * y[0]
    if nx == 3 and ny == 3:
        out[0] = x[1] * y[2] - x[2] * y[1]
        out[1] = x[2] * y[0] - x[0] * y[2]
    elif nx == 2:
        out[0] = x[1] * y[2]
        out[1] = -(x[0] * y[2])
    else:
        out[0] = -(x[2] * y[1])
        out[1] = x[2] * y[0]


@register_jitable
def _vectors(a, lead, dtype):
    """`a` broadcast to `lead` vectors, as rows of a C-contiguous array of `dtype`."""
    size = a.shape[a.ndim - 1]
    rows = np.ascontiguousarray(np.broadcast_to(a, lead + (size,))).astype(dtype)
    return rows.reshape((rows.size // size, size))


@overload(np.cross)
def _ol_cross(a, b):
    if isinstance(a, (types.List, types.BaseTuple)) or isinstance(b, (types.List,
                                                                      types.BaseTuple)):
        return lambda a, b: np.cross(np.asarray(a), np.asarray(b))
    if not (is_array(a) and is_array(b)) or a.ndim == 0 or b.ndim == 0:
        return None
    dtype = _result_dtype(a, b)

    def impl(a, b):
        na, nb = a.shape[a.ndim - 1], b.shape[b.ndim - 1]
        if na not in (2, 3) or nb not in (2, 3):
            raise ValueError("incompatible dimensions for cross product\n"
                             "(dimension must be 2 or 3)")
        if na == 2 and nb == 2:  # NumPy drops the last dimension (deprecated since 2.0)
            raise ValueError("Both input arrays must be (arrays of) 3-dimensional vectors, "
                             "but they are 2 and 2 dimensional instead.")
        lead = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
        x, y = _vectors(a, lead, dtype), _vectors(b, lead, dtype)
        out = np.empty((x.shape[0], 3), dtype)
        for i in range(x.shape[0]):
            _cross_line(x[i], y[i], out[i])
        return out.reshape(lead + (3,))
    return impl


@register_jitable
def _interp_one(x, xp, fp, left, right):
    """np.interp at one point, with NumPy's fallbacks where the slope is not finite."""
    n = xp.shape[0]
    if x != x:
        return x
    if x < xp[0]:
        return left
    if x > xp[n - 1]:
        return right
    lo, hi = 0, n
    while hi - lo > 1:  # xp[lo] <= x < xp[lo + 1]
        mid = (lo + hi) // 2
        if xp[mid] <= x:
            lo = mid
        else:
            hi = mid
    if lo == n - 1 or xp[lo] == x:
        return fp[lo]
    slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo])
    result = slope * (x - xp[lo]) + fp[lo]
    if result != result:
        result = slope * (x - xp[lo + 1]) + fp[lo + 1]
        if result != result and fp[lo] == fp[lo + 1]:
            result = fp[lo]
    return result


@register_jitable
def _interp_complex(x, xp, re, im, left, right):
    """NumPy's complex interp: each part interpolated as a real fp (a NaN x gives NaN+0j)."""
    if x != x:
        return np.complex128(complex(x, 0.0))
    return np.complex128(complex(_interp_one(x, xp, re, left.real, right.real),
                                 _interp_one(x, xp, im, left.imag, right.imag)))


def _ol_interp_complex(x, xp, fp, left, right):
    @register_jitable
    def prep(xp, fp, left, right):
        if xp.shape[0] == 0:
            raise ValueError("array of sample points is empty")
        if xp.shape[0] != fp.shape[0]:
            raise ValueError("fp and xp are not of the same length.")
        lo = np.complex128(given(left, fp[0]))
        hi = np.complex128(given(right, fp[fp.shape[0] - 1]))
        parts = fp.astype(np.complex128)
        return (xp.astype(np.float64), np.ascontiguousarray(parts.real),
                np.ascontiguousarray(parts.imag), lo, hi)
    if not isinstance(x, types.Array):
        def scalar(x, xp, fp, left=None, right=None):
            px, re, im, lo, hi = prep(xp, fp, left, right)
            return _interp_complex(x * 1.0, px, re, im, lo, hi)
        return scalar

    def array(x, xp, fp, left=None, right=None):
        px, re, im, lo, hi = prep(xp, fp, left, right)
        flat = _flat(x)
        out = np.empty(flat.shape[0], np.complex128)
        for i in range(flat.shape[0]):
            out[i] = _interp_complex(flat[i] * 1.0, px, re, im, lo, hi)
        return out.reshape(x.shape)
    return array


@overload(np.interp)
def _ol_interp(x, xp, fp, left=None, right=None):
    real = (types.Integer, types.Float, types.Boolean)
    if not (is_array(x, False) or isinstance(x, real)) or not (
            is_array(xp, False) and xp.ndim == 1 and is_array(fp) and fp.ndim == 1):
        return None
    if isinstance(fp.dtype, types.Complex):
        return _ol_interp_complex(x, xp, fp, left, right)

    def prepare(xp, fp, left, right):
        if xp.shape[0] == 0:
            raise ValueError("array of sample points is empty")
        if xp.shape[0] != fp.shape[0]:
            raise ValueError("fp and xp are not of the same length.")
        lo = given(left, fp[0]) * 1.0
        hi = given(right, fp[fp.shape[0] - 1]) * 1.0
        return xp.astype(np.float64), fp.astype(np.float64), lo, hi
    prep = register_jitable(prepare)
    if not isinstance(x, types.Array):
        def scalar(x, xp, fp, left=None, right=None):
            px, pf, lo, hi = prep(xp, fp, left, right)
            return _interp_one(x * 1.0, px, pf, lo, hi)
        return scalar

    def array(x, xp, fp, left=None, right=None):
        px, pf, lo, hi = prep(xp, fp, left, right)
        flat = _flat(x)
        out = np.empty(flat.shape[0], np.float64)
        for i in range(flat.shape[0]):
            out[i] = _interp_one(flat[i] * 1.0, px, pf, lo, hi)
        return out.reshape(x.shape)
    return array


# -- convolve, correlate ----------------------------------------------------------------------

MODES = ("full", "same", "valid")


def _mode_code(mode, default):
    """A kernel giving the index in MODES of `mode=`: fixed for a literal or omitted mode,
    looked up at run time for a string variable (ValueError for other names)."""
    if isinstance(mode, types.Omitted) or isinstance(mode, types.StringLiteral):
        name = mode.value if isinstance(mode, types.Omitted) else mode.literal_value
        if name not in MODES:
            raise TypingError(f"mode must be one of {MODES}, got {name!r}")
        code = MODES.index(name)
        return register_jitable(lambda mode: code)
    if isinstance(mode, types.UnicodeType):
        return _runtime_mode
    raise TypingError(f"mode must be one of {MODES} as a string, got {mode}")


@register_jitable
def _runtime_mode(mode):
    if mode == "full":
        return 0
    if mode == "same":
        return 1
    if mode != "valid":
        raise ValueError("Invalid 'mode' argument: must be one of 'full', 'same', 'valid'")
    return 2


def _convolution(dtype, correlate):
    """The kernel: the full sum of products a[i] * w[k - i] (w = conj(v) reversed for a
    correlation), cut as mode `code` asks (the middle max(n, m) items, or the fully
    overlapping)."""
    conv = caster(dtype)

    @register_jitable
    def kernel(a, v, code):
        n, m = a.shape[0], v.shape[0]
        if n == 0:
            raise ValueError("'a' cannot be empty")
        if m == 0:
            raise ValueError("'v' cannot be empty")
        full = np.zeros(n + m - 1, dtype)
        for i in range(n):
            for j in range(m):
                w = conjugate(v[m - 1 - j]) if correlate else v[j]
                full[i + j] += conv(a[i]) * conv(w)
        if code == 0:
            return full
        short = min(n, m)
        start = (short - 1) // 2 if code == 1 else short - 1
        if correlate and code == 1 and n < m:  # NumPy swaps the operands, then reverses
            start = short - 1 - start
        length = max(n, m) if code == 1 else max(n, m) - short + 1
        return full[start:start + length].copy()
    return kernel


def _convolve_typer(correlate, default):
    name = "np.correlate" if correlate else "np.convolve"

    def typer(a, v, mode=default):
        if not (is_array(a) and is_array(v)):
            return None
        if a.ndim != 1 or v.ndim != 1:
            raise TypingError(f"{name}(): only supported on 1D arrays")
        kernel = _convolution(_result_dtype(a, v), correlate)
        code_of = _mode_code(mode, default)
        return lambda a, v, mode=default: kernel(a, v, code_of(mode))
    return typer


overload(np.convolve, prefer_literal=True)(_convolve_typer(False, "full"))
overload(np.correlate, prefer_literal=True)(_convolve_typer(True, "valid"))


# -- unique, isin -----------------------------------------------------------------------------

@register_jitable
def _sorted_copy(a):
    buf = _flat(a).copy()
    heapsort(buf)
    return buf


@overload(np.unique, prefer_literal=True)
def _ol_unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None,
               equal_nan=True):
    if not is_array(ar):
        return None
    if not is_none(axis):
        raise TypingError(f"np.unique(): only axis=None is supported, not axis={axis}")
    wanted = tuple(constant_flag("np.unique", name, flag) for name, flag in (
        ("return_index", return_index), ("return_inverse", return_inverse),
        ("return_counts", return_counts), ("equal_nan", equal_nan)))
    if not any(wanted[:3]) and wanted[3]:
        return lambda ar, return_index=False, return_inverse=False, return_counts=False, \
            axis=None, equal_nan=True: _unique_values(ar)
    select = _selecting(*wanted[:3])
    nan_equal = wanted[3]
    return lambda ar, return_index=False, return_inverse=False, return_counts=False, \
        axis=None, equal_nan=True: select(ar, *_unique_parts(ar, nan_equal))


@register_jitable
def _unique_values(ar):
    buf = _sorted_copy(ar)
    m = 0
    for i in range(buf.shape[0]):
        x = buf[i]
        # NaNs sort last; NumPy 2 keeps one of them (equal_nan=True)
        if m == 0 or not (x == buf[m - 1] or (x != x and buf[m - 1] != buf[m - 1])):
            buf[m] = x
            m += 1
    return buf[:m].copy()


@register_jitable
def _unique_parts(ar, nan_equal):
    """NumPy's way: a stable argsort (so an index is the first occurrence's), a mask of the
    sorted items that differ from their left neighbour (NaNs equal with nan_equal)."""
    flat = _flat(ar)
    perm = np.argsort(flat, kind="mergesort")
    aux = flat[perm]
    mask = np.empty(aux.shape[0], np.bool_)
    for i in range(aux.shape[0]):
        nans = nan_equal and aux[i] != aux[i] and i > 0 and aux[i - 1] != aux[i - 1]
        mask[i] = i == 0 or not (aux[i] == aux[i - 1] or nans)
    inverse = np.empty(aux.shape[0], np.intp)
    inverse[perm] = np.cumsum(mask) - 1
    starts = np.append(np.nonzero(mask)[0], aux.shape[0])
    return aux[mask], perm[mask], inverse.reshape(ar.shape), np.diff(starts)


def _selecting(index, inverse, counts):
    """select(ar, values, index, inverse, counts): the requested results in NumPy's order."""
    names = ["values"] + [name for name, on in (("index", index), ("inverse", inverse),
                                                 ("counts", counts)) if on]
    result = names[0] if len(names) == 1 else f"({', '.join(names)})"
    return register_jitable(fixed_arity(f"return {result}",
                                        ("ar", "values", "index", "inverse", "counts"), 0, {}))


@register_jitable
def _contains(sorted_values, x):
    lo, hi = 0, sorted_values.shape[0]
    while lo < hi:  # the first item not below x
        mid = (lo + hi) // 2
        if _less(sorted_values[mid], x):
            lo = mid + 1
        else:
            hi = mid
    return lo < sorted_values.shape[0] and sorted_values[lo] == x


@overload(np.isin)
def _ol_isin(element, test_elements, assume_unique=False, invert=False):
    for name, flag in (("assume_unique", assume_unique), ("invert", invert)):
        if not (isinstance(types.unliteral(flag), types.Boolean) or
                isinstance(flag, types.Omitted) and isinstance(flag.value, bool)):
            raise TypingError(f"np.isin(): {name} must be a boolean, not {flag}")
    if (array_like(element) or array_like(test_elements)) and \
            all(is_array(t) or array_like(t) for t in (element, test_elements)):
        return lambda element, test_elements, assume_unique=False, invert=False: np.isin(
            np.asarray(element), np.asarray(test_elements), assume_unique, invert)
    if not (is_array(element) and is_array(test_elements)):
        return None

    dtype = _result_dtype(element, test_elements)
    conv = caster(dtype)

    def impl(element, test_elements, assume_unique=False, invert=False):
        values = _sorted_copy(test_elements.astype(dtype))
        flat = _flat(element)
        out = np.empty(flat.shape[0], np.bool_)
        for i in range(flat.shape[0]):
            out[i] = _contains(values, conv(flat[i])) != invert
        return out.reshape(element.shape)
    return impl
