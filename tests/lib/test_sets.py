"""Sets in compiled code, differential against CPython's sets (hypothesis for the values)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

FAST = settings(max_examples=20, deadline=None)
small_ints = st.lists(st.integers(-40, 40), max_size=60)
words = st.lists(st.text(alphabet="ab\xe9\u03a3\U0001f600", max_size=3), max_size=30)


def algebra(a, b):
    sa, sb = set(a), set(b)
    return (sa | sb, sa & sb, sa - sb, sa ^ sb,
            sa.union(sb), sa.intersection(sb), sa.difference(sb),
            sa.symmetric_difference(sb), sa <= sb, sa < sb, sa >= sb, sa > sb,
            sa == sb, sa != sb, sa.issubset(sb), sa.issuperset(sb), sa.isdisjoint(sb),
            len(sa), len(sb))


def inplace(a, b):
    results = []
    for op in range(4):
        s, t = set(a), set(b)
        alias = s
        if op == 0:
            alias |= t
        elif op == 1:
            alias &= t
        elif op == 2:
            alias -= t
        else:
            alias ^= t
        results.append(s)
    u = set(a)
    u.intersection_update(set(b))
    v = set(a)
    v.difference_update(set(b))
    w = set(a)
    w.symmetric_difference_update(set(b))
    return results, u, v, w


def mutate(a, b):
    s = set()
    for x in a:
        s.add(x)
    found = [x in s for x in b]
    for x in b:
        s.discard(x)
    popped = []
    while len(s) > 3:
        popped.append(s.pop())
    c = s.copy()
    s.clear()
    return found, set(popped) | c, len(popped), len(s), bool(s), not c


def small_ops(a, b):
    s = set(a)
    return s | set(b), [x in s for x in b], len(s)


def literals(x):
    s = {x, 2, 3, x}
    comp = {i * i % 7 for i in range(20) if i != 3}
    return s, comp, {1, 2.5}


def remove_missing(a, x):
    s = set(a)
    s.remove(x)
    return len(s)


def reflect(s, t):
    s.add(42)
    s.update(t)
    return len(s)


def reflect_then_raise(s):
    s.add(-1)
    raise ZeroDivisionError


def identity(s):
    return s


def from_iterables(a, text):
    return set(a), set(text), set(range(5)), set((1, 2, 2))


def iterate(a):
    total = 0
    for x in set(a):
        total += x
    return total


def mixed_with_float(a):
    s = set(a)
    s.add(np.uint64(7))
    return s


def unsupported_union(s, t):
    return s.union(t)


def mixed_types(s, t):
    return s | t


jit_algebra, jit_inplace, jit_mutate = njit(algebra), njit(inplace), njit(mutate)
jit_literals, jit_remove, jit_small = njit(literals), njit(remove_missing), njit(small_ops)
jit_reflect, jit_raise, jit_identity = njit(reflect), njit(reflect_then_raise), njit(identity)
jit_from, jit_iterate, jit_mixed = njit(from_iterables), njit(iterate), njit(mixed_with_float)
jit_identity_set = njit(lambda a: set(a))


@given(small_ints, small_ints)
@FAST
def test_algebra_ints(a, b):
    assert jit_algebra(a or [0], b or [1]) == algebra(a or [0], b or [1])


@given(words.filter(bool), words.filter(bool))
@FAST
def test_string_keys(a, b):
    assert jit_small(a, b) == small_ops(a, b)


@given(small_ints.filter(bool), small_ints.filter(bool))
@FAST
def test_inplace_and_updates(a, b):
    assert jit_inplace(a, b) == inplace(a, b)


@given(st.lists(st.integers(-2**63, 2**63 - 1), min_size=1, max_size=300), small_ints.filter(bool))
@FAST
def test_mutation_past_resizes(a, b):
    assert jit_mutate(a, b) == mutate(a, b)


@given(st.lists(st.tuples(st.integers(-5, 5), st.floats(-3, 3)), min_size=1, max_size=40))
@FAST
def test_tuple_keys(a):
    assert jit_small(a, a[::2]) == small_ops(a, a[::2])


def test_float_keys_zero_and_nan():
    values = np.array([0.0, -0.0, 1.5, float("inf"), 2.0, 2.0, 5e-324, -1.0])
    assert jit_identity_set(values) == set(values.tolist())
    nans = jit_identity_set(np.array([float("nan")] * 3))
    assert len(nans) == 3 and all(map(math.isnan, nans))  # distinct NaNs stay distinct


def test_literals_and_comprehensions():
    assert jit_literals(5) == literals(5)


def test_constructors():
    assert jit_from([3, 1, 3], "abca") == from_iterables([3, 1, 3], "abca")
    assert jit_iterate(list(range(100)) * 2) == sum(range(100))
    assert njit(lambda: set())() == set()


def test_remove_missing_raises_keyerror():
    assert jit_remove([1, 2], 2) == 1
    with pytest.raises(KeyError):
        jit_remove([1, 2], 5)


def test_pop_empty_raises_keyerror():
    with pytest.raises(KeyError, match="pop from an empty set"):
        njit(lambda a: set(a[:0]).pop())(np.arange(3))


def test_reflection():
    s, t = {1, 2, 3}, {7, 8}
    assert jit_reflect(s, t) == 6
    assert s == {1, 2, 3, 7, 8, 42} and t == {7, 8}
    untouched = {12.5j}
    ids = [id(x) for x in untouched]
    njit(lambda s: len(s))(untouched)
    assert [id(x) for x in untouched] == ids


def test_reflection_on_exception():
    s = {1, 2, 3}
    with pytest.raises(ZeroDivisionError):
        jit_raise(s)
    assert s == {1, 2, 3, -1}


def test_return_boxes():
    s = {4, 5}
    assert jit_identity(s) is s
    made = jit_mixed([1, 2, 3])
    assert made == {1, 2, 3, 7} and type(made) is set


def test_heterogeneous_set_argument():
    with pytest.raises(TypeError, match="can't unbox heterogeneous set"):
        jit_identity({1, 2.5})


def test_typing_errors():
    # methods take any iterable of the set's items, as CPython's (Numba takes sets only)
    assert njit(unsupported_union)({1, 2}, (1, 5)) == {1, 2, 5}
    with pytest.raises(TypingError, match="all arguments must be sets or iterables of int64"):
        njit(unsupported_union)({1, 2}, 3)
    with pytest.raises(TypingError, match="All Sets must be of the same type"):
        njit(unsupported_union)({1, 2}, {"a"})
    with pytest.raises(TypingError, match="All Sets must be of the same type"):
        njit(mixed_types)({1, 2}, {"a"})


def test_sets_are_unhashable():
    with pytest.raises(TypeError, match="unhashable type"):
        njit(lambda s: hash(s))({1})


def test_no_leaks():
    a, b, words_ = [1, 2, 3, 4], [3, 4, 5], ["x", "y", "zz"]
    jit_algebra(a, b), jit_inplace(a, b), jit_mutate(a, b), jit_small(words_, ["y", "q"])
    with no_leaks(a, b, words_):
        for _ in range(50):
            jit_algebra(a, b)
            jit_inplace(a, b)
            jit_mutate(a, b)
            jit_small(words_, ["y", "q"])
            with pytest.raises(KeyError):
                jit_remove(a, 9)


def test_colliding_hashes():
    # hash(-1) == hash(-2) == -2 (also the table's DELETED marker); 0, P and 2P hash to 0
    keys = [-1, -2, 2**61 - 1, 0, 2 * (2**61 - 1), 2**61, 1]
    assert jit_mutate(keys, [-1, 0, 5, 2**61]) == mutate(keys, [-1, 0, 5, 2**61])
