"""np.bincount and np.histogram, with NumPy's exact counts and edges.

NumPy counts evenly spaced bins by arithmetic, then corrects each item against the edges on
either side. Reading those edges for every item makes the loop wait on memory, so here the
arithmetic alone counts an item unless it lies within rounding distance of an edge (then
NumPy's own computation runs). That test is what the loop costs beyond the count itself, so
it is kept short: the bin by truncation, one unsigned range check, one distance test against
the bin's middle. When the arithmetic switches bins at exactly NumPy's edges
(both are monotonic in the item, so checking the floats at each edge once decides it), no
item is checked at all."""
from __future__ import annotations

import functools
import platform

import numpy as np
from llvmlite import ir

from ... import types
from ...errors import TypingError
from ...extending import intrinsic, overload, register_jitable
from .common import is_none
from .numeric import given
from .statistics import _flat, caster, is_array


# -- bincount, histogram ----------------------------------------------------------------------

@overload(np.bincount)
def _ol_bincount(x, weights=None, minlength=0):
    if isinstance(x, (types.List, types.BaseTuple)):
        return lambda x, weights=None, minlength=0: np.bincount(np.asarray(x), weights,
                                                                minlength)
    if isinstance(weights, (types.List, types.BaseTuple)):
        return lambda x, weights=None, minlength=0: np.bincount(x, np.asarray(weights),
                                                                minlength)
    if not isinstance(x, types.Array) or x.ndim != 1 or \
            not isinstance(x.dtype, (types.Integer, types.Boolean)):
        return None
    dtype = np.dtype(np.intp) if is_none(weights) else np.dtype(np.float64)

    def impl(x, weights=None, minlength=0):
        if minlength < 0:
            raise ValueError("'minlength' must not be negative")
        if given(weights, x).shape[0] != x.shape[0]:
            raise ValueError("The weights and list don't have the same length.")
        size = np.intp(minlength)
        for i in range(x.shape[0]):
            if x[i] < 0:
                raise ValueError("'list' argument must have no negative elements")
            size = max(size, np.intp(x[i]) + 1)  # intp: uint64 + int would be a float
        out = np.zeros(size, dtype)
        for i in range(x.shape[0]):
            out[np.intp(x[i])] += _weight(weights, i)
        return out
    return impl


def _weight(weights, i):
    """weights[i], or 1 without weights."""


@overload(_weight)
def _ol_weight(weights, i):
    if is_none(weights):
        return lambda weights, i: 1
    return lambda weights, i: weights[i]


@register_jitable
def _extremes(a):
    """(min, max) in one pass; a NaN among floats makes both NaN (as NumPy's a.min() and
    a.max() are), which the range check refuses."""
    lo = hi = a[0]
    for i in range(1, a.shape[0]):
        lo = _smaller(lo, a[i])
        hi = _larger(hi, a[i])
    return lo, hi


def _ieee_extreme(name):
    """LLVM's NaN-propagating minimum/maximum of two floats, which the loop vectorizer turns
    into a vector reduction (a compare-and-select with NaN semantics stays scalar)."""
    @intrinsic
    def extreme(typingctx, x, y):
        def codegen(context, builder, sig, args):
            fltty = args[0].type
            full = f"{name}.{'f64' if fltty == ir.DoubleType() else 'f32'}"
            function = builder.module.globals.get(full) or \
                ir.Function(builder.module, ir.FunctionType(fltty, [fltty, fltty]), full)
            return builder.call(function, args)
        return x(x, y), codegen
    return extreme


_ieee_min, _ieee_max = _ieee_extreme("llvm.minimum"), _ieee_extreme("llvm.maximum")


def _smaller(lo, x):
    """min(lo, x): NaN-propagating for floats."""


def _larger(hi, x):
    """max(hi, x): NaN-propagating for floats."""


@overload(_smaller)
def _ol_smaller(lo, x):
    if isinstance(lo, types.Float) and lo == x:
        return lambda lo, x: _ieee_min(lo, x)
    return lambda lo, x: x if x < lo else lo


