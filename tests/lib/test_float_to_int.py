"""int() of a float and round() to an int: CPython's values and CPython's errors (NaN,
infinities, values beyond int64), checked by one range test on the way through."""
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from jitbridge import njit


@njit
def to_int(x):
    return int(x)


@njit
def rounded(x):
    return round(x)


@njit
def total(a):
    s = 0
    for i in range(a.shape[0]):
        s += int(a[i])
    return s


def python_or_error(func, x):
    try:
        value = func(x)
    except (ValueError, OverflowError) as exc:
        return type(exc), str(exc)
    if not -2 ** 63 <= value < 2 ** 63:
        return OverflowError, "float too large to convert to int64"
    return value


def compiled_or_error(func, x):
    try:
        return func(x)
    except (ValueError, OverflowError) as exc:
        return type(exc), str(exc)


EDGES = [0.0, -0.0, 0.5, -0.5, 1.9999, -1.9999, 2.0 ** 62, -2.0 ** 63, 2.0 ** 63,
         np.nextafter(-2.0 ** 63, -np.inf), 1e300, -1e300, math.nan, math.inf, -math.inf]


@pytest.mark.parametrize("x", EDGES)
def test_edges_match_python(x):
    assert compiled_or_error(to_int, x) == python_or_error(int, x)
    assert compiled_or_error(rounded, x) == python_or_error(round, x)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_float_matches_python(x):
    assert compiled_or_error(to_int, x) == python_or_error(int, x)


def test_a_bad_item_stops_the_loop_with_its_error():
    a = np.arange(10.0)
    assert total(a) == 45
    a[7] = np.nan
    with pytest.raises(ValueError, match="cannot convert float NaN to integer"):
        total(a)
    a[7] = -np.inf
    with pytest.raises(OverflowError, match="cannot convert float infinity to integer"):
        total(a)
