"""frozenset in compiled code and the set methods taking iterables, differential against
CPython: construction, the read-only algebra (result kind of the left operand), CPython's hash
(dict keys), the boundary (an unchanged argument comes back as the same object), refused
mutation, no leaks."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

FAST = settings(max_examples=30, deadline=None)
INTS = st.lists(st.integers(-5, 2 ** 62), min_size=1, max_size=12)


@njit
def algebra(items, s, fs):
    made = frozenset(items)
    out = (made, made | fs, made & fs, made - fs, made ^ fs, s | made, made | s, s & made,
           made & s, made == fs, made <= fs, made < fs, len(made), 3 in made, made.copy(),
           made.union(items, s), made.isdisjoint(s))
    made |= s
    return out, made


@njit
def hash_of(items):
    return hash(frozenset(items))


@njit
def hash_text(items):
    return hash(frozenset(items))


@njit
def as_keys(a, b):
    d = {a: 1}
    d[b] = 2
    return d[frozenset([x for x in a])], len(d)


@njit
def identity(fs):
    return fs


def python_algebra(items, s, fs):
    made = frozenset(items)
    out = (made, made | fs, made & fs, made - fs, made ^ fs, s | made, made | s, s & made,
           made & s, made == fs, made <= fs, made < fs, len(made), 3 in made, made.copy(),
           made.union(items, s), made.isdisjoint(s))
    made |= s
    return out, made


@njit
def algebra_small(items, s, fs):
    made = frozenset(items)
    out = (made | fs, made - fs, s & made, made & s, made == fs, made.union(items))
    made |= s
    return out, made


def test_algebra_and_kinds():
    items, s, fs = [1, 2, 3, 2 ** 62], {3, 4}, frozenset({2, 3, 9})
    made = frozenset(items)
    got = algebra_small(items, s, fs)
    assert got == ((made | fs, made - fs, s & made, made & s, made == fs, made.union(items)),
                   made | s)
    assert [type(v) for v in got[0][:4]] == [frozenset, frozenset, set, frozenset]
    assert type(got[1]) is frozenset


@pytest.mark.slow
@given(INTS, INTS, INTS)
@FAST
def test_algebra_and_kinds_all(items, s, fs):
    s, fs = set(s), frozenset(fs)
    got, expected = algebra(items, s, fs), python_algebra(items, s, fs)
    assert got == expected
    assert [type(v) for v in got[0]] == [type(v) for v in expected[0]]
    assert type(got[1]) is frozenset


@given(st.lists(st.integers(-2 ** 63, 2 ** 63 - 1), min_size=1, max_size=20))
@FAST
def test_hash_as_cpython(items):
    assert hash_of(items + [-1, -2, -3]) == hash(frozenset(items + [-1, -2, -3]))


@given(st.lists(st.text(max_size=4), min_size=1, max_size=8))
@FAST
def test_hash_of_strings(items):
    assert hash_text(items) == hash(frozenset(items))


def test_dict_keys_and_boundary():
    a, b = frozenset({1, 2, 3}), frozenset({4})
    assert as_keys(a, b) == (1, 2)
    assert identity(a) is a
    with no_leaks(a, b):
        for _ in range(100):
            as_keys(a, b)
            identity(a)


def test_empty_and_refused_mutation():
    assert njit(lambda: frozenset())() == frozenset()
    for call in ("add(1)", "remove(1)", "discard(1)", "pop()", "clear()", "update([1])",
                 "intersection_update({1})"):
        with pytest.raises(TypingError, match="'frozenset' object has no attribute"):
            njit(eval(f"lambda fs: fs.{call}"))(frozenset({1}))


@njit
def set_methods_small(s, items):
    t = s.copy()
    t.difference_update(items, (7,))
    return s.union(items, (7, 8)), s.issubset(items), t


def test_set_methods_take_iterables():
    s, items = {1, 2, 3, 7}, [2, 5]
    t = s.copy()
    t.difference_update(items, (7,))
    assert set_methods_small(s, items) == (s.union(items, (7, 8)), s.issubset(items), t)


@njit
def set_methods(s, items):
    t, u = s.copy(), s.copy()
    t.intersection_update(items, (1, 2))
    u.difference_update(items, [7])
    return (s.union(), s.union(items, (7, 8)), s.intersection(items, range(4)),
            s.difference(items, [1]), s.symmetric_difference(items), s.issubset(items),
            s.issuperset(items[:1]), s.isdisjoint(items), t, u)


@pytest.mark.slow
@given(INTS, INTS)
@FAST
def test_set_methods_take_iterables_all(s, items):
    s = set(s)
    t, u = s.copy(), s.copy()
    t.intersection_update(items, (1, 2))
    u.difference_update(items, [7])
    assert set_methods(s, items) == (
        s.union(), s.union(items, (7, 8)), s.intersection(items, range(4)),
        s.difference(items, [1]), s.symmetric_difference(items), s.issubset(items),
        s.issuperset(items[:1]), s.isdisjoint(items), t, u)
