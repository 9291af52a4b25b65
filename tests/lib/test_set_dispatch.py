"""Set and frozenset arguments are matched by the native dispatcher (class and first item),
not re-typed by the Python fallback on every call; other element types still specialise."""
import pytest

from jitbridge import njit


@njit
def size_and_total(s):
    total = 0.0
    for x in s:
        total += x
    return len(s), total


def _forbid_fallback(monkeypatch):
    def no_fallback(*args, **kws):
        raise AssertionError("the Python fallback ran")
    monkeypatch.setattr(size_and_total, "_fallback", no_fallback)


@pytest.mark.parametrize("value", [{1, 2, 3}, frozenset({1.5, 2.5}), {True}])
def test_a_known_set_type_takes_the_native_path(value, monkeypatch):
    expected = (len(value), float(sum(value)))
    assert size_and_total(value) == expected
    _forbid_fallback(monkeypatch)
    assert size_and_total(value) == expected
    assert size_and_total(type(value)(list(value)[:1])) == (1, float(list(value)[0]))


def test_a_set_of_another_item_type_or_class_gets_its_own_specialisation():
    size_and_total({1, 2})
    before = len(size_and_total.overloads)
    assert size_and_total({1.0, 2.5}) == (2, 3.5)  # float items
    assert size_and_total(frozenset({1, 2})) == (2, 3.0)  # a frozenset is no set
    assert len(size_and_total.overloads) == before + 2


def test_mixed_items_are_still_refused():
    size_and_total({1, 2})
    with pytest.raises(TypeError, match="heterogeneous set"):
        size_and_total({1, 2.5})
