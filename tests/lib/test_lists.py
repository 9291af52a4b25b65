"""Lists: arguments (reflected), building, returning, methods, lists of arrays; no leaks."""
import sys

import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def total(xs):
    s = 0
    for x in xs:
        s += x
    return s + len(xs) + xs[-1] + xs[1:][0]


def test_list_argument_read():
    assert total([1, 2, 3]) == 1 + 2 + 3 + 3 + 3 + 2
    assert total([1.5, 2.5]) == 1.5 + 2.5 + 2 + 2.5 + 2.5


@njit
def build(n):
    out = []
    for i in range(n):
        out.append(i * 2)
    return out


def test_build_and_return():
    assert build(5) == [0, 2, 4, 6, 8]
    assert build(0) == []


@njit
def mutate(xs):
    xs.append(10)
    xs[0] = 99
    return xs.pop()


def test_mutations_are_reflected():
    data = [1, 2, 3]
    assert mutate(data) == 10
    assert data == [99, 2, 3]


def test_returned_argument_is_the_same_list():
    data = [1, 2]
    assert njit(lambda xs: xs)(data) is data


def test_literals_comprehensions_contains_slicing():
    @njit
    def f(x):
        values = [x, x + 1, 3]
        squares = [v * v for v in values if v != 3]
        return values, squares, 3 in values, 7 in values, values[::-1], values[1:]
    assert f(1) == ([1, 2, 3], [1, 4], True, False, [3, 2, 1], [2, 3])


def test_index_errors():
    get = njit(lambda xs, i: xs[i])
    assert get([1, 2, 3], -1) == 3
    with pytest.raises(IndexError, match="list index out of range"):
        get([1, 2, 3], 3)
    with pytest.raises(IndexError, match="pop from empty list"):
        njit(lambda xs: (xs.pop(), xs.pop()))([1])


def test_list_of_arrays():
    arrays = [np.ones(3), np.arange(3.0)]

    @njit
    def f(xs):
        t = 0.0
        for a in xs:
            t += a.sum()
        xs.append(xs[0] * 2)
        return t
    with no_leaks(arrays[0], arrays[1]):
        assert f(arrays) == 6.0
        assert len(arrays) == 3 and arrays[2].tolist() == [2.0, 2.0, 2.0]
        del arrays[2]  # the appended array lives in the Python list until removed


def test_created_list_of_arrays_is_freed():
    @njit
    def make(n):
        out = []
        for i in range(n):
            out.append(np.zeros(i))
        return out
    with no_leaks():
        result = make(4)
        assert [a.shape for a in result] == [(0,), (1,), (2,), (3,)]
        del result


def test_no_leak_over_many_calls():
    data = [1.0, 2.0, 3.0]
    f = njit(lambda xs: [x * 2 for x in xs][0] + xs[1])
    f(data)
    item_refs = [sys.getrefcount(x) for x in data]
    with no_leaks(data):
        for _ in range(1000):
            f(data)
    assert [sys.getrefcount(x) for x in data] == item_refs


def test_empty_list_argument_is_rejected_clearly():
    with pytest.raises(TypingError, match="list"):
        njit(lambda xs: len(xs))([])


def test_heterogeneous_display_is_a_literal_list():
    # items of no common type make a read-only LiteralList (lib/lists_literal.py), returned
    # to Python as a list; indexing it at run time is refused when typing
    assert njit(lambda x: [x, (x, x)])(1) == [1, (1, 1)]
    with pytest.raises(TypingError, match="literal list"):
        njit(lambda x: [x, (x, x)][x])(1)
