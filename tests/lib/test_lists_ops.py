"""List operators: + += * *= comparisons bool `is`, slice get/set/del with steps, del item;
differential against CPython (hypothesis), CPython's errors, no leaks."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

ints = st.lists(st.integers(-3, 3), min_size=1, max_size=8)  # [] has no item type
bounds = st.one_of(st.none(), st.integers(-12, 12))
steps = st.one_of(st.none(), st.integers(-3, 3).filter(bool))
few = settings(max_examples=80, deadline=None)


def py_arith(a, b, k):
    c = a + b
    d = a * k
    e = k * b
    f = list(a)
    f += b
    g = list(b)
    g *= k
    return c, d, e, f, g


def py_compare(a, b):
    return a == b, a != b, a < b, a <= b, a > b, a >= b, bool(a), a is a, a is b


arith = njit(py_arith)
compare = njit(py_compare)


@few
@given(ints, ints, st.integers(-2, 3))
def test_arithmetic(a, b, k):
    assert arith(list(a), list(b), k) == py_arith(a, b, k)


@few
@given(ints, ints)
def test_comparisons(a, b):
    assert compare(list(a), list(b)) == py_compare(a, b)


def test_mixed_item_types_promote():
    @njit
    def mixed():
        a, b = [1], [2.0]
        return a + b, b + a
    assert mixed() == ([1.0, 2.0], [2.0, 1.0])


def test_huge_repetition_is_a_memory_error():
    with pytest.raises(MemoryError):
        arith([1], [1], 2 ** 58)


def py_slices(xs, start, stop, step, values):
    got = xs[start:stop:step]
    assigned = list(xs)
    try:
        assigned[start:stop:step] = values
    except ValueError:
        assigned = None
    deleted = list(xs)
    del deleted[start:stop:step]
    return got, assigned, deleted


def jit_slices_body(xs, start, stop, step, values):
    got = xs[start:stop:step]
    assigned = list(xs)
    assigned[start:stop:step] = values
    deleted = list(xs)
    del deleted[start:stop:step]
    return got, assigned, deleted


jit_slices = njit(jit_slices_body)


@settings(max_examples=150, deadline=None)
@given(ints, bounds, bounds, steps, ints)
def test_slices_like_cpython(xs, start, stop, step, values):
    expected = py_slices(xs, start, stop, step, values)
    if expected[1] is None:
        with pytest.raises(ValueError, match="extended slice"):
            jit_slices(list(xs), start, stop, step, list(values))
    else:
        assert jit_slices(list(xs), start, stop, step, list(values)) == expected


def test_slice_assignment_from_itself_and_step_zero():
    @njit
    def grow(xs):
        xs[1:2] = xs
        return xs
    data = [1, 2, 3]
    assert grow(data) == [1, 1, 2, 3, 3] and data == [1, 1, 2, 3, 3]
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        jit_slices([1, 2], 0, 2, 0, [1])


def test_del_item():
    @njit
    def drop(xs, i):
        del xs[i]
        return xs
    assert drop([1, 2, 3], -1) == [1, 2]
    with pytest.raises(IndexError, match="list assignment index out of range"):
        drop([1, 2, 3], 3)


def test_slices_of_arrays_do_not_leak():
    @njit
    def shuffle(n):
        con = [np.arange(i) for i in range(n)]
        con[1:3] = con[2:5]
        del con[::2]
        con[::2] = con[1::2] + con[:1] if len(con) % 2 else con[1::2]
        return [a.size for a in con + con * 2]
    for n in range(6):
        con = [np.arange(i) for i in range(n)]
        con[1:3] = con[2:5]
        del con[::2]
        con[::2] = con[1::2] + con[:1] if len(con) % 2 else con[1::2]
        assert shuffle(n) == [a.size for a in con + con * 2]
    with no_leaks():
        for n in itertools.chain(range(6), range(6)):
            shuffle(n)


def assign_complex(xs):
    xs[0] = 1j


def test_setitem_of_an_incompatible_value_is_a_typing_error():
    with pytest.raises(TypingError, match="invalid setitem with value of complex128 to "
                                          "element of int64"):
        njit(assign_complex)([1, 2])


@njit
def swap_inner(xs):
    xs[0], xs[1] = xs[1], xs[0]
    return len(xs[0])


def test_list_of_lists_argument_is_reflected_with_its_inner_lists():
    data = [[1, 2, 3], [4, 5]]
    first, second = data
    assert swap_inner(data) == 2
    assert data == [[4, 5], [1, 2, 3]] and data[0] is second and data[1] is first


@njit
def first_of_pair(xs):
    return xs[0][0][0]


def test_lists_inside_tuples_are_refused():
    with pytest.raises(TypeError, match="cannot reflect element of reflected container"):
        first_of_pair([([1, 2], 3)])
