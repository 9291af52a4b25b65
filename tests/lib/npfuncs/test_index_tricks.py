"""Differential tests of np.unravel_index, np.ravel_multi_index (index_tricks.py) and
np.lexsort (lexsort.py) against NumPy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

SLOW = pytest.mark.slow

unravel = njit(lambda i, s: np.unravel_index(i, s))
unravel_f = njit(lambda i, s: np.unravel_index(i, s, order="F"))
ravel = njit(lambda m, d: np.ravel_multi_index(m, d))
ravel_wrap = njit(lambda m, d: np.ravel_multi_index(m, d, mode="wrap"))
ravel_clip_f = njit(lambda m, d: np.ravel_multi_index(m, d, mode="clip", order="F"))
lexsort = njit(lambda k: np.lexsort(k))


def same(got, expected):
    if isinstance(expected, tuple):
        assert type(got) is tuple and len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e)
    elif isinstance(expected, np.ndarray):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
    else:
        assert got == expected and isinstance(got, int)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=3), st.integers(0, 10**6))
def test_unravel_and_ravel_roundtrip(dims, seed):
    dims = tuple(dims)
    index = seed % int(np.prod(dims))
    same(unravel(index, dims), np.unravel_index(index, dims))
    multi = np.unravel_index(index, dims)
    same(ravel(tuple(int(i) for i in multi), dims), np.ravel_multi_index(multi, dims))


def test_unravel_arrays():
    idx = np.array([[1, 5], [7, 11]], np.int32)
    same(unravel(idx, (3, 4)), np.unravel_index(idx, (3, 4)))


@SLOW
def test_unravel_more():
    same(unravel(5, 6), np.unravel_index(5, 6))
    same(unravel(0, ()), ())
    idx = np.array([1, 5, 0], np.uint64)
    same(unravel_f(idx, (3, 4)), np.unravel_index(idx, (3, 4), order="F"))
    same(unravel(np.array([], np.int64), (3, 4)), np.unravel_index(np.array([], np.int64), (3, 4)))
    same(unravel(np.arange(24)[::5], (2, 3, 4)), np.unravel_index(np.arange(24)[::5], (2, 3, 4)))


def test_ravel_arrays_and_modes():
    rows, cols = np.array([[1], [2]]), np.array([1, 2, 3])
    same(ravel((rows, cols), (3, 4)), np.ravel_multi_index((rows, cols), (3, 4)))
    same(ravel_wrap((3, -2), (3, 4)), np.ravel_multi_index((3, -2), (3, 4), mode="wrap"))


@SLOW
def test_ravel_clip_order_f():
    m = (np.array([1, 5, -1]), 2)
    same(ravel_clip_f(m, (3, 4)), np.ravel_multi_index(m, (3, 4), mode="clip", order="F"))


def test_index_errors():
    with pytest.raises(ValueError, match="index is out of bounds for array"):
        unravel(12, (3, 4))
    with pytest.raises(ValueError, match="index is out of bounds"):
        unravel(-1, (3, 4))
    with pytest.raises(ValueError, match="dimensions are too large"):
        unravel(5, (2**40, 2**40))
    with pytest.raises(ValueError, match="invalid entry in coordinates array"):
        ravel((3, 2), (3, 4))
    with pytest.raises(TypingError, match="only int indices permitted"):
        unravel(5.0, (3, 4))
    with pytest.raises(TypingError, match="must be a sequence of length 2"):
        ravel((1,), (3, 4))
    with pytest.raises(TypingError, match="clipmode must be one of"):
        njit(lambda m: np.ravel_multi_index(m, (3, 4), mode="foo"))((1, 2))
    with pytest.raises(TypingError, match="only 'C' or 'F' order"):
        njit(lambda i: np.unravel_index(i, (3, 4), order="K"))(1)


A = np.array([1, 5, 1, 4, 3, 4, 4, np.nan, 1, 5])
B = np.array([9, 4, 0, 4, 0, 2, 1, 3, np.nan, 4])
C = np.array([3, 1, 3, 1, 3, 1, 1, 1, 1, 1], np.int32)


def test_lexsort():
    same(lexsort((A, B, C)), np.lexsort((A, B, C)))
    same(lexsort((A[:0], B[:0], C[:0])), np.lexsort((A[:0], B[:0], C[:0])))
    with pytest.raises(ValueError, match="all keys need to be the same shape"):
        lexsort((A, B[:3], C))
    with pytest.raises(TypingError, match="keys must be a tuple of 1-d arrays"):
        lexsort((A, np.ones((2, 2))))


@SLOW
@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.floats(allow_nan=True, allow_infinity=True),
                          st.booleans()), max_size=30))
def test_lexsort_hypothesis(rows):
    a = np.array([r[0] for r in rows], np.int64)
    b = np.array([r[1] for r in rows], np.float64)
    c = np.array([r[2] for r in rows], np.bool_)
    same(lexsort((a, b, c)), np.lexsort((a, b, c)))
    same(lexsort(np.vstack((a, b))), np.lexsort(np.vstack((a, b))))


def test_no_leaks():
    idx = np.array([[1, 5], [7, 11]], np.int32)
    with no_leaks(idx):
        unravel(idx, (3, 4))
        lexsort((A, B, C))
