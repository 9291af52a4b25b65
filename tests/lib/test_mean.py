"""mean() accumulates, counts and divides in the dtypes NumPy 2 uses (issue 23 item 6)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jitbridge import njit


@njit
def method_mean(a):
    return a.mean()


@njit
def function_mean(a):
    return np.mean(a)


@pytest.mark.parametrize("dtype", [np.float32, np.complex64])
def test_count_is_not_rounded_to_the_array_dtype(dtype):
    # 2**24 + 1 is the smallest count float32 cannot hold: dividing in float32 would give 1.0
    arr = np.zeros(2 ** 24 + 1, dtype=dtype)
    arr[0] = dtype(2 ** 24 - 1)
    expected = arr.mean()
    for mean in (method_mean, function_mean):
        result = mean(arr)
        assert result == expected.item() and type(result) is type(expected.item())


dtypes = st.sampled_from([np.bool_, np.int8, np.int64, np.uint32, np.float32, np.float64,
                          np.complex64, np.complex128])


@st.composite
def finite_arrays(draw):
    """Arrays with moderate finite values (so summation order stays within rounding)."""
    dtype = np.dtype(draw(dtypes))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=6))
    if dtype.kind in "fc":
        values = draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e3, 1e3)))
        return (values + 1j * values[::-1] if dtype.kind == "c" else values).astype(dtype)
    if dtype.kind == "b":
        return draw(hnp.arrays(dtype, shape))
    info = np.iinfo(dtype)
    return draw(hnp.arrays(dtype, shape, elements=st.integers(max(info.min, -10 ** 6),
                                                               min(info.max, 10 ** 6))))


@settings(max_examples=60, deadline=None)
@given(finite_arrays())
def test_mean_matches_numpy_in_value_and_type(arr):
    expected = np.mean(arr).item()
    result = method_mean(arr)
    assert type(result) is type(expected)
    tolerance = 1e-5 if arr.dtype in (np.float32, np.complex64) else 1e-12
    assert np.isclose(result, expected, rtol=tolerance, atol=tolerance)
