"""Integer floor division and remainder: arrays follow NumPy (x // 0 is 0, MIN // -1 is MIN),
scalars follow Python, except MIN // -1, whose quotient no int64 holds: (0, 0) as in Numba."""
import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


@njit
def array_division(a, b):
    return a // b, a % b, np.floor_divide(a, b), np.remainder(a, b)


@njit
def scalar_division(x, y):
    return divmod(x, y), x // y, x % y


def _values(dtype):
    info = np.iinfo(dtype)
    edges = [info.min, info.max, 0, 1, -1 if info.min else 2, 7]
    return st.one_of(st.sampled_from(edges), st.integers(int(info.min), int(info.max)))


@st.composite
def operands(draw):
    dtype = draw(st.sampled_from(INT_DTYPES))
    size = draw(st.integers(1, 6))
    a = [draw(_values(dtype)) for _ in range(size)]
    b = [draw(_values(dtype)) for _ in range(size)]
    return np.array(a, dtype=dtype), np.array(b, dtype=dtype)


@given(operands())
@settings(max_examples=150, deadline=None)
def test_array_division_matches_numpy(pair):
    a, b = pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy warns on x // 0 and MIN // -1
        expected = (a // b, a % b, np.floor_divide(a, b), np.remainder(a, b))
    for got, want in zip(array_division(a, b), expected):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


@given(st.integers(-2 ** 63, 2 ** 63 - 1), st.integers(-2 ** 63, 2 ** 63 - 1).filter(bool))
@settings(max_examples=150, deadline=None)
def test_scalar_division_matches_python(x, y):
    q, r = divmod(x, y)
    if q >= 2 ** 63:  # only MIN // -1
        q = 0
    assert scalar_division(x, y) == ((q, r), q, r)


def test_min_divided_by_minus_one():
    assert scalar_division(-2 ** 63, -1) == ((0, 0), 0, 0)
    a = np.array([-2 ** 63, -128], dtype=np.int64)
    q, r, _, _ = array_division(a, np.array([-1, -1]))
    assert q.tolist() == [-2 ** 63, 128] and r.tolist() == [0, 0]
