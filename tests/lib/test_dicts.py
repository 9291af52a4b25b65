"""dicts in compiled code: differential against CPython (hypothesis: insertion and deletion
order, resizing, collisions, str keys with non-ASCII and astral characters), literals and
comprehensions, `{}` typed by later inserts, views, CPython's errors, Numba's typing errors,
no leaks (also when a KeyError leaves a live dict)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

few = settings(max_examples=20, deadline=None)
SET, DELETE, POP, SETDEFAULT, POPITEM = range(5)
programs = st.lists(st.tuples(st.integers(0, 4), st.integers(-40, 40), st.integers(-9, 9)),
                    min_size=1, max_size=150)


def py_run(program):
    """Apply (op, key, value) steps to an int dict; return it and what the steps returned."""
    d = {}
    out = []
    for op, key, value in program:
        if op == SET:
            d[key] = value
        elif op == DELETE:
            if key in d:
                del d[key]
        elif op == POP:
            out.append(d.pop(key, -100))
        elif op == SETDEFAULT:
            out.append(d.setdefault(key, value))
        elif len(d):
            out.append(d.popitem()[0])
    return d, out


def py_word_count(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


def py_views(n):
    d = {}
    for i in range(n):
        d[i * 7 % n] = float(i)
    for i in range(0, n, 4):
        del d[i]
    d[0] = 0.5
    keys = [k for k in d.keys()]
    values = [v for v in d.values()]
    items = [kv for kv in d.items()]
    return keys, values, items, len(d.keys()), len(d.items()), 3 in d.keys(), [k for k in d]


def py_grow_and_shrink(n):
    d = {}
    for i in range(n):
        d[i * 7919 % n] = float(i)
    for i in range(0, n, 3):
        del d[i]
    for i in range(0, n, 6):
        d[i] = -1.0
    return d


run = njit(py_run)
word_count = njit(py_word_count)
views = njit(py_views)
grow_and_shrink = njit(py_grow_and_shrink)


def items(d):
    return list(d.items())


@few
@given(programs)
def test_operations_keep_cpython_order(program):
    expected, expected_out = py_run(program)
    got, got_out = run(program)
    assert items(got) == items(expected)
    assert got_out == expected_out and len(got) == len(expected)


@few
@given(st.lists(st.text(alphabet="ab\xe9\u0101\U0001f600", max_size=3), min_size=1,
                max_size=40))
def test_str_keys_of_every_kind(words):
    assert items(word_count(words)) == items(py_word_count(words))


def test_resizing_deletion_and_reinsertion_order():
    for n in (1, 7, 100, 3000):
        assert items(grow_and_shrink(n)) == items(py_grow_and_shrink(n))


def test_views_and_iteration():
    for n in (1, 5, 50):
        assert views(n) == py_views(n)


# -- literals, comprehensions, refinement --------------------------------------------------

@njit
def literals(x):
    empty = {}
    empty["k"] = x
    mixed = {1: 2.5, 2: 3}            # values unify to float64
    nested = {"a": {1: "x"}, "b": {}}
    nested["b"][5] = "y"
    return empty, mixed, nested


@njit
def comprehension(n):
    return {i: str(i) * 2 for i in range(n) if i % 3}, {k: [len(v)] for k, v in {1: "ab"}.items()}


def test_literals_and_refinement():
    empty, mixed, nested = literals(7)
    assert items(empty) == [("k", 7)]
    assert items(mixed) == [(1, 2.5), (2, 3.0)] and isinstance(mixed[2], float)
    assert {k: dict(v) for k, v in nested.items()} == {"a": {1: "x"}, "b": {5: "y"}}


def test_comprehension():
    got, small = comprehension(10)
    assert items(got) == items(comprehension.py_func(10)[0]) and items(small) == [(1, [2])]


@njit
def float_and_tuple_keys():
    d = {0.0: "zero", 1.5: "x"}
    d[-0.0] = "minus"                 # the same key as 0.0, as in CPython
    t = {(1, 2.0): 1}
    t[(1, 2)] = 5                     # converted to the key type (int64, float64)
    return d, t


def test_float_and_tuple_keys():
    d, t = float_and_tuple_keys()
    assert items(d) == [(0.0, "minus"), (1.5, "x")] and items(t) == [((1, 2.0), 5)]


@njit
def methods(n):
    a = {i: i * i for i in range(n)}
    b = a.copy()
    c = dict(a)
    b[0] = -1
    a.update({100: 7, 1: 8})
    e = {1: 1}
    e.clear()
    return a == c, b != c, c == dict(c), len(e), a.get(100), a.get(-5), a.get(-5, 3), \
        bool(e), bool(a), 100 in a, -5 in a


def test_methods_match_cpython():
    assert methods(6) == methods.py_func(6)


# -- errors ------------------------------------------------------------------------------------

@njit
def getitem(d, key):
    return d[key]


@njit
def raises_with_live_dict(key):
    d = {"a": np.arange(3), "b": np.arange(2)}
    s = {"z": "text" * 3}
    return d[key], s


@njit
def popitem_empty():
    d = {1: 2}
    d.popitem()
    return d.popitem()


@njit
def delete(key):
    d = {"a": 1}
    del d[key]
    return d


def test_key_error_names_the_key_as_cpython():
    with pytest.raises(KeyError) as info:
        raises_with_live_dict("q")
    assert str(info.value) == "'q'"
    with pytest.raises(KeyError, match="dictionary is empty"):
        popitem_empty()
    with pytest.raises(KeyError) as info:
        delete("x")
    assert info.value.args == ("x",)


def test_no_leaks_including_exception_paths():
    raises_with_live_dict("a")
    record(False)
    word_count(["x", "y"])
    with no_leaks():
        for _ in range(50):
            arr, strings = raises_with_live_dict("a")
            del arr, strings
            with pytest.raises(KeyError):
                raises_with_live_dict("q")
            word_count(["\xe9", "b", "\xe9"] * 10)
            literals(3)
            record(False)


@njit
def float_key_into_int_dict():
    d = {1: 2}
    d[1.5] = 3
    return d


@njit
def none_key():
    return {None: 1}


@njit
def never_typed():
    return {}


@njit
def mixed_values():
    return {1: "a", 2: 1j}


@pytest.mark.parametrize("func, message", [
    (float_key_into_int_dict, "cannot safely cast float64 to int64"),
    (none_key, "Dict.key_type cannot be of type none"),
    (never_typed, "imprecise type"),
    (mixed_values, "dict values have incompatible types"),
])
def test_typing_errors_as_numba(func, message):
    with pytest.raises(TypingError, match=message):
        func()


def test_python_dict_argument_is_refused_naming_it():
    with pytest.raises(TypingError, match=r"argument (0 \()?'d'"):
        getitem({1: 2}, 1)


# -- displays of constant string keys and values of different types (LiteralStrKeyDict) --------

@njit
def record(flag):
    ld = {"a": 1, "b": 2j, "c": "text", "a": flag}   # noqa: F601 (CPython: last value wins)
    return ld["a"], ld["b"], len(ld), "c" in ld, "z" in ld, ld.keys(), ld.items()


@njit
def record_setitem():
    ld = {"a": 1, "b": "x"}
    ld["a"] = 2


@njit
def record_returned():
    return {"a": 1, "b": "x"}


def test_literal_str_key_dict():
    assert record(True) == (True, 2j, 3, True, False, ("a", "b", "c"),
                            (("a", True), ("b", 2j), ("c", "text")))
    with pytest.raises(TypingError, match="Cannot mutate a literal dictionary"):
        record_setitem()
    with pytest.raises(TypeError, match="cannot convert native LiteralStrKey"):
        record_returned()
