"""dict.update() and `|=` with every source CPython takes (dicts, iterables of pairs, keywords),
`{}` refined by update()/setdefault(), dicts of None values (dict.fromkeys(keys)); differential
against CPython, no leaks."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit, typed, types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

FAST = settings(max_examples=25, deadline=None)
PAIRS = st.lists(st.tuples(st.integers(-30, 30), st.floats(allow_nan=False)), min_size=1,
                 max_size=30)


def as_dict(d):
    return {k: as_dict(v) if isinstance(v, typed.Dict) else v for k, v in d.items()}


def updates(pairs):
    a = {0: -1.0}
    a.update(pairs)
    b = {0: -1.0}
    b.update(zip([k for k, _ in pairs], [v for _, v in pairs]))
    c = {0: -1.0}
    c |= pairs
    d = {0: -1.0}
    d.update((k, v * 2) for k, v in pairs)
    return a, b, c, d


def keywords(x):
    d = {"a": 0.5}
    d.update(b=x, c=2)
    e = {"z": 1.0}
    e.update({"y": x}, a=3.0)
    e.update()
    return d, e


def refined_by_update(pairs):
    d = {}
    d.update(pairs)
    return len(d), [k in d for k, _ in pairs], [d[k] for k, _ in pairs], d


def refined_by_keywords(x):
    d = {}
    d.update(a=x, b=2 * x)
    return d, d["b"]


def refined_by_setdefault(k):
    d = {}
    first = d.setdefault(k, 2.5)
    return first, k in d, d[k], len(d)


def refined_by_ior(pairs):
    d = {}
    d |= pairs
    return len(d), d


def none_values(keys):
    d = dict.fromkeys(keys)
    d[99] = None
    found = [d[k] is None for k in keys]
    first = d.pop(keys[0])
    return found, first, len(d), 99 in d, d.get(-1), d.setdefault(7), list(d.items()), d


JIT = {f: njit(f) for f in (updates, keywords, refined_by_update, refined_by_keywords,
                            refined_by_setdefault, refined_by_ior, none_values)}


def same(got, expected):
    got = tuple(as_dict(g) if isinstance(g, typed.Dict) else g for g in got)
    assert got == expected


@pytest.mark.slow
@FAST
@given(PAIRS)
def test_update_from_iterables_of_pairs_matches_python(pairs):
    same(JIT[updates](pairs), updates(pairs))


def test_update_with_keywords_matches_python():
    same(JIT[keywords](1.25), keywords(1.25))


def test_empty_dict_refined_by_update_sees_its_items():
    pairs = [(3, 1.5), (-2, 0.25), (3, 4.0)]
    same(JIT[refined_by_update](pairs), refined_by_update(pairs))


@pytest.mark.slow
@FAST
@given(PAIRS)
def test_empty_dict_refined_by_update_or_ior_sees_its_items(pairs):
    same(JIT[refined_by_update](pairs), refined_by_update(pairs))
    same(JIT[refined_by_ior](pairs), refined_by_ior(pairs))


@pytest.mark.slow
def test_empty_dict_refined_by_keywords_and_setdefault():
    same(JIT[refined_by_keywords](3), refined_by_keywords(3))
    assert JIT[refined_by_setdefault](4) == refined_by_setdefault(4)


def test_dict_of_none_values():
    same(JIT[none_values]([3, 1, 3, 5]), none_values([3, 1, 3, 5]))
    d = typed.Dict.empty(types.int64, types.none)
    d[1] = None
    assert (len(d), d[1], 1 in d) == (1, None, True)


def test_update_errors_are_located():
    @njit
    def key_type(d):
        d.update(a=1)

    @njit
    def not_iterable(x):
        d = {1: 2}
        d.update(x)

    @njit
    def two_positionals():
        d = {1: 2}
        d.update([(1, 2)], [(3, 4)])
    with pytest.raises(TypingError, match="cannot safely cast unicode_type to int64") as e:
        key_type(typed.Dict.empty(types.int64, types.int64))
    assert "d.update(a=1)" in str(e.value)
    with pytest.raises(TypingError, match="cannot iterate over a value of type int64"):
        not_iterable(5)
    with pytest.raises(TypingError, match="at most 1 positional argument"):
        two_positionals()


def test_unhashable_keys_refused_from_python_too():
    for key in (types.List(types.int64), types.Set(types.int64)):
        with pytest.raises(TypingError, match=re.escape(f"{key} as key is forbidden")):
            typed.Dict.empty(key, types.int64)


def test_typed_dict_of_a_mapping_is_refused_with_numbas_words():
    @njit
    def ctor():
        return typed.Dict({1: 2})
    with pytest.raises(TypingError, match="No implementation of function Dict"):
        ctor()


def test_updates_release_everything():
    pairs = [(i, i * 0.5) for i in range(50)]
    JIT[refined_by_update](pairs)
    JIT[none_values]([1, 2])
    with no_leaks(pairs):
        for _ in range(50):
            JIT[refined_by_update](pairs)
            JIT[keywords](0.5)
            JIT[none_values]([1, 2])
