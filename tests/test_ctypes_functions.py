"""ctypes functions called from compiled code (Numba's ctypes support, issue 22): a C
library's function, a Cython routine by `get_cython_function_address`, a Python callback."""
import ctypes
import ctypes.util
import gc
import math

import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.extending import get_cython_function_address

libm = ctypes.CDLL(ctypes.util.find_library("m"))
c_cos = libm.cos
c_cos.restype, c_cos.argtypes = ctypes.c_double, [ctypes.c_double]
c_powf = libm.powf
c_powf.restype, c_powf.argtypes = ctypes.c_float, [ctypes.c_float, ctypes.c_float]


@pytest.mark.parametrize("x", [0.0, 0.5, -3.25, 1e6])
def test_a_c_library_function(x):
    @njit
    def through_libm(v):
        return c_cos(v) + c_powf(v, 2)
    assert through_libm(x) == math.cos(x) + c_powf(x, 2)


def test_a_cython_function_by_address():
    pytest.importorskip("scipy.special.cython_special")
    j0 = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)(
        get_cython_function_address("scipy.special.cython_special", "j0"))

    @njit
    def bessel(x):
        return j0(x)
    assert bessel(0.0) == 1.0 and bessel(2.5) == j0(2.5)


def test_cython_address_errors_say_what_is_missing():
    with pytest.raises(ImportError, match="No module named 'fakemodule'"):
        get_cython_function_address("fakemodule", "f")
    pytest.importorskip("scipy.special.cython_special")
    with pytest.raises(ValueError, match="^No function 'foo' found in __pyx_capi__ of "
                                         "'scipy.special.cython_special'$"):
        get_cython_function_address("scipy.special.cython_special", "foo")


def test_a_python_callback_outlives_its_name():
    seen = []
    callback = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64)(
        lambda v: seen.append(v) or v * 3)

    @njit
    def call(v):
        return callback(v) + 1
    assert call(4) == 13
    del callback
    gc.collect()
    assert call(5) == 16 and seen == [4, 5]  # compiled code keeps the thunk alive


def test_functions_without_a_known_signature_are_refused():
    untyped = libm.sin  # no argtypes: the C signature is unknown

    @njit
    def call(v):
        return untyped(v)
    with pytest.raises(TypingError, match="cannot determine the type of _FuncPtr"):
        call(1.0)
