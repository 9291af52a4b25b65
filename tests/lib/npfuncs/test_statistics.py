"""Reductions with axis=, nan* functions, median/percentile and the numeric helpers
(statistics.py, quantiles.py, numeric.py), differentially against NumPy."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import jitbridge
from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

DTYPES = [np.bool_, np.int8, np.uint8, np.int32, np.int64, np.uint64, np.float32, np.float64,
          np.complex64, np.complex128]
FLOATS = (np.float32, np.float64, np.complex64, np.complex128)


# -- compiled once, reused -------------------------------------------------------------------

@njit
def sum_axis(a, axis):
    return np.sum(a, axis=axis)


@njit
def methods_axis(a, axis):
    return a.prod(axis), a.mean(axis=axis), a.all(axis), a.any(axis=axis)


@njit
def extremes_axis(a, axis):
    return np.min(a, axis=axis), a.max(axis), np.argmin(a, axis), a.argmax(axis=axis)


@njit
def spread_axis(a, axis):
    return np.var(a, axis=axis), a.std(axis), np.std(a, axis=axis, ddof=1)


@njit
def cumulative(a, axis):
    return np.cumsum(a, axis=axis), a.cumprod(axis), np.cumsum(a), a.cumprod()


@njit
def whole(a):
    return a.all(), np.any(a), np.var(a), a.std(), a.mean()


@njit
def nan_whole(a):
    return (np.nansum(a), np.nanprod(a), np.nanmean(a), np.nanvar(a), np.nanstd(a),
            np.nanmin(a), np.nanmax(a), np.nancumsum(a), np.nancumprod(a))


@njit
def nan_axis(a, axis):
    return (np.nansum(a, axis=axis), np.nanmean(a, axis=axis), np.nanmax(a, axis=axis),
            np.nanargmin(a, axis=axis), np.nanstd(a, axis=axis, ddof=1))


@njit
def sum_as(a, axis):
    return np.sum(a, axis=axis, dtype=np.float32), a.sum(dtype=np.int8)


@njit
def medians(a):
    return np.median(a), np.nanmedian(a)


@njit
def median_axis(a, axis):
    return np.median(a, axis=axis)


@njit
def quantiles(a, q):
    return (np.percentile(a, q), np.quantile(a, q / 100), np.nanpercentile(a, q),
            np.nanquantile(a, q / 100))


def layouts(a):
    """The array as C, Fortran and non-contiguous (every other item of a doubled array)."""
    doubled = np.repeat(a, 2, axis=-1) if a.ndim else a
    strided = doubled[..., ::2] if a.ndim else a
    return [a, np.asfortranarray(a), strided]


def returned_type(dispatcher, *args):
    """The NumPy dtype the compiled specialisation declares for its (scalar) result."""
    argtypes = tuple(jitbridge.typeof(a) for a in args)
    sig = next(s for s in dispatcher.nopython_signatures if s.args == argtypes)
    return sig.return_type


def same(got, expected, exact=False, tol=None):
    """Values (NaNs equal) and dtypes: array dtypes directly, scalars' through their type."""
    got_a, exp_a = np.asarray(got), np.asarray(expected)
    assert got_a.shape == exp_a.shape, (got_a.shape, exp_a.shape)
    if exp_a.ndim:
        assert got_a.dtype == exp_a.dtype, (got_a.dtype, exp_a.dtype)
    if exact or exp_a.dtype.kind in "biu":
        np.testing.assert_array_equal(got_a, exp_a)
    else:
        tol = tol or (1e-5 if exp_a.dtype in (np.float32, np.complex64) else 1e-12)
        np.testing.assert_allclose(got_a, exp_a, rtol=tol, atol=tol, equal_nan=True)


def same_all(got, expected, **kw):
    for g, e in zip(got, expected, strict=True):
        same(g, e, **kw)


def sample(dtype, shape, rng):
    values = rng.integers(-4, 9, size=shape)
    if np.dtype(dtype).kind == "c":
        return (values + 1j * rng.integers(-3, 3, size=shape)).astype(dtype)
    if np.dtype(dtype).kind == "u":
        values = np.abs(values)
    return values.astype(dtype)


# -- reductions with axis= -------------------------------------------------------------------

def cases(dtype, rng):
    """1-D and 3-D C arrays, and 2-D ones in every layout (an empty one among them): each
    (dtype, ndim, layout) compiles once, so the combinations are chosen, not multiplied."""
    two = layouts(sample(dtype, (3, 4), rng))
    return [sample(dtype, (5,), rng), *two, sample(dtype, (0, 3), rng),
            sample(dtype, (2, 3, 4), rng)]


