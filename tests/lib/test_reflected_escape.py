"""A Python list or set argument that outlives the call (stored in a typed dict or list, held by
a generator) never keeps a dangling pointer to its Python object: the values read back are the
ones stored, and a generator writes its changes back as CPython's would."""
import gc
import sys

import pytest

from jitbridge import njit, types
from jitbridge.testing import no_leaks
from jitbridge.typed import Dict, List


@njit
def store(d, key, values):
    d[key] = values
    values.append(7)  # (seen through the dict during the call, as in CPython)


def mutating(lst):
    for i in range(3):
        lst.append(i)
        yield lst


def mutating_set(seen):
    for i in range(3):
        seen.add(i)
        yield len(seen)


def length_of(lst):
    yield len(lst)
    yield len(lst)


jit_mutating, jit_length_of = njit(mutating), njit(length_of)
jit_mutating_set = njit(mutating_set)


def churn():
    """Reuse freed memory, so that a dangling pointer would read something else."""
    gc.collect()
    return [(i, [i] * 3) for i in range(200)]


@pytest.mark.slow
def test_python_list_stored_in_a_typed_dict_from_python():
    d = Dict.empty(types.int64, types.List(types.int64))
    d[1] = [1, 2]
    junk = churn()
    assert d[1] == [1, 2] and type(d[1]) is list
    assert junk


@pytest.mark.slow
def test_python_set_stored_in_a_typed_dict_from_python():
    d = Dict.empty(types.int64, types.Set(types.int64))
    d[2] = {4, 5}
    junk = churn()
    assert d[2] == {4, 5}
    assert junk


@pytest.mark.slow
def test_python_list_stored_in_a_typed_list():
    tl = List.empty_list(types.List(types.int64))
    tl.append([3, 4])
    junk = churn()
    assert list(tl) == [[3, 4]]
    assert junk


def test_list_argument_stored_by_compiled_code():
    d = Dict.empty(types.int64, types.List(types.int64))
    values = [1]
    store(d, 1, values)
    junk = churn()
    assert values == [1, 7] and d[1] == [1, 7]
    assert junk


def test_generator_yields_its_list_argument_and_writes_changes_back():
    def run(impl):
        lst = [-1]
        return [(item is lst, list(lst)) for item in impl(lst)]
    assert run(jit_mutating) == run(mutating)


@pytest.mark.slow
def test_generator_writes_set_changes_back():
    def run(impl):
        seen = {-1}
        return [(size, sorted(seen)) for size in impl(seen)]
    assert run(jit_mutating_set) == run(mutating_set)


def test_generator_keeps_a_temporary_list_argument_alive():
    gen = jit_length_of([1, 2, 3])
    junk = churn()
    assert list(gen) == [3, 3]
    assert junk


def test_generator_list_argument_references_released():
    lst = [1, 2, 3]
    list(jit_length_of(lst))
    before = sys.getrefcount(lst)
    with no_leaks():
        for _ in range(200):
            list(jit_length_of(lst))
            unfinished = jit_length_of(lst)
            next(unfinished)
            del unfinished
    assert sys.getrefcount(lst) == before
