"""Operators and ufuncs on boolean arrays and scalars, differential against NumPy 2.

NumPy's `~` on bools is logical not (not the bitwise not of the byte), its bool loops of
minimum/maximum compare False < True, its logical ufuncs take any numeric operand, and its
division loops give inf/nan/0 for a zero divisor where Python raises ZeroDivisionError."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


def invert(a):
    return ~a


def np_invert(a):
    return np.invert(a)


def logical_not(a):
    return np.logical_not(a)


def absolute(a):
    return abs(a)


def negate(a):
    return -a


def bitwise_expr(a, b):
    return ~(a & (~b))


def add(a, b):
    return a + b


def subtract(a, b):
    return a - b


def multiply(a, b):
    return a * b


def and_(a, b):
    return a & b


def or_(a, b):
    return a | b


def xor(a, b):
    return a ^ b


def less(a, b):
    return a < b


def equal(a, b):
    return a == b


def greater_equal(a, b):
    return a >= b


def true_divide(a, b):
    return a / b


def floor_divide(a, b):
    return a // b


def remainder(a, b):
    return a % b


def minimum(a, b):
    return np.minimum(a, b)


def maximum(a, b):
    return np.maximum(a, b)


def logical_and(a, b):
    return np.logical_and(a, b)


def logical_or(a, b):
    return np.logical_or(a, b)


def logical_xor(a, b):
    return np.logical_xor(a, b)


UNARY = [invert, np_invert, logical_not, absolute, negate]
BINARY = [bitwise_expr, add, subtract, multiply, and_, or_, xor, less, equal, greater_equal,
          minimum, maximum, logical_and, logical_or, logical_xor,
          true_divide, floor_divide, remainder]  # by zero: NumPy's values, no exception
COMPILED = {f: njit(f) for f in UNARY + BINARY}
OTHER_DTYPES = [np.int8, np.uint8, np.int64, np.uint64, np.float64]


def bool_arrays(length):
    return st.lists(st.booleans(), min_size=length, max_size=length).map(
        lambda v: np.array(v, dtype=np.bool_))


@st.composite
def operands(draw, arity):
    """Bool arrays (some strided), a bool array with a bool scalar, or with another dtype."""
    length = draw(st.integers(1, 6))
    first = draw(bool_arrays(length * 2))[::draw(st.sampled_from([1, 2]))][:length]
    if arity == 1:
        return (first,)
    kind = draw(st.sampled_from(["bool", "scalar", "other"]))
    if kind == "bool":
        second = draw(bool_arrays(length))
    elif kind == "scalar":
        second = np.bool_(draw(st.booleans()))  # a bool scalar follows NumPy: ~True is False
    else:
        dtype = draw(st.sampled_from(OTHER_DTYPES))
        second = np.array(draw(st.lists(st.integers(0, 100), min_size=length,
                                        max_size=length)), dtype=dtype)
    return (first, second) if draw(st.booleans()) else (second, first)


def check_like_numpy(func, args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = func(*args)
        except TypeError:  # NumPy has no loop (`-` on bools): compiling must say so
            with pytest.raises(TypingError):
                COMPILED[func](*args)
            return
    got = COMPILED[func](*args)
    assert got.dtype == expected.dtype, (func.__name__, args)
    np.testing.assert_array_equal(got, expected)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(UNARY), operands(1))
def test_unary_on_bool_arrays_matches_numpy(func, args):
    check_like_numpy(func, args)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(BINARY), operands(2))
def test_binary_on_bool_arrays_matches_numpy(func, args):
    check_like_numpy(func, args)


@pytest.mark.parametrize("func", [invert, np_invert, logical_not])
@pytest.mark.parametrize("value", [False, True, np.bool_(False), np.bool_(True)])
def test_not_of_a_bool_scalar_is_logical(func, value):
    # as NumPy (and Numba): ~True is False, not Python's -2
    got = COMPILED[func](value)
    assert type(got) is bool and got == bool(func(np.bool_(value)))


@pytest.mark.parametrize("func", [minimum, maximum, logical_and, logical_or, logical_xor])
@pytest.mark.parametrize("a", [False, True])
@pytest.mark.parametrize("b", [False, True])
def test_bool_scalar_ufuncs_match_numpy(func, a, b):
    assert COMPILED[func](a, b) == func(np.bool_(a), np.bool_(b))


@pytest.mark.parametrize("dtype", [np.int8, np.uint64, np.float64, np.complex128])
def test_logical_ufuncs_take_any_numeric_dtype(dtype):
    a = np.array([0, 1, 2, 0], dtype=dtype)
    b = np.array([0, 0, 3, 5], dtype=dtype)
    for func in (logical_and, logical_or, logical_xor):
        np.testing.assert_array_equal(COMPILED[func](a, b), func(a, b))
    np.testing.assert_array_equal(COMPILED[logical_not](a), np.logical_not(a))


def test_unsigned_minimum_maximum_compare_unsigned():
    a = np.array([2**63, 1], dtype=np.uint64)
    b = np.array([1, 2**64 - 1], dtype=np.uint64)
    np.testing.assert_array_equal(COMPILED[minimum](a, b), np.minimum(a, b))
    np.testing.assert_array_equal(COMPILED[maximum](a, b), np.maximum(a, b))


def test_bool_array_subtract_and_negate_are_typing_errors():
    a = np.array([True, False])
    with pytest.raises(TypingError, match="subtract|sub"):
        njit(subtract)(a, a)
    with pytest.raises(TypingError):
        njit(negate)(a)


def test_bitwise_expression_releases_its_temporaries():
    a = np.array([True, True, False, False])
    b = np.array([False, True, False, True])
    compiled = COMPILED[bitwise_expr]
    np.testing.assert_array_equal(compiled(a, b), [False, True, True, True])
    with no_leaks(a, b):
        compiled(a, b)
        with pytest.raises(ValueError):
            compiled(a, np.ones(3, dtype=np.bool_))  # the broadcast fails after `~b`


@pytest.mark.parametrize("dtype", [np.int8, np.uint64, np.float32, np.float64])
def test_division_by_zero_gives_numpy_values(dtype):
    a = np.array([5, 0, 3], dtype=dtype)
    if np.issubdtype(dtype, np.signedinteger) or np.issubdtype(dtype, np.floating):
        a = a * np.array([-1, 1, 1], dtype=dtype)
    zeros = np.zeros(3, dtype=dtype)
    for func in (true_divide, floor_divide, remainder):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = func(a, zeros)
        got = COMPILED[func](a, zeros)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
