"""dict `|`, `|=` and dict.fromkeys, differential against CPython; no leaks."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit, typed, types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

FAST = settings(max_examples=30, deadline=None)
PAIRS = st.lists(st.tuples(st.integers(-20, 20), st.floats(allow_nan=False)), max_size=40)


@njit
def unions(a_pairs, b_pairs):
    a, b = {0: 0.0}, {0: 0.0}
    a.clear()
    b.clear()
    for k, v in a_pairs:
        a[k] = v
    for k, v in b_pairs:
        b[k] = v
    merged = a | b
    a |= b
    return merged, a, b


@njit
def fromkeys(keys, text):
    return dict.fromkeys(keys, 1.5), dict.fromkeys(text, 0), dict.fromkeys((3, 1, 3), "x")


def as_dict(d):
    return dict(d.items())


@given(PAIRS, PAIRS)
@FAST
def test_union_and_inplace_union(a_pairs, b_pairs):
    a, b = dict(a_pairs), dict(b_pairs)
    merged, updated, other = unions(a_pairs or [(0, 0.0)], b_pairs or [(0, 0.0)])
    a, b = dict(a_pairs or [(0, 0.0)]), dict(b_pairs or [(0, 0.0)])
    assert list(as_dict(merged).items()) == list((a | b).items())
    a |= b
    assert list(as_dict(updated).items()) == list(a.items())
    assert as_dict(other) == b


@given(st.lists(st.integers(-5, 5), min_size=1), st.text(max_size=10))
@FAST
def test_fromkeys(keys, text):
    got = fromkeys(keys, text)
    expected = (dict.fromkeys(keys, 1.5), dict.fromkeys(text, 0), dict.fromkeys((3, 1, 3), "x"))
    assert [list(as_dict(g).items()) for g in got] == [list(e.items()) for e in expected]


def test_typed_dicts_from_python_and_no_leaks():
    @njit
    def union(a, b):
        return a | b
    a = typed.Dict.empty(key_type=types.unicode_type, value_type=types.int64)
    b = typed.Dict.empty(key_type=types.unicode_type, value_type=types.int64)
    a["x"], b["y"], b["x"] = 1, 2, 3
    assert as_dict(union(a, b)) == {"x": 3, "y": 2}
    with no_leaks(a, b):
        for _ in range(100):
            union(a, b)


def test_errors():
    @njit
    def with_int(n):
        d = {1: 2}
        return d | n
    with pytest.raises(TypingError):
        with_int(1)
