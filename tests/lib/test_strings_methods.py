"""str methods and conversions, differential against CPython with hypothesis."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError

alphabet = st.sampled_from("ab ,\t\n\r\xe9\u03a3\u0130\xdf\u3000\U0001f600-+1\u0663")
text = st.text(alphabet=alphabet, max_size=12)
wide = st.text(alphabet=st.characters(max_codepoint=0x1F700), max_size=10)
FAST = settings(max_examples=25, deadline=None)


@njit
def searches(s, sub, start, end):
    return (s.find(sub), s.rfind(sub), s.find(sub, start, end), s.rfind(sub, start),
            s.count(sub), s.count(sub, start, end), s.startswith(sub), s.endswith(sub),
            s.startswith(sub, start), s.endswith(sub, start, end))


@given(text, st.text(alphabet=alphabet, max_size=2), st.integers(-8, 8), st.integers(-8, 8))
@FAST
def test_searches(s, sub, start, end):
    assert searches(s, sub, start, end) == (
        s.find(sub), s.rfind(sub), s.find(sub, start, end), s.rfind(sub, start),
        s.count(sub), s.count(sub, start, end), s.startswith(sub), s.endswith(sub),
        s.startswith(sub, start), s.endswith(sub, start, end))


@njit
def index_of(s, sub):
    return s.index(sub), s.rindex(sub)


def test_index_raises():
    assert index_of("abcab", "ab") == (0, 3)
    with pytest.raises(ValueError, match="substring not found"):
        index_of("abc", "x")


@njit
def splits(s, sep, maxsplit):
    return (s.split(), s.split(None, maxsplit), s.rsplit(), s.rsplit(None, maxsplit),
            s.split(sep), s.split(sep, maxsplit), s.rsplit(sep, maxsplit), s.splitlines(),
            s.splitlines(True), s.partition(sep), s.rpartition(sep))


@given(text, st.text(alphabet=alphabet, min_size=1, max_size=2), st.integers(-1, 3))
@FAST
def test_splits(s, sep, maxsplit):
    assert splits(s, sep, maxsplit) == (
        s.split(), s.split(None, maxsplit), s.rsplit(), s.rsplit(None, maxsplit),
        s.split(sep), s.split(sep, maxsplit), s.rsplit(sep, maxsplit), s.splitlines(),
        s.splitlines(True), s.partition(sep), s.rpartition(sep))


@njit
def reshaped(s, old, new, width):
    parts = s.split(",")
    return (s.strip(), s.lstrip(), s.rstrip(), s.strip(old), "-".join(parts), new.join(parts),
            s.replace(old, new), s.replace(old, new, 1), s.zfill(width), s.center(width),
            s.ljust(width, "\xe9"), s.rjust(width, "*"))


@given(text, st.text(alphabet=alphabet, max_size=2), wide, st.integers(0, 16))
@FAST
def test_reshaping(s, old, new, width):
    parts = s.split(",")
    assert reshaped(s, old, new, width) == (
        s.strip(), s.lstrip(), s.rstrip(), s.strip(old), "-".join(parts), new.join(parts),
        s.replace(old, new), s.replace(old, new, 1), s.zfill(width), s.center(width),
        s.ljust(width, "\xe9"), s.rjust(width, "*"))


@njit
def classes(s):
    return (s.isalpha(), s.isdigit(), s.isspace(), s.isalnum(), s.isupper(), s.islower(),
            s.isdecimal(), s.isnumeric(), s.isascii(), s.istitle(), s.isidentifier(),
            s.isprintable())


@njit
def cases(s):
    return s.upper(), s.lower(), s.title(), s.capitalize(), s.swapcase(), s.casefold()


def _classes(s):
    return (s.isalpha(), s.isdigit(), s.isspace(), s.isalnum(), s.isupper(), s.islower(),
            s.isdecimal(), s.isnumeric(), s.isascii(), s.istitle(), s.isidentifier(),
            s.isprintable())


cased_text = st.text(alphabet=st.sampled_from("aA \u03a3\u03c3\u01c6\u01c5\xdf\u0130'.\u0301_1"),
                     max_size=8)


@given(st.one_of(text, wide, cased_text, st.text(alphabet=st.characters(), max_size=6)))
@FAST
def test_classes_and_case(s):
    assert classes(s) == _classes(s)
    assert cases(s) == (s.upper(), s.lower(), s.title(), s.capitalize(), s.swapcase(),
                        s.casefold())


@njit
def tabs_and_affixes(s, size):
    return (s.expandtabs(), s.expandtabs(size), s.startswith(("x", "ab")),
            s.endswith(("\xe9", s[-1:]), 1))


@given(st.text(alphabet=st.sampled_from("ab\t\n\r\xe9x"), max_size=10), st.integers(-1, 5))
@FAST
def test_tabs_and_affix_tuples(s, size):
    assert tabs_and_affixes(s, size) == (s.expandtabs(), s.expandtabs(size),
                                         s.startswith(("x", "ab")),
                                         s.endswith(("\xe9", s[-1:]), 1))


def test_tables_cover_every_code_point():
    from jitbridge.lib.strings.casing import LIMIT, PLANE14, PLANE14_SIZE
    for code in [*range(LIMIT, PLANE14), *range(PLANE14 + PLANE14_SIZE, 0x110000)][::7]:
        ch = chr(code)
        assert ch.upper() == ch.lower() == ch.title() == ch.casefold() == ch
        assert not any(_classes(ch)[:8] + _classes(ch)[9:] + (('a' + ch).isidentifier(),))


@njit
def conversions(i, f, s, t):
    return str(i), str(f), int(s), float(t), ord(s[-1]), chr(i % 0x110000 if i > 0 else 65)


@given(st.integers(-2**62, 2**62), st.floats(allow_nan=False), st.integers(-10**9, 10**9))
@FAST
def test_conversions(i, f, j):
    s = f"  {j} "
    assert conversions(i, f, s, repr(f)) == (str(i), repr(f), j, f, 32,
                                             chr(i % 0x110000 if i > 0 else 65))


@njit
def searched_with(s, sub, start):
    return s.find(sub, start)


@njit
def counted_with(s, sub, start):
    return s.count(sub, start)


@njit
def padded_with(s, width, fill):
    return s.center(width, fill)


def test_argument_errors_use_numbas_wording():
    with pytest.raises(TypingError, match='"start" must be'):
        searched_with("abc", "b", 0.5)
    with pytest.raises(TypingError, match="The substring must be a UnicodeType"):
        counted_with("abc", 1, 0)
    with pytest.raises(TypingError, match="The fillchar must be a UnicodeType"):
        padded_with("abc", 5, 1)
    with pytest.raises(TypeError, match="The fill character must be exactly one"):  # as CPython
        padded_with("abc", 5, "ab")


def test_int64_extremes():
    for value in (-2**63, 2**63 - 1, 0, -1, 9, -10):
        assert conversions(value, 0.5, "1", "1")[0] == str(value)


def test_conversion_errors():
    with pytest.raises(ValueError):
        conversions(1, 1.0, "1x", "1")
    with pytest.raises(ValueError):
        conversions(1, 1.0, "1", "x")
