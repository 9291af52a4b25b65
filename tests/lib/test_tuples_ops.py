"""Tuples: static slicing (literal slices), `in`, index/count, tuple(), repetition, and that
literal slices still index arrays; differential against CPython."""
from collections import namedtuple

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, types
from jitbridge.errors import TypingError


def py_slices(t):
    return t[1:-1], t[1::2], t[::-1], t[5:], t[-2:], t[:0], t[::-2]


slices = njit(py_slices)


@pytest.mark.parametrize("t", [(4, 5, 6, 7), (4, 5.5, 6, 7j), (), (1,), (1, (2, 3), 4.5)])
def test_static_slices(t):
    assert slices(t) == py_slices(t)


def py_search(t, x):
    return x in t, t.count(x), x not in t


search = njit(py_search)


@settings(max_examples=40, deadline=None)
@given(st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-3, 3)),
       st.integers(-4, 4))
def test_contains_and_count(t, x):
    assert search(t, x) == py_search(t, x)


def test_contains_mixed_types_and_empty():
    assert search((1, 2.5, 3j), 2.5) == (True, 1, False)
    assert search((), 1) == (False, 0, True)


def test_index():
    index = njit(lambda t, x: t.index(x))
    assert index((1, 2, 3, 2), 2) == 1
    assert index((1, 2.5, 3j), 3j) == 2
    with pytest.raises(ValueError, match=r"tuple.index\(x\): x not in tuple"):
        index((1, 2, 3), 4)


def py_build(t):
    return tuple(), tuple(t), t * 2, 3 * t, t * 0, t + t[:1]


build = njit(py_build)


@pytest.mark.parametrize("t", [(1, 2), (1, 2.5), ()])
def test_constructor_and_repetition(t):
    assert build(t) == py_build(t)


def test_repetition_needs_a_constant_count():
    with pytest.raises(TypingError, match="constant count"):
        njit(lambda t, n: t * n)((1, 2), 3)


def test_literal_slice_type():
    assert types.SliceLiteral(slice(1, None)) == types.SliceType(2, slice(1, None))
    assert types.SliceLiteral(slice(1, 3, 2)).members == 3
    assert str(types.SliceLiteral(slice(1, -1))) == "Literal[slice](1, -1, None)"


def test_literal_slices_still_index_arrays_and_lists():
    @njit
    def f(a, xs):
        s = slice(1, 3)
        return a[1:3].sum(), a[s].sum(), a[::-1][0], xs[1:-1], a[::2].copy()
    a = np.arange(5.0)
    got = f(a, [1, 2, 3])
    assert got[:4] == (3.0, 3.0, 4.0, [2])
    assert got[4].tolist() == [0.0, 2.0, 4.0]


def test_slice_variables_from_two_branches_unify():
    @njit
    def f(xs, flag):
        s = slice(0, 2) if flag else slice(1, 3)
        return xs[s]
    assert f([1, 2, 3], True) == [1, 2]
    assert f([1, 2, 3], False) == [2, 3]


Point = namedtuple("Point", ("x", "y", "z"))


def make_points(a, b, c):
    return Point(z=c, y=b, x=a), Point(a, z=c, y=b), Point(a, b, c)


def missing_field(a):
    return Point(a, a)


def test_namedtuple_keywords_in_any_order():
    for args in ((4, 5, 6), (4, 5.5, 6j)):
        got = njit(make_points)(*args)
        assert got == make_points(*args) and all(type(p) is Point for p in got)
    with pytest.raises(TypingError, match="missing 1 required argument: 'z'"):
        njit(missing_field)(1)
