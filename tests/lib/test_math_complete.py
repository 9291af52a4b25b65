"""The rest of `math` (and cmath.isclose) in compiled code, differential against CPython:
integer functions exact or OverflowError, fsum correctly rounded, hypot/dist as CPython's."""
import cmath
import math
import random
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError

FAST = settings(max_examples=40, deadline=None)
INT64_MAX = 2 ** 63 - 1


def outcome(func, *args):
    """The value, or the exception's type and message."""
    try:
        return func(*args)
    except (ValueError, OverflowError) as exc:
        return type(exc), str(exc)


def expected_int(func, *args):
    """CPython's result, with a result beyond int64 as the OverflowError compiled code gives."""
    result = outcome(func, *args)
    if isinstance(result, int) and not -2 ** 63 <= result <= INT64_MAX:
        return OverflowError
    return result


def same_float(a, b):
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) ==
                                                  math.copysign(1, b))


# -- integer functions --------------------------------------------------------------------------

@njit
def factorial(n):
    return math.factorial(n)


@njit
def comb(n, k):
    return math.comb(n, k)


@njit
def perm(n, k):
    return math.perm(n, k)


@njit
def perm1(n):
    return math.perm(n)


@njit
def isqrt(n):
    return math.isqrt(n)


@njit
def gcd_lcm(a, b, c):
    return math.gcd(a, b, c), math.lcm(a, b, c), math.gcd(), math.lcm(), math.gcd(a), math.lcm(b)


def check_int(compiled, reference, *args):
    expected = expected_int(reference, *args)
    got = outcome(compiled, *args)
    if expected is OverflowError:
        assert isinstance(got, tuple) and got[0] is OverflowError and "64-bit" in got[1]
    else:
        assert got == expected, args


def test_factorial_exact_then_overflow():
    for n in (-1, 0, 1, 5, 20, 21, 100):
        check_int(factorial, math.factorial, n)
    assert factorial(True) == 1


@given(st.integers(-3, 70), st.integers(-3, 70))
@FAST
def test_comb_and_perm(n, k):
    check_int(comb, math.comb, n, k)
    check_int(perm, math.perm, n, k)


def test_comb_perm_edges():
    for n, k in ((10 ** 18, 1), (10 ** 18, 2), (INT64_MAX, INT64_MAX - 1), (66, 33), (67, 33),
                 (68, 34), (2 ** 40, 3), (3, 5)):
        check_int(comb, math.comb, n, k)
        check_int(perm, math.perm, n, min(k, 25))
    assert perm1(10) == math.perm(10)


@given(st.integers(-5, INT64_MAX))
@FAST
def test_isqrt(n):
    check_int(isqrt, math.isqrt, n)


def test_isqrt_near_the_top():
    for n in (INT64_MAX, INT64_MAX - 1, 3037000499 ** 2, 3037000499 ** 2 - 1, 2 ** 62):
        assert isqrt(n) == math.isqrt(n)
    with pytest.raises(OverflowError):
        isqrt(np.uint64(2 ** 64 - 1))


@given(st.integers(-2 ** 63, INT64_MAX), st.integers(-2 ** 40, 2 ** 40),
       st.integers(-1000, 1000))
@FAST
def test_gcd_lcm_variadic(a, b, c):
    expected = tuple(map(lambda r: OverflowError if abs(r) > INT64_MAX else r, (
        math.gcd(a, b, c), math.lcm(a, b, c), 0, 1, math.gcd(a), math.lcm(b))))
    got = outcome(gcd_lcm, a, b, c)
    if OverflowError in expected:
        assert got[0] is OverflowError
    else:
        assert got == expected


def test_gcd_of_the_most_negative_int():
    gcd = njit(lambda a, b, c: math.gcd(a, b, c))
    assert gcd(-2 ** 63, 6, 4) == 2 and gcd(0, -2 ** 63, 6) == 2
    with pytest.raises(OverflowError):
        gcd(-2 ** 63, 0, 0)


def test_floats_refused_as_cpython_does():
    with pytest.raises(TypingError, match="'float' object cannot be interpreted as an integer"):
        factorial(2.0)
    with pytest.raises(TypingError, match="cannot be interpreted as an integer"):
        comb(5, 2.0)


# -- floats ---------------------------------------------------------------------------------------

@njit
def float_functions(x, y):
    return math.modf(x), math.ulp(x), math.remainder(x, y)


@njit
def cbrt(x):
    return math.cbrt(x)


@given(st.floats(), st.floats())
@FAST
def test_modf_ulp_remainder(x, y):
    got = outcome(float_functions, x, y)
    want = outcome(lambda a, b: (math.modf(a), math.ulp(a), math.remainder(a, b)), x, y)
    if isinstance(want, tuple) and isinstance(want[0], type):
        assert got == want
        return
    for g, w in zip(got, want):
        if isinstance(w, tuple):
            assert all(same_float(a, b) for a, b in zip(g, w))
        else:
            assert same_float(g, w)


@pytest.mark.skipif(not hasattr(math, "cbrt"), reason="math.cbrt is Python 3.11+")
@given(st.floats())
@FAST
def test_cbrt(x):
    assert same_float(cbrt(x), math.cbrt(x))


