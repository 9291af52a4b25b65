"""printf-style `str % values` and str.removeprefix/removesuffix, differential against CPython."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

FAST = settings(max_examples=40, deadline=None)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)

FORMATS = "%d items at %.2f|%s|%r|%x|%o|%e|%g|%%|%5d|%-5d|%05.1f|%+d|%#x|%10.3s|%c"


@njit
def formatted(s, n, x):
    return FORMATS % (n, x, s, s, n, n, x, x, n, n, x, n, n, s, n % 1000 + 65)


@njit
def single(value):
    return "<%s>" % value


@njit
def affixes(s, affix):
    return s.removeprefix(affix), s.removesuffix(affix)


@given(TEXT, st.integers(-2 ** 63, 2 ** 63 - 1), st.floats())
@FAST
def test_conversions_flags_widths(s, n, x):
    assert formatted(s, n, x) == FORMATS % (n, x, s, s, n, n, x, x, n, n, x, n, n, s,
                                            n % 1000 + 65)


def test_single_values_and_none():
    for value in (3, 2.5, "é", True, None):
        assert single(value) == "<%s>" % (value,)


def test_cpython_errors_at_run_time():
    @njit
    def short(n):
        return "%d %d" % (n,)

    @njit
    def wrong(s):
        return "%d" % s
    with pytest.raises(TypeError, match="not enough arguments for format string"):
        short(1)
    with pytest.raises(TypeError) as caught:
        wrong("x")
    with pytest.raises(TypeError) as expected:
        "%d" % "x"
    assert str(caught.value) == str(expected.value)


def test_unsupported_values_refused_when_compiling():
    @njit
    def of_list(n):
        return "%s" % [n]
    with pytest.raises(TypingError, match=r"str % values: a value of type list\(int64\)"):
        of_list(1)


def test_no_leaks():
    s = "naïve"
    formatted(s, 1, 1.0)
    with no_leaks(s):
        for _ in range(200):
            formatted(s, 7, 0.5)


@given(TEXT, TEXT)
@FAST
def test_removeprefix_removesuffix(s, affix):
    assert affixes(s + affix, affix) == ((s + affix).removeprefix(affix),
                                         (s + affix).removesuffix(affix))
    assert affixes(affix + s, affix) == ((affix + s).removeprefix(affix),
                                         (affix + s).removesuffix(affix))
    assert affixes(s, affix) == (s.removeprefix(affix), s.removesuffix(affix))


def test_removeprefix_wants_a_str():
    @njit
    def bad(s):
        return s.removeprefix(1)
    with pytest.raises(TypingError, match="removeprefix\\(\\) argument must be str"):
        bad("abc")
