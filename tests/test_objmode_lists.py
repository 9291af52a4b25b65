"""Lists mutated inside objmode blocks: the block works on a Python list, and the compiled
code after it must see every change (as for reflected list arguments), differential against
the same function run by Python. Arrays are shared with the block, so their changes are seen
directly."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, objmode
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

MUTATIONS = []  # what the blocks below do, set by each test


def apply_mutations(lst):
    for name, value in MUTATIONS:
        if name == "setitem":
            lst[value % len(lst) if lst else 0] = value
        elif name == "append":
            lst.append(value)
        elif name == "pop":
            lst.pop()
        elif name == "pop0":
            lst.pop(0)
        elif name == "clear":
            lst.clear()
        elif name == "extend":
            lst.extend([value, value + 1])


@njit
def mutate_argument(lst):
    lst.append(7)  # a change made by compiled code before the block
    with objmode():
        apply_mutations(lst)
    lst.append(-1)
    return len(lst), lst[0]


@njit
def mutate_local(first):
    y = [first, 2, 3]
    alias = y
    with objmode():
        apply_mutations(y)
    y.append(4)
    return alias


@njit
def mutate_through_two_names(lst):
    alias = lst
    with objmode():
        alias.append(5)
        lst.append(6)
    return lst


@njit
def create_then_mutate():
    with objmode(y="List(int64)"):
        y = [1, 2, 3]
    with objmode():
        y[2] = 10
    return y


@njit
def create_then_mutate_array():
    with objmode(y="int64[:]"):
        y = np.asarray([1, 2, 3], dtype=np.int64)
    with objmode():
        y[2] = 10  # not an output: the block shares the array's memory
    return y


@njit
def list_of_arrays(lst):
    with objmode():
        lst[0][0] = 5.0
        lst.append(np.zeros(2))
    return lst


@njit
def unknown_item_type():
    y = []
    with objmode():
        y.append(1)
    return y


def outcome(func, *args):
    try:
        return func(*args)
    except Exception as exc:  # noqa: BLE001 - the kind of error is what is compared
        return type(exc)


small = st.integers(-2**40, 2**40)
mutation = st.tuples(st.sampled_from(["setitem", "append", "pop", "pop0", "clear", "extend"]),
                     small)


@settings(max_examples=60, deadline=None)
@given(st.lists(small, min_size=1, max_size=5), st.lists(mutation, max_size=6))  # [] has no type
def test_argument_list_mutations_are_seen_like_python(items, mutations):
    MUTATIONS[:] = mutations
    expected_list, got_list = list(items), list(items)
    assert outcome(mutate_argument, got_list) == outcome(mutate_argument.py_func, expected_list)
    assert got_list == expected_list


@settings(max_examples=40, deadline=None)
@given(small, st.lists(mutation, max_size=6))
def test_local_list_mutations_are_seen_like_python(first, mutations):
    MUTATIONS[:] = mutations
    assert outcome(mutate_local, first) == outcome(mutate_local.py_func, first)


@pytest.mark.parametrize("bad, error", [(2.5, TypeError), ("text", TypeError),
                                        (2**70, OverflowError)])
@pytest.mark.parametrize("how", ["append", "setitem", "extend"])
def test_wrong_item_type_names_the_variable(bad, error, how):
    MUTATIONS[:] = [(how, 0)]
    MUTATIONS.append(("append", bad))
    with no_leaks():
        with pytest.raises(error, match=r"objmode block at .*list 'lst' .*int64"):
            mutate_argument([1, 2])


def test_create_and_mutate_across_blocks():
    assert create_then_mutate() == [1, 2, 10]
    np.testing.assert_array_equal(create_then_mutate_array(), [1, 2, 10])


def test_one_list_under_two_names_is_one_python_list():
    lst = [1]
    assert mutate_through_two_names(lst) == [1, 5, 6]
    assert lst == [1, 5, 6]


def test_list_of_arrays_shares_and_reflects():
    first = np.ones(2)
    got = list_of_arrays([first])
    assert first[0] == 5.0 and len(got) == 2
    np.testing.assert_array_equal(got[1], [0.0, 0.0])


def test_list_without_item_type_is_refused():
    with pytest.raises(TypingError, match="list 'y' .* no known item type"):
        unknown_item_type()


def test_mutations_leak_nothing():
    MUTATIONS[:] = [("append", 3), ("pop0", 0), ("setitem", 1), ("extend", 9)]
    first = np.ones(2)
    mutate_argument([1, 2])  # compile outside the check
    list_of_arrays([np.ones(2)])
    with no_leaks(first):
        mutate_argument([1, 2])
        mutate_local(1)
        create_then_mutate()
        create_then_mutate_array()
        mutate_through_two_names([1])
        list_of_arrays([first])
