"""parallel=True: elementwise array operations and whole-array sums run on the threads;
results equal NumPy's (sums up to the reassociation of partial sums)."""
import numpy as np
import pytest

from jitbridge import njit

SIZES = [0, 1, 5, (1 << 14) - 1, 1 << 14, 100_003]


def expression(a, b, c):
    return a * b + np.sin(c) - 2.0 * a / (b + 1.0)


parallel_expression = njit(parallel=True)(expression)


@pytest.mark.parametrize("n", SIZES)
def test_elementwise_expression_equals_numpy(n):
    rng = np.random.default_rng(n)
    a, b, c = (rng.random(n) for _ in range(3))
    got = parallel_expression(a, b, c)
    np.testing.assert_array_equal(got, expression(a, b, c))


def test_two_dimensional_mixed_dtypes_and_scalars():
    def f(a, b, k):
        return (a + b) * k > 3
    a = np.arange(300 * 200, dtype=np.int32).reshape(300, 200) % 7
    b = np.linspace(0, 1, 200)
    got = njit(parallel=True)(f)(a, b, 2)
    np.testing.assert_array_equal(got, f(a, b, 2))
    assert got.dtype == np.bool_


def test_ufunc_out_argument_and_non_contiguous_inputs():
    def f(a, out):
        np.multiply(a[::2], 3, out=out)
        return out
    a = np.arange(80_000.0)
    out = np.empty(40_000)
    got = njit(parallel=True)(f)(a, out)
    np.testing.assert_array_equal(got, a[::2] * 3)


def sums(a):
    return np.sum(a), a.sum(), np.prod(a[:7])


parallel_sums, serial_sums = njit(parallel=True)(sums), njit(sums)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float64, np.complex128])
@pytest.mark.parametrize("n", [0, 1, (1 << 14) - 1, 100_003])
def test_whole_array_sum_and_prod(dtype, n):
    a = (np.arange(n) % 13).astype(dtype)
    got, want = parallel_sums(a), sums(a)
    if np.dtype(dtype).kind == "i":
        assert got == tuple(want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-12)
    assert type(got[0]) is type(serial_sums(a)[0])


def extremes(a):
    return np.min(a), np.max(a), a.min(), a.max()


parallel_extremes = njit(parallel=True)(extremes)


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint32, np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 5, 1 << 14, 100_003])
def test_whole_array_min_and_max_equal_numpy(dtype, n):
    a = np.random.default_rng(n).integers(-100, 100, n).astype(dtype)
    assert parallel_extremes(a) == extremes(a)


def test_min_and_max_propagate_nan_from_any_share():
    a = np.linspace(0, 1, 100_000)
    a[77_777] = np.nan
    assert all(np.isnan(v) for v in parallel_extremes(a))


def positions(a):
    return np.argmin(a), np.argmax(a), a.argmin(), a.argmax()


parallel_positions = njit(parallel=True)(positions)


@pytest.mark.parametrize("dtype", [np.int8, np.uint32, np.float32, np.float64])
@pytest.mark.parametrize("n", [1, 5, 1 << 14, 100_003])
def test_whole_array_argmin_and_argmax_equal_numpy(dtype, n):
    a = np.random.default_rng(n).integers(-100, 100, n).astype(dtype)  # many ties
    assert parallel_positions(a) == positions(a)


def test_argmin_and_argmax_take_the_first_nan_and_the_first_of_equal_extremes():
    a = np.full(100_000, 5.0)
    a[[10, 60_000, 99_999]] = 1.0, -3.0, -3.0
    a[[20, 80_000]] = 9.0
    assert parallel_positions(a) == positions(a) == (60_000, 20, 60_000, 20)
    a[[90_000, 70_000]] = np.nan
    assert parallel_positions(a) == positions(a) == (70_000,) * 4
