"""Differential tests of np.extract and np.take_along_axis (jitbridge/lib/npfuncs/searching.py)
against NumPy, with NumPy's broadcasting and the errors Numba users expect."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

extract = njit(lambda c, a: np.extract(c, a))


def same(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


CUBE = np.asfortranarray(np.arange(60).reshape(3, 4, 5))
EXTRACT = [(np.arange(10) > 4, np.arange(10)), (np.eye(3).flatten(), ((1, 2, 3), (3, 4, 5), (4, 5, 6))),
           ([1, 1, 0, 1], [1.1, 2.2, 3.3, 4.4]), (np.array([]), np.array([1, 2, 3])),
           (np.array([1, 0, 1, 0]), np.array([1, 2, 3])), (np.repeat((0, 1), 30), CUBE),
           (np.repeat((0, 1), 30), CUBE[::-1]), (1, np.array(4)), (1, 1),
           (np.array([1, 0, 1, 0, 0, 0]).reshape(2, 3) * 1j, np.arange(4)),
           ((True, np.nan, -1.2, 1.5j), np.linspace(-2, 10, 6))]


@pytest.mark.parametrize("cond, arr", EXTRACT, ids=range(len(EXTRACT)))
def test_extract(cond, arr):
    same(extract(cond, arr), np.extract(cond, arr))


def test_extract_errors():
    with pytest.raises(ValueError, match="Cannot extract from an empty array"):
        extract(np.array([1, 2, 3]), np.array([]))
    with pytest.raises(ValueError, match="condition shape inconsistent"):
        extract(np.array([1, 0, 1, 0, 1]), np.array([1, 2, 3]))


def _along(axis):
    return njit(lambda a, i: np.take_along_axis(a, i, axis))


ALONG = {axis: _along(axis) for axis in (None, -1, 0, 1, 2, 3, -2)}


def test_take_along_axis():
    a = np.arange(24).reshape((3, 1, 4, 2))
    index = np.array([1, -2], dtype=np.int64)
    same(ALONG[None](a, index), np.take_along_axis(a, index, None))
    for axis in (-1, 0, 1, 2, 3):
        order = np.argsort(a, axis=axis)
        same(ALONG[axis](a, order), np.take_along_axis(a, order, axis))
        f = np.asfortranarray(a)
        same(ALONG[axis](f, order), np.take_along_axis(f, order, axis))
    arr, ai = np.ones((3, 4, 1)), np.ones((1, 2, 5), dtype=np.intp)
    for axis in (1, -2):
        same(ALONG[axis](arr, ai), np.take_along_axis(arr, ai, axis))


def test_take_along_axis_errors():
    arr2d = np.arange(8).reshape(2, 4)
    with pytest.raises(TypingError, match="axis is out of bounds"):
        ALONG[2](arr2d, np.ones((2, 4), np.intp))
    with pytest.raises(TypingError, match="indices array must contain integers"):
        ALONG[None](arr2d, np.array([0.0, 1.0]))
    with pytest.raises(TypingError, match="same number of dimensions"):
        ALONG[0](arr2d, np.array([0, 1]))
    with pytest.raises(TypingError, match="axis must be a literal"):
        njit(lambda a, i, ax: np.take_along_axis(a, i, ax))(arr2d, arr2d, 0)
    with pytest.raises(ValueError, match="dimensions don't match"):
        ALONG[0](arr2d, np.ones((2, 3), np.intp))
    with pytest.raises(IndexError):
        ALONG[0](arr2d, np.full((1, 4), 5))


def test_no_leaks():
    a = np.arange(12.0).reshape(3, 4)
    with no_leaks(a):
        extract(a > 3, a)
        ALONG[1](a, np.argsort(a, axis=1))


where3 = njit(lambda c, x, y: np.where(c, x, y))


def same_array(got, expected):
    same(got, expected)
    assert got.strides == expected.strides  # NumPy keeps the inputs' memory order


def test_where_scalars_and_0d_give_0d_arrays():
    for args in [(True, np.int16(3), np.int16(4)), (0.0, 2, 1.5), (np.array(1.5), np.array(2),
                                                                     np.array(3j))]:
        same_array(where3(*args), np.where(*args))


def test_where_sequences_broadcasting_and_order():
    a, b = np.zeros((25, 2)), np.ones((25, 2))
    same_array(where3([True, False], a, b), np.where([True, False], a, b))
    f = np.asfortranarray(np.arange(24.0).reshape(2, 3, 4))
    same_array(where3(f > 5, f, 2 * f), np.where(f > 5, f, 2 * f))
    same_array(where3(f > 5, 1, f), np.where(f > 5, 1, f))
    with pytest.raises(ValueError, match="objects cannot be broadcast"):
        where3([True, True], a[:4], b[:5])


def test_where_invalid_inputs():
    for args, name in [((None, 2, 3), "condition"), ((1, "a", 3), "x"), ((1, 2, "b"), "y")]:
        with pytest.raises(TypingError, match=f'The argument "{name}" must be array-like'):
            where3(*args)
    with pytest.raises(TypingError, match='"x" or "y" cannot be None'):
        where3(1, None, None)


def test_searchsorted_side_at_run_time():
    find = njit(lambda a, v, side: np.searchsorted(a, v, side=side))
    a, v = np.array([1.0, 2.0, 2.0, 3.0]), np.array([[2.0, 0.0], [3.0, 5.0]])
    for side in ("left", "right"):
        same(find(a, v, side), np.searchsorted(a, v, side=side))
    with pytest.raises(ValueError, match="side must be 'left' or 'right'"):
        find(a, v, "middle")
