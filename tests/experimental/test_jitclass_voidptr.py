"""jitclass instances as the `void*` user data of a @cfunc (Numba #3043): as_voidptr from
Python and compiled code, from_voidptr inside the callback, lifetime, wrong pointers."""
import ctypes
import gc
import sys

import pytest
from scipy import LowLevelCallable, integrate

from jitbridge import cfunc, cfunc_last_error, njit, types
from jitbridge.errors import TypingError
from jitbridge.experimental import jitclass
from jitbridge.experimental.jitclass import as_voidptr, from_voidptr
from jitbridge.testing import no_leaks


@jitclass([("a", types.float64), ("b", types.float64), ("calls", types.int64)])
class Line:
    def __init__(self, a, b):
        self.a = a
        self.b = b
        self.calls = 0

    def at(self, x):
        self.calls += 1
        return self.a * x + self.b


@jitclass([("z", types.int64)])
class Other:
    def __init__(self):
        self.z = 1


@cfunc(types.float64(types.intc, types.CPointer(types.float64), types.voidptr),
       error_value=-1.0)
def line_integrand(n, xx, user_data):
    line = from_voidptr(user_data, Line)
    return line.at(xx[0])


def test_scipy_quad_reads_and_mutates_the_instance():
    line = Line(2.0, 1.0)
    value, _ = integrate.quad(LowLevelCallable(line_integrand.ctypes,
                                               user_data=as_voidptr(line)), 0.0, 1.0)
    assert value == pytest.approx(2.0)
    assert line.calls > 0                      # the callback's writes reach the instance


def test_pointer_object_keeps_the_instance_alive():
    pointer = as_voidptr(Line(3.0, 0.0))       # no other reference to the instance
    gc.collect()
    assert isinstance(pointer, ctypes.c_void_p)
    assert line_integrand.ctypes(1, (ctypes.c_double * 1)(2.0), pointer) == 6.0
    assert pointer.instance.calls == 1


def test_wrong_class_and_null_pointers_raise_in_the_callback():
    x = (ctypes.c_double * 1)(1.0)
    assert line_integrand.ctypes(1, x, as_voidptr(Other())) == -1.0
    assert "not to a Line instance" in str(cfunc_last_error())
    assert line_integrand.ctypes(1, x, None) == -1.0
    error = cfunc_last_error()
    assert isinstance(error, ValueError) and "NULL pointer" in str(error)


def test_compiled_round_trip_is_the_same_object_without_leaks():
    @njit
    def round_trip(line):
        again = from_voidptr(as_voidptr(line), Line)
        again.b = 5.0
        return again

    line = Line(1.0, 0.0)
    with no_leaks(line):
        assert round_trip(line) is line
    assert line.b == 5.0
    refs = sys.getrefcount(line)
    pointer = as_voidptr(line)
    assert sys.getrefcount(line) == refs + 1
    del pointer
    assert sys.getrefcount(line) == refs


def test_misuse_is_a_typing_or_type_error():
    with pytest.raises(TypeError, match="takes a jitclass instance"):
        as_voidptr(3)
    with pytest.raises(TypingError, match="second argument"):
        njit(lambda line: from_voidptr(as_voidptr(line), 3))(Line(1.0, 1.0))
    with pytest.raises(TypingError, match="takes a pointer"):
        njit(lambda: from_voidptr(1, Line))()
