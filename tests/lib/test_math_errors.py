"""Issue 18: `math` in compiled code raises what CPython raises (ValueError "math domain
error", OverflowError "math range error", ZeroDivisionError), with the same message, and
otherwise gives CPython's value to the last bit (gamma and lgamma are CPython's own Lanczos
sums); error_model='numpy' keeps IEEE's nan and inf, and NumPy's ufuncs never raise."""
import math
import struct

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jitbridge import njit, types

UNARY = ["sqrt", "exp", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin",
         "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc",
         "fabs", "gamma", "lgamma"] + [n for n in ("exp2", "cbrt") if hasattr(math, n)]
BINARY = ["pow", "fmod", "atan2", "copysign", "log", "remainder", "hypot"]


def _dispatching(names, arity):
    """One compiled function calling math.<names[i]>: one compilation for all of them."""
    params = ", ".join("xy"[:arity])
    lines = [f"def call(i, {params}):"]
    lines += [f"    if i == {k}:\n        return math.{name}({params})" for k, name in
              enumerate(names)]
    lines.append("    return 0.0")
    namespace = {"math": math}
    exec("\n".join(lines), namespace)
    return namespace["call"]


unary_py = _dispatching(UNARY, 1)
unary, unary_ieee = njit(unary_py), njit(error_model="numpy")(unary_py)
binary = njit(_dispatching(BINARY, 2))


@njit
def power(x, y):
    return x ** y


@njit
def integer_power(x, n):
    return x ** n


def outcome(func, *args):
    """The result's bits, or the exception's class and message."""
    try:
        value = func(*args)
    except (ValueError, OverflowError, ZeroDivisionError) as exc:
        return type(exc), str(exc)
    return "nan" if math.isnan(value) else struct.pack("d", value)


SPECIALS = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 1e-320, 1e300, -1e300, 710.0, -745.5,
            1000.0, 171.7, -171.5, 200.5, -200.5, 24.0, 23.0, math.inf, -math.inf, math.nan]
any_float = st.one_of(st.floats(), st.sampled_from(SPECIALS), st.floats(-30, 30))


@pytest.mark.parametrize("index", range(len(UNARY)), ids=UNARY)
def test_unary_functions_raise_and_round_as_cpython(index):
    func = getattr(math, UNARY[index])
    for x in SPECIALS:
        assert outcome(unary, index, x) == outcome(func, x), x


@given(st.sampled_from(range(len(UNARY))), any_float)
@settings(max_examples=100, deadline=None)
def test_unary_sweep(index, x):
    assert outcome(unary, index, x) == outcome(getattr(math, UNARY[index]), x)


@given(st.sampled_from(range(len(BINARY))), any_float, any_float)
@settings(max_examples=100, deadline=None)
@example(0, 0.0, -1.0).via("zero to a negative power")
@example(0, -8.0, 1 / 3).via("a negative base to a fraction")
@example(0, 10.0, 400.0).via("overflow")
@example(1, 1.0, 0.0).via("fmod by zero")
@example(4, 2.0, 1.0).via("log base 1: ZeroDivisionError")
@example(4, 0.0, 2.0).via("log of zero in a base")
def test_binary_functions_raise_and_round_as_cpython(index, x, y):
    assert outcome(binary, index, x, y) == outcome(getattr(math, BINARY[index]), x, y)


@pytest.mark.parametrize("x", [-1.0, 0.0, -math.inf, 1000.0, 2.0])
def test_error_model_numpy_keeps_ieee_results(x):
    for index, name in enumerate(UNARY[:7]):  # (NumPy has these under the same name)
        expected = outcome(getattr(math, name), x)
        if isinstance(expected, tuple):  # where CPython raises: NumPy's nan or inf
            with np.errstate(all="ignore"):
                expected = outcome(float, getattr(np, name)(np.float64(x)))
        assert outcome(unary_ieee, index, x) == expected, name
    assert math.isinf(unary_ieee(UNARY.index("gamma"), 0.0))


