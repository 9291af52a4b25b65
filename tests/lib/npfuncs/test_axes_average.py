"""Tuple axes of reductions (values, dtypes, shapes and NumPy's errors) and np.average with
weights along an axis, returned=True and NumPy's errors, differential against NumPy."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

A3 = np.arange(24.0).reshape(2, 3, 4) - 7.5
I3 = np.arange(24, dtype=np.int32).reshape(2, 3, 4)


@njit
def reductions_02(a):
    return np.sum(a, axis=(0, 2)), a.max(axis=(2, 0))


@njit
def more_reductions_02(a):
    return (a.prod(axis=(2, 0)), np.std(a, axis=(0, -1)), np.mean(a, axis=(0, -1)),
            np.var(a, axis=(0, 2), ddof=1), a.min(axis=(0, 2)), np.all(a, axis=(0, 2)), np.any(a, axis=(0, 2)),
            np.nansum(a, axis=(0, 2)), np.median(a, axis=(0, 2)))


@njit
def sum_axes(a, axes):
    return np.sum(a, axis=axes)


@njit
def mean_keepdims(a):
    return np.mean(a, axis=(0, 2), keepdims=True)


def _check(jitted, a):
    for got, expected in zip(jitted(a), jitted.py_func(a)):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert np.allclose(got, expected)


def test_tuple_axes_match_numpy():
    _check(reductions_02, A3)


@pytest.mark.slow
@pytest.mark.parametrize("a", [A3, I3, np.asfortranarray(A3), A3[:, ::2]],
                         ids=["f8", "i4", "F", "strided"])
def test_more_tuple_axes_match_numpy(a):
    _check(reductions_02, a)
    _check(more_reductions_02, a)


def test_run_time_axes():
    assert sum_axes(A3, (2, 0)).tolist() == np.sum(A3, axis=(2, 0)).tolist()
    with no_leaks():
        sum_axes(A3, (0, 2))


@pytest.mark.slow
def test_keepdims_and_all_axes():
    assert sum_axes(A3, (0, 1, 2)) == np.sum(A3)
    expected = np.mean(A3, axis=(0, 2), keepdims=True)
    assert mean_keepdims(A3).shape == expected.shape
    assert np.allclose(mean_keepdims(A3), expected)


@pytest.mark.parametrize("axes, error", [
    ((0, 0), "duplicate value in 'axis'"), ((0, 3), "out of bounds"),
    pytest.param((0, -2, 1), "duplicate value in 'axis'", marks=pytest.mark.slow)])
def test_bad_axes_raise_as_numpy(axes, error):
    with pytest.raises(ValueError, match=error):  # (NumPy's AxisError is a ValueError)
        np.sum(A3, axis=axes)
    with pytest.raises(ValueError, match=error):
        sum_axes(A3, axes)


def test_argmin_refuses_a_tuple_axis():
    @njit
    def argmin(a):
        return np.argmin(a, axis=(0, 1))
    with pytest.raises(TypingError, match="axis must be an integer or None"):
        argmin(A3)


@njit
def average(a, axis, weights):
    return np.average(a, axis=axis, weights=weights)


@njit
def average_returned(a, axis, weights):
    return np.average(a, axis=axis, weights=weights, returned=True)


WEIGHTS = np.array([1.0, 2.0, 3.0])


SLOW = pytest.mark.slow


@pytest.mark.parametrize("a, axis, weights, jitted", [
    (A3, 1, WEIGHTS, average),
    pytest.param(A3, (0, 2), A3 + 20, average, marks=SLOW),
    pytest.param(A3, -2, WEIGHTS, average_returned, marks=SLOW),
    pytest.param(A3, 2, A3 + 20, average_returned, marks=SLOW),
    pytest.param(A3, None, A3 + 20, average_returned, marks=SLOW),
    pytest.param(WEIGHTS, 0, WEIGHTS, average_returned, marks=SLOW),
    pytest.param(A3, 1, None, average_returned, marks=SLOW),
])
def test_average_matches_numpy(a, axis, weights, jitted):
    got, expected = jitted(a, axis, weights), jitted.py_func(a, axis, weights)
    for g, e in zip(got if isinstance(got, tuple) else [got],
                    expected if isinstance(expected, tuple) else [expected]):
        assert np.shape(g) == np.shape(e) and np.asarray(g).dtype == np.asarray(e).dtype
        assert np.allclose(g, e)


@pytest.mark.slow
def test_average_of_integers_is_float64_and_keepdims():
    got = njit(lambda a, w: np.average(a, axis=1, weights=w, keepdims=True))(I3, WEIGHTS)
    expected = np.average(I3, axis=1, weights=WEIGHTS, keepdims=True)
    assert got.dtype == expected.dtype and np.allclose(got, expected)


@pytest.mark.parametrize("a, axis, weights, error, message", [
    (A3, 1, np.ones(4), ValueError, "Shape of weights must be consistent"),
    (A3, 1, WEIGHTS - 2, ZeroDivisionError, "Weights sum to zero"),
    pytest.param(A3, None, WEIGHTS, TypeError, "Axis must be specified", marks=SLOW),
    pytest.param(A3, 1, A3[:, :, 0], ValueError, "Shape of weights must", marks=SLOW),
    pytest.param(WEIGHTS, None, WEIGHTS * 0, ZeroDivisionError, "Weights sum to", marks=SLOW),
])
def test_average_errors_are_numpys(a, axis, weights, error, message):
    with pytest.raises(error, match=message):
        np.average(a, axis=axis, weights=weights)
    with pytest.raises(error, match=message):
        average(a, axis, weights)
