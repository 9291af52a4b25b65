"""np.insert (inserting.py) against NumPy: values, dtypes and errors."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def insert(a, obj, values):
    return np.insert(a, obj, values)


CASES = [
    (np.arange(10), 3, 99), (np.arange(10), -3, 99), (np.arange(10), 10, 99),
    (np.arange(10), np.array([2, 5, 8]), np.array([100, 200, 300])),
    (np.arange(10), np.array([2, 5, 8]), np.array([99])),
    (np.arange(10), np.array([1, 1]), np.array([10, 20])),  # ties keep the order given
    (np.arange(10), np.array([4, 0, -2]), np.array([40, 0, 20])),
    (np.arange(10), np.array([2]), np.array([98, 99])),  # one index: all values there
]


def check(a, obj, values):
    expected, got = np.insert(a, obj, values), insert(a, obj, values)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_matches_numpy():
    for case in CASES:
        check(*case)


@pytest.mark.slow
def test_flattened_and_cast():
    check(np.arange(12).reshape(3, 4), 5, 99)
    check(np.array([1.5, 2.5]), 1, 9.9)
    check(np.arange(4), 1, 9.9)


def test_errors():
    with pytest.raises(IndexError, match="out of bounds"):
        insert(np.arange(5), 10, 9)
    with pytest.raises(IndexError, match="out of bounds"):
        insert(np.arange(5), np.array([1, 9]), np.array([1]))
    with pytest.raises(ValueError):
        np.insert(np.arange(5), [1, 2], [6, 7, 8])
    with pytest.raises(ValueError, match="shape mismatch"):
        insert(np.arange(5), np.array([1, 2]), np.array([6, 7, 8]))
    with pytest.raises(TypingError, match="obj should be an Integer"):
        insert(np.arange(5), 2.5, 9)
    with pytest.raises(TypingError, match="obj should be of Integer dtype"):
        insert(np.arange(5), np.array([1.5]), 9)


def test_no_leaks():
    a, obj, values = CASES[3]
    with no_leaks():
        insert(a, obj, values)
        with pytest.raises(IndexError):
            insert(np.arange(5), 10, 9)