@overload(_larger)
def _ol_larger(hi, x):
    if isinstance(hi, types.Float) and hi == x:
        return lambda hi, x: _ieee_max(hi, x)
    return lambda hi, x: x if x > hi else hi


@register_jitable
def _linspace_edges(first, last, bins):
    if first == last:
        first, last = first - 0.5, last + 0.5
    step = (last - first) / bins
    edges = np.empty(bins + 1, np.float64)
    for i in range(bins + 1):
        edges[i] = i * step + first
    edges[bins] = last
    return edges


_X86 = platform.machine().lower() in ("x86_64", "amd64")
_I64 = ir.IntType(64)


@intrinsic
def _truncated(typingctx, f):
    """f rounded toward zero to an intp, or the most negative intp where f is NaN or out of
    range (x86's conversion; LLVM's fptosi is undefined there, its saturating one maps NaN
    to 0)."""
    if not isinstance(f, types.Float):
        return None

    def codegen(context, builder, sig, args):
        (value,) = args
        double = value.type == ir.DoubleType()
        if _X86:
            vector = ir.VectorType(value.type, 2 if double else 4)
            name = "llvm.x86.sse2.cvttsd2si64" if double else "llvm.x86.sse.cvttss2si64"
            packed = builder.insert_element(ir.Constant(vector, None), value,
                                            ir.Constant(ir.IntType(32), 0))
            return builder.call(_declared(builder.module, name, vector), [packed])
        name = f"llvm.fptosi.sat.i64.{'f64' if double else 'f32'}"
        converted = builder.call(_declared(builder.module, name, value.type), [value])
        return builder.select(builder.fcmp_unordered("uno", value, value),
                              ir.Constant(_I64, -(1 << 63)), converted)
    return types.intp(f), codegen


def _declared(module, name, argty):
    return module.globals.get(name) or ir.Function(module, ir.FunctionType(_I64, [argty]), name)


