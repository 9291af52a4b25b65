"""Differential tests of np.take / ndarray.take (jitbridge/lib/npfuncs/taking.py) against
NumPy: scalar, array, list and nested-tuple indices, with and without axis=, every layout."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

take = njit(lambda a, i: np.take(a, i))
method_take = njit(lambda a, i: a.take(i))
take_axis = njit(lambda a, i, axis: np.take(a, i, axis=axis))
method_take_axis = njit(lambda a, i, axis: a.take(i, axis=axis))

BASE = np.arange(24.0).reshape(4, 6)
STRIDED = BASE[:, ::-2]  # layout A: one compiled version serves every non-contiguous view
INDICES = [-2, np.array([[1, 5, 1], [11, 3, -1]], order="F"), [1, 5, 1, 11, 3],
           ((1, 5, 1), (11, 3, 2))]


def same(got, expected):
    assert np.asarray(got).dtype == np.asarray(expected).dtype
    assert np.shape(got) == np.shape(expected) and np.isscalar(got) == np.isscalar(expected)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("i", INDICES, ids=["scalar", "array", "list", "nested-tuple"])
def test_take_flat(i):
    same(take(STRIDED, i), np.take(STRIDED, i))
    same(take(STRIDED[::-1], i), np.take(STRIDED[::-1], i))


def test_method_take():
    same(method_take(BASE, [1, 5, -1]), BASE.take([1, 5, -1]))


def test_take_along_an_axis():
    cube = np.arange(60).reshape(3, 4, 5)[:, ::-1]
    for i in (np.array([[2, 0], [1, -1]]), (0, 1, 0)):
        for axis in range(-3, 3):
            same(take_axis(cube, i, axis), np.take(cube, i, axis=axis))
    for axis in (0, 1, -1):
        same(method_take_axis(BASE, -1, axis), BASE.take(-1, axis=axis))
    same(take_axis(np.arange(5), 3, 0), np.take(np.arange(5), 3, axis=0))  # a scalar


def test_take_errors():
    for i in (12, -13, [12], [-13]):  # STRIDED has 12 items
        with pytest.raises(IndexError, match="out of bounds"):
            take(STRIDED, i)
    with pytest.raises(IndexError, match="out of bounds"):
        take_axis(BASE[::-1], (0, 6), 1)
    with pytest.raises(ValueError, match="axis 2 is out of bounds for array of dimension 2"):
        take_axis(BASE[::-1], (0, 1), 2)
    with pytest.raises(TypingError):
        take(STRIDED, [1.7])


def test_take_does_not_leak():
    calls = [lambda: take(BASE, [1, 2]), lambda: take_axis(BASE[::-1], (0, 1), 1)]
    for call in calls:
        call()
    with no_leaks(BASE):
        for call in calls:
            call()
