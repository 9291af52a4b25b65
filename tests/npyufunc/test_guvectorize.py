"""@guvectorize: generalized NumPy ufuncs over core dimensions, static and dynamic."""
import pickle

import numpy as np
import pytest

from jitbridge import float32, float64, guvectorize, int64, void
from jitbridge.npyufunc import GUVectorize
from jitbridge.testing import no_leaks


def matmulcore(A, B, C):
    m, n = A.shape
    n, p = B.shape
    for i in range(m):
        for j in range(p):
            C[i, j] = 0
            for k in range(n):
                C[i, j] += A[i, k] * B[k, j]


@guvectorize([void(float64[:], int64, float64[:])], "(n),()->(n)")
def move_mean(a, window, out):
    total = 0.0
    for i in range(window):
        total += a[i]
        out[i] = total / (i + 1)
    for i in range(window, a.shape[0]):
        total += a[i] - a[i - window]
        out[i] = total / window


def test_static_gufunc_broadcasts_over_loop_dimensions():
    A = np.arange(101 * 8, dtype=np.float32).reshape(101, 2, 4)
    B = np.arange(101 * 20, dtype=np.float32).reshape(101, 4, 5)
    gufunc = guvectorize([void(float32[:, :], float32[:, :], float32[:, :])],
                         "(m,n),(n,p)->(m,p)")(matmulcore)
    np.testing.assert_allclose(gufunc(A, B), A @ B, rtol=1e-6)
    np.testing.assert_allclose(gufunc(A, B[0]), A @ B[0], rtol=1e-6)   # a broadcast operand
    np.testing.assert_allclose(gufunc(A[:, :, ::2], B[:, ::2]), A[:, :, ::2] @ B[:, ::2],
                               rtol=1e-6)                              # strided core dims
    assert gufunc.signature == "(m,n),(n,p)->(m,p)" and gufunc.types == ["ff->f"]


def test_moving_average_against_python():
    a = np.arange(20.0).reshape(2, 10) ** 2
    got = move_mean(a, 3)
    expected = np.array([[np.mean(row[max(0, i - 2):i + 1]) for i in range(10)] for row in a])
    np.testing.assert_allclose(got, expected)


def test_scalar_output_and_out_keyword():
    @guvectorize(["void(int32[:], int32[:])"], "(n)->()")
    def sum_row(inp, out):
        tmp = 0
        for i in range(inp.shape[0]):
            tmp += inp[i]
        out[0] = tmp
    inp = np.arange(300, dtype=np.int32).reshape(100, 3)
    np.testing.assert_array_equal(sum_row(inp), inp.sum(axis=1))
    out = np.zeros(100, dtype=np.int32)
    sum_row(inp, out=out)
    np.testing.assert_array_equal(out, inp.sum(axis=1))


def test_axis_keyword():
    @guvectorize(["f8[:],f8[:]"], "(n)->(n)")
    def cumsum(x, res):
        acc = 0.0
        for i in range(x.shape[0]):
            acc += x[i]
            res[i] = acc
    x = np.ones((4, 6))
    np.testing.assert_array_equal(cumsum(x, axis=0), np.cumsum(x, axis=0))


def test_dynamic_gufunc_compiles_per_dtype():
    gufunc = GUVectorize(matmulcore, "(m,n),(n,p)->(m,p)", is_dynamic=True)
    for dtype in (np.int64, np.float32):
        A = np.arange(3 * 8, dtype=dtype).reshape(3, 2, 4)
        B = np.arange(3 * 20, dtype=dtype).reshape(3, 4, 5)
        C = np.zeros((3, 2, 5), dtype=dtype)
        gufunc(A, B, C)
        np.testing.assert_allclose(C, A @ B)
    assert len(gufunc.types) == 2
    with pytest.raises(TypeError, match="Too few arguments"):
        gufunc(A, B)