@pytest.mark.slow  # (30 s each: every reduction over every axis of several shapes)
@pytest.mark.parametrize("dtype", [np.int8, np.float64])
def test_reductions_along_every_axis(dtype):
    rng = np.random.default_rng(1)
    for a in cases(dtype, rng):
        for axis in range(-a.ndim, a.ndim):
            same(sum_axis(a, axis), sum_axis.py_func(a, axis))
            same_all(methods_axis(a, axis), methods_axis.py_func(a, axis))
            if a.shape[axis] and np.dtype(dtype).kind != "c":
                same_all(extremes_axis(a, axis), extremes_axis.py_func(a, axis))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                same_all(spread_axis(a, axis), spread_axis.py_func(a, axis))
            same_all(cumulative(a, axis), cumulative.py_func(a, axis))


@pytest.mark.parametrize("dtype", [np.bool_, np.float32, *(pytest.param(d, marks=pytest.mark.slow)
                                                for d in (np.uint64, np.complex64))])
def test_other_dtypes_along_axes(dtype):
    a = sample(dtype, (3, 4), np.random.default_rng(5))
    for axis in (0, 1, -1):
        same(sum_axis(a, axis), sum_axis.py_func(a, axis))
        same_all(methods_axis(a, axis), methods_axis.py_func(a, axis))
        same_all(cumulative(a, axis), cumulative.py_func(a, axis))


@pytest.mark.parametrize("dtype", [np.int8, np.float32, np.bool_])
def test_scalar_results_keep_numpy_dtypes(dtype):
    a = sample(dtype, (6,), np.random.default_rng(2))
    result = sum_axis(a, 0)
    expected = np.sum(a, axis=0)
    assert returned_type(sum_axis, a, 0) == jitbridge.typeof(expected)
    same(result, expected)
    same_all(whole(a), whole.py_func(a))


def test_complex_extremes_order_lexicographically():
    a = np.array([[1 + 5j, 1 + 2j, -3 + 9j], [2 - 1j, 2 - 7j, 0j]])
    for axis in (0, 1, -1):
        same_all(extremes_axis(a, axis), extremes_axis.py_func(a, axis), exact=True)


def test_nan_propagates_and_first_nan_wins():
    a = np.array([[1.0, np.nan, 3.0], [np.nan, 2.0, np.nan], [4.0, 5.0, 6.0]])
    for axis in (0, 1):
        same_all(extremes_axis(a, axis), extremes_axis.py_func(a, axis), exact=True)
        same(sum_axis(a, axis), sum_axis.py_func(a, axis))


def test_explicit_dtype():
    a = np.arange(12.5, step=0.5).reshape(5, 5)
    for axis in (0, 1):
        same_all(sum_as(a, axis), sum_as.py_func(a, axis))


def test_bad_axis_and_empty_extremes_raise_like_numpy():
    with pytest.raises(ValueError, match="axis.*out of bounds"):
        sum_axis(np.ones((2, 3)), 2)
    with pytest.raises(ValueError, match="axis.*out of bounds"):
        sum_axis(np.ones(3), -2)
    with pytest.raises(ValueError, match="zero-size array to reduction operation minimum"):
        extremes_axis(np.ones((0, 3)), 0)
    with pytest.raises(ValueError, match="attempt to get argmin of an empty sequence"):
        np_argmin_axis(np.ones((2, 0)), 1)


@njit
def np_argmin_axis(a, axis):
    return np.argmin(a, axis=axis)


@njit
def axis_float(a):
    return np.sum(a, axis=1.5)


def test_axis_must_be_an_integer():
    with pytest.raises(TypingError, match="axis must be an integer"):
        axis_float(np.ones((2, 2)))


@settings(max_examples=8, deadline=None)
@given(st.sampled_from([np.int16, np.float64]),
       st.lists(st.integers(0, 4), min_size=2, max_size=2), st.integers(-3, 2), st.data())
def test_sum_and_mean_match_numpy_property(dtype, shape, axis, data):
    values = data.draw(st.lists(st.integers(-50, 50), min_size=int(np.prod(shape)),
                                max_size=int(np.prod(shape))))
    a = np.array(values, dtype=np.int64).astype(dtype).reshape(shape)
    if not -a.ndim <= axis < a.ndim:
        with pytest.raises(ValueError):
            sum_axis(a, axis)
        return
    for view in layouts(a):
        same(sum_axis(view, axis), np.sum(view, axis=axis))
        same_all(methods_axis(view, axis), methods_axis.py_func(view, axis))


# -- nan* ------------------------------------------------------------------------------------

NAN_CASES = [np.array([1.0, np.nan, 3.5, -2.0]), np.array([[np.nan, 2.0], [np.nan, np.nan]]),
             np.array([[1, 2], [3, 4]], dtype=np.int32), np.array([1.5, 2.5], dtype=np.float32),
             np.array([np.nan + 1j, 2 - 1j, 3j])]


