"""forceobj=True kernels (npyufunc/objkernels.py): native ufunc loops calling the Python function
in the interpreter, per element or per core call, with Numba's `cres.objectmode` flag, NumPy's
results, writes into gufunc outputs, exceptions reaching the caller, and clear refusals."""
import numpy as np
import pytest

from jitbridge import TypingError, guvectorize, njit, vectorize
from jitbridge.npyufunc import DUFunc, GUFuncBuilder
from jitbridge.testing import no_leaks


class Untyped:  # no compiled code could make one: only the interpreter can run the kernels
    pass


class Boom(Exception):
    pass


def add(a, b):
    Untyped()
    return a + b


def guadd(a, b, c):
    Untyped()
    x, y = c.shape
    for i in range(x):
        for j in range(y):
            c[i, j] = a[i, j] + b[i, j]


def guadd_scalar(a, b, c):
    c[:] = a + b


def fail_above_3(a):
    if a > 3:
        raise Boom(f"too big: {a}")
    return a * 2.0


vadd = vectorize(["int32(int32, int32)", "float64(float64, float64)"], forceobj=True)(add)
gadd = guvectorize(["(int32[:,:], int32[:,:], int32[:,:])",
                    "(complex64[:,:], complex64[:,:], complex64[:,:])"],
                   "(x,y),(x,y)->(x,y)", forceobj=True)(guadd)
gscalar = guvectorize(["(int32[:,:], int32, int32[:,:])"], "(x,y),()->(x,y)",
                      forceobj=True)(guadd_scalar)
vfail = vectorize(["float64(float64)"], forceobj=True)(fail_above_3)


@njit
def call_vadd(x):
    return vadd(x, 2.0)


def test_vectorize_kernels_run_in_the_interpreter():
    builder = DUFunc(add, targetoptions={"forceobj": True})
    assert builder.add("int32(int32, int32)").objectmode
    assert not DUFunc(fail_above_3).add("float64(float64)").objectmode
    a = np.arange(10, dtype=np.int32)
    result = vadd(a, a)
    assert result.dtype == np.int32 and np.array_equal(result, a + a)
    np.testing.assert_array_equal(vadd(np.arange(3.0), 0.5), np.arange(3.0) + 0.5)
    np.testing.assert_array_equal(call_vadd(np.arange(3.0)), np.arange(3.0) + 2.0)


def test_guvectorize_kernels_write_their_outputs():
    builder = GUFuncBuilder(guadd, "(x, y),(x, y)->(x, y)", targetoptions={"forceobj": True})
    assert builder.add("void(int32[:,:], int32[:,:], int32[:,:])").objectmode
    a = np.arange(10, dtype=np.int32).reshape(2, 5)
    for _ in range(3):  # (fresh outputs each time: NumPy's memory is not reused by chance)
        np.testing.assert_array_equal(gadd(a, a), a + a)
    c = np.arange(10, dtype=np.complex64).reshape(2, 5) + 1j
    np.testing.assert_array_equal(gadd(c, c), c + c)
    np.testing.assert_array_equal(gscalar(a, 3), a + 3)
    out = np.zeros_like(a)
    gscalar(a[:, ::-1], 1, out=out)  # strided operands
    np.testing.assert_array_equal(out, a[:, ::-1] + 1)


def test_exceptions_reach_the_caller():
    np.testing.assert_array_equal(vfail(np.arange(4.0)), np.arange(4.0) * 2)
    with pytest.raises(Boom, match="too big: 4"):
        vfail(np.arange(6.0))


def test_refusals_are_clear():
    dynamic = vectorize(forceobj=True)(add)
    with pytest.raises(TypingError, match="give each signature its return type"):
        dynamic(np.arange(3), np.arange(3))

    @njit
    def call_gadd(a, out):
        gscalar(a, 1, out)
    a = np.zeros((2, 2), np.int32)
    with pytest.raises(TypingError, match="forceobj=True"):
        call_gadd(a, a)


def test_no_leaks():
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    gadd(a, a), vadd(a, a)
    with no_leaks(a):
        for _ in range(5):
            gadd(a, a)
            vadd(a, a)
            call_vadd(np.arange(3.0))
