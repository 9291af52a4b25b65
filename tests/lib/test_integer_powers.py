"""`x ** n` with an integer exponent: floats by binary squaring (Numba's multiplications in
Numba's order, so results are Numba's bit for bit; within a few ulps of Python's pow()), pow()
beyond |n| = 0x10000; Python's errors (0.0 ** -1); int ** int exact, wrapping as before."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit, types

LIMIT = 0x10000
INT64 = st.integers(-(2 ** 63), 2 ** 63 - 1)
SMALL = st.integers(-70, 70)
EXPONENTS = st.one_of(SMALL, st.sampled_from([LIMIT, -LIMIT, LIMIT + 1, -LIMIT - 1]), INT64)
FLOATS = st.floats(allow_nan=True, allow_infinity=True)


def reference(x, n, dtype=np.float64):
    """Numba's algorithm for float ** int, in NumPy scalars of `dtype` (IEEE, no exceptions)."""
    x = dtype(x)
    if n < 0 and x == 0:
        raise ZeroDivisionError("0.0 cannot be raised to a negative power")
    if abs(n) > LIMIT:  # libm's pow(), as math.pow (NumPy's own pow can differ by an ulp)
        try:
            return dtype(math.pow(x, float(n)))
        except OverflowError:
            return dtype(math.copysign(math.inf, x) if float(n) % 2 else math.inf)
    with np.errstate(all="ignore"):
        result, m = dtype(1.0), abs(n)
        while m:
            if m & 1:
                result = result * x
            m >>= 1
            x = x * x
        return dtype(1.0) / result if n < 0 else result


def same_float(a, b):
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def literal_power(n):
    @njit
    def power(x):
        return x ** n
    return power


@njit
def power(x, n):
    return x ** n


@njit
def builtin_and_inplace(x, n):
    y = x
    y **= n
    return pow(x, n), y


LITERALS = list(range(-8, 9)) + [13, 31, 64, 100, -100, 1000, LIMIT, -LIMIT, LIMIT + 1, -70000]
COMPILED = {n: literal_power(n) for n in LITERALS}


@pytest.mark.parametrize("n", LITERALS)
@given(x=FLOATS)
@settings(max_examples=40, deadline=None)
def test_literal_exponent_is_numbas_result(n, x):
    try:
        expected = reference(x, n)
    except ZeroDivisionError:
        with pytest.raises(ZeroDivisionError, match="0.0 cannot be raised to a negative power"):
            COMPILED[n](x)
        return
    assert same_float(COMPILED[n](x), expected), (x, n)


@given(x=FLOATS, n=EXPONENTS)
@settings(max_examples=400, deadline=None)
def test_variable_exponent_is_numbas_result(x, n):
    try:
        expected = reference(x, n)
    except ZeroDivisionError:
        with pytest.raises(ZeroDivisionError, match="0.0 cannot be raised to a negative power"):
            power(x, n)
        return
    assert same_float(power(x, n), expected), (x, n)
    assert all(same_float(r, expected) for r in builtin_and_inplace(x, n))


@given(x=st.floats(-1e6, 1e6), n=st.integers(-40, 40))
@settings(max_examples=300, deadline=None)
def test_close_to_python(x, n):
    """Python raises OverflowError where IEEE gives inf (Numba returns inf too)."""
    try:
        expected = x ** n
    except ZeroDivisionError as error:
        assert str(error) == "0.0 cannot be raised to a negative power"
        with pytest.raises(ZeroDivisionError, match=str(error)):
            power(x, n)
        return
    except OverflowError:
        assert math.isinf(power(x, n))
        return
    actual = power(x, n)
    if abs(expected) < 1e-290:  # subnormal range: relative error is meaningless
        assert abs(actual - expected) < 1e-300
    else:
        assert actual == pytest.approx(expected, rel=(abs(n) + 1) * 2.3e-16, abs=0)


@pytest.mark.parametrize("x,n,expected", [
    (0.0, 0, 1.0), (-0.0, 0, 1.0), (math.nan, 0, 1.0), (math.inf, 0, 1.0),
    (-0.0, 3, -0.0), (-0.0, 2, 0.0), (math.inf, -1, 0.0), (-math.inf, -1, -0.0),
    (-math.inf, 3, -math.inf), (-math.inf, 2, math.inf), (math.nan, -1, math.nan),
    (1.0, 2 ** 63 - 1, 1.0), (-1.0, 2 ** 63 - 1, 1.0), (-1.0, LIMIT + 1, -1.0),
    (2.0, -(2 ** 63), 0.0), (0.5, 2 ** 62, 0.0), (10.0, 400, math.inf), (1e-200, -2, math.inf),
    (-2.0, -1, -0.5), (1.5, 2, 2.25)])
