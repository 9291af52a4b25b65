"""List methods and list(): differential against CPython (hypothesis), reflection of the
changes into argument lists, CPython's errors, no leaks with reference-counted items."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

ints = st.lists(st.integers(-5, 5), min_size=1, max_size=12)  # [] has no item type
indices = st.integers(-15, 15)
few = settings(max_examples=60, deadline=None)


def py_extend_insert(xs, ys, i, v):
    xs.extend(ys)
    xs.extend(range(v))
    xs.extend(xs)
    xs.insert(i, v)
    return xs


def py_search(xs, v, start, stop):
    return xs.count(v), v in xs, xs.index(v, start, stop) if v in xs[start:stop] else -1


def py_reorder(xs, reverse):
    ys = xs.copy()
    ys.reverse()
    zs = list(xs)
    zs.sort(reverse=reverse)
    keyed = sorted(xs, key=lambda x: x % 3, reverse=reverse)
    return ys, zs, keyed, sorted(xs)


extend_insert = njit(py_extend_insert)
search = njit(py_search)
reorder = njit(py_reorder)


@few
@given(ints, ints, indices, st.integers(0, 4))
def test_extend_and_insert_reflect_like_cpython(xs, ys, i, v):
    mine = list(xs)
    assert extend_insert(mine, list(ys), i, v) == py_extend_insert(xs, ys, i, v)
    assert mine == xs  # the argument list was changed in place


@few
@given(ints, st.integers(-5, 5), indices, indices)
def test_count_contains_index(xs, v, start, stop):
    assert search(list(xs), v, start, stop) == py_search(xs, v, start, stop)


@few
@given(ints, st.booleans())
def test_sorting_is_stable_and_reversible(xs, reverse):
    assert reorder(list(xs), reverse) == py_reorder(list(xs), reverse)


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=20))
@few
def test_sort_floats(xs):
    assert reorder(list(xs), False) == py_reorder(list(xs), False)


def py_remove_pop_clear(xs, v):
    xs.remove(v)
    last = xs.pop() if xs else -1
    copy = xs.copy()
    xs.clear()
    return last, copy


remove_pop_clear = njit(py_remove_pop_clear)


def test_remove_pop_clear_and_errors():
    data = [3, 1, 4, 1, 5]
    assert remove_pop_clear(data, 1) == (5, [3, 4, 1])
    assert data == []
    data = [1, 2]
    with pytest.raises(ValueError, match=r"list.remove\(x\): x not in list"):
        remove_pop_clear(data, 7)
    assert data == [1, 2]
    index = njit(lambda xs, v, start: xs.index(v, start))
    assert index([1, 2, 1], 1, 1) == 2
    with pytest.raises(ValueError, match="not in list"):
        index([1, 2, 3], 1, 1)  # present, but before `start`


def test_index_bounds_must_be_integers():
    with pytest.raises(TypingError, match='arg "start" must be an Integer'):
        njit(lambda xs: xs.index(1, 1.5))([1, 2])


def py_constructors(n):
    a = list(range(n))
    b = list(np.arange(float(n)))
    c = list((n, n + 1))
    d = list(a)
    d.append(99)  # a copy
    e = []
    e.extend(enumerate(a))
    f = list()
    f.append(1.5)
    return a, b, c, d, e, f


constructors = njit(py_constructors)


@pytest.mark.parametrize("n", [0, 1, 5, 40])
def test_list_constructor(n):
    assert constructors(n) == py_constructors(n)


def py_churn(n):
    out = []
    for i in range(n):
        out.insert(0, np.arange(i))
    out.extend(out[:2])
    out.pop(1)
    out.reverse()
    out.sort(key=lambda a: -a.size)
    sizes = [a.size for a in out]
    out.clear()
    out.append(np.arange(2))
    return sizes, len(out)


churn = njit(py_churn)


def test_methods_on_lists_of_arrays_do_not_leak():
    assert churn(5) == py_churn(5)
    with no_leaks():
        for _ in range(100):
            churn(6)


def py_words(extra):
    words = ["a", "bc"]  # literal items: the list holds runtime strs, so any str joins it
    words.append("x")
    words.append(extra)
    word = "yz"
    words.insert(0, word)
    return words


def test_a_list_of_string_constants_takes_any_str():
    with no_leaks():
        assert njit(py_words)("é!") == py_words("é!")
