"""Strings in compiled code: round trips of every kind, operators, hash; differential against
CPython with hypothesis (non-ASCII and astral text); no leaks."""
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

SAMPLES = ["", "abc", "d\xe9f", "\u0100\u0101x", "x\U0001f600y", "a" * 100]
text = st.text(alphabet=st.characters(max_codepoint=0x1F700), max_size=12)
FAST = settings(max_examples=60, deadline=None)


@njit
def identity(s):
    return s


@njit
def operators(a, b):
    return (len(a), a + b, a * 2, 3 * b, a == b, a != b, a < b, a <= b, a > b, a >= b,
            b in a, hash(a))


@njit
def index_and_slice(s, i, start, stop, step):
    n = len(s)
    return s[i % n] if n else "", s[start:stop:step], s[start:], s[:stop], s[::-1]


@njit
def characters(s):
    out = ""
    for c in s:
        out = c + out
    return out


@njit
def with_constants(s):
    greeting = "héllo"
    if len(s) > 2:
        greeting = s
    return greeting + "\U0001f600", "abc" == s


@pytest.mark.parametrize("s", SAMPLES)
def test_round_trip_is_the_same_object(s):
    assert identity(s) is s
    assert sys.getrefcount(s) == sys.getrefcount(identity(s)) - 1


@given(text, text)
@FAST
def test_operators_match_cpython(a, b):
    expected = (len(a), a + b, a * 2, 3 * b, a == b, a != b, a < b, a <= b, a > b, a >= b,
                b in a, hash(a))
    assert operators(a, b) == expected


@given(text, st.integers(-20, 20), st.integers(-20, 20), st.integers(-20, 20), st.integers(-4, 4))
@FAST
def test_indexing_and_slicing(s, i, start, stop, step):
    step = step or 1
    n = len(s)
    assert index_and_slice(s, i, start, stop, step) == (
        s[i % n] if n else "", s[start:stop:step], s[start:], s[:stop], s[::-1])


@given(text)
@FAST
def test_new_strings_hash_like_cpython(s):
    made = characters(s)  # a fresh, canonical string built in compiled code
    assert made == s[::-1]
    assert hash(operators(made, "")[1]) == hash(made)
    assert operators(made, "")[-1] == hash(s[::-1])


@njit
def identity_index(s, i):
    return s[i]


def test_constants_and_errors():
    assert with_constants("ab") == ("héllo\U0001f600", False)
    assert with_constants("abc") == ("abc\U0001f600", True)
    with pytest.raises(IndexError, match="string index out of range"):
        identity_index("abc", 3)
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        index_and_slice("abc", 1, 0, 1, 0)


@njit
def keep_in_list(s, n):
    out = [s]
    for i in range(n):
        out.append(s[i % len(s):] + "é")
    return out


def test_no_leaks_with_lists_and_results():
    s = "ab\U0001f600"
    assert keep_in_list(s, 4) == [s] + [s[i % 3:] + "é" for i in range(4)]
    with no_leaks(s):
        for _ in range(2000):
            keep_in_list(s, 3)
            operators(s, "b")
            characters(s)


@njit
def fails_holding_strings(s, i):
    parts = s.split(",")
    joined = "-".join(parts) + s.upper()
    return joined[i]


def test_no_leaks_when_raising():
    s = "a,\xe9,\U0001f600"
    assert fails_holding_strings(s, 0) == "a"
    with no_leaks(s):
        for _ in range(500):
            with pytest.raises(IndexError):
                fails_holding_strings(s, 100)


@njit
def literal_methods():
    print("h\xe9llo", "w\U0001f600rld")
    return "a,b,\xe9".split(","), hash("h\xe9llo"), "-".join(("x", "y")), "abc"[1:]


def test_constants_as_values_and_print(capsys):
    assert literal_methods() == (["a", "b", "\xe9"], hash("h\xe9llo"), "x-y", "bc")
    assert capsys.readouterr().out == "h\xe9llo w\U0001f600rld\n"


def py_fstring(n, x, s):
    return f"n={n}, x={x!s}: {s}{n}{{}}"


fstring = njit(py_fstring)  # (compiled once for all the examples)


@settings(max_examples=20, deadline=None)
@given(st.integers(-10**18, 10**18), st.floats(allow_nan=False, allow_infinity=False),
       st.text(max_size=5))
def test_f_strings_without_format_specs_match_python(n, x, s):
    assert fstring(n, x, s) == py_fstring(n, x, s)


def test_f_string_fields_without_a_text_are_refused_where_they_stand():
    @njit
    def field(n):
        a = range(n)
        return f"{a:>4}"
    with pytest.raises(TypingError, match="format\\(\\) of a value of type range") as e:
        field(2)
    assert 'return f"{a:>4}"' in str(e.value)
