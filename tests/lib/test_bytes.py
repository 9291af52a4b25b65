"""bytes values: arguments, constants, results, len, indexing, slicing, iteration, equality."""
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
        return b.hex()
    with pytest.raises(TypingError) as e:
        f(b"abc")
    assert "return b.hex()" in str(e.value)


@njit
def sliced(b, start, stop, step):
    return b[start:stop:step], b[start:], b[:stop], b[::-1]


@given(st.binary(max_size=12), st.integers(-14, 14) | st.none(), st.integers(-14, 14) | st.none(),
       st.sampled_from([None, 1, 2, 3, -1, -2]))
@settings(max_examples=40, deadline=None)
def test_slices_against_python(b, start, stop, step):
    with no_leaks():
        got = sliced(b, start, stop, step)
    assert got == (b[start:stop:step], b[start:], b[:stop], b[::-1])
    assert all(type(part) is bytes for part in got)


def test_a_zero_step_raises_as_in_python():
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        sliced(b"abc", None, None, 0)
