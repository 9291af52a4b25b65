"""np.clip, np.round/np.around and the clip/round methods, differentially against NumPy."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from tests.lib.test_ufuncs_support import assert_same, values


@njit
def clip(a, lo, hi):
    return np.clip(a, lo, hi)


@njit
def clip_out(a, lo, hi, out):
    return np.clip(a, lo, hi, out=out)


@njit
def clip_literals(a):
    return np.clip(a, 1, 5), np.clip(a, 0.5, None), np.clip(a, None, 3)


@njit
def clip_methods(a):
    return a.clip(2), a.clip(max=3), a.clip(1, 4)


@njit
def round_(a, decimals):
    return np.round(a, decimals)


@njit
def around(a):
    return np.around(a)


@njit
def round_method(a, decimals):
    return a.round(decimals)


@njit
def round_out(a, decimals, out):
    return np.round(a, decimals, out)


@pytest.mark.parametrize("dtype", [np.int8, np.uint64, np.float32, np.float64])
def test_clip_literal_bounds_keep_the_array_dtype(dtype):
    a = values(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = (np.clip(a, 1, 5), np.clip(a, 0.5, None), np.clip(a, None, 3))
        for got, w in zip(clip_literals(a), want):
            assert_same(got, w)
        for got, w in zip(clip_methods(a), (a.clip(2), a.clip(max=3), a.clip(1, 4))):
            assert_same(got, w)


def test_clip_array_bounds_broadcast_nan_and_crossed_bounds():
    a = np.array([[-2.0, 0.5, np.nan, 7.0], [1.0, -0.0, np.inf, 3.0]])
    lo = np.array([0.0, 1.0, 0.0, np.nan])
    hi = np.array([[1.0], [2.0]])
    assert_same(clip(a, lo, hi), np.clip(a, lo, hi))
    assert_same(clip(a, np.float64(3.0), np.float64(1.0)), np.clip(a, 3.0, 1.0))
    assert_same(clip(np.float64(5.5), np.float64(0.0), np.float64(1.0)), np.clip(5.5, 0.0, 1.0))
    assert_same(clip(a[:, ::2], np.int64(0), np.int64(2)), np.clip(a[:, ::2], 0, 2))


def test_clip_into_out_and_in_place():
    a = np.arange(10.0)
    out = np.empty(10)
    assert clip_out(a, np.float64(2.0), np.float64(5.0), out) is out
    assert_same(out, np.clip(a, 2, 5))
    clip_out(a, np.float64(3.0), np.float64(4.0), a)
    assert_same(a, np.clip(np.arange(10.0), 3, 4))


def test_clip_of_non_numbers_is_a_typing_error():
    with pytest.raises(TypingError):
        clip(np.arange(3), "a", 2)


@pytest.mark.parametrize("decimals", [0, 1, 2, 3, -1, -2, 10, 309, 400, -400])
def test_round_floats_half_to_even_as_numpy(decimals):
    x = np.array([2.5, 3.5, -0.5, 1.25, 0.285, 2.675, 1234.5678, -1e300, 1e-310, np.nan,
                  -np.inf, -0.0, 15.0, 25.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(round_(x, decimals), np.round(x, decimals))
        assert_same(round_method(x, decimals), x.round(decimals))
        x32 = x.astype(np.float32)
        assert_same(round_(x32, decimals), np.round(x32, decimals))
        z = x[:6] + 1j * x[6:12]
        assert_same(round_(z, decimals), np.round(z, decimals))
        assert_same(round_(np.float64(2.675), decimals), np.round(np.float64(2.675), decimals))


@pytest.mark.parametrize("decimals", [0, 2, -1, -2, -3, -20])
def test_round_integers(decimals):
    for dtype in (np.int8, np.uint8, np.int64, np.uint64):
        a = values(dtype)
        if dtype == np.uint64:  # float64 -> uint64 beyond its range is undefined in C
            a = a[:-2]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = np.round(a, decimals)
        assert_same(round_(a, decimals), want)
    assert round_(np.int64(25), decimals) == np.round(np.int64(25), decimals)


def test_around_default_and_round_out():
    x = np.array([0.5, 1.5, 2.5, -2.5, 2.4999])
    assert_same(around(x), np.around(x))
    out = np.empty(5, np.float32)
    assert round_out(x, 1, out) is out
    assert_same(out, np.round(x, 1, out=np.empty(5, np.float32)))


def test_round_of_bools_is_a_typing_error():
    with pytest.raises(TypingError):
        round_(np.array([True, False]), 0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1, max_size=8),
       st.integers(-12, 12))
def test_round_matches_numpy_on_any_float(xs, decimals):
    x = np.array(xs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(round_(x, decimals), np.round(x, decimals))
