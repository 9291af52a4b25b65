"""Property tests: integer and float operators follow Python (with 64-bit wrapping)."""
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit

ints = st.integers(min_value=-(2 ** 31), max_value=2 ** 31)
nonzero = ints.filter(lambda v: v != 0)
floats = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
nonzero_floats = floats.filter(lambda v: abs(v) > 1e-3)


@njit
def int_ops(a, b):
    return a // b, a % b, a * b, a - b, a + b, a / b, a < b, a == b


@njit
def float_ops(a, b):
    return a // b, a % b, a * b, a - b, a + b, a / b, a <= b


@settings(max_examples=300, deadline=None)
@given(ints, nonzero)
def test_integer_operators(a, b):
    assert int_ops(a, b) == (a // b, a % b, a * b, a - b, a + b, a / b, a < b, a == b)


@settings(max_examples=300, deadline=None)
@given(floats, nonzero_floats)
def test_float_operators(a, b):
    expected = (a // b, a % b, a * b, a - b, a + b, a / b, a <= b)
    actual = float_ops(a, b)
    for e, r in zip(expected, actual):
        assert e == r or (math.isnan(e) and math.isnan(r)), (a, b, expected, actual)
