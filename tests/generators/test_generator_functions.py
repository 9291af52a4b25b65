"""Compiled generator functions, differential against CPython running the same source: state
kept between items, several yields, yields in loops and branches, `return` ending them, arrays
and tuples yielded, generators used by generators, Python-side iteration, and no leaks when a
generator holding arrays is dropped half-way."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import UnsupportedError
from jitbridge.testing import no_leaks


def count_up(n):
    for i in range(n):
        yield i * 2
    yield -1


def branches(n):
    total = 0
    i = 0
    while True:
        if i >= n:
            return
        if i % 3 == 0:
            yield total
        elif i % 3 == 1:
            total += i
            yield -total
        i += 1


def fib_gen(n):
    a, b = 0, 1
    for _ in range(n):
        yield a
        a, b = b, a + b


def early_stop(n, limit):
    for i in range(n):
        if i * i > limit:
            return
        yield i * 0.5


def windows(a, k):
    for i in range(a.shape[0] - k + 1):
        yield a[i:i + k].copy()


def pairs(n):
    for i in range(n):
        yield (i, i * 1.5)


def nothing(n):
    if n > 100:
        yield n


GENERATORS = [(count_up, (5,)), (count_up, (0,)), (branches, (10,)), (fib_gen, (12,)),
              (early_stop, (10, 20)), (pairs, (4,)), (nothing, (3,))]


def consume_sum(gen_func):
    """A jitted consumer summing what a jitted generator yields, in a for loop."""
    jitted = njit(gen_func)

    @njit
    def consume(*args):
        total = 0.0
        for value in jitted(*args):
            total += value
        return total
    return consume


@pytest.mark.parametrize("func,args", GENERATORS, ids=lambda v: getattr(v, "__name__", ""))
def test_from_python_same_items(func, args):
    assert list(njit(func)(*args)) == list(func(*args))


@pytest.mark.parametrize("func,args", [g for g in GENERATORS if g[0] is not pairs],
                         ids=lambda v: getattr(v, "__name__", ""))
def test_for_loop_in_compiled_code(func, args):
    assert consume_sum(func)(*args) == float(sum(func(*args)))


def test_python_iterator_protocol():
    gen = njit(count_up)(2)
    assert iter(gen) is gen
    assert next(gen) == 0 and next(gen) == 2 and next(gen) == -1
    with pytest.raises(StopIteration):
        next(gen)
    with pytest.raises(StopIteration):  # finished stays finished
        next(gen)


def test_next_in_compiled_code():
    jitted = njit(fib_gen)

    @njit
    def first_three(n):
        g = jitted(n)
        return next(g), next(g), next(g)
    assert first_three(10) == (0, 1, 1)

    @njit
    def too_far():
        g = jitted(1)
        next(g)
        return next(g)
    with pytest.raises(StopIteration):
        too_far()


def test_arrays_yielded_and_no_leaks_when_dropped_half_way():
    a = np.arange(10.0)
    jitted = njit(windows)
    expected = [w.tolist() for w in windows(a, 3)]
    assert [w.tolist() for w in jitted(a, 3)] == expected

    @njit
    def first_window_sum(a):
        for w in jitted(a, 3):
            return w.sum()  # the generator (holding `a` and a window) is dropped here
        return -1.0
    assert first_window_sum(a) == 3.0
    with no_leaks(a):
        for _ in range(200):
            first_window_sum(a)
            gen = jitted(a, 4)
            next(gen)
            del gen  # dropped half-way from Python
            assert len(list(jitted(a, 2))) == 9


def test_generator_using_generators():
    inner = njit(fib_gen)

    def outer(n):
        for i in range(n):
            for v in inner(i):
                yield v + i

    def chained(n):
        yield from inner(n)
        yield from inner(2)

    py_outer = [v + i for i in range(5) for v in fib_gen(i)]
    assert list(njit(outer)(5)) == py_outer
    assert list(njit(chained)(5)) == list(itertools.chain(fib_gen(5), fib_gen(2)))


def test_refused_constructs_are_located():
    def returns_value(n):
        yield n
        return n

    for func in (returns_value,):
        with pytest.raises(UnsupportedError) as info:
            njit(func)(1)
        assert func.__name__ in str(info.value) or "line" in str(info.value).lower()


def test_builtins_consuming_generators():
    jitted = njit(branches)

    @njit
    def summary(n):
        return min(jitted(n)), max(jitted(n)), sum(jitted(n)), sorted(jitted(n))
    assert summary(10) == (min(branches(10)), max(branches(10)), sum(branches(10)),
                           sorted(branches(10)))

    @njit
    def smallest(n):
        return min(jitted(n))
    with pytest.raises(ValueError, match=r"min\(\) arg is an empty sequence"):
        smallest(0)


def test_generator_passed_back_into_compiled_code():
    jitted = njit(fib_gen)

    @njit
    def drain(gen):
        total = 0
        for v in gen:
            total += v
        return total
    gen = jitted(10)
    assert next(gen) == 0
    assert drain(gen) == sum(fib_gen(10))
    assert list(gen) == []


def test_recursive_generator_is_refused():
    from jitbridge.errors import TypingError

    def rec(n):
        if n > 0:
            yield from rec_jitted(n - 1)
        yield n
    rec_jitted = njit(rec)
    with pytest.raises(TypingError, match="recursive generator"):
        list(rec_jitted(2))


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), max_size=12), st.integers(1, 4),
       st.integers(0, 12), st.integers(-5, 150))
def test_items_match_python_for_any_input(values, k, n, limit):
    a = np.array(values, dtype=np.float64)
    assert [w.tolist() for w in njit(windows)(a, k)] == [w.tolist() for w in windows(a, k)]
    assert list(njit(early_stop)(n, limit)) == list(early_stop(n, limit))
    assert list(njit(branches)(n)) == list(branches(n))


def iterators_across_yields(a, words):
    for i, (x, w) in enumerate(zip(a, words)):
        yield x * i, w
    for item in [1.5, 2.5]:
        yield item, "list"


def try_between_yields(a):
    for i in range(a.shape[0] + 1):
        try:
            value = a[i]
        except IndexError:
            value = -1.0
        yield value


def test_iterator_positions_survive_yields():
    a, words = np.arange(3.0), ["x", "y", "z", "w"]
    assert list(njit(iterators_across_yields)(a, words)) == \
        list(iterators_across_yields(a, words))


def test_try_statements_between_yields():
    a = np.arange(3.0)
    assert list(njit(try_between_yields, boundscheck=True)(a)) == list(try_between_yields(a))
