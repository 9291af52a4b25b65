"""map, filter, reversed, sum, min/max of iterables, functools.reduce and operator.truth in
compiled code: differential against CPython, with leak checks for refcounted items."""
import functools
import math
import operator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

FAST = settings(max_examples=40, deadline=None)
ints = st.lists(st.integers(-1000, 1000), min_size=1, max_size=12)  # (an empty list has no type)


@njit
def mapped(xs):
    out = []
    for v in map(lambda x: x * 2 + 1, xs):
        out.append(v)
    return out


@njit
def mapped_pairs(xs, ys):
    out = []
    for v in map(lambda x, y: x - y, xs, ys):
        out.append(v)
    return out


@njit
def filtered(xs, bound):
    out = []
    for v in filter(lambda x: x > bound, xs):
        out.append(v)
    return out


@njit
def filtered_none(xs):
    out = []
    for v in filter(None, xs):
        out.append(v)
    return out


@njit
def backwards(xs):
    out = []
    for v in reversed(xs):
        out.append(v)
    return out


@njit
def backwards_range(a, b, step):
    out = []
    for v in reversed(range(a, b, step)):
        out.append(v)
    return out


@njit
def shrinking_reversed(xs):
    """CPython stops a reversed list early when the list shrinks under it."""
    out = []
    for v in reversed(xs):
        out.append(v)
        if len(xs) > 2:
            xs.pop()
            xs.pop()
    return out


@njit
def next_of_map(xs):
    it = map(lambda x: -x, xs)
    return next(it), next(it)


@given(ints)
@FAST
def test_map(xs):
    assert mapped(xs) == [x * 2 + 1 for x in xs]


@given(ints, ints)
@FAST
def test_map_two_iterables_stops_at_shortest(xs, ys):
    assert mapped_pairs(xs, ys) == list(map(lambda x, y: x - y, xs, ys))


@given(ints, st.integers(-1000, 1000))
@FAST
def test_filter(xs, bound):
    assert filtered(xs, bound) == [x for x in xs if x > bound]


@given(ints)
@FAST
def test_filter_none_keeps_true_items(xs):
    assert filtered_none(xs) == list(filter(None, xs))


@given(ints)
@FAST
def test_reversed_list(xs):
    assert backwards(xs) == xs[::-1]


def test_reversed_tuple_array_string():
    assert backwards((1, 2, 3)) == [3, 2, 1]
    assert backwards(np.arange(4.0)) == [3.0, 2.0, 1.0, 0.0]
    assert backwards("abé") == ["é", "b", "a"]


@given(st.integers(-20, 20), st.integers(-20, 20), st.integers(-5, 5).filter(bool))
@FAST
def test_reversed_range(a, b, step):
    assert backwards_range(a, b, step) == list(reversed(range(a, b, step)))


def test_reversed_list_shrinking_under_it():
    xs = list(range(10))
    assert shrinking_reversed(list(xs)) == shrinking_reversed.py_func(list(xs))


def test_next_of_map():
    assert next_of_map([4, 5, 6]) == (-4, -5)


def test_map_of_strings_does_not_leak():
    words = ["ab", "cd", "éf"]

    @njit
    def upper_all(words):
        out = []
        for w in map(lambda s: s + s, words):
            out.append(w)
        for w in filter(lambda s: len(s) > 1, words):
            out.append(w)
        for w in reversed(words):
            out.append(w)
        return len(out)
    upper_all(words)
    with no_leaks(words):
        for _ in range(100):
            assert upper_all(words) == 9


def test_map_with_jitted_function():
    @njit
    def square(x):
        return x * x

    @njit
    def run(xs):
        total = 0
        for v in map(square, xs):
            total += v
        return total
    assert run([1, 2, 3]) == 14


@njit
def sum_of(xs):
    return sum(xs)


@njit
def sum_from(xs, start):
    return sum(xs, start)


@given(ints)
@FAST
def test_sum(xs):
    assert sum_of(xs) == sum(xs)
    assert sum_from(xs, 7) == sum(xs, 7)


def test_sum_of_containers():
    assert sum_of((1, 2, 3j)) == (3 + 3j)
    assert sum_of(np.arange(5.0)) == 10.0

    @njit
    def sum_range(n, start):
        return sum(range(n), start=start)
    assert sum_range(7, 2) == 23


@njit
def min_of(xs):
    return min(xs)


@njit
def max_of(xs):
    return max(xs)


@given(st.lists(st.floats(allow_nan=True), min_size=1, max_size=10))
@FAST
def test_min_max_of_lists_keep_python_order(xs):
    for got, expected in ((min_of(xs), min(xs)), (max_of(xs), max(xs))):
        assert got == expected or (math.isnan(got) and math.isnan(expected))


def test_min_max_of_other_iterables():

    @njit
    def min_range():
        return min(range(-4, -15, -1))
    assert min_range() == -14
    assert max_of([(3, 4), (1, 2)]) == (3, 4)
    assert max_of((1.5, 2, np.float32(0.5))) == 2.0
    assert min_of(np.arange(3.0, 6.0)) == 3.0


def test_min_max_of_empty_sequences():
    with pytest.raises(ValueError, match=r"max\(\) arg is an empty sequence"):
        max_of(np.zeros(0))

    @njit
    def empty_tuple():
        return min(())
    with pytest.raises(TypingError, match=r"min\(\) argument is an empty tuple"):
        empty_tuple()


@njit
def reduce_sum(xs):
    return functools.reduce(lambda a, b: a + b, xs)


@njit
def reduce_product(xs, initial):
    return functools.reduce(lambda a, b: a * b, xs, initial)


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=8), st.integers(-5, 5))
@FAST
def test_reduce(xs, initial):
    assert reduce_sum(xs) == functools.reduce(operator.add, xs)
    assert reduce_product(xs, initial) == functools.reduce(operator.mul, xs, initial)


def test_reduce_of_empty_raises():
    with pytest.raises(TypeError, match="reduce"):
        reduce_sum(np.zeros(0))


def test_operator_truth():
    @njit
    def truth(x):
        return operator.truth(x)
    assert [truth(x) for x in (0, 3, 0.0, -0.5)] == [False, True, False, True]


def test_map_of_uncallable_is_a_typing_error():
    @njit
    def bad(xs):
        for v in map(3, xs):
            pass
    with pytest.raises(TypingError, match="map"):
        bad([1])


def test_sum_with_a_string_start_is_a_typing_error():
    @njit
    def bad(xs):
        return sum(xs, "a")
    with pytest.raises(TypingError, match="sum\\(\\) can't sum strings"):
        bad((1, 2))
