"""Generator expressions consumed at once (sum/min/max/any/all/list/set/dict/sorted/join and
for loops), differential against CPython: values and result types, sum's start value, min/max
of nothing raising ValueError, any/all stopping at the deciding item."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError


def reducers(a):
    return (sum(x * x for x in a), min(x for x in a), max(-x for x in a if x > 0),
            any(x > 2 for x in a), all(x > -5 for x in a))


def sum_start(n):
    return sum((i * 0.5 for i in range(n)), 1), sum(i > 2 for i in range(n)), sum(i for i in range(0))


def nested(n):
    return (sum(i * j for i in range(n) for j in range(i) if (i + j) % 2),
            any(i == j + 3 for i in range(n) for j in range(2)))


def containers(n):
    return (list(i * i for i in range(n)), sorted(-i for i in range(n)),
            set(i % 3 for i in range(n)), dict((i, i * 2) for i in range(n)))


def joined(n):
    sep = "-" if n > 100 else ","  # (a literal separator: see the note in the report)
    return sep.join(str(i) for i in range(n))


def loop(n):
    total = 0
    for v in (i * 2 for i in range(n) if i % 3):
        if v > 20:
            break
        if v == 4:
            continue
        total += v
    else:
        total = -total
    return total


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(-10, 10), min_size=1, max_size=20))
def test_reducers_match_python(values):
    a = np.array(values, dtype=np.int64)
    if not any(x > 0 for x in values):
        a = np.append(a, 1)
    assert njit(reducers)(a) == reducers(a)


@pytest.mark.parametrize("func", [sum_start, nested, containers, joined, loop])
@pytest.mark.parametrize("n", [0, 1, 5, 13])
def test_forms_match_python(func, n):
    got, expected = njit(func)(n), func(n)
    assert got == expected
    assert type(got) is type(expected)


def test_sum_types_follow_python():
    floats, bools, empty = njit(sum_start)(4)
    assert (type(floats), type(bools), type(empty)) == (float, int, int)


def test_min_max_of_nothing_raise():
    def smallest(n):
        return min(i for i in range(n))

    def largest(n):
        return max(i for i in range(n) if i > n)
    with pytest.raises(ValueError, match=r"min\(\) arg is an empty sequence"):
        njit(smallest)(0)
    with pytest.raises(ValueError, match=r"max\(\) arg is an empty sequence"):
        njit(largest)(3)
    assert njit(smallest)(3) == 0


def test_any_all_stop_at_the_deciding_item():
    def first_true(a):
        return any(a[i] > 0 for i in range(a.shape[0] + 5))  # reading past the end would fail

    a = np.array([0, 1, 0])
    assert njit(first_true, boundscheck=True)(a) is True


def test_generator_expression_values_are_real_generators():
    def stored(a):
        g = (x * x for x in a if x > 0)
        total = 0.0
        for v in g:
            total += v
        return total

    def returned(n, k):
        return (i * k for i in range(n) for j in range(2))

    def late_binding(n):
        k = 1
        g = (i * k for i in range(n))  # range(n) now, k when items are drawn (as CPython)
        k = 10
        return list(g)

    a = np.arange(-2.0, 4.0)
    assert njit(stored)(a) == stored(a)
    assert list(njit(returned)(3, 2)) == list(returned(3, 2))
    assert njit(late_binding)(3) == late_binding(3)


def test_unsupported_consumer_is_located():
    def as_tuple(n):
        return tuple(i for i in range(n))
    with pytest.raises(TypingError, match=r"tuple\(\)"):
        njit(as_tuple)(3)
