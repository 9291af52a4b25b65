"""np.dot, `@`, np.matmul, np.vdot and np.kron of operands of different dtypes: NumPy promotes
them (Numba refuses them, a limitation jitbridge lifts), and the results equal NumPy's in dtype
and value, on the BLAS paths (float and complex matrices) and the loop paths alike."""
import itertools

import numpy as np
import pytest

from jitbridge import njit, typeof
from jitbridge.np.numpy_support import as_dtype

DTYPES = [np.bool_, np.int8, np.uint8, np.int32, np.int64, np.uint64, np.float32, np.float64,
          np.complex64, np.complex128]
#: (left shape, right shape): vector . vector, matrix @ matrix, matrix @ vector, vector @ matrix
SHAPES = [((4,), (4,)), ((3, 4), (4, 5)), ((3, 4), (4,)), ((4,), (4, 5))]


@njit
def dot(a, b):
    return np.dot(a, b)


@njit
def matmul_operator(a, b):
    return a @ b


@njit
def matmul(a, b):
    return np.matmul(a, b)


@njit
def vdot(a, b):
    return np.vdot(a, b)


@njit
def kron(a, b):
    return np.kron(a, b)


PRODUCTS = {dot: np.dot, matmul_operator: lambda a, b: a @ b, matmul: np.matmul, vdot: np.vdot,
            kron: np.kron}


def sample(dtype, shape, seed):
    """Small integer values (imaginary parts too): every precision and summation order gives
    the same exact result."""
    rng = np.random.default_rng(seed)
    values = rng.integers(-3, 4, size=shape)
    if dtype == np.bool_:
        return values > 0
    if np.dtype(dtype).kind == "u":
        values = np.abs(values)
    if np.dtype(dtype).kind == "c":
        return (values + 1j * rng.integers(-3, 4, size=shape)).astype(dtype)
    return values.astype(dtype)


def result_dtype(compiled, args):
    """The dtype of what `compiled` returned for `args`, scalars included (boxed as Python
    numbers, as Numba boxes them)."""
    if isinstance(compiled(*args), np.ndarray):
        return compiled(*args).dtype
    [sig] = [s for s in compiled.nopython_signatures if s.args == tuple(map(typeof, args))]
    return as_dtype(sig.return_type)


def check(compiled, left, right, shapes):
    a, b = sample(left, shapes[0], 1), sample(right, shapes[1], 2)
    expected, got = PRODUCTS[compiled](a, b), compiled(a, b)
    assert result_dtype(compiled, (a, b)) == np.asarray(expected).dtype
    assert np.ndim(got) == np.ndim(expected)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("compiled,left,right,shapes", [
    (dot, np.int64, np.float32, SHAPES[1]),           # dgemm after converting both
    (matmul_operator, np.float32, np.complex64, SHAPES[2]),  # cgemm
    (dot, np.bool_, np.int8, SHAPES[1]),              # the loop: int8
    (vdot, np.complex64, np.float64, SHAPES[0]),      # complex128, conjugating the first
    (kron, np.uint8, np.int8, SHAPES[1]),             # int16
])
def test_mixed_dtype_products_are_numpys(compiled, left, right, shapes):
    check(compiled, left, right, shapes)


@pytest.mark.slow
@pytest.mark.parametrize("left,right", itertools.product(DTYPES, DTYPES))
def test_every_mixed_pair_is_numpys(left, right):
    for shapes in SHAPES:
        for compiled in (dot, matmul_operator, kron):
            check(compiled, left, right, shapes)
    check(vdot, left, right, SHAPES[0])
