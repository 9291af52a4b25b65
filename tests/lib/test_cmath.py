"""The cmath module in compiled code, differential against CPython: finite values to a few ulps,
every special value (zeros, infinities, NaNs) exactly, and CPython's errors."""
import cmath
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit

FAST = settings(max_examples=40, deadline=None)
UNARY = ["sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan", "sinh",
         "cosh", "tanh", "asinh", "acosh", "atanh", "phase", "polar", "isnan", "isinf",
         "isfinite"]
REALS = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, math.pi, 1e300, -1e-300, 710.0, math.inf, -math.inf,
         math.nan]
SPECIAL = [complex(a, b) for a, b in itertools.product(REALS, REALS)]


def compiled(name):
    func = getattr(cmath, name)

    @njit
    def call(z):
        return func(z)
    return call


COMPILED = {name: compiled(name) for name in UNARY}


def outcome(func, *args):
    try:
        return "ok", func(*args)
    except (ValueError, OverflowError) as exc:
        return "error", type(exc)


def close(a, b, ulps=8):  # (glibc's algorithms and CPython's differ by a few ulps)
    if isinstance(a, tuple):
        return all(close(x, y, ulps) for x, y in zip(a, b))
    a, b = complex(a), complex(b)
    for x, y in ((a.real, b.real), (a.imag, b.imag)):
        if math.isnan(x) and math.isnan(y):
            continue
        if x == y:
            if math.copysign(1, x) != math.copysign(1, y):
                return False
            continue
        if not abs(x - y) <= ulps * math.ulp(max(abs(x), abs(y))):
            return False
    return True


def check(name, z):
    expected, got = outcome(getattr(cmath, name), z), outcome(COMPILED[name], z)
    assert expected[0] == got[0], (name, z, expected, got)
    if expected[0] == "error":
        assert expected == got, (name, z)
    else:
        assert close(got[1], expected[1]), (name, z, got[1], expected[1])


@pytest.mark.parametrize("name", UNARY)
def test_special_values_and_errors(name):
    for z in SPECIAL:
        check(name, z)


finite = st.floats(-1e6, 1e6, allow_nan=False)


@pytest.mark.parametrize("name", UNARY)
@given(re=finite, im=finite)
@FAST
def test_finite_values(name, re, im):
    check(name, complex(re, im))


def test_real_arguments():
    @njit
    def f(x):
        return cmath.sqrt(x), cmath.exp(x), cmath.phase(x)
    assert f(-4.0) == (cmath.sqrt(-4.0), cmath.exp(-4.0), cmath.phase(-4.0))
    assert f(2) == (cmath.sqrt(2), cmath.exp(2), cmath.phase(2))


@njit
def rect(r, phi):
    return cmath.rect(r, phi)


@njit
def log_base(z, base):
    return cmath.log(z, base)


def test_rect():
    for r, phi in itertools.product(REALS, REALS):
        expected, got = outcome(cmath.rect, r, phi), outcome(rect, r, phi)
        assert expected[0] == got[0] and (expected == got if expected[0] == "error"
                                          else close(got[1], expected[1])), (r, phi)


def test_log_with_base():
    values = [complex(a, b) for a, b in itertools.product(REALS[:8] + [math.inf], repeat=2)]
    for z, base in itertools.product(values[::3], values[::4]):
        expected, got = outcome(cmath.log, z, base), outcome(log_base, z, base)
        assert expected[0] == got[0], (z, base, expected, got)
        if expected[0] == "ok" and cmath.isfinite(expected[1]):  # a quotient: parts cancel,
            error = abs(got[1] - expected[1])                   # so relative to its size
            assert error <= 8 * math.ulp(abs(expected[1])), (z, base, got[1], expected[1])
        elif expected[0] == "ok":
            assert close(got[1], expected[1]), (z, base, got[1], expected[1])
