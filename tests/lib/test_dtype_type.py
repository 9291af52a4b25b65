"""`a.dtype.type`: the NumPy scalar class of an array's dtype, callable in compiled code."""
import numpy as np
import pytest

from jitbridge import njit


@njit
def zero_and_three(a):
    return a.dtype.type(0), a.dtype.type(3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int16, np.uint8, np.complex64,
                                   np.bool_])
def test_dtype_type_converts_as_numpy(dtype):
    a = np.ones(2, dtype)
    got = zero_and_three(a)
    assert got == (a.dtype.type(0), a.dtype.type(3))
