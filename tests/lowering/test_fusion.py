"""Array expressions fused into one loop (lowering/fusion.py): NumPy's values and dtypes, one
allocation for the whole expression, and evaluation order kept where it could be observed."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.runtime import stats


def allocations(func, *args):
    before = stats()["alloc"]
    func(*args)
    return stats()["alloc"] - before


def blend(a, b, c):
    return a * b + np.sin(c) - 2.0 * a / (b + 1.0)


def test_an_expression_allocates_only_its_result():
    a, b, c = (np.linspace(0, 1, 50) + k for k in range(3))
    compiled = njit(blend)
    np.testing.assert_array_equal(compiled(a, b, c), blend(a, b, c))
    assert allocations(compiled, a, b, c) == 1


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([np.int8, np.int32, np.int64, np.uint16, np.float32, np.float64, np.bool_]),
       st.sampled_from([np.int64, np.float64, np.float32]), st.integers(0, 6))
def test_mixed_dtypes_scalars_and_broadcasting_equal_numpy(first, second, rows):
    def mixed(x, y):
        return (x + y) * 3 - (y > 1) + -(x // 3)
    x = (np.arange(rows * 4) % 5).astype(first).reshape(rows, 4)
    y = np.linspace(0.5, 3, 4).astype(second)
    got, want = njit(mixed)(x, y), mixed(x, y)
    np.testing.assert_array_equal(got, want)
    assert got.dtype == want.dtype


def test_integer_division_by_zero_and_weak_literals_as_numpy():
    def f(a, b):
        return (a // b + 1) * 2
    a, b = np.arange(6, dtype=np.int8), np.array([0, 1, 0, 2, 0, 3], dtype=np.int8)
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(njit(f)(a, b), f(a, b))
    assert njit(f)(a, b).dtype == np.int8

    def too_big(a):
        return a * 2 + 300
    with pytest.raises(OverflowError):
        njit(too_big)(a)


def test_a_temporary_read_twice_is_kept():
    def f(a):
        t = a * 2
        return t + t * t
    a = np.arange(5.0)
    np.testing.assert_array_equal(njit(f)(a), f(a))


@njit
def bump(a):
    a[0] += 100.0
    return 1.0


def test_a_call_between_operations_keeps_python_order():
    def f(a):
        return a * 2 + bump(a)  # a * 2 is computed before bump changes a[0]
    a, b = np.arange(4.0), np.arange(4.0)
    np.testing.assert_array_equal(njit(f)(a), f(b))
