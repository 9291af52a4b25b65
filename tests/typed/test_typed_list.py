"""jitbridge.typed.List (Numba's numba.typed.List): the Python-side sequence against CPython's
list, passing in and out of compiled code without copying (the very object comes back),
lists made in compiled code, nested item types, Numba's errors, no leaks."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import int32, njit, types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks
from jitbridge.typed import Dict, List


def _apply(target, ops):
    """Run the same mutations on a typed.List and a list; the results they give."""
    results = []
    for op, a, b in ops:
        if op == "append":
            target.append(a)
        elif op == "insert":
            target.insert(a, b)
        elif op == "pop" and len(target):
            results.append(target.pop(a % len(target)))
        elif op == "setitem" and len(target):
            target[a % len(target)] = b
        elif op == "delslice":
            del target[a:b]
        elif op == "extend":
            target.extend([a, b])
        elif op == "remove" and a in target:
            target.remove(a)
        elif op == "reverse":
            target.reverse()
        elif op == "sort":
            target.sort(reverse=bool(a % 2))
        results.append((len(target), target.count(a), a in target))
    return results


_ops = st.lists(st.tuples(
    st.sampled_from(["append", "insert", "pop", "setitem", "delslice", "extend", "remove",
                     "reverse", "sort"]),
    st.integers(-6, 6), st.integers(-6, 6)), max_size=25)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=1, max_size=8), _ops)
def test_mutations_match_python_list(initial, ops):
    typed, expected = List(initial), list(initial)
    assert _apply(typed, ops) == _apply(expected, ops)
    assert list(typed) == expected and typed == expected
    assert [typed[i] for i in range(-len(expected), len(expected))] == \
        [expected[i] for i in range(-len(expected), len(expected))]
    for sl in (slice(None), slice(1, None), slice(None, None, -1), slice(-3, 5, 2)):
        assert list(typed[sl]) == expected[sl]
        assert isinstance(typed[sl], List)


def test_protocol_and_errors():
    lst = List([3, 1, 2])
    assert (lst.index(1), lst.count(2), len(lst.copy()), repr(lst)) == \
        (1, 1, 3, "ListType[int64]([3, 1, 2])")
    assert str(lst) == "[3, 1, 2]" and bool(lst) and not bool(List())
    assert repr(List()) == "ListType[Undefined]([])"
    assert List([1, 2]) < List([1, 3]) and List([1]) != List([2]) and List([1]) == [1]
    with pytest.raises(IndexError):
        lst[7]
    with pytest.raises(ValueError):
        lst.remove(42)
    with pytest.raises(ValueError):
        lst.index(42)
    with pytest.raises(IndexError):
        List().pop()
    lst.clear()
    assert len(lst) == 0 and "x" not in lst
    with pytest.raises(TypeError, match="List\\(\\) argument must be iterable"):
        List(23)
    with pytest.raises(TypeError, match="at most 1 argument, got 2"):
        List((1,), (2,))
    with pytest.raises(TypeError, match="takes no keyword arguments"):
        List(iterable=(1,))
    with pytest.raises(RuntimeError, match="invalid operation on untyped list"):
        List()._dtype


def test_empty_list_types_and_allocation():
    lst = List.empty_list(int32, allocated=10)
    assert lst._dtype == int32 and lst._allocated() == 10 and len(lst) == 0
    lst.append(7)
    assert lst[0] == 7 and isinstance(lst[0], int)
    with pytest.raises(MemoryError):
        List.empty_list(types.int64, allocated=1 << 60)
    floats = List.empty_list(types.float64)
    floats.extend([1, 2.5])
    assert list(floats) == [1.0, 2.5]


@njit
def append_and_return(lst, value):
    lst.append(value)
    return lst


@njit
def make_lists(n):
    ints = List()
    strings = List.empty_list(types.unicode_type)
    nested = List()
    for i in range(n):
        ints.append(i)
        strings.append(str(i) * 2)
        inner = List()
        inner.append(float(i))
        nested.append(inner)
    return ints, strings, nested


def test_passing_in_and_out_keeps_the_object():
    lst = List([1, 2])
    with no_leaks(lst):
        back = append_and_return(lst, 3)
        assert back is lst and list(lst) == [1, 2, 3]
        del back


def test_made_in_compiled_code():
    with no_leaks():
        ints, strings, nested = make_lists(3)
        assert repr(ints) == "ListType[int64]([0, 1, 2])"
        assert list(strings) == ["00", "11", "22"]
        assert str(nested._numba_type_) == "ListType[ListType[float64]]"
        assert [list(x) for x in nested] == [[0.0], [1.0], [2.0]]
        inner = nested[1]
        inner.append(9.5)
        assert list(nested[1]) == [1.0, 9.5] and nested[1] is inner
        del ints, strings, nested, inner


@njit
def from_iterables():
    return List(range(3)), List((1.5, 2.5)), List([4, 5])


def test_list_from_iterable_in_compiled_code():
    a, b, c = from_iterables()
    assert (list(a), list(b), list(c)) == ([0, 1, 2], [1.5, 2.5], [4, 5])


@njit
def total_lengths(lists):
    s = 0
    for inner in lists:
        s += len(inner)
    return s


def test_item_kinds():
    with no_leaks():
        arrays = List([np.arange(3.0), np.ones(2)])
        assert [a.tolist() for a in arrays] == [[0.0, 1.0, 2.0], [1.0, 1.0]]
        tuples = List([(1, "a"), (2, "b\u00e9")])
        assert list(tuples) == [(1, "a"), (2, "b\u00e9")]
        nested = List([[1, 2], [3]])
        assert total_lengths(nested) == 3 and [list(x) for x in nested] == [[1, 2], [3]]
        d = Dict.empty(types.int64, types.float64)
        d[1] = 2.0
        dicts = List([d])
        assert dict(dicts[0]) == {1: 2.0}
        del arrays, tuples, nested, d, dicts


def test_strings_outlive_their_arguments():
    lst = List.empty_list(types.unicode_type)
    for i in range(50):
        lst.append("caf\u00e9 " + str(i))
    assert list(lst) == ["caf\u00e9 " + str(i) for i in range(50)]


@njit
def producer():
    lst = List()
    return lst


def test_errors_are_located():
    with pytest.raises(TypingError, match="imprecise type ListType\\[undefined\\]"):
        producer()

    @njit
    def bad():
        return List(23)
    with pytest.raises(TypingError, match="List\\(\\) argument must be iterable"):
        bad()


def test_no_leaks_over_many_calls():
    lst = List(["x", "y"])
    append_and_return(lst, "z")
    lst.pop()
    with no_leaks(lst):
        for _ in range(2000):
            append_and_return(lst, "w")
            lst.pop()
        ints, strings, nested = make_lists(5)
        del ints, strings, nested


@njit
def compare(a, b):
    return a < b, a <= b, a == b, a != b, a >= b, a > b


def test_comparisons_match_python_lists_and_numba_for_other_values():
    for a, b in (([], []), ([1], []), ([1, 2], [1, 3]), ([2], [1, 5]), ([1, 2], [1, 2])):
        assert compare(List.empty_list(types.int64) if not a else List(a),
                       List.empty_list(types.int64) if not b else List(b)) == \
            compare.py_func(a, b)
    assert compare(List([1]), 1) == (False,) * 6  # Numba's rule, `!=` included
    assert compare.py_func(List([1]), 1) == (False,) * 6


@njit
def frozen_then(op):
    lst = List()
    lst.append(1)
    lst.append(2)
    lst._make_immutable()
    if op == 0:
        lst.append(3)
    elif op == 1:
        lst[0] = 5
    elif op == 2:
        lst.pop()
    elif op == 3:
        lst.reverse()
    elif op == 4:
        lst.clear()
    return lst._is_mutable(), len(lst), lst[0]


def test_immutable_lists_refuse_every_change():
    for op in range(5):
        with pytest.raises(ValueError, match="list is immutable"):
            frozen_then(op)
    assert frozen_then(9) == (False, 2, 1)
    lst = List([3, 1])
    lst._make_immutable()
    with pytest.raises(ValueError, match="list is immutable"):
        lst.sort()
    assert not lst._is_mutable() and list(lst) == [3, 1]


@njit
def dtypes_and_scalars():
    ints, floats = List(), List()
    ints.append(int32(1))
    floats.append(2.5)
    return ints._dtype, floats._dtype, List(np.array(7))


def test_dtype_and_zero_d_arrays():
    int_dtype, float_dtype, single = dtypes_and_scalars()
    assert (int_dtype, float_dtype, list(single)) == (np.dtype("int32"), np.dtype("float64"), [7])
    assert int32(3) == np.int32(3) and type(int32(3)) is np.int32  # Numba's types cast values


def test_sort_with_python_key_functions():
    for key in (lambda x: -x, lambda x: (x % 3, -x), lambda x: 1 / (1 + x)):
        for reverse in (False, True):
            values = [5, 3, 9, 0, 3, 7]
            typed = List(values)
            typed.sort(key=key, reverse=reverse)
            assert list(typed) == sorted(values, key=key, reverse=reverse)


def test_mixed_tuples_are_refused_in_compiled_code():
    @njit
    def mixed():
        return List((1, 1.0))
    with pytest.raises(TypingError, match="List\\(\\) argument must be iterable"):
        mixed()


GLOBAL_TYPED_LIST = List.empty_list(types.int32)


def test_a_typed_container_global_is_refused_with_numbas_words_and_its_name():
    def read_global():
        return len(GLOBAL_TYPED_LIST)
    with pytest.raises(TypingError, match="The use of a ListType\\[int32\\] type, assigned to "
                       "variable 'GLOBAL_TYPED_LIST' in globals, is not supported"):
        njit(read_global)()
    captured = Dict.empty(types.int64, types.int64)
    with pytest.raises(TypingError, match="variable 'captured' in a closure"):
        njit(lambda: len(captured))()
