"""@cfunc: C callbacks, ctypes/scipy integration, carray/farray, errors, GIL behaviour."""
import ctypes
import sys

import numpy as np
import pytest
from scipy import LowLevelCallable, integrate, ndimage

from jitbridge import carray, cfunc, cfunc_last_error, farray, njit, types
from jitbridge.errors import TypingError
from jitbridge.types import CPointer, float64, intc, intp, voidptr


@cfunc(float64(float64))
def inverse(x):
    return 1.0 / x


def test_cfunc_object_attributes():
    assert inverse(4.0) == 0.25
    assert isinstance(inverse.address, int)
    assert inverse.address == ctypes.cast(inverse.ctypes, ctypes.c_void_p).value
    assert inverse.ctypes.restype is ctypes.c_double
    assert inverse.ctypes.argtypes == (ctypes.c_double,)
    assert inverse.native_name in inverse.inspect_llvm()
    assert inverse.native_name.split(".")[-1] in inverse.inspect_asm()


def test_signature_as_string_and_return_type_required():
    f = cfunc("int64(int64, int64)")(lambda a, b: a * b)
    assert f(6, 7) == 42
    with pytest.raises(TypeError, match="return type"):
        cfunc((types.int64,))(lambda a: a)


def test_scipy_quad_with_low_level_callable():
    value, _ = integrate.quad(LowLevelCallable(inverse.ctypes), 1, 2)
    assert abs(value - np.log(2)) < 1e-12


@cfunc(intc(CPointer(float64), intp, CPointer(float64), voidptr))
def weighted_sum(values_ptr, n, result, user_data):
    values = carray(values_ptr, (n,), dtype=float64)
    weights = carray(user_data, (n,), dtype=float64)  # opaque user data as a typed view
    total = 0.0
    for i in range(n):
        total += values[i] * weights[i]
    result[0] = total
    return 1


def test_scipy_generic_filter_with_user_data():
    weights = np.array([0.25, 0.5, 0.25])
    image = np.arange(10.0)
    user_data = ctypes.cast(weights.ctypes.data, ctypes.c_void_p)
    callback = LowLevelCallable(weighted_sum.ctypes, user_data=user_data)
    got = ndimage.generic_filter(image, callback, size=3, mode="nearest")
    expected = ndimage.generic_filter(image, lambda v: (v * weights).sum(), size=3, mode="nearest")
    assert np.allclose(got, expected)


@cfunc("void(CPointer(float64), CPointer(float64), intp, intp)")
def transpose_into(src, dst, rows, cols):
    a = carray(src, (rows, cols))
    b = farray(dst, (rows, cols))
    for i in range(rows):
        for j in range(cols):
            b[i, j] = a[i, j] * 2


def test_carray_and_farray_layouts():
    src = np.arange(6.0).reshape(2, 3)
    dst = np.zeros(6)
    dptr = ctypes.POINTER(ctypes.c_double)
    transpose_into(src.ctypes.data_as(dptr), dst.ctypes.data_as(dptr), 2, 3)
    assert dst.reshape(3, 2).T.tolist() == (src * 2).tolist()  # column-major storage


def test_carray_farray_from_python():
    data = np.arange(6.0)
    ptr = data.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    assert carray(ptr, (2, 3)).tolist() == data.reshape(2, 3).tolist()
    assert farray(ptr, (2, 3)).tolist() == data.reshape(3, 2).T.tolist()
    assert carray(data.ctypes.data, 6, dtype=np.float64).sum() == data.sum()
    with pytest.raises(TypeError, match="dtype"):
        carray(data.ctypes.data, 6)


def test_voidptr_requires_dtype_in_compiled_code():
    with pytest.raises(TypingError, match="explicit dtype"):
        cfunc("float64(voidptr)")(lambda p: carray(p, 3)[0])


@pytest.mark.parametrize("view", [carray, farray])
def test_a_dtype_other_than_the_pointers_is_refused_in_numbas_words(view):
    with pytest.raises(TypingError, match="mismatching dtype 'float32' for pointer type "
                                          "'float64\\*'"):
        cfunc("float64(CPointer(float64))")(lambda p: view(p, 3, dtype=np.float32)[0])


def test_cfunc_called_from_njit_natively():
    @njit
    def use(x):
        return inverse(x) + 1.0
    assert use(2.0) == 1.5
    assert "call" in use.inspect_llvm()[use.signatures[0]]


def test_cfunc_as_first_class_argument():
    @njit
    def apply(f, x):
        return f(x) * 2
    twice = cfunc(float64(float64))(lambda x: x + 0.5)
    assert apply(inverse, 4.0) == 0.5
    assert apply(twice, 1.0) == 3.0
    assert len(apply.signatures) == 1  # same C signature, one specialisation


