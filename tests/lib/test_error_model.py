"""error_model='numpy' (issue 22, honest options): division by zero gives NumPy's results
(inf/nan for floats, 0 for integers) instead of raising, as Numba does; the default keeps
Python's ZeroDivisionError."""
import numpy as np
import pytest
from hypothesis import given, strategies as st

from jitbridge import njit


def _ops(model):
    @njit(error_model=model)
    def ops(a, b):
        return a / b, a // b, a % b
    return ops


numpy_ops, python_ops = _ops("numpy"), _ops("python")
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@given(finite, st.sampled_from([0.0, -0.0]))
def test_float_division_by_zero_gives_numpy_results(a, b):
    with np.errstate(all="ignore"):
        expected = (np.true_divide(a, b), np.floor_divide(a, b), np.remainder(a, b))
    np.testing.assert_equal(numpy_ops(a, b), expected)


@given(st.integers(-2**63, 2**63 - 1))
def test_integer_division_by_zero_gives_zero_and_true_division_inf(a):
    quotient, floor, remainder = numpy_ops(a, 0)
    with np.errstate(all="ignore"):
        assert quotient == np.true_divide(np.float64(a), 0.0) or np.isnan(quotient)
    assert (floor, remainder) == (0, 0)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6).filter(lambda v: v != 0))
def test_nonzero_divisors_are_unchanged(a, b):
    assert numpy_ops(a, b) == python_ops(a, b) == (a / b, a // b, a % b)


def test_the_default_raises_python_errors():
    for a, b in [(1.0, 0.0), (1, 0)]:
        with pytest.raises(ZeroDivisionError):
            python_ops(a, b)

    @njit(error_model="numpy")
    def power(x):
        return x ** -2
    assert power(0.0) == np.inf
