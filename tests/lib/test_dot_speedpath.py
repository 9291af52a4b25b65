"""1-D np.dot / np.vdot / `@`: vectorised and BLAS paths agree with NumPy (issue 20 item 3)."""
import operator
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jitbridge import njit
from jitbridge.lib.arrays import reductions


@njit
def dot(a, b):
    return np.dot(a, b)


@njit
def vdot(a, b):
    return np.vdot(a, b)


@njit
def matmul(a, b):
    return a @ b


KERNELS = [(dot, np.dot), (vdot, np.vdot), (matmul, operator.matmul)]
LARGE = [1000, 16383, 16384, 100_003]


def assert_close(result, expected, a, b):
    """Within NumPy's own rounding: the sum may be reordered, so n * eps * sum(|a*b|)."""
    eps = np.finfo(np.result_type(a, b)).eps
    bound = (len(a) + 1) * eps * float(np.sum(np.abs(a.astype(complex) * b)))
    assert abs(complex(result) - complex(expected)) <= bound, (result, expected)


def operands(rng, n, dtype):
    a, b = rng.standard_normal(n), rng.standard_normal(n)
    if np.issubdtype(dtype, np.complexfloating):
        a, b = a + 1j * rng.standard_normal(n), b - 1j * rng.standard_normal(n)
    return a.astype(dtype), b.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.complex64])
@pytest.mark.parametrize("kernel,reference", KERNELS)
def test_every_short_length_and_some_long_ones(kernel, reference, dtype):
    rng = np.random.default_rng(20)
    for n in [*range(71), *LARGE]:
        a, b = operands(rng, n, dtype)
        assert_close(kernel(a, b), reference(a, b), a, b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128])
@pytest.mark.parametrize("step", [2, 3, -1, -2])
def test_strided_and_reversed_views(step, dtype):
    rng = np.random.default_rng(3)
    for n in (0, 1, 7, 33, 70, 20_000):
        a, b = operands(rng, n * abs(step), dtype)
        x, y = a[::step], b[::-step]
        for kernel, reference in KERNELS:
            assert_close(kernel(x, y), reference(x, y), x, y)


def test_contiguous_operand_with_a_strided_one():
    rng = np.random.default_rng(4)
    a, b = rng.standard_normal(20_000), rng.standard_normal(40_000)[::2]
    assert_close(dot(a, b), np.dot(a, b), a, b)
    assert_close(dot(b, a[:]), np.dot(b, a), b, a)


@pytest.mark.parametrize("kernel,reference", KERNELS)
def test_mismatched_lengths_raise_a_value_error_naming_both_lengths(kernel, reference):
    a, b = np.ones(3), np.ones(4)
    with pytest.raises(ValueError):
        reference(a, b)
    with pytest.raises(ValueError) as raised:
        kernel(a, b)
    # Numba's wording (its programs match it), with the lengths NumPy's message gives
    message = str(raised.value)
    assert "incompatible array sizes" in message and "3" in message and "4" in message


@pytest.mark.parametrize("left,right", [(np.float32, np.float32), (np.float32, np.float64),
                                        (np.int32, np.float32), (np.complex64, np.float32),
                                        (np.int8, np.int8), (np.int64, np.int64),
                                        (np.bool_, np.bool_), (np.complex64, np.complex128)])
@pytest.mark.parametrize("kernel,reference", KERNELS)
def test_result_dtype_and_value_follow_numpy(kernel, reference, left, right):
    a = (np.arange(1, 41) % 7).astype(left)
    b = (np.arange(1, 41) % 5).astype(right)
    expected = reference(a, b)
    result = kernel(a, b)
    returns = {str(s.return_type) for s in kernel.nopython_signatures
               if [str(t.dtype) for t in s.args] == [np.dtype(left).name, np.dtype(right).name]}
    assert returns == {np.asarray(expected).dtype.name}
    assert result == expected.item()


def test_float32_is_accumulated_in_float32():
    # 2**24 + 1 is not a float32: a float64 accumulator would give 16777217
    a = np.ones(2 ** 24 + 8, np.float32)
    for n in (2 ** 24 + 1, 2 ** 24 + 8):
        assert dot(a[:n], a[:n]) == np.float32(np.dot(a[:n], a[:n]))


def test_vdot_conjugates_the_first_operand_only():
    a = np.array([1 + 2j, 3 - 1j, 0.5j])
    b = np.array([2 - 1j, 1j, 4 + 0j])
    assert vdot(a, b) == np.vdot(a, b) and dot(a, b) == np.dot(a, b)
    assert vdot(a, b) != dot(a, b)


def test_nan_and_inf_propagate():
    a = np.ones(100)
    for bad in (np.nan, np.inf, -np.inf):
        b = np.ones(100)
        b[57] = bad
        assert np.array_equal(dot(a, b), np.dot(a, b), equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_long_products_without_blas_use_the_generated_loop(dtype, monkeypatch):
    """SciPy is optional: with the BLAS slot empty the loop computes long products alone."""
    rng = np.random.default_rng(5)
    a, b = operands(rng, 100_000, dtype)
    dot(a, b)  # compiled: BLAS loaded if SciPy is present
    slot = reductions.BLAS_SLOTS[np.dtype(dtype).name][1]
    monkeypatch.setattr(slot, "value", None)
    assert_close(dot(a, b), np.dot(a, b), a, b)
    assert_close(dot(a[::2], b[::2]), np.dot(a[::2], b[::2]), a[::2], b[::2])


def test_scipy_is_not_imported_with_the_array_library():
    import subprocess
    code = ("import sys, numpy as np, jitbridge\n"
            "from jitbridge.lib.arrays import reductions\n"
            "print('scipy.linalg' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_contiguous_float_loop_is_vectorised():
    a = np.ones(8)
    dot(a, a)
    llvm = dot.inspect_llvm(dot.signatures[-1])
    assert "fmul reassoc contract <" in llvm or "fma.v" in llvm


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([np.float32, np.float64]), st.integers(0, 300), st.data())
def test_hypothesis_values(dtype, n, data):
    elements = st.floats(-1e6, 1e6, width=np.dtype(dtype).itemsize * 8)
    a = data.draw(hnp.arrays(dtype, n, elements=elements))
    b = data.draw(hnp.arrays(dtype, n, elements=elements))
    for kernel, reference in KERNELS:
        assert_close(kernel(a, b), reference(a, b), a, b)