def test_edge_cases(x, n, expected):
    assert same_float(power(x, n), expected), (x, n)
    if n in COMPILED:
        assert same_float(COMPILED[n](x), expected)


@pytest.mark.parametrize("x", [0.0, -0.0])
@pytest.mark.parametrize("n", [-1, -2, -3, -(2 ** 40), -(2 ** 63)])
def test_zero_to_a_negative_power_raises_as_python(x, n):
    with pytest.raises(ZeroDivisionError, match="^0.0 cannot be raised to a negative power$"):
        power(x, n)
    if n in COMPILED:
        with pytest.raises(ZeroDivisionError, match="^0.0 cannot be raised to a negative power$"):
            COMPILED[n](x)


@given(x=st.floats(-10, 10, width=32), n=st.sampled_from([-3, -1, 2, 3, 6, 13]))
@settings(max_examples=100, deadline=None)
def test_float32_base_with_literal_exponent_computes_in_float32(x, n):
    if x == 0 and n < 0:
        return
    expected = reference(np.float32(x), n, np.float32)
    assert same_float(COMPILED[n](np.float32(x)), float(expected))


def test_exponent_types_and_result_types():
    assert power(2.0, np.int32(-2)) == 0.25 and power(2.0, np.uint64(3)) == 8.0
    assert power(2.0, np.uint64(2 ** 64 - 1)) == math.inf
    assert power(2.0, True) == 2.0
    power(1.5, 3), power(3, 4), power(3, 0.5)
    returns = {tuple(sig.args): sig.return_type for sig in power.nopython_signatures}
    assert returns[(types.float64, types.int64)] == types.float64
    assert returns[(types.int64, types.int64)] == types.int64
    assert returns[(types.int64, types.float64)] == types.float64
    f32 = COMPILED[3]
    f32(np.float32(2))
    assert types.float32 in [sig.return_type for sig in f32.nopython_signatures]


def test_literal_exponent_compiles_to_a_multiplication_chain():
    f = COMPILED[6]
    f(1.5)
    text = f.inspect_llvm(f.signatures[0])
    assert "llvm.pow" not in text and "pow.cond" not in text
    assert f(1.5) == ((1.5 * 1.5) * ((1.5 * 1.5) * (1.5 * 1.5)))
    big = COMPILED[LIMIT + 1]
    big(1.0)
    assert "llvm.pow" in big.inspect_llvm(big.signatures[0])


# -- integers -----------------------------------------------------------------------------

def wrap_int64(value):
    return (value + 2 ** 63) % 2 ** 64 - 2 ** 63


@given(x=st.integers(-(2 ** 63), 2 ** 63 - 1), n=st.integers(0, 200))
@settings(max_examples=300, deadline=None)
def test_int_power_is_exact_and_wraps_as_int64(x, n):
    assert power(x, n) == wrap_int64(x ** n)


@pytest.mark.parametrize("x", [2, -3, 2 ** 40])
def test_int_to_a_negative_runtime_exponent_raises(x):
    """CPython's float result does not fit the int result type: an error, not a wrong int."""
    with pytest.raises(ValueError, match="integer to a negative power"):
        power(x, -2)


def test_zero_to_a_negative_runtime_exponent_raises_as_cpython():
    with pytest.raises(ZeroDivisionError, match="cannot be raised to a negative power"):
        power(0, -3)


@pytest.mark.parametrize("n", [-1, -2, -3, -(2 ** 63)])
@pytest.mark.parametrize("x", [1, -1])
def test_one_and_minus_one_to_a_negative_runtime_exponent_equal_cpython(x, n):
    assert power(x, n) == x ** n


@pytest.mark.parametrize("n", [-1, -2, -3, -8])
@pytest.mark.parametrize("x", [2, -3, 1, -1, 7, 2 ** 40])
def test_int_to_a_negative_literal_is_a_float(x, n):
    result = COMPILED[n](x)
    assert type(result) is float
    assert same_float(result, reference(float(x), n))
    assert result == pytest.approx(x ** n, rel=1e-15)


@pytest.mark.parametrize("n", [-1, -3])
def test_int_zero_to_a_negative_literal_raises_as_python(n):
    with pytest.raises(ZeroDivisionError, match="^0.0 cannot be raised to a negative power$"):
        COMPILED[n](0)
