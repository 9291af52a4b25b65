"""Optional operands: == / != with None on some paths (CPython's results, never an error),
str methods taking Optional bounds and chars; and complex // % refused in typing."""
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import errors, njit, types
from jitbridge.testing import no_leaks


@njit
def compare(p1, p2, s):
    a = s if p1 > 0 else None
    b = s + "!" if p2 > 1 else (s if p2 > 0 else None)
    return a == b, a != b, a == s, s != b, a == None, None == b  # noqa: E711


@njit
def compare_numbers(p):
    x = 3 if p > 0 else None
    y = 3.0 if p > 1 else None
    return x == y, x == 3, x != 3


_OPT_INT = types.Optional(types.int64)
_OPT_STR = types.Optional(types.unicode_type)


@njit([types.int64(types.unicode_type, types.unicode_type, _OPT_INT, _OPT_INT)])
def count(x, y, start, end):
    return x.count(y, start, end)


@njit([types.unicode_type(types.unicode_type, _OPT_STR)])
def strip(x, chars):
    return x.strip(chars)


@njit([types.unicode_type(types.unicode_type, _OPT_STR)])
def rstrip(x, chars):
    return x.rstrip(chars)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2), st.integers(0, 2), st.text(max_size=4))
def test_optional_equality_matches_python(p1, p2, s):
    assert compare(p1, p2, s) == compare.py_func(p1, p2, s)


def test_optional_number_equality():
    for p in (0, 1, 2):
        assert compare_numbers(p) == compare_numbers.py_func(p)


_text = st.text(alphabet="ab \u00e9\U0001f600\u2009", max_size=8)
_bound = st.none() | st.integers(-10, 10)


@settings(max_examples=40, deadline=None)
@given(_text, st.sampled_from(["a", "\u00e9", "", "b\U0001f600"]), _bound, _bound)
def test_count_with_optional_bounds(s, sub, start, end):
    assert count(s, sub, start, end) == s.count(sub, start, end)


@settings(max_examples=40, deadline=None)
@given(_text, st.none() | st.sampled_from(["a", " ", "\U0001f600a"]))
def test_strip_with_optional_chars(s, chars):
    assert strip(s, chars) == s.strip(chars)
    assert rstrip(s, chars) == s.rstrip(chars)


def test_no_leaks():
    s = "x\u00e9\U0001f600"
    compare(1, 1, s), compare(0, 2, s), strip(s, None), strip(s, "x")  # (compiled first)
    with no_leaks(s):
        for _ in range(1000):
            compare(1, 1, s)
            compare(0, 2, s)
            strip(s, None)
            strip(s, "x")


def test_bad_optional_bound_type_is_refused():
    bad = types.int64(types.unicode_type, types.unicode_type, types.Optional(types.float64),
                      types.Optional(types.float64))
    with pytest.raises(errors.TypingError, match="slice indices must be an Integer or None"):
        njit([bad])(count.py_func)


def _mod(x, y):
    return x % y


def _floordiv(x, y):
    return x // y


@pytest.mark.parametrize("func", [_mod, _floordiv])
def test_complex_floor_operations_are_typing_errors(func):
    with pytest.raises(errors.TypingError, match="not supported between complex"):
        njit((types.complex128, types.complex128))(func)
    assert njit(func)(7.5, 2) == func(7.5, 2)


@njit([types.Tuple((types.int64, types.int64, types.boolean))(
    types.unicode_type, types.unicode_type, _OPT_INT, _OPT_INT)])
def searches(x, y, start, end):
    return x.find(y, start, end), x.rfind(y, start, end), x.startswith(y, start, end)


@pytest.mark.parametrize("start,end", [(None, None), (1, None), (None, 3), (-4, -1)])
def test_search_methods_with_optional_bounds(start, end):
    s, sub = "ab\u00e9ab\u00e9", "b\u00e9"
    assert searches(s, sub, start, end) == (s.find(sub, start, end), s.rfind(sub, start, end),
                                            s.startswith(sub, start, end))