@functools.lru_cache(maxsize=None)
def _uniform_kernels(edge_dtype):
    """(edges, counts) for evenly spaced bins, computed in `edge_dtype` as NumPy computes them
    (float32 data gives float32 edges and float32 bin arithmetic)."""
    conv = caster(np.dtype(edge_dtype))
    eps = float(np.finfo(edge_dtype).eps)

    @register_jitable
    def limits(a, lo, hi, given):
        if given:
            if lo > hi:
                raise ValueError("max must be larger than min in range parameter.")
        elif a.size == 0:
            lo, hi = 0.0, 1.0
        else:
            lo, hi = _extremes(a)
        if not (lo - lo == 0 and hi - hi == 0):  # inf - inf and NaNs are NaN
            raise ValueError("autodetected range is not finite")
        return conv(lo), conv(hi)

    @register_jitable
    def edges_of(a, bins, lo, hi, given):
        """NumPy's linspace of the edges: in the data's precision from its extremes, in
        float64 from a given range (Python floats), rounded once at the end."""
        first, last = limits(a, lo, hi, given)
        edges = np.empty(bins + 1, edge_dtype)
        if given:
            exact = _linspace_edges(lo * 1.0, hi * 1.0, bins)
            for i in range(bins + 1):
                edges[i] = conv(exact[i])
        else:
            if first == last:
                first, last = conv(first - 0.5), conv(last + 0.5)
            step = conv(conv(last - first) / conv(bins))
            for i in range(bins + 1):
                edges[i] = conv(conv(i) * step) + first
            edges[bins] = last
        for i in range(bins):
            if not edges[i] < edges[i + 1]:
                raise ValueError(f"Too many bins for data range. Cannot create {bins} "
                                 "finite-sized bins.")
        return edges

    @register_jitable
    def estimate(x, first, scale):
        """The bin by arithmetic, as a float (converted to an integer only once known to be
        a bin: LLVM leaves the conversion of NaNs and huge values undefined); monotonic in x,
        as every rounded step is."""
        return np.floor(conv(conv(x - first) * scale))

    @register_jitable
    def estimates_exact(edges, scale):
        """Whether the estimate of every item is the bin NumPy gives: as the estimate and the
        bin both grow with x, they agree everywhere when they switch at the same floats, each
        edge's and (outside the range) the first's and the one after the last."""
        bins = edges.shape[0] - 1
        first, last = edges[0], edges[bins]
        below, above = conv(-np.inf), conv(np.inf)
        if estimate(np.nextafter(first, below), first, scale) >= 0 or \
                estimate(np.nextafter(last, above), first, scale) < bins:
            return False
        for j in range(1, bins):
            e = edges[j]
            if not (e < edges[j + 1] and estimate(e, first, scale) >= j and
                    estimate(np.nextafter(e, below), first, scale) < j):
                return False
        return True

    @register_jitable
    def numpy_bin(x, edges, top):
        """NumPy's own computation: a division, then one step against either edge."""
        first, last = edges[0], edges[top + 1]
        k = min(np.intp(conv(conv(conv(x - first) / conv(last - first)) * conv(top + 1))), top)
        if x < edges[k]:
            k -= 1
        if x >= edges[k + 1] and k != top:
            k += 1
        return k

    @register_jitable
    def counts(a, edges, bins, given):
        """NumPy's counts, in one pass: the estimate alone where it is exact everywhere,
        else the estimate where the item lies safely inside its bin (a branch the CPU
        predicts), NumPy's computation near an edge."""
        first, last = edges[0], edges[bins]
        scale = conv(bins / conv(last - first))
        if estimates_exact(edges, scale):
            return estimated_counts(a, first, last, scale, bins, given)
        return checked_counts(a, edges, scale, given)

    @register_jitable
    def estimated_counts(a, first, last, scale, bins, given):
        hist = np.zeros(bins, np.intp)
        outside = 0
        for i in range(a.shape[0]):
            x = a[i]
            k = estimate(x, first, scale)
            if k >= 0 and k < bins:  # never a NaN
                hist[np.uintp(k)] += 1
            elif x >= first and x <= last:  # the last item, or items rounding to it
                hist[bins - 1] += 1
            else:
                outside += 1
        if outside and not given:  # only NaNs lie outside an autodetected range
            raise ValueError("autodetected range is not finite")
        return hist

    @register_jitable
    def checked_counts(a, edges, scale, given):
        top = edges.shape[0] - 2
        hist = np.zeros(top + 1, np.intp)
        first, last = edges[0], edges[top + 1]
        magnitude = (abs(first) + abs(last)) / (last - first)
        # in bins, the estimate is off by < 5 eps * bins, an edge by < (3 + magnitude) eps * bins
        width = 0.5 - 8 * eps * (top + 1) * (1 + magnitude)
        bins = np.uintp(top + 1)
        for i in range(a.shape[0]):
            x = a[i]
            f = conv(conv(x - first) * scale)
            k = _truncated(f)  # (f < 0 and NaN: a negative k or the -0.5 test fails)
            if np.uintp(k) < bins and abs(f - np.trunc(f) - 0.5) < width:  # safely inside bin k
                hist[k] += 1
            elif x >= first and x <= last:
                hist[numpy_bin(x, edges, top)] += 1
            elif not given:  # only NaNs lie outside an autodetected range
                raise ValueError("autodetected range is not finite")
        return hist
    return edges_of, counts


@register_jitable
def _edge_counts(a, edges):
    """Counts for explicit edges: [e[i], e[i+1]) with the last bin closed."""
    bins = edges.shape[0] - 1
    for i in range(bins):
        if edges[i + 1] < edges[i]:
            raise ValueError("bins must increase monotonically, when an array")
    hist = np.zeros(max(bins, 0), np.intp)
    for i in range(a.shape[0]):
        x = a[i]
        if bins < 1 or not (x >= edges[0] and x <= edges[bins]):
            continue
        lo, hi = 0, bins + 1
        while hi - lo > 1:  # the last edge <= x
            mid = (lo + hi) // 2
            if edges[mid] <= x:
                lo = mid
            else:
                hi = mid
        hist[min(lo, bins - 1)] += 1
    return hist