@njit
def isclose(a, b):
    return (math.isclose(a, b), math.isclose(a, b, rel_tol=0.5),
            math.isclose(a, b, abs_tol=1.0), math.isclose(a, b, rel_tol=0.0, abs_tol=0.0))


@njit
def cisclose(a, b):
    return (cmath.isclose(a, b), cmath.isclose(a, b, rel_tol=0.5),
            cmath.isclose(a, b, abs_tol=1.0))


@given(st.floats(), st.floats())
@FAST
def test_isclose(a, b):
    assert isclose(a, b) == (math.isclose(a, b), math.isclose(a, b, rel_tol=0.5),
                             math.isclose(a, b, abs_tol=1.0),
                             math.isclose(a, b, rel_tol=0.0, abs_tol=0.0))


@given(st.complex_numbers(), st.complex_numbers())
@FAST
def test_cmath_isclose(a, b):
    assert cisclose(a, b) == (cmath.isclose(a, b), cmath.isclose(a, b, rel_tol=0.5),
                              cmath.isclose(a, b, abs_tol=1.0))


def test_isclose_errors_as_cpython():
    with pytest.raises(ValueError, match="tolerances must be non-negative"):
        njit(lambda a: math.isclose(a, a, rel_tol=-1.0))(1.0)

    def positional(a):
        return math.isclose(a, a, 0.1)
    with pytest.raises(TypingError, match=r"isclose\(\) takes exactly 2 positional arguments"):
        njit(positional)(1.0)


# -- sums and norms -------------------------------------------------------------------------------

def random_float(rng):
    roll = rng.random()
    if roll < 0.1:
        return struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]
    if roll < 0.2:
        return rng.choice([0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, 1.7e308, -1e-310])
    if roll < 0.3:
        return rng.uniform(-1, 1) * 2.0 ** rng.randint(-1074, -1000)
    return rng.uniform(-1, 1) * 10.0 ** rng.randint(-320, 307)


@njit
def fsum(values):
    return math.fsum(values)


@njit
def norms(p, q):
    return math.hypot(p[0], p[1], p[2]), math.dist(p, q), math.hypot(p[0])


@njit
def hypot_any(a, b, c, d):
    return math.hypot(a, b, c, d), math.hypot(), math.hypot(a, 3)


def sweep_fsum_and_norms(count, seed):
    rng = random.Random(seed)
    for _ in range(count):
        p = np.array([random_float(rng) for _ in range(3)])
        q = np.array([random_float(rng) for _ in range(3)])
        assert all(map(same_float, norms(p, q), (math.hypot(*p), math.dist(p, q),
                                                  math.hypot(p[0])))), (p, q)
        values = np.array([random_float(rng) for _ in range(rng.randint(0, 10))])
        assert outcome(fsum, values) == outcome(math.fsum, values) or same_float(
            fsum(values), math.fsum(values)), values


def test_fsum_and_norms_against_cpython():
    sweep_fsum_and_norms(300, 18)


@pytest.mark.slow
def test_fsum_and_norms_against_cpython_long():
    sweep_fsum_and_norms(20000, 19)


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=30))
@FAST
def test_fsum_correctly_rounded(values):
    assert outcome(fsum, np.array(values, dtype=np.float64)) == outcome(math.fsum, values)


def test_fsum_errors_and_iterables():
    with pytest.raises(ValueError, match=r"-inf \+ inf in fsum"):
        fsum(np.array([math.inf, -math.inf]))
    with pytest.raises(OverflowError, match="intermediate overflow in fsum"):
        fsum(np.array([1.7e308, 1.7e308]))
    assert fsum([0.1] * 10) == 1.0
    assert fsum((1, 1e100, 1, -1e100)) == 2.0
    assert fsum(np.array([1e-16, 1.0, 1e16])) == math.fsum([1e-16, 1.0, 1e16])


def test_hypot_mixed_and_variadic():
    assert hypot_any(1, 2.5, True, -4.0) == (math.hypot(1, 2.5, True, -4.0), 0.0,
                                            math.hypot(1, 3))
    assert math.dist((1, 2.5), [3.0, 4.0]) == njit(lambda p, q: math.dist(p, q))((1, 2.5),
                                                                                   (3.0, 4.0))
    with pytest.raises(ValueError, match="both points must have the same dimension"):
        norms(np.ones(3), np.ones(2))


@njit
def prods(ints, floats):
    return math.prod(ints), math.prod(floats), math.prod(ints, start=3), math.prod((2, 2.5))


def test_prod():
    ints, floats = [3, -4, 5], np.array([0.1, 0.2, 0.3])
    assert prods(ints, floats) == (math.prod(ints), math.prod(floats), math.prod(ints, start=3),
                                   5.0)
    with pytest.raises(OverflowError, match="64-bit"):
        prods([2 ** 32, 2 ** 32], floats)

    def positional(a):
        return math.prod(a, 2)
    with pytest.raises(TypingError, match=r"prod\(\) takes exactly 1 positional argument"):
        njit(positional)([1])


@njit
def _hypot2(x, y):
    return math.hypot(x, y)


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True,
                                                                 allow_infinity=True))
def test_two_argument_hypot_is_cpythons_bit_for_bit(x, y):
    # (CPython's own algorithm, not the C library's hypot, which differs in the last bit)
    got, expected = _hypot2(x, y), math.hypot(x, y)
    assert got == expected or (math.isnan(got) and math.isnan(expected))