def test_elementwise_layout_and_methods():
    @guvectorize("(),()->()")
    def add(x, y, res):
        res[0] = x + y
    a, b, res = np.array([1, 2, 3, 4]), np.array([4, 3, 2, 1]), np.zeros(4, dtype=np.int64)
    add(a, b, res)
    np.testing.assert_array_equal(res, [5, 5, 5, 5])
    assert add.signature is None
    assert add.reduce(a) == 10


def test_layout_errors():
    sigs = ["(int32[:,:], int32[:,:], int32[:,:])"]
    with pytest.raises(ValueError, match="bad token in signature"):
        guvectorize(sigs, ")-:")(matmulcore)
    with pytest.raises(NameError, match="undefined output symbols: v,z"):
        guvectorize(sigs, "(x,y),(x,y)->(x,z,v)")(matmulcore)
    with pytest.raises(ValueError):
        guvectorize(sigs, "(x,y),(x,y),(x,y)->")(matmulcore)
    with pytest.raises(TypeError, match="scalar type int32 given for non scalar argument #2"):
        guvectorize(["int32[:], int32, int32[:]"], "(n),(n)->(n)")(lambda a, b, c: None)
    with pytest.raises(TypeError, match="type and shape signature mismatch for arg #1"):
        guvectorize(["int32[:], int32[:]"], "(m,n)->(n)")(lambda a, b: None)


def test_kernel_exception_reaches_caller():
    @guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")
    def checked(x, out):
        for i in range(x.shape[0]):
            if x[i] < 0:
                raise ValueError("negative")
            out[i] = x[i]
    with pytest.raises(ValueError, match="negative"):
        checked(np.array([1.0, -1.0]))


def test_writable_args_write_back_through_a_cast():
    @guvectorize(["void(float64[:], float64[:])"], "(n)->()", writable_args=("x",))
    def bump(x, out):
        for i in range(x.shape[0]):
            x[i] += 1
        out[0] = 0
    x = np.arange(4, dtype=np.float32)  # cast to float64: NumPy copies, then writes back
    bump(x)
    np.testing.assert_array_equal(x, [1, 2, 3, 4])


def test_no_leaks_and_pickling():
    data = np.arange(50.0).reshape(5, 10)
    with no_leaks():
        for _ in range(50):
            move_mean(data, 2)
    clone = pickle.loads(pickle.dumps(move_mean))
    np.testing.assert_array_equal(clone(data, 2), move_mean(data, 2))


def test_called_from_compiled_code():
    from jitbridge import TypingError, njit

    @guvectorize("(n),()->(n)")
    def add(x, y, res):
        for i in range(x.shape[0]):
            res[i] = x[i] + y

    @njit
    def run(x, y, res):
        add(x, y, res)
    x = np.arange(40, dtype=np.int64).reshape(4, 2, 5)
    res = np.zeros_like(x)
    run(x, 100, res)
    np.testing.assert_array_equal(res, x + 100)
    res2 = np.zeros((2, 5), dtype=np.int64)
    run(x[0], 1, res2)                      # fewer loop dimensions
    np.testing.assert_array_equal(res2, x[0] + 1)
    with pytest.raises(ValueError, match="Loop and array shapes are incompatible"):
        run(x, 1, np.zeros((3, 2, 5), dtype=np.int64))
    with pytest.raises(ValueError, match="mismatch in one of its core dimensions"):
        run(x, 1, np.zeros((4, 2, 4), dtype=np.int64))
    with pytest.raises(TypingError, match="Input operand 0 does not have enough dimensions"):
        run(np.int64(3), 1, res)

    @njit
    def moving(a, out):
        move_mean(a, 2, out)
    data = np.arange(30.0).reshape(3, 10)
    out = np.zeros_like(data)
    moving(data, out)
    np.testing.assert_allclose(out, move_mean(data, 2))
    with no_leaks(data, out):
        for _ in range(20):
            moving(data, out)
            run(x, 100, res)