def _histogram_arguments(a, bins) -> bool:
    """Whether np.histogram takes these (a real array; bins an int or an array of edges)."""
    return is_array(a, complex_ok=False) and (
        isinstance(bins, types.Array) or isinstance(types.unliteral(bins), types.Integer) or
        isinstance(bins, types.Omitted) and bins.value == 10)


def _density_flag(density) -> bool:
    """density= as a constant: it decides the counts' dtype (float64 or integers)."""
    if isinstance(density, types.Omitted) or is_none(density):
        return bool(getattr(density, "value", None))
    if isinstance(density, types.BooleanLiteral):
        return density.literal_value
    raise TypingError(f"np.histogram(): density must be a constant True or False, not "
                      f"{density}")


@overload(np.histogram, prefer_literal=True)
def _ol_histogram(a, bins=10, range=None, density=None, weights=None):
    """NumPy's counts (weighted sums with weights=, divided by the bin widths and the total
    with density=True) and edges; the counting is _counted's."""
    if not _histogram_arguments(a, bins):
        return None
    if not (is_none(weights) or isinstance(weights, types.Array) and
            isinstance(weights.dtype, (types.Number, types.Boolean))):
        raise TypingError(f"np.histogram(): weights must be an array of numbers, not {weights}")
    if _density_flag(density):
        return lambda a, bins=10, range=None, density=None, weights=None: \
            _densities(*_weighted(a, bins, range, weights))
    return lambda a, bins=10, range=None, density=None, weights=None: \
        _weighted(a, bins, range, weights)


@register_jitable
def _densities(counts, edges):
    return counts / np.diff(edges).astype(np.float64) / counts.sum(), edges


def _weighted(a, bins, range, weights):  # noqa: A002 - NumPy's parameter name
    """(counts, edges): the plain counts, or the sums of the weights in each bin."""


@overload(_weighted)
def _ol_weighted(a, bins, range, weights):  # noqa: A002
    if is_none(weights):
        return lambda a, bins, range, weights: _counted(a, bins, range)

    def impl(a, bins, range, weights):  # noqa: A002
        if weights.shape != a.shape:
            raise ValueError("weights should have the same shape as a.")
        edges = _counted(a, bins, range)[1]
        return _weight_sums(_flat(a), edges, _flat(weights)), edges
    return impl


@register_jitable
def _weight_sums(a, edges, weights):
    """Each item's weight added to its bin: the last edge <= the item (the last bin closed)."""
    bins = edges.shape[0] - 1
    hist = np.zeros(bins, weights.dtype)
    for i in range(a.shape[0]):
        if a[i] >= edges[0] and a[i] <= edges[bins]:
            hist[min(np.searchsorted(edges, a[i], side="right") - 1, bins - 1)] += weights[i]
    return hist


def _counted(a, bins, range):  # noqa: A002
    """(counts, edges) of np.histogram(a, bins, range)."""


@overload(_counted)
def _ol_counted(a, bins, range):  # noqa: A002
    if isinstance(bins, types.Array):
        return lambda a, bins, range: (_edge_counts(_flat(a), bins), bins)
    has_range = not is_none(range)
    edges_of, counts = _uniform_kernels(np.float32 if a.dtype == types.float32 else np.float64)

    def impl(a, bins, range):  # noqa: A002
        if bins < 1:
            raise ValueError("`bins` must be positive, when an integer")
        limits = given(range, (0.0, 0.0))
        flat = _flat(a)
        edges = edges_of(flat, bins, limits[0] * 1.0, limits[1] * 1.0, has_range)
        return counts(flat, edges, bins, has_range), edges
    return impl