@pytest.mark.parametrize("a", NAN_CASES, ids=range(len(NAN_CASES)))
def test_nan_functions_whole_array(a):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if np.dtype(a.dtype).kind == "c":
            got, expected = nan_whole(a)[:5], nan_whole.py_func(a)[:5]
        else:
            got, expected = nan_whole(a), nan_whole.py_func(a)
        same_all(got, expected)


def test_nan_functions_along_axes():
    a = np.array([[1.0, np.nan, 3.0], [np.nan, 5.0, 0.5], [2.0, 2.0, np.nan]])
    for axis in (0, 1, -1):
        same_all(nan_axis(a, axis), nan_axis.py_func(a, axis))


def test_nanargmin_of_all_nan_raises():
    with pytest.raises(ValueError, match="All-NaN slice encountered"):
        nan_axis(np.array([[np.nan, 1.0], [np.nan, 2.0]]), 0)


# -- median, percentile, quantile ------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.float32, np.float64])
def test_median_and_quantiles_are_exact(dtype):
    rng = np.random.default_rng(3)
    for n in (1, 2, 5, 8):
        a = (rng.standard_normal(n) * 100).astype(dtype)
        exact, tol = dtype != np.float32, 1e-6  # NumPy mixes float32 steps in
        same_all(medians(a), medians.py_func(a), exact=exact, tol=tol)
        for q in (0.0, 12.5, 50.0, 77.7, 100.0, np.array([5.0, 95.0]),
                  np.array([[0.0, 33.3], [66.6, 100.0]])):
            same_all(quantiles(a, q), quantiles.py_func(a, q), exact=exact, tol=tol)


