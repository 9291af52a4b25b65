"""Issue 13's audit of reductions and ufuncs, differential against NumPy: np.average with
weights shaped like a tuple axis's axes, np.mean of empty arrays, np.bincount of small and
unsigned integers, np.trapezoid along any axis, np.unique's return_* flags, np.clip's min=/max=
keywords and np.heaviside."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError

A3 = (np.arange(24.0).reshape(2, 3, 4) * 7) % 11 - 3.5


def same(got, expected):
    """Equal values (NaN equal to NaN), dtype and shape, pairs compared item by item."""
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e)
        return
    if isinstance(expected, np.generic) and not isinstance(got, np.ndarray):
        got = expected.dtype.type(got)  # a returned scalar is a Python number, as in Numba
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, equal_nan=True)


# -- np.average: weights along a tuple of axes -------------------------------------------------

@njit
def average(a, weights, axis):
    return np.average(a, axis=axis, weights=weights)


@njit
def average_returned(a, weights, axis):
    return np.average(a, axis=axis, weights=weights, returned=True)


@pytest.mark.parametrize("axis", [(0, 2), (2, 0), (1, 2), (-1, 1), (2, -3)])
def test_average_weights_shaped_like_the_tuple_axes(axis):
    weights = np.arange(1.0, 1.0 + np.prod([A3.shape[ax] for ax in axis])).reshape(
        [A3.shape[ax] for ax in axis])
    same(average(A3, weights, axis), np.average(A3, axis=axis, weights=weights))
    same(average_returned(A3, weights, axis),
         np.average(A3, axis=axis, weights=weights, returned=True))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=8, max_size=8))
def test_average_tuple_axes_weights_of_integers(values):
    a = (np.arange(24, dtype=np.int32).reshape(2, 3, 4) * 5) % 7
    weights = np.array(values, np.int64).reshape(4, 2)
    same(average(a, weights, (2, 0)), np.average(a, axis=(2, 0), weights=weights))


def test_average_tuple_axes_weights_errors_are_numpys():
    with pytest.raises(ValueError, match="Shape of weights must be consistent"):
        np.average(A3, axis=(0, 2), weights=np.ones((4, 2)))
    with pytest.raises(ValueError, match="Shape of weights must be consistent"):
        average(A3, np.ones((4, 2)), (0, 2))
    with pytest.raises(ZeroDivisionError):
        average(A3, np.zeros((2, 4)), (0, 2))
    with pytest.raises(TypingError, match="np.average"):
        average(A3, np.ones(4), (0, 2))


# -- np.mean of empty arrays, np.bincount's integer dtypes -------------------------------------

@njit
def means(a):
    return np.mean(a), a.mean()


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int8, np.complex64])
def test_mean_of_an_empty_array_is_nan(dtype):
    a = np.zeros((0, 3), dtype)
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        expected = np.mean(a)
    got = means(a)
    for value in got:
        same(value, expected)


def test_mean_of_complex_values_divides_both_parts():
    a = np.array([1 + 2j, 3 - 1j, 0.5j], np.complex64)
    same(means(a)[0], np.mean(a))


@njit
def bincount(x, minlength):
    return np.bincount(x, minlength=minlength)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint64, np.int8, np.uint32, np.bool_])
def test_bincount_of_small_and_unsigned_integers(dtype):
    x = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]).astype(dtype)
    same(bincount(x, 12), np.bincount(x, minlength=12))
    same(bincount(x, 0), np.bincount(x))


# -- np.trapezoid along any axis ---------------------------------------------------------------

@njit
def trapezoid(y, x, axis):
    return np.trapezoid(y, x, axis=axis)


@njit
def trapezoid_dx(y, dx, axis):
    return np.trapezoid(y, dx=dx, axis=axis)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_trapezoid_of_nd_arrays(axis):
    same(trapezoid_dx(A3, 0.5, axis), np.trapezoid(A3, dx=0.5, axis=axis))
    x = np.cumsum(np.arange(1.0, 1.0 + A3.shape[axis]))
    same(trapezoid(A3, x, axis), np.trapezoid(A3, x, axis=axis))
    same(trapezoid(A3, A3 ** 2, axis), np.trapezoid(A3, A3 ** 2, axis=axis))


def test_trapezoid_layouts_and_lengths():
    for y in (np.asfortranarray(A3), A3[:, ::2, ::-1], np.zeros((3, 0)), np.ones((2, 1))):
        same(trapezoid_dx(y, 1.0, -1), np.trapezoid(y, axis=-1))
    with pytest.raises(ValueError):
        trapezoid(A3, np.ones(3), -1)


# -- np.unique's flags -------------------------------------------------------------------------

@njit
def unique_all(a):
    return np.unique(a, True, True, True)


@njit
def unique_counts_nan_apart(a):
    return np.unique(a, return_counts=True, equal_nan=False)


@njit
def unique_inverse(a):
    return np.unique(a, return_inverse=True)


NAN_ROWS = np.array([[3.0, np.nan, 1.0, 3.0], [np.nan, 3.0, 0.0, 1.0]])


@pytest.mark.parametrize("a", [NAN_ROWS, np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3], np.uint8)[::2],
                               np.zeros(0)])
def test_unique_all_flags_match_numpy(a):
    same(unique_all(a), np.unique(a, True, True, True))


def test_unique_nan_apart_and_inverse_shape():
    same(unique_counts_nan_apart(NAN_ROWS), np.unique(NAN_ROWS, return_counts=True,
                                                      equal_nan=False))
    f = np.asfortranarray(NAN_ROWS)
    same(unique_inverse(f), np.unique(f, return_inverse=True))


def test_unique_flags_must_be_constants():
    with pytest.raises(TypingError, match="np.unique.*return_index"):
        njit(lambda a, flag: np.unique(a, return_index=flag))(np.ones(3), True)
    with pytest.raises(TypingError, match="np.unique.*axis"):
        njit(lambda a: np.unique(a, axis=0))(np.ones(3))


# -- np.clip's keywords, np.heaviside ----------------------------------------------------------

def test_clip_min_max_keywords():
    a = np.arange(6.0) - 1.5
    same(njit(lambda a: np.clip(a, min=0.0, max=2.0))(a), np.clip(a, min=0.0, max=2.0))
    same(njit(lambda a: np.clip(a, max=1))(a), np.clip(a, max=1))
    same(njit(lambda a: np.clip(a))(a), np.clip(a))
    with pytest.raises(TypingError, match="np.clip"):
        njit(lambda a: np.clip(a, 1.0, min=0.0))(a)


@njit
def heaviside(x, h0):
    return np.heaviside(x, h0)


@pytest.mark.parametrize("x, h0", [
    (np.array([-1.5, 0.0, -0.0, 2.0, np.nan, np.inf, -np.inf]), 0.5),
    (np.array([-1.5, 0.0, 2.0], np.float32), np.array([0.25, np.nan, 3.0], np.float32)),
    (np.array([-3, 0, 7]), np.array([2.0])),
])
def test_heaviside_matches_numpy(x, h0):
    same(heaviside(x, h0), np.heaviside(x, h0))


def test_heaviside_of_complex_is_a_typing_error():
    with pytest.raises(TypingError, match="heaviside"):
        heaviside(np.array([1j]), 0.5)


# -- np.histogram's weights= and density= -------------------------------------------------------

SAMPLES = np.array([0.1, 0.5, 0.5, 2.3, 4.0, 3.3, 1.2, 1.2, 7.5])


@njit
def weighted_histogram(a, bins, weights):
    return np.histogram(a, bins, weights=weights)


@njit
def density_histogram(a, bins, weights):
    return np.histogram(a, bins, (0.0, 3.0), True, weights)


@pytest.mark.parametrize("weights", [np.arange(9.0) - 2.5, np.arange(9), np.arange(9.0) * 1j])
def test_histogram_weights(weights):
    same(weighted_histogram(SAMPLES, 4, weights), np.histogram(SAMPLES, 4, weights=weights))
    edges = np.array([0.0, 0.5, 2.0, 4.0])
    same(weighted_histogram(SAMPLES, edges, weights),
         np.histogram(SAMPLES, edges, weights=weights))


def test_histogram_density():
    weights = np.arange(9.0) + 0.5
    same(density_histogram(SAMPLES, 5, weights),
         np.histogram(SAMPLES, 5, (0.0, 3.0), True, weights))
    same(njit(lambda a: np.histogram(a, 4, density=True))(SAMPLES),
         np.histogram(SAMPLES, 4, density=True))
    with pytest.raises(ValueError, match="weights should have the same shape"):
        weighted_histogram(SAMPLES, 4, np.ones(3))
    with pytest.raises(TypingError, match="np.histogram.*density"):
        njit(lambda a, d: np.histogram(a, density=d))(SAMPLES, True)


# -- np.intersect1d(return_indices=True) ------------------------------------------------------

@njit
def intersect_indexed(a, b, assume_unique):
    if assume_unique:
        return np.intersect1d(a, b, True, True)
    return np.intersect1d(a, b, return_indices=True)


@pytest.mark.parametrize("a, b, assume_unique", [
    (np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]), np.array([5.0, 7.0, 1.0, 10.0, 1.0]), False),
    (np.array([[np.nan, 1.0], [2.0, 1.0]]), np.array([2.0, np.nan, 1.0]), False),
    (np.array([3.0, 1.0, 4.0]), np.array([4.0, 9.0, 3.0]), True),
    (np.zeros(0), np.zeros(0), False),
])
def test_intersect1d_return_indices(a, b, assume_unique):
    expected = np.intersect1d(a, b, assume_unique, return_indices=True)
    same(intersect_indexed(a, b, assume_unique), expected)
