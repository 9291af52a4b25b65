"""round(x, ndigits), pow(b, e, m), int.bit_length, float.is_integer and the in-place functions
of `operator` on scalars: differential against CPython."""
import math
import operator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError

FAST = settings(max_examples=60, deadline=None)


@njit
def round_to(x, n):
    return round(x, n)


@njit
def round_none(x):
    return round(x, None)


@njit
def pow_mod(b, e, m):
    return pow(b, e, m)


@njit
def bit_length(x):
    return x.bit_length()


@njit
def is_integer(x):
    return x.is_integer()


def same_float(a, b):
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) ==
                                                  math.copysign(1, b))


@pytest.mark.parametrize("x, n", [(2.675, 2), (0.5, 0), (1.5, 0), (2.5, 0), (-0.4, 0),
                                  (-0.5, 0), (1234.5678, -2), (1e300, -300), (0.1, 25),
                                  (5e-324, 323), (1.7976931348623157e308, -308), (0.125, 2),
                                  (0.375, 2), (-2.675, 2), (math.inf, 2), (-math.inf, -3),
                                  (1e22, 3), (123456789.125, 2), (1.0000000000000002, 15)])
def test_round_float_edges(x, n):
    try:
        expected = round(x, n)
    except OverflowError:
        with pytest.raises(OverflowError, match="too large"):
            round_to(x, n)
        return
    assert same_float(round_to(x, n), expected)


def test_round_nan():
    assert math.isnan(round_to(math.nan, 3))


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(-22, 22))
@FAST
def test_round_float_matches_cpython(x, n):
    assert same_float(round_to(x, n), round(x, n))


@given(st.decimals(min_value=-10**6, max_value=10**6, places=4).map(float),
       st.integers(0, 5))
@FAST
def test_round_decimal_ties(x, n):
    """Values written with few decimals (the ties CPython rounds by their exact value)."""
    assert same_float(round_to(x, n), round(x, n))


@given(st.integers(-2**62, 2**62), st.integers(-18, 5))
@FAST
def test_round_int_matches_cpython(x, n):
    result = round_to(x, n)
    assert result == round(x, n) and isinstance(result, int)


def test_round_int_overflow_raises():
    with pytest.raises(OverflowError):
        round_to(2**63 - 1, -1)


def test_round_with_none_is_round():
    assert round_none(2.5) == 2 and isinstance(round_none(2.5), int)


@given(st.integers(-2**63, 2**63 - 1), st.integers(0, 2**63 - 1),
       st.integers(-2**63 + 1, 2**63 - 1).filter(bool))
@FAST
def test_pow_mod_matches_cpython(b, e, m):
    assert pow_mod(b, e, m) == pow(b, e, m)


def test_pow_mod_negative_exponent_inverts():
    assert pow_mod(3, -1, 7) == pow(3, -1, 7) == 5
    assert pow_mod(38, -2, 97) == pow(38, -2, 97)
    with pytest.raises(ValueError, match="not invertible"):
        pow_mod(2, -1, 4)
    with pytest.raises(ValueError, match="cannot be 0"):
        pow_mod(2, 3, 0)


@given(st.integers(-2**63, 2**63 - 1))
@FAST
def test_bit_length(x):
    assert bit_length(x) == x.bit_length()


def test_bit_length_edges():
    assert [bit_length(x) for x in (0, 1, -1, 2**63 - 1, -2**63, True)] == \
        [0, 1, 1, 63, 64, 1]


@pytest.mark.parametrize("x", [0.0, -0.0, 2.0, 2.5, -3.0, 1e300, 5e-324, math.inf, -math.inf,
                               math.nan])
def test_is_integer(x):
    assert is_integer(x) is x.is_integer()


INPLACE = [operator.iadd, operator.isub, operator.imul, operator.itruediv, operator.ifloordiv,
           operator.imod, operator.ipow, operator.iand, operator.ior, operator.ixor,
           operator.ilshift, operator.irshift]


def apply_operator(op, a, b):
    @njit
    def apply(a, b):
        return op(a, b)
    return apply(a, b)


@pytest.mark.parametrize("op", INPLACE, ids=lambda op: op.__name__)
def test_inplace_functions_on_ints(op):
    assert apply_operator(op, 13, 3) == op(13, 3)


@pytest.mark.parametrize("op", INPLACE[:7], ids=lambda op: op.__name__)
def test_inplace_functions_on_floats(op):
    assert apply_operator(op, 13.5, 2.0) == op(13.5, 2.0)


def test_round_rejects_float_ndigits():
    with pytest.raises(TypingError, match="round"):
        round_to(1.5, 2.0)


THINGS = (1, 0, True, False, 1.0, 1.1, 1j, None, "", "1")


@pytest.mark.parametrize("op", [operator.eq, operator.ne], ids=lambda op: op.__name__)
def test_equality_across_kinds_is_pythons(op):
    @njit
    def compare(a, b):
        return op(a, b)
    for a in THINGS:
        for b in THINGS:
            result = compare(a, b)
            assert result is op(a, b), (a, b)


def test_optional_compared_with_none():
    @njit
    def check(flag):
        a = None
        if flag:
            a = 0
        return a == None, a != None  # noqa: E711 (the comparison under test)
    assert check(True) == (False, True) and check(False) == (True, False)
