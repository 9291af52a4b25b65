"""Arguments at the boundary: one reflected set (or list) passed twice is one native container
(identity kept, changes written back once, as CPython mutates one object); a tuple of the
wrong size is Numba's ValueError; no leaks."""
import sys

import pytest

from jitbridge import njit, types
from jitbridge.testing import no_leaks


def pop_into(sa, sb):
    sa.add(sb.pop())
    return sa is sb


def grow_both(la, lb):
    la.append(len(lb))
    lb.append(len(la))
    return la is lb


def first(t):
    return t[0]


JIT_SETS, JIT_LISTS = njit(pop_into), njit(grow_both)
JIT_PAIR = njit((types.UniTuple(types.int32, 2),))(first)


def test_same_set_twice_is_one_set():
    expected, got = {1, 2, 3}, {1, 2, 3}
    assert JIT_SETS(got, got) == pop_into(expected, expected)
    assert got == expected
    assert sys.getrefcount(got) == sys.getrefcount(expected)


def test_different_sets_stay_apart():
    a, b = {1, 2, 3}, {7}
    assert JIT_SETS(a, b) is False
    assert (a, b) == ({1, 2, 3, 7}, set())


def test_same_list_twice_is_one_list():
    expected, got = [1], [1]
    assert JIT_LISTS(got, got) == grow_both(expected, expected)
    assert got == expected


def test_aliased_arguments_release_everything():
    s = {1, 2, 3}
    JIT_SETS(s, s)
    with no_leaks(s):
        for _ in range(100):
            JIT_SETS(s, s)


def test_tuple_of_the_wrong_size_is_a_value_error():
    entry = JIT_PAIR.overloads[JIT_PAIR.signatures[0]].entry_point
    with pytest.raises(ValueError, match=r"size mismatch for tuple, expected 2 element\(s\) "
                                         r"but got 3"):
        entry((4, 5, 6))
    with pytest.raises(TypeError, match="expected a tuple of 2 items"):
        entry([4, 5])
    assert entry((4, 5)) == 4
