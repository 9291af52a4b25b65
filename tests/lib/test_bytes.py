"""bytes values: arguments, constants, results, len, indexing, iteration, equality."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def reads(b, i):
    total = 0
    for v in b:
        total += v
    return len(b), b[i], total, b == b"ab\x00\xff", b != b"", bool(b), isinstance(b, bytes)


@given(st.binary(min_size=1, max_size=12), st.integers(-12, 11))
@settings(max_examples=30, deadline=None)
def test_reads_against_python(b, i):
    if not -len(b) <= i < len(b):
        with pytest.raises(IndexError, match="index out of range"):
            reads(b, i)
        return
    assert reads(b, i) == (len(b), b[i], sum(b), b == b"ab\x00\xff", b != b"", bool(b), True)


def test_arguments_come_back_as_the_same_object_and_constants_box():
    @njit
    def f(b):
        return b, b"const\x00"
    x = bytes(range(5))
    got = f(x)
    assert got[0] is x and got[1] == b"const\x00"
    with no_leaks(x):
        for _ in range(100):
            f(x)


def test_what_bytes_lack_is_a_located_error():
    @njit
    def f(b):
        return b[1:]
    with pytest.raises(TypingError) as e:
        f(b"abc")
    assert "return b[1:]" in str(e.value)
