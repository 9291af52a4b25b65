"""np.vsplit, np.hsplit, np.dsplit (splitting.py) against NumPy: pieces and ValueErrors."""
import numpy as np
import pytest

from jitbridge import njit


@njit
def vsplit(a, s):
    return np.vsplit(a, s)


@njit
def hsplit(a, s):
    return np.hsplit(a, s)


@njit
def dsplit(a, s):
    return np.dsplit(a, s)


def assert_same_pieces(got, expected):
    assert len(got) == len(expected)
    for x, y in zip(got, expected):
        assert x.shape == y.shape and x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)


def test_splits_match_numpy():
    a = np.arange(24.0).reshape(2, 3, 4)
    assert_same_pieces(vsplit(a, 2), np.vsplit(a, 2))
    assert_same_pieces(hsplit(a, [1, 2]), np.hsplit(a, [1, 2]))
    assert_same_pieces(dsplit(a, np.array([1, 3])), np.dsplit(a, np.array([1, 3])))


@pytest.mark.slow
def test_hsplit_of_1d_and_unequal_division():
    assert_same_pieces(hsplit(np.arange(6.0), 3), np.hsplit(np.arange(6.0), 3))
    with pytest.raises(ValueError, match="equal division"):
        hsplit(np.ones((2, 3)), 2)


@pytest.mark.parametrize("func, jitted, a", [
    (np.vsplit, vsplit, np.arange(6.0)),
    (np.dsplit, dsplit, np.ones((2, 2))),
])
def test_value_errors_as_numpy(func, jitted, a):
    with pytest.raises(ValueError) as expected:
        func(a, 2)
    with pytest.raises(ValueError, match=str(expected.value)):
        jitted(a, 2)
