"""A reflected list passed as two arguments is one native list (identity, one write-back);
lists over-allocate and shrink as CPython's do (Numba's typed.List `_allocated()`); lists of
None are ordered. Differential against CPython."""
import pytest

from jitbridge import njit, types
from jitbridge.testing import no_leaks
from jitbridge.typed import List


def move_last(l, ll, lll):
    l.append(ll.pop())
    lll.append(7)
    return l is ll, ll is lll, len(l)


compiled_move_last = njit(move_last)


@pytest.mark.parametrize("aliasing", ["aab", "aba", "abb", "aaa", "abc"])
def test_same_list_passed_twice_is_one_list(aliasing):
    def arguments():
        lists = {"a": [1, 2, 3], "b": [5, 6], "c": [9]}
        return lists, [lists[k] for k in aliasing]
    expected_lists, args = arguments()
    expected = move_last(*args)
    got_lists, args = arguments()
    assert compiled_move_last(*args) == expected
    assert got_lists == expected_lists


def test_aliased_list_arguments_do_not_leak():
    a = [1, 2, 3]
    compiled_move_last(a, a, a)
    with no_leaks(a):
        for _ in range(20):
            compiled_move_last(a, a, a)
    assert a == [1, 2, 3] + [7] * 21


@njit
def _nested_alias(x, y):
    x[0].append(1)
    return x is y, len(y[0])


def test_aliased_list_of_lists():
    c = [[1], [2]]
    assert _nested_alias(c, c) == (True, 2)
    assert c == [[1, 1], [2]]


def test_typed_list_grows_and_shrinks_as_cpython_lists():
    tl = List.empty_list(types.int32)
    grown = []
    for i in range(17):
        tl.append(i)
        grown.append(tl._allocated())
    assert grown == [4, 4, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16, 25]
    shrunk = []
    for _ in range(17):
        tl.pop()
        shrunk.append(tl._allocated())
    assert shrunk == [25, 25, 25, 25, 25, 18, 18, 18, 12, 12, 12, 8, 8, 6, 5, 4, 0]
    tl.append(3)
    assert list(tl) == [3] and tl._allocated() == 4


@njit
def _compare_none_lists(n, k):
    a = [None] * n
    b = [None] * k
    return a == b, a != b, a < b, a <= b, a > b, a >= b


def test_lists_of_none_compare_as_cpython():
    for n, k in ((1, 1), (1, 2), (3, 0)):
        assert _compare_none_lists(n, k) == _compare_none_lists.py_func(n, k)
