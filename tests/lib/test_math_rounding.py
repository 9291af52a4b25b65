"""math.floor/ceil/trunc of floats without an int64 value raise CPython's errors (the
conversion alone gave -2**63)."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit


@njit
def rounded(x):
    return math.floor(x), math.ceil(x), math.trunc(x)


@settings(max_examples=50, deadline=None)
@given(st.floats(-9e18, 9e18, allow_nan=False))
def test_values_match_cpython(x):
    assert rounded(x) == rounded.py_func(x)


@pytest.mark.parametrize("value, error, words", [
    (math.nan, ValueError, "cannot convert float NaN to integer"),
    (math.inf, OverflowError, "cannot convert float infinity to integer"),
    (-math.inf, OverflowError, "cannot convert float infinity to integer"),
    (1e300, OverflowError, "too large to convert to int64"),  # (CPython: a big int)
])
def test_floats_without_an_int64_value_raise(value, error, words):
    with pytest.raises(error, match=words):
        rounded(value)
