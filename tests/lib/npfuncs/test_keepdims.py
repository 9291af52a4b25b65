"""keepdims= of the reductions (function and method forms), dtype= of mean/std/var/nansum,
percentile/quantile along an axis and np.roll along axes: differential against NumPy."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

RNG = np.random.default_rng(7)
ARRAYS = {
    "f2": RNG.normal(size=(3, 4)),
    "i2": RNG.integers(-9, 9, (3, 4)),
    "f3F": np.asfortranarray(RNG.normal(size=(2, 3, 4))),
    "nan": np.array([[1.0, np.nan, 3.0, 0.5], [4.0, 5.0, 6.0, -1.0]]),
}


def _jit(source):
    namespace = {"np": np}
    exec(f"def kernel(a):\n    return {source}\n", namespace)  # noqa: S102
    return source, namespace["kernel"], njit(namespace["kernel"])


KEEPDIMS = [_jit(s) for s in (
    "np.sum(a, axis=1, keepdims=True)", "a.sum(keepdims=True)",
    "a.mean(axis=-1, keepdims=True)", "np.std(a, axis=0, ddof=1, keepdims=True)",
    "np.argmin(a, keepdims=True)", "a.argmax(axis=1, keepdims=True)",
    "np.amin(a, axis=0, keepdims=True)", "a.max(axis=-1, keepdims=False)",
    "np.any(a > 0, axis=1, keepdims=True)", "(a > 0).all(keepdims=True)",
    "np.nanmean(a, axis=1, keepdims=True)", "np.nanvar(a, keepdims=True)",
    "np.nanargmin(a, axis=0, keepdims=True)", "np.nanmax(a, axis=-1, keepdims=True)",
    "np.ptp(a, axis=1, keepdims=True)", "np.count_nonzero(a > 0, axis=0, keepdims=True)",
    "np.average(a, axis=1, keepdims=True)", "np.prod(a, axis=0, out=None, keepdims=True)",
    "np.median(a, axis=1, keepdims=True)", "np.median(a, keepdims=True)",
    "np.nanmedian(a, axis=-1, keepdims=True)", "np.nanmedian(a, keepdims=True)",
    "np.percentile(a, 30, axis=1, keepdims=True)",
    "np.nanquantile(a, np.array([0.1, 0.9]), keepdims=True)",
    "np.quantile(a, 0.5, axis=0, method='linear', keepdims=True)",
)]


# one kernel per area in the default run (compiling is what costs); the sweeps are slow
SAMPLE = _jit("(np.sum(a, axis=1, keepdims=True), a.argmax(keepdims=True), "
              "np.median(a, axis=1, keepdims=True), np.mean(a, axis=0, dtype=np.float32))")
ALONG = _jit("(np.percentile(a, 30, axis=0), np.roll(a, -1, axis=0))")


def _same_all(expected, got):
    assert len(expected) == len(got)
    for want, have in zip(expected, got):
        tol = 1e-5 if np.asarray(want).dtype == np.float32 else 1e-12
        _same(want, have, tol)


def test_keepdims_and_dtype_sample():
    a = ARRAYS["nan"]
    _same_all(_numpy(SAMPLE[1], a), SAMPLE[2](a))


def test_quantiles_and_roll_along_axes_sample():
    a = ARRAYS["f2"]
    _same_all(_numpy(ALONG[1], a), ALONG[2](a))


def _same(expected, got, tol=1e-12):
    expected, got = np.asarray(expected), np.asarray(got)
    assert got.shape == expected.shape
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol, equal_nan=True)


def _numpy(func, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return func(*args)


@pytest.mark.slow  # the representative cases run in test_*_sample
@pytest.mark.parametrize("case", KEEPDIMS, ids=[c[0] for c in KEEPDIMS])
@pytest.mark.parametrize("name", ["f2", "i2", "f3F", "nan"])
def test_keepdims_matches_numpy(case, name):
    _, python, jitted = case
    _same(_numpy(python, ARRAYS[name]), jitted(ARRAYS[name]))


@njit
def _sum_keepdims_1d(a):  # (1-D: the reductions give scalars, keepdims makes (1,) arrays)
    return np.sum(a, axis=0, keepdims=True), a.argmax(axis=0, keepdims=True)


def test_keepdims_of_1d_and_0d_results():
    a = np.arange(5.0)
    total, where = _sum_keepdims_1d(a)
    _same(np.sum(a, axis=0, keepdims=True), total)
    _same(a.argmax(axis=0, keepdims=True), where)
    assert where.dtype == np.intp


def test_median_keepdims_is_not_dropped():
    """The regression: np.median(..., keepdims=True) returned the reduced shape."""
    assert SAMPLE[2](ARRAYS["f2"])[2].shape == (3, 1)


@njit
def _keep_runtime(a, keep):
    return np.sum(a, axis=1, keepdims=keep)


def test_keepdims_must_be_a_constant():
    with pytest.raises(TypingError, match="keepdims must be a constant"):
        _keep_runtime(ARRAYS["f2"], True)


@njit
def _keep_tuple_axis(a):
    return np.mean(a, axis=(0, 1), keepdims=True)


def test_keepdims_with_tuple_axis():
    a = ARRAYS["f2"]
    got, expected = _keep_tuple_axis(a), np.mean(a, axis=(0, 1), keepdims=True)
    assert got.shape == expected.shape and np.allclose(got, expected)


def test_keepdims_releases_everything():
    a = ARRAYS["f2"]
    SAMPLE[2](a)
    with no_leaks(a):
        SAMPLE[2](a)


# -- dtype= ------------------------------------------------------------------------------------

DTYPES = [_jit(s) for s in (
    "np.mean(a, axis=0, dtype=np.float32)", "a.mean(axis=1, dtype=np.float64)",
    "np.std(a, axis=0, dtype=np.float32)", "a.var(axis=-1, dtype=np.float32, keepdims=True)",
    "np.nansum(a, axis=1, dtype=np.float32)", "np.nansum(a, dtype=np.int64, keepdims=True)",
    "np.nanmean(a, axis=0, dtype=np.float32)", "np.var(a, dtype=np.float32, keepdims=True)",
)]


@pytest.mark.slow  # the representative cases run in test_*_sample
@pytest.mark.parametrize("case", DTYPES, ids=[c[0] for c in DTYPES])
@pytest.mark.parametrize("name", ["f2", "i2", "nan"])
def test_dtype_accumulation_matches_numpy(case, name):
    source, python, jitted = case
    a = ARRAYS[name]
    if "int64" in source and name != "i2":
        a = ARRAYS["i2"]
    expected = _numpy(python, a)
    tol = 1e-5 if np.asarray(expected).dtype == np.float32 else 1e-12
    _same(expected, jitted(a), tol)


@njit
def _complex_mean_as_float(a):
    return np.mean(a, dtype=np.float64)


def test_dtype_discarding_imaginary_parts_is_refused():
    with pytest.raises(TypingError, match="imaginary"):
        _complex_mean_as_float(np.ones(3, np.complex128))


@njit
def _average_returned(a):
    return np.average(a, returned=True)


def test_average_returned_gives_the_pair():
    assert _average_returned(np.arange(3.0)) == np.average(np.arange(3.0), returned=True)


# -- percentile / quantile along an axis ---------------------------------------------------------

QUANTILES = [_jit(s) for s in (
    "np.percentile(a, 30, axis=0)", "np.quantile(a, 0.25, axis=-1)",
    "np.nanpercentile(a, np.array([10.0, 50.0, 90.0]), axis=1)",
    "np.nanquantile(a, np.array([[0.1], [0.9]]), axis=0)",
    "np.quantile(a, np.array(0.3), axis=1)",
)]


@pytest.mark.slow  # the representative cases run in test_*_sample
@pytest.mark.parametrize("case", QUANTILES, ids=[c[0] for c in QUANTILES])
@pytest.mark.parametrize("name", ["f2", "i2", "f3F", "nan"])
def test_quantiles_along_an_axis(case, name):
    _, python, jitted = case
    _same(_numpy(python, ARRAYS[name]), jitted(ARRAYS[name]))


@njit
def _percentile_along(a, q, axis):
    return np.percentile(a, q, axis=axis)


@pytest.mark.slow  # the representative cases run in test_*_sample
@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.floats(0, 100), st.integers(-2, 1),
       st.integers(0, 2 ** 32 - 1))
def test_percentile_along_an_axis_hypothesis(rows, cols, q, axis, seed):
    a = np.random.default_rng(seed).integers(-4, 4, (rows, cols)).astype(np.float64)
    _same(np.percentile(a, q, axis=axis), _percentile_along(a, q, axis), 1e-9)


@pytest.mark.slow
def test_percentile_along_an_axis_errors():
    with pytest.raises(ValueError, match="Percentiles must be in the range"):
        _percentile_along(ARRAYS["f2"], 101.0, 0)
    with pytest.raises(ValueError, match="axis"):
        _percentile_along(ARRAYS["f2"], 50.0, 2)


# -- np.roll along axes ------------------------------------------------------------------------

ROLLS = [_jit(s) for s in (
    "np.roll(a, -1, axis=0)", "np.roll(a, 5, axis=-1)", "np.roll(a, (1, 2), axis=(0, 1))",
    "np.roll(a, 1, axis=(0, 0))", "np.roll(a, (2, -1), axis=1)", "np.roll(a, (1, 2))",
)]


@pytest.mark.slow  # the representative cases run in test_*_sample
@pytest.mark.parametrize("case", ROLLS, ids=[c[0] for c in ROLLS])
@pytest.mark.parametrize("name", ["f2", "i2", "f3F"])
def test_roll_along_axes(case, name):
    _, python, jitted = case
    _same(python(ARRAYS[name]), jitted(ARRAYS[name]))


@njit
def _roll_along(a, shift, axis):
    return np.roll(a, shift, axis=axis)


@pytest.mark.slow
def test_roll_errors_and_empty_axes():
    _same(np.roll(np.ones((0, 3)), 2, axis=0), _roll_along(np.ones((0, 3)), 2, 0))
    with pytest.raises(ValueError, match="axis"):
        _roll_along(ARRAYS["f2"], 1, 2)
    with pytest.raises(TypingError, match="shift must be an integer"):
        _roll_along(ARRAYS["f2"], 1.5, 0)