def test_median_along_axes_and_nans():
    a = np.array([[3.0, 1.0, np.nan, 7.0], [2.0, 8.0, 4.0, 6.0], [1.0, 1.0, 1.0, 9.0]])
    for axis in (0, 1, -2):
        same(median_axis(a, axis), np.median(a, axis=axis), exact=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_all(medians(a), medians.py_func(a), exact=True)
        same_all(quantiles(a, 40.0), quantiles.py_func(a, 40.0), exact=True)


def test_percentile_out_of_range():
    with pytest.raises(ValueError, match=r"Percentiles must be in the range \[0, 100\]"):
        quantiles(np.ones(3), 101.0)


@njit
def median_bool(a):
    return np.median(a)


def test_unsupported_argument_types_name_the_function():
    with pytest.raises(TypingError, match=r"median\(\)"):
        median_bool(np.array(["a", "b"]))


def test_median_of_booleans_as_numpy():
    for a in (np.array([True, False, True]), np.array([True, False])):
        assert median_bool(a) == np.median(a)


# -- numeric helpers (numeric.py) ------------------------------------------------------------

@njit
def helpers_axis(a, axis):
    return np.ptp(a, axis=axis), np.count_nonzero(a, axis=axis), np.diff(a, 2, axis=axis)


@njit
def helpers_whole(a, w):
    return np.ptp(a), np.count_nonzero(a), np.average(a), np.average(a, weights=w), np.diff(a)


@njit
def histograms(a, edges):
    return np.histogram(a), np.histogram(a, 4, range=(0.0, 3.0)), np.histogram(a, bins=edges)


@njit
def counting(x, w):
    return np.bincount(x), np.bincount(x, weights=w, minlength=9)


@njit
def curves(y, x, xp, fp):
    return (np.trapezoid(y), np.trapezoid(y, x), np.trapezoid(y, dx=0.5), np.interp(x, xp, fp),
            np.interp(2.5, xp, fp), np.interp(x, xp, fp, left=-1.0, right=99.0))


@njit
def convolutions(a, v):
    return (np.convolve(a, v), np.convolve(a, v, "same"), np.convolve(a, v, mode="valid"),
            np.correlate(a, v), np.correlate(a, v, "full"), np.correlate(a, v, mode="same"))


@njit
def sets(a, b):
    return np.unique(a), np.isin(a, b), np.isin(a, b, invert=True), np.cross(a[:3], b[:3])


def test_ptp_count_nonzero_diff_average():
    rng = np.random.default_rng(7)
    for a in [sample(np.int8, (3, 4), rng) * 40, np.array([[1.5, np.nan], [0.0, -2.0]])]:
        for axis in (0, 1, -1):
            same_all(helpers_axis(a, axis), helpers_axis.py_func(a, axis))
    a = np.array([3.0, -1.0, 7.5, 0.0, 2.0])
    same_all(helpers_whole(a, np.arange(5.0)), helpers_whole.py_func(a, np.arange(5.0)))
    with pytest.raises(ZeroDivisionError, match="Weights sum to zero"):
        helpers_whole(a, np.zeros(5))


def test_histogram_matches_numpy_bins_and_edges():
    rng = np.random.default_rng(8)
    for a in [rng.standard_normal(200), rng.random(50).astype(np.float32) * 3,
              rng.integers(0, 5, 30), np.full(4, 2.0)]:
        got, expected = histograms(a, np.array([0.0, 0.5, 1.0, 2.5])), \
            histograms.py_func(a, np.array([0.0, 0.5, 1.0, 2.5]))
        for g, e in zip(got, expected):
            same_all(g, e, exact=True)


def test_bincount_and_errors():
    x = np.array([1, 3, 3, 0, 7])
    w = np.array([0.5, 1.0, 2.0, 3.0, 0.25])
    same_all(counting(x, w), counting.py_func(x, w), exact=True)
    with pytest.raises(ValueError, match="no negative elements"):
        counting(np.array([1, -1]), np.ones(2))
    with pytest.raises(ValueError, match="same length"):
        counting(x, np.ones(2))


def test_trapezoid_and_interp_exact():
    y = np.array([1.0, 4.0, 9.0, 16.0])
    x = np.array([0.0, 1.5, 2.0, 5.0])
    xp, fp = np.array([0.5, 1.0, 2.0, 4.0]), np.array([1.0, np.inf, 3.0, -2.0])
    same_all(curves(y, x, xp, fp), curves.py_func(y, x, xp, fp), exact=True)
    with pytest.raises(ValueError, match="same length"):
        curves(y, x, xp, fp[:2])


@pytest.mark.parametrize("n,m", [(5, 3), (3, 5), (4, 4), (2, 5), (1, 1)])
def test_convolve_and_correlate_modes(n, m):
    rng = np.random.default_rng(n * 10 + m)
    a, v = rng.integers(-5, 5, n) * 1.0, rng.integers(-5, 5, m) * 1.0
    same_all(convolutions(a, v), convolutions.py_func(a, v), exact=True)
    c = a + 1j * a[::-1]
    same_all(convolutions(c, v * 1j), convolutions.py_func(c, v * 1j), exact=True)


def test_unique_isin_cross():
    a = np.array([3.0, np.nan, 1.0, 3.0, np.nan, -2.0])
    b = np.array([1.0, 7.0, -2.0, 0.5])
    same_all(sets(a, b), sets.py_func(a, b), exact=True)


def test_no_leaks():
    # types compiled by the tests above, so that this test only runs them
    a = np.arange(24.0).reshape(2, 3, 4)
    b = np.arange(12.0).reshape(3, 4)
    c = np.arange(12, dtype=np.int8).reshape(3, 4)
    for args, dispatcher in [((a, 1), spread_axis), ((a, -1), cumulative),
                             ((b, 0), median_axis), ((c, 1), helpers_axis)]:
        dispatcher(*args)
        with no_leaks(a):
            dispatcher(*args)


NON_NUMBERS = [np.array(["a", "bc"]), np.zeros(2, dtype=[("x", "f8"), ("y", "i4")])]
REDUCERS = ["sum", "prod", "mean", "min", "max", "argmin", "argmax", "all", "any", "var", "std",
            "cumsum", "cumprod", "nansum", "nanmean", "nanmax", "nanvar"]


@pytest.mark.parametrize("name", REDUCERS)
@pytest.mark.parametrize("values", NON_NUMBERS, ids=["str", "record"])
def test_reductions_of_non_numbers_name_the_function(name, values):
    func = getattr(np, name)
    whole, along = njit(lambda a: func(a)), njit(lambda a: func(a, axis=0))
    for compiled in (whole, along):
        with pytest.raises(TypingError, match=rf"np\.{name}\(\) of an array of .* is not "
                                              r"supported: its elements are not numbers") as info:
            compiled(values)
        assert "test_statistics.py" in str(info.value)  # the line of the call


@njit
def _sums_along(a):
    return a.sum(axis=0), np.nansum(a, axis=0), a.prod(axis=0), a.sum(axis=1)


def test_sums_along_strided_axes_equal_numpy_bit_for_bit():
    # NumPy adds whole rows in order along a strided axis of a C array; so do the row kernels
    # (an axis that is not the last is read row by row, never one cache line per element)
    a = np.random.default_rng(5).standard_normal((37, 3, 41))
    a[4, 1, 7] = np.nan
    expected = (a.sum(axis=0), np.nansum(a, axis=0), a.prod(axis=0))
    got = _sums_along(a)
    for e, g in zip(expected, got):
        assert g.dtype == e.dtype and np.array_equal(e, g, equal_nan=True)
    assert np.allclose(got[3], a.sum(axis=1), equal_nan=True)
    fortran = np.asfortranarray(a)  # NumPy sums its contiguous axis 0 pairwise
    for e, g in zip(expected, _sums_along(fortran)):
        assert g.dtype == e.dtype and np.allclose(e, g, equal_nan=True)
