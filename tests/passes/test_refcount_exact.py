"""The references compiled code takes and releases are exact: arguments keep their reference
counts, results hold one reference, and no runtime allocation outlives its last owner
(runtime stats count live MemInfos), on normal and exceptional exits alike."""
import gc
import sys

import numpy as np
import pytest

from jitbridge import njit
from jitbridge.runtime import stats

from . import golden_funcs as g


def live() -> int:
    gc.collect()
    return stats()["live"]


def test_copy_then_reassign_returns_the_first_array_only():
    f = njit(g.arrays)
    f(3)
    before = live()
    result = f(4)
    assert result.shape == (4,) and live() == before + 1  # `a + 1` was freed
    assert sys.getrefcount(result) == 2  # the caller's reference (and the call's argument)
    del result
    assert live() == before


def test_list_of_arrays_releases_all_but_the_returned_item():
    f = njit(g.lists)
    f(1)
    before = live()
    result = f(6)
    assert result.tolist() == [3.0, 3.0] and live() == before + 1
    assert sys.getrefcount(result) == 2
    del result
    assert live() == before


def test_loop_reassignment_releases_each_old_array():
    f = njit(g.loop_reassign)
    f(2, 2)
    before = live()
    result = f(3, 50)
    assert result.tolist() == [50.0] * 3 and live() == before + 1
    del result
    assert live() == before


@pytest.mark.parametrize("n", [1, 5])
def test_raising_releases_everything_and_leaves_the_argument_alone(n):
    f = njit(g.raises)
    a = np.arange(3.0)
    f(a, 0)
    refs, before = sys.getrefcount(a), live()
    if n > 3:
        with pytest.raises(ValueError, match="n too large"):
            f(a, n)
    else:
        assert f(a, n).tolist() == [1.0, 2.0, 3.0]
    assert (sys.getrefcount(a), live()) == (refs, before)


@pytest.mark.parametrize("flag", [False, True])
def test_maybe_assigned_variable_releases_its_old_value(flag):
    f = njit(g.maybe_assigned)
    a = np.ones(2)
    f(a, flag)
    refs, before = sys.getrefcount(a), live()
    assert f(a, flag).tolist() == [2.0, 2.0]
    assert (sys.getrefcount(a), live()) == (refs, before)


def test_returned_argument_gains_exactly_the_callers_reference():
    @njit
    def same(a):
        b = a
        return b

    a = np.ones(2)
    same(a)
    refs = sys.getrefcount(a)
    result = same(a)
    assert result is a and sys.getrefcount(a) == refs + 1
    del result
    assert sys.getrefcount(a) == refs


def test_closure_writing_a_variable_by_reference():
    f = njit(g.closure_by_reference)
    f(1)
    before = live()
    result = f(3)
    assert result.tolist() == [2.0, 2.0, 2.0] and live() == before + 1
    del result
    assert live() == before


def _tuple_loop(n):
    total = 0.0
    for x in (np.zeros(n), np.ones(n)):
        total += x[0]
    return total


def _tuple_next(n):
    it = iter((np.zeros(n), np.ones(n)))
    first = next(it)
    return first.size + next(it).size


def _tuple_break(t):
    for x in t:
        return x
    return t[0]


@pytest.mark.parametrize("func, arg", [(_tuple_loop, 3), (_tuple_next, 2)])
def test_iterating_a_tuple_of_arrays_releases_each_item(func, arg):
    """Each item drawn from a tuple iterator is one new reference (getitem's), released
    with the loop variable: a second incref leaked every array once per call."""
    f = njit(func)
    assert f(arg) == func(arg)
    before = live()
    for _ in range(5):
        f(arg)
    assert live() == before


def test_leaving_a_tuple_loop_early_keeps_argument_counts():
    f = njit(_tuple_break)
    t = (np.zeros(2), np.ones(2))
    f(t)
    counts = [sys.getrefcount(a) for a in t]
    for _ in range(5):
        assert f(t) is t[0]
    assert [sys.getrefcount(a) for a in t] == counts