def test_default_error_handling_prints_once_and_returns_zero(capsys, monkeypatch):
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)  # not pytest's
    @cfunc(float64(float64))
    def fails(x):
        if x < 0:
            raise ValueError("negative input")
        return x
    assert fails(-1.0) == 0.0
    assert fails(-2.0) == 0.0
    err = capsys.readouterr().err
    assert err.count("ValueError: negative input") == 1 and "fails" in err
    assert err.startswith("Exception ignored in cfunc 'fails'")  # Python's (and Numba's) words
    assert isinstance(cfunc_last_error(), ValueError)
    assert cfunc_last_error() is None  # cleared


def test_errors_go_to_an_installed_unraisablehook(monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    @cfunc(float64(float64))
    def fails_too(x):
        raise KeyError(x)
    assert fails_too(3.0) == 0.0
    [args] = seen
    assert args.exc_type is KeyError and args.exc_value.args == (3.0,)
    assert "Exception ignored in cfunc 'fails_too'" in args.err_msg


def test_object_mode_is_refused_as_in_numba():
    with pytest.raises(NotImplementedError, match="no object mode"):
        cfunc(float64(float64), forceobj=True)(lambda x: x)


def test_error_value_option(capsys):
    @cfunc(intc(intc), error_value=-1)
    def checked(x):
        if x == 0:
            raise ZeroDivisionError("zero")
        return 10 // x
    assert checked(5) == 2
    assert checked(0) == -1
    assert capsys.readouterr().err == ""
    error = cfunc_last_error()
    assert isinstance(error, ZeroDivisionError) and str(error) == "zero"


def _run_on_native_thread(function, argument, join_with_gil_held):
    libc = ctypes.CDLL(None)
    api = ctypes.PyDLL(None) if join_with_gil_held else libc
    thread = ctypes.c_ulong()
    start = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)(function.address)
    assert libc.pthread_create(ctypes.byref(thread), None, start, ctypes.c_void_p(argument)) == 0
    if not join_with_gil_held:
        return libc.pthread_join(thread, None)

    class Timespec(ctypes.Structure):
        _fields_ = [("sec", ctypes.c_long), ("nsec", ctypes.c_long)]
    deadline = Timespec()
    libc.clock_gettime(0, ctypes.byref(deadline))
    deadline.sec += 10
    return api.pthread_timedjoin_np(thread, None, ctypes.byref(deadline))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses pthreads directly")
def test_cfunc_without_python_never_takes_the_gil():
    @cfunc(voidptr(voidptr))
    def fill(arg):
        values = carray(arg, 4, dtype=float64)
        for i in range(4):
            values[i] = i * 1.5
        return arg
    buffer = np.zeros(4)
    # the joining thread keeps the GIL: taking it on the native thread would deadlock
    assert _run_on_native_thread(fill, buffer.ctypes.data, join_with_gil_held=True) == 0
    assert buffer.tolist() == [0.0, 1.5, 3.0, 4.5]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses pthreads directly")
def test_cfunc_raising_on_native_thread_takes_the_gil_for_the_error(capsys):
    @cfunc(voidptr(voidptr), error_value=0)
    def explode(arg):
        raise RuntimeError("from a C thread")
    assert _run_on_native_thread(explode, 0, join_with_gil_held=False) == 0
    error = cfunc_last_error(any_thread=True)
    assert isinstance(error, RuntimeError) and "C thread" in str(error)


CALLS = []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses pthreads directly")
def test_cfunc_with_objmode_takes_the_gil_for_the_block_only():
    from jitbridge import objmode

    @cfunc(voidptr(voidptr))
    def log_from_c(arg):
        values = carray(arg, 2, dtype=float64)
        values[0] = 7.0
        with objmode():
            CALLS.append("called from a C thread")
        values[1] = 8.0
        return arg
    buffer = np.zeros(2)
    CALLS.clear()
    assert _run_on_native_thread(log_from_c, buffer.ctypes.data, join_with_gil_held=False) == 0
    assert CALLS == ["called from a C thread"] and buffer.tolist() == [7.0, 8.0]


POINT = np.dtype([("x", np.float64), ("y", np.float64), ("tag", np.int32)], align=True)


@cfunc("float64(voidptr, intp)")
def sum_points(user_data, n):
    points = carray(user_data, n, dtype=POINT)   # opaque user data as an array of structs
    total = 0.0
    for i in range(n):
        total += points[i].x * points[i].y
        points[i].tag = i + 1                    # writes go to the caller's memory
    return total


def test_voidptr_user_data_as_struct_records():
    points = np.zeros(3, dtype=POINT)
    points["x"], points["y"] = [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]
    assert sum_points(points.ctypes.data, 3) == 4.0 + 10.0 + 18.0
    assert points["tag"].tolist() == [1, 2, 3]
