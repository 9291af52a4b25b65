"""typed.List and typed.Dict arguments take the native dispatcher's path (issue 12, item 1): the
wrapper tests the object's class and its stored type by identity, so a call never re-types
the argument in Python, and a container of another type still reaches the Python fallback."""
import sys
import textwrap

import pytest

from jitbridge import njit, typed, types


@njit
def total(items):
    s = 0.0
    for x in items:
        s += x
    return s


@njit
def lookup(d, k):
    return d[k]


@njit
def append_one(items):
    items.append(1)
    return len(items)


def _refuse_fallback(dispatcher):
    """Make every call that leaves the native path fail (the native tp_call looks the
    fallback up on the instance)."""
    def fallback(*args, **kws):
        raise AssertionError("the call left the native path")
    dispatcher._fallback = fallback


def _int_list(*values):
    out = typed.List.empty_list(types.int64)
    for v in values:
        out.append(v)
    return out


def test_a_typed_list_argument_is_dispatched_natively():
    items = _int_list(1, 2, 3)
    assert total(items) == 6.0
    _refuse_fallback(total)
    try:
        assert total(items) == 6.0
        assert total(_int_list(4, 5)) == 9.0  # (another list of the same type)
        with pytest.raises(AssertionError, match="left the native path"):
            total(typed.List([1.5]))  # List(float64): the fallback compiles for it
    finally:
        del total._fallback
    assert total(typed.List([1.5, 2.0])) == 3.5
    assert len(total.overloads) == 2


def test_a_typed_dict_argument_is_dispatched_natively():
    d = typed.Dict.empty(types.int64, types.float64)
    d[3] = 1.25
    assert lookup(d, 3) == 1.25
    _refuse_fallback(lookup)
    try:
        d[4] = 2.5
        assert lookup(d, 4) == 2.5
        with pytest.raises(AssertionError, match="left the native path"):
            lookup({3: 1.25}, 3)  # (a plain dict is not a typed.Dict)
    finally:
        del lookup._fallback


def test_the_native_path_passes_the_list_itself():
    items = _int_list(7)
    append_one(items)
    _refuse_fallback(append_one)
    try:
        assert append_one(items) == 3
    finally:
        del append_one._fallback
    assert list(items) == [7, 1, 1]


def test_an_untyped_list_is_left_to_the_fallback():
    items = _int_list(1)
    total(items)
    with pytest.raises(Exception):  # (no item type: typeof refuses it, as before)
        total(typed.List())


def test_cached_functions_taking_typed_containers_store_and_load(tmp_path, monkeypatch):
    (tmp_path / "typed_args_cached_mod.py").write_text(textwrap.dedent("""
        from jitbridge import njit

        @njit(cache=True)
        def count(items, d):
            return len(items) + len(d)
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    import typed_args_cached_mod as mod
    items, d = _int_list(1, 2), typed.Dict.empty(types.int64, types.int64)
    assert mod.count(items, d) == 2
    [result] = mod.count.overloads.values()
    assert result.library.cache_blockers() == []
    again = njit(cache=True)(mod.count.py_func)
    d[1] = 1
    assert again(items, d) == 3
    assert sum(again.stats.cache_hits.values()) == 1
    _refuse_fallback(again)
    assert again(items, d) == 3  # (the loaded wrapper's test holds in this process)
    del mod, again
    sys.modules.pop("typed_args_cached_mod")
