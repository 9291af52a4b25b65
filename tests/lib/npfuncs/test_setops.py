"""Differential tests of jitbridge/lib/npfuncs/setops.py against NumPy: union1d, intersect1d,
setdiff1d and setxor1d (values, dtypes, NaNs, sequences, assume_unique)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

union1d = njit(lambda a, b: np.union1d(a, b))
intersect1d = njit(lambda a, b, u: np.intersect1d(a, b, u))
setdiff1d = njit(lambda a, b, u: np.setdiff1d(a, b, u))
setxor1d = njit(lambda a, b, u: np.setxor1d(a, b, u))
FUNCS = [(intersect1d, np.intersect1d), (setdiff1d, np.setdiff1d), (setxor1d, np.setxor1d)]


def same(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


CASES = [(np.array([1, 2, 3, 2]), np.array([2.5, 3, 1])), (np.array([]), np.array([1, 2])),
         (np.array([np.nan, 1, np.nan]), np.array([np.nan, 2.0])), ([1, 2, 3], (3, 4)),
         (np.arange(12).reshape(3, 4) % 5, np.arange(7)), (np.array([True, False]), [1, 2]),
         (np.arange(10)[::2], np.arange(10)[::3])]


@pytest.mark.parametrize("a, b", CASES, ids=range(len(CASES)))
def test_set_routines(a, b):
    same(union1d(a, b), np.union1d(a, b))
    for compiled, numpy_func in FUNCS:
        same(compiled(a, b, False), numpy_func(a, b, False))
        a1, b1 = np.unique(a), np.unique(b)
        same(compiled(a1, b1, True), numpy_func(a1, b1, True))


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(-5, 5), max_size=8), st.lists(st.integers(-5, 5), max_size=8))
def test_random_sets(a, b):
    a, b = np.array(a, np.int64), np.array(b, np.int64)
    same(union1d(a, b), np.union1d(a, b))
    for compiled, numpy_func in FUNCS:
        same(compiled(a, b, False), numpy_func(a, b, False))


def test_errors():
    with pytest.raises(TypingError, match="must be array-like"):
        union1d(np.arange(3), None)
    with pytest.raises(TypingError, match="assume_unique must be a boolean"):
        setxor1d(np.arange(3), np.arange(3), 1)


def test_no_leaks():
    a = np.arange(6.0)
    with no_leaks(a):
        union1d(a, a)
        setxor1d(a, a[:3], False)
        setdiff1d(a, a[:3], True)
