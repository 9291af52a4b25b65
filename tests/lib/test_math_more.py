"""math.frexp, ldexp, nextafter and gcd in compiled code, differential against CPython."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit

FAST = settings(max_examples=60, deadline=None)


@njit
def frexp(x):
    return math.frexp(x)


@njit
def ldexp(x, e):
    return math.ldexp(x, e)


@njit
def nextafter(x, y):
    return math.nextafter(x, y)


@njit
def gcd(a, b):
    return math.gcd(a, b)


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) ==
                                                  math.copysign(1, b))


@given(st.floats())
@FAST
def test_frexp(x):
    (m, e), (em, ee) = frexp(x), math.frexp(x)
    assert same(m, em) and e == ee


def test_frexp_of_float32_keeps_its_type():
    m, e = frexp(np.float32(2.5))
    assert (m, e) == (0.625, 2)


@njit(error_model="numpy")
def ldexp_ieee(x, e):
    return math.ldexp(x, e)


@given(st.floats(allow_nan=False), st.integers(-1100, 1100))
@FAST
def test_ldexp(x, e):
    try:
        expected = math.ldexp(x, e)
    except OverflowError:  # CPython's error; error_model='numpy' saturates, as C does
        with pytest.raises(OverflowError, match="math range error"):
            ldexp(x, e)
        assert ldexp_ieee(x, e) == math.copysign(math.inf, x)
        return
    assert same(ldexp(x, e), expected)


def test_ldexp_huge_exponents_saturate():
    with pytest.raises(OverflowError, match="math range error"):
        ldexp(5e-324, 2**40)
    assert ldexp_ieee(5e-324, 2**40) == math.inf
    assert same(ldexp(-1e308, -2**40), -0.0)


@given(st.floats(), st.floats())
@FAST
def test_nextafter(x, y):
    assert same(nextafter(x, y), math.nextafter(x, y))


@given(st.integers(-2**62, 2**62), st.integers(-2**62, 2**62))
@FAST
def test_gcd(a, b):
    assert gcd(a, b) == math.gcd(a, b)


@pytest.mark.parametrize("a, b", [(0, 0), (0, -5), (np.uint64(12), np.uint64(18))])
def test_gcd_edges(a, b):
    assert gcd(a, b) == math.gcd(int(a), int(b))
