"""Fixed-width strings (`U`/`S` array items) compare and search as NumPy orders them."""
import itertools
import operator

import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError

OPERATORS = (operator.lt, operator.le, operator.eq, operator.ne, operator.gt, operator.ge)


@njit
def compare_items(a, b, i, j):
    x, y = a[i], b[j]
    return x < y, x <= y, x == y, x != y, x > y, x >= y


@njit
def searchsorted(a, v):
    return np.searchsorted(a, v)


@njit
def searchsorted_right(a, v):
    return np.searchsorted(a, v, side="right")


@pytest.mark.parametrize("a, b", [
    (np.array(["", "a", "ab", "abc", "b", "z\u00e9", "\u00e9"], "<U3"),
     np.array(["", "a", "ab", "abcd", "aa", "\u00e9a"], "<U4")),
    (np.array([b"", b"a", b"\xff", b"ab"], "S2"), np.array([b"a", b"\x01", b"abc"], "S3")),
])
def test_items_of_different_widths_compare_as_numpy(a, b):
    for i, j in itertools.product(range(len(a)), range(len(b))):
        expected = tuple(bool(op(a[i], b[j])) for op in OPERATORS)
        assert compare_items(a, b, i, j) == expected, (a[i], b[j])


def test_searchsorted_of_strings_equals_numpy():
    a = np.array(["", "ab", "abc", "b", "ba"], "<U3")
    v = np.array([["a", "abcd"], ["b", ""]], "<U4")
    for func, side in ((searchsorted, "left"), (searchsorted_right, "right")):
        assert func(a, v).tolist() == np.searchsorted(a, v, side=side).tolist()


def test_searchsorted_refuses_keys_of_another_kind():
    with pytest.raises(TypingError, match="cannot compare the items of"):
        searchsorted(np.array(["a"]), np.array([b"a"]))