def test_fastmath_assumes_no_nan_and_skips_the_checks():
    assert math.isnan(njit(fastmath=True)(unary_py)(UNARY.index("sqrt"), -1.0))


@njit
def ufuncs(a):
    return np.sqrt(a), np.power(a, 0.5), np.exp(a * 1000.0), np.log(a), np.arccos(a)


def test_numpy_ufuncs_never_raise():
    a = np.array([-1.0, 0.0, 4.0])
    with np.errstate(all="ignore"):
        expected = (np.sqrt(a), np.power(a, 0.5), np.exp(a * 1000.0), np.log(a), np.arccos(a))
    for got, want in zip(ufuncs(a), expected):
        np.testing.assert_array_equal(got, want)


@given(st.one_of(st.floats(-200, 200), st.floats(1e-25, 1e-15), st.floats(-1e-15, -1e-25),
                 st.integers(-30, 200).map(float), st.floats(-200, 200).map(lambda v: v + 0.5),
                 st.floats()))
@settings(max_examples=150, deadline=None)
def test_gamma_and_lgamma_are_cpythons_bit_for_bit(x):
    for name in ("gamma", "lgamma"):
        assert outcome(unary, UNARY.index(name), x) == outcome(getattr(math, name), x)


@pytest.mark.parametrize("base, exponent", [(0.0, -1.0), (-0.0, -3.0), (0.0, -2.5)])
def test_zero_to_a_negative_float_power_raises_as_python(base, exponent):
    with pytest.raises(ZeroDivisionError, match="0.0 cannot be raised to a negative power"):
        power(base, exponent)
    assert power(0.0, -math.inf) == math.inf  # (Python's too)


def test_float_power_keeps_ieee_overflow_and_nan():
    """A float64 is NumPy's float64 as much as Python's float: `**` keeps NumPy's results."""
    assert power(10.0, 400.0) == math.inf and integer_power(1e200, 2) == math.inf
    assert math.isnan(power(-8.0, 0.5))


@njit("float64(float64)")
def sqrt_declared(x):
    return math.sqrt(x)


@njit("complex128(complex128)")
def complex_declared(z):
    return z * 2


def test_big_ints_convert_where_the_signature_says_float():
    assert sqrt_declared(2 ** 70) == 2.0 ** 35
    assert complex_declared(-10 ** 40) == complex(-10 ** 40) * 2
    with pytest.raises(OverflowError, match="int too large to convert to float"):
        sqrt_declared(2 ** 1100)


def test_big_ints_still_refused_for_integer_parameters():
    declared = njit("int64(int64)")(lambda x: x)
    with pytest.raises(OverflowError):
        declared(2 ** 70)
    with pytest.raises(OverflowError, match="does not fit in int64"):
        njit(lambda x: x)(2 ** 70)


@njit
def inplace_matmul(a, b):
    a @= b
    return a


def test_inplace_matmul_writes_into_the_first_operand():
    a, b = np.ones((2, 2)), np.full((2, 2), 2.0)
    result = inplace_matmul(a, b)
    assert result is a
    np.testing.assert_array_equal(a, np.full((2, 2), 4.0))
    with pytest.raises(ValueError, match="shape"):
        inplace_matmul(np.ones((2, 2)), np.ones((2, 3)))


def test_inplace_matmul_refuses_what_numpy_refuses():
    from jitbridge.errors import TypingError
    one_d = types.Array(types.float32, 1, "C")
    with pytest.raises(TypingError, match="inplace matrix multiplication requires"):
        njit((one_d, one_d))(inplace_matmul.py_func)


_log_base = njit(lambda a, b: math.log(a, b))


def test_log_with_a_base_takes_booleans_as_ints():
    for args in [(True, True), (2.0, True), (True, False), (8, 2.0)]:
        try:
            expected = math.log(*args)
        except (ValueError, ZeroDivisionError) as exc:
            with pytest.raises(type(exc)):
                _log_base(*args)
        else:
            assert _log_base(*args) == expected
