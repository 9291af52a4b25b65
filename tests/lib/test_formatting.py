"""Text of values: repr, ascii, hex/oct/bin, format, str.format, str(), f-strings; and int(s,
base). Differential against CPython."""
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

FAST = settings(max_examples=30, deadline=None)
INT64 = st.integers(-(1 << 63), (1 << 63) - 1)


@njit
def int_texts(x):
    return repr(x), hex(x), oct(x), bin(x)


@given(INT64)
@FAST
def test_integers(x):
    assert int_texts(x) == (repr(x), hex(x), oct(x), bin(x))


def test_integers_of_every_width():
    for v in (np.uint64(2**64 - 1), np.uint64(2**63), np.uint8(255), np.int8(-128)):
        assert int_texts(v) == (repr(int(v)), hex(v), oct(v), bin(v))


@njit
def float_texts(x, spec):
    return repr(x), format(x, spec)


@given(st.floats(allow_nan=True, allow_infinity=True),
       st.sampled_from(["", ".2f", "+.3e", "%", ">10", "g", ".17g"]))
@FAST
def test_floats_are_exactly_cpythons(x, spec):
    assert float_texts(x, spec) == (repr(x), format(x, spec))


def test_fstring_conversions_specs_and_nested_specs():
    @njit
    def f(x, s, w):
        return f"{x:.3f}|{s!r:^{w}}"
    assert f(3.14159, "ab", 8) == f"{3.14159:.3f}|{'ab'!r:^{8}}"


WIDE = st.text(alphabet=st.characters(max_codepoint=0x1F700), max_size=8)


@njit
def string_texts(s):
    return repr(s), ascii(s)


@given(WIDE)
@FAST
def test_strings_of_every_kind(s):
    assert string_texts(s) == (repr(s), ascii(s))


@pytest.mark.slow
@given(INT64, st.floats(), WIDE, st.integers(0, 12))
@FAST
def test_fstrings_and_str_format_sweep(x, y, s, w):
    @njit
    def f(x, y, s, w):
        return (f"{x}|{x:>8d}|{x:_}|{y}|{y:e}|{y:>12.4g}|{s!a}|{s:*^{w}}|{s!s:>{w}}",
                "{0}/{1}/{2}".format(x, y, s), format(s), str(x))
    assert f(x, y, s, w) == (
        f"{x}|{x:>8d}|{x:_}|{y}|{y:e}|{y:>12.4g}|{s!a}|{s:*^{w}}|{s!s:>{w}}",
        "{0}/{1}/{2}".format(x, y, s), format(s), str(x))


@pytest.mark.slow
def test_other_values_and_str_forms():
    @njit
    def f(b, c, z):
        return (repr(b), str(None), str(c), repr(c), f"{c}", str(), str(object=z),
                f"{b!r:>6}", ascii(3))
    assert f(True, 1 - 2.5j, "zz") == (repr(True), str(None), str(1 - 2.5j), repr(1 - 2.5j),
                                       f"{1 - 2.5j}", str(), "zz", f"{True!r:>6}", ascii(3))


@pytest.mark.slow
def test_narrow_numpy_scalars_have_numpys_text():
    @njit
    def f(x):
        return str(x), repr(x), f"{x}", f"{x:.2f}"
    for v in (np.float32(-1.1), np.complex64(1.1 + 2j)):
        assert f(v) == (str(v), repr(v), f"{v}", f"{v:.2f}")


def test_errors_are_cpythons():
    @njit
    def f(s, spec):
        return format(s, spec)
    with pytest.raises(ValueError, match="Unknown format code 'd' for object of type 'str'"):
        f("x", "d")
    with pytest.raises(ValueError, match="Unknown format code"):
        njit(lambda x: f"{x:q}")(1.5)
    with pytest.raises(TypingError, match="str.format\\(\\) of a value of type range"):
        njit(lambda: "{}".format(range(2)))()


def test_formatting_releases_everything():
    @njit
    def f(s, x):
        return f"{s!r}:{x:.2f}"
    s = "héllo" * 2
    f(s, 1.5)
    with no_leaks(s):
        for _ in range(200):
            f(s, 1.5)


@njit
def parse(s, base):
    return int(s, base)


@given(st.one_of(INT64.map(lambda v: (str(v), 10)), INT64.map(lambda v: (hex(v), 0)),
                 INT64.map(lambda v: (format(v, "_b"), 2)),
                 st.tuples(st.text(alphabet="0123456789abcxXoO_ +-\t", max_size=8),
                           st.sampled_from([0, 2, 8, 10, 16, 36]))))
@FAST
def test_int_of_strings_with_base(case):
    s, base = case
    try:
        expected = int(s, base)
    except ValueError as e:
        with pytest.raises(ValueError, match=re.escape(str(e))):
            parse(s, base)
        return
    assert parse(s, base) == expected


def test_int_of_strings_refuses_what_int64_cannot_hold():
    with pytest.raises(OverflowError):
        parse("9223372036854775808", 10)
    assert parse("-9223372036854775808", 10) == -(1 << 63)
    with pytest.raises(ValueError, match="base must be >= 2 and <= 36, or 0"):
        parse("1", 1)


def test_complex_power_is_cpythons():
    @njit
    def f(a, b):
        return a ** b, pow(a, b)
    values = [0j, 1 + 0j, 2j, -1.5 + 0.5j, 3 + 4j, 0.5 - 2j, complex(-3, 0), complex(2.5, 0),
              complex(101, 0), complex(-100, 0), complex(1e200, 1e200)]
    for a in values:
        for b in values:
            try:
                expected = a ** b
            except (ZeroDivisionError, OverflowError) as e:
                with pytest.raises(type(e)):
                    f(a, b)
                continue
            got = f(a, b)[0]
            assert got == expected or all(
                math.isnan(x) and math.isnan(y) for x, y in ((got.real, expected.real),
                                                             (got.imag, expected.imag)) if x != y)
