"""@vectorize / @guvectorize with target='parallel': the serial loop on the threads, each a
share of the outer dimension; results equal the 'cpu' target's, errors reach the caller."""
import numpy as np
import pytest

import jitbridge
from jitbridge import guvectorize, vectorize


def affine(x, y):
    return x * y + 1


SIGS = ["float64(float64, float64)", "int64(int64, int64)"]
parallel_affine, cpu_affine = vectorize(SIGS, target="parallel")(affine), vectorize(SIGS)(affine)


@pytest.mark.parametrize("n", [0, 1, 4095, 4096, 100_003])
def test_parallel_ufunc_equals_cpu_ufunc(n):
    parallel, cpu = parallel_affine, cpu_affine
    a, b = np.arange(n, dtype=np.float64), np.linspace(0, 1, n)
    np.testing.assert_array_equal(parallel(a, b), cpu(a, b))
    i = np.arange(n)
    np.testing.assert_array_equal(parallel(i, i), cpu(i, i))


def test_parallel_ufunc_with_strided_operands_and_out():
    a = np.arange(40_000.0).reshape(200, 200)
    out = np.empty((200, 100))
    parallel_affine(a[:, ::2], 2.0, out=out)
    np.testing.assert_array_equal(out, a[:, ::2] * 2 + 1)


def test_parallel_ufunc_error_reaches_the_caller():
    @vectorize(["float64(float64)"], target="parallel")
    def checked_sqrt(x):
        if x < 0:
            raise ValueError("negative input")
        return np.sqrt(x)
    x = np.arange(50_000.0)
    x[33_333] = -1
    with pytest.raises(ValueError, match="negative input"):
        checked_sqrt(x)
    np.testing.assert_array_equal(checked_sqrt(np.abs(x)), np.sqrt(np.abs(x)))


def test_parallel_gufunc_equals_numpy():
    @guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)", target="parallel")
    def scaled_cumsum(x, k, out):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i]
            out[i] = s * k
    m = np.random.default_rng(3).random((9000, 17))
    np.testing.assert_allclose(scaled_cumsum(m, 2.0), np.cumsum(m, axis=1) * 2.0, rtol=1e-12)


def test_unknown_target_is_refused():
    with pytest.raises(NotImplementedError, match="'cpu' or 'parallel'"):
        vectorize(["float64(float64)"], target="cuda")(lambda x: x)
