"""np.histogram with evenly spaced bins: NumPy's exact counts and edges, including items on
and next to the edges, where the bin estimated by arithmetic and NumPy's edges disagree."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.testing import no_leaks


@njit
def hist(a, bins):
    return np.histogram(a, bins)


@njit
def hist_range(a, bins, lo, hi):
    return np.histogram(a, bins, range=(lo, hi))


def same(got, expected):
    for g, e in zip(got, expected):
        assert g.dtype == e.dtype
        np.testing.assert_array_equal(g, e)


def same_outcome(compiled, args, expected_call):
    """The compiled call gives NumPy's result, or raises NumPy's ValueError."""
    try:
        expected = expected_call(*args)
    except ValueError as e:  # float32 edges too close together
        with pytest.raises(ValueError, match=str(e)[:20]):
            compiled(*args)
    else:
        same(compiled(*args), expected)


def around_edges(a, bins):
    """The items of `a` with the floats on, below and above each of NumPy's edges for them."""
    edges = np.linspace(a.min(), a.max(), bins + 1).astype(a.dtype)
    return np.concatenate([a, edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf)])


def test_items_on_and_next_to_the_edges_of_uniform_data():
    a = around_edges(np.random.default_rng(7).random(200) * 3 - 1, 37)
    same_outcome(hist, (a, 37), np.histogram)
    same_outcome(hist_range, (a, 37, -0.25, 0.5), lambda a, b, lo, hi: np.histogram(a, b, (lo, hi)))


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.integers(1, 300), st.floats(-1e4, 1e4), st.floats(1e-2, 1e6),
       st.sampled_from([np.float64, np.float32]))
def test_counts_match_numpy_next_to_every_edge(bins, lo, width, dtype):
    a = (lo + width * np.random.default_rng(bins).random(50)).astype(dtype)
    a = around_edges(a, bins)
    inner = (lo + width / 4, lo + width / 2)  # items outside a given range are left out
    same_outcome(hist, (a, bins), np.histogram)
    same_outcome(hist_range, (a, bins) + inner, lambda a, b, lo, hi: np.histogram(a, b, (lo, hi)))


@pytest.mark.parametrize("a", [np.random.default_rng(3).random(1000),
                               pytest.param(np.random.default_rng(4).standard_normal(999)
                                            .astype(np.float32), marks=pytest.mark.slow),
                               pytest.param(np.random.default_rng(5).integers(-50, 50, 300),
                                            marks=pytest.mark.slow),
                               pytest.param(np.arange(12.0).reshape(3, 4), marks=pytest.mark.slow),
                               np.full(5, 7.0), np.zeros(0)])
def test_whole_arrays_match_numpy(a):
    for bins in (1, 7, 100):
        same(hist(a, bins), np.histogram(a, bins))
        same(hist_range(a, bins, -0.5, 3.0), np.histogram(a, bins, range=(-0.5, 3.0)))


def test_power_of_two_bins_counted_by_arithmetic_alone_are_numpys():
    # here the arithmetic switches bins exactly at NumPy's edges: no item is checked
    edges = np.linspace(0.0, 1.0, 9)
    a = np.concatenate([edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf),
                        [np.nan, -5.0, 7.0], np.random.default_rng(9).random(100)])
    same(hist_range(a, 8, 0.0, 1.0), np.histogram(a, 8, range=(0.0, 1.0)))
    with pytest.raises(ValueError, match="autodetected range"):
        hist(a, 8)


def test_rounded_bin_boundaries_are_numpys():
    # 0.1 steps: the estimate (x - first) * scale and the edges round differently here
    a = np.round(np.arange(0.0, 10.0, 0.1), 1)
    for bins in (10, 30, 97):
        same(hist(a, bins), np.histogram(a, bins))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_items_without_a_range_raise(bad):
    for where in (0, 3):
        a = np.arange(5.0)
        a[where] = bad
        with pytest.raises(ValueError, match="autodetected range"):
            hist(a, 4)
    a = np.array([0.5, np.nan, 2.0])  # with a range NaNs are left out, as in NumPy
    same(hist_range(a, 4, 0.0, 2.0), np.histogram(a, 4, range=(0.0, 2.0)))


def test_extreme_items_and_integer_data_are_numpys():
    # far outside a given range (the truncated bin is out of range or undefined), signed
    # zeros, NaN and infinities, and integers converted to the edges' float64 first
    a = np.array([1e300, -1e300, 0.5, np.inf, -np.inf, np.nan, 0.0, -0.0, 1.0, 2.0 ** 62])
    same(hist_range(a, 7, -0.5, 0.75), np.histogram(a, 7, range=(-0.5, 0.75)))
    same(hist_range(a, 7, 1e15, 2e16), np.histogram(a, 7, range=(1e15, 2e16)))
    big = np.random.default_rng(2).integers(-10 ** 15, 10 ** 15, 500)
    same(hist(big, 33), np.histogram(big, 33))
    with pytest.raises(ValueError, match="autodetected range"):
        hist(a[2:], 4)  # NaN among the items found by the range pass itself


def test_bad_arguments_raise_as_numpy():
    with pytest.raises(ValueError, match="max must be larger than min"):
        hist_range(np.arange(3.0), 4, 2.0, 1.0)
    with pytest.raises(ValueError, match="`bins` must be positive"):
        hist(np.arange(3.0), 0)


def test_no_leaks():
    a = np.random.default_rng(6).random(100)
    hist(a, 10)
    with no_leaks():
        for _ in range(3):
            hist(a, 10)
