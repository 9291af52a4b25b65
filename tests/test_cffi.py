"""cffi functions called from compiled code and `.cffi` on cfuncs (Numba's cffi support,
issue 22): in-line ABI libraries, out-of-line API modules built with `ffi.compile()`,
`ffi.from_buffer`, `register_module`/`register_type`, and the errors for what cannot be called."""
import importlib
import math
import shutil
import sys

import numpy as np
import pytest

from jitbridge import cfunc, njit, types
from jitbridge.errors import TypingError
from tests.isolation import run_isolated

cffi = pytest.importorskip("cffi")
from jitbridge.core.typing import cffi_utils  # noqa: E402  (only with cffi installed)

abi = cffi.FFI()
abi.cdef("double sin(double); int abs(int); long labs(long); int printf(const char *, ...);")
libc = abi.dlopen(None)  # the process's own symbols: libc and libm
c_sin, c_abs, c_labs = libc.sin, libc.abs, libc.labs

SOURCE = """
struct pt { int x; double y; };
double dsum(double *x, long n) { double s = 0; for (long i = 0; i < n; i++) s += x[i]; return s; }
void scale(double *x, long n, double k) { for (long i = 0; i < n; i++) x[i] *= k; }
int twice(int a) { return 2 * a; }
unsigned char low_byte(unsigned int a) { return (unsigned char)a; }
double pt_y(struct pt *p, long i) { return p[i].y + p[i].x; }
long double widen(long double a) { return a; }
double apply(double (*f)(double, int), double x) { return f(x, 7); }
"""
CDEF = """
struct pt { int x; double y; };
double dsum(double *x, long n);
void scale(double *x, long n, double k);
int twice(int a);
unsigned char low_byte(unsigned int a);
double pt_y(struct pt *p, long i);
long double widen(long double a);
double apply(double (*f)(double, int), double x);
"""


@pytest.fixture(scope="module")
def ool(tmp_path_factory):
    """An out-of-line API-mode module compiled with the system C compiler, registered."""
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler to build an out-of-line cffi module")
    folder = tmp_path_factory.mktemp("cffi_ool")
    builder = cffi.FFI()
    builder.cdef(CDEF)
    builder.set_source("_jitbridge_cffi_ool", SOURCE)
    builder.compile(tmpdir=str(folder))
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module("_jitbridge_cffi_ool")
    finally:
        sys.path.remove(str(folder))
    cffi_utils.register_module(module)
    return module


# -- in-line (ABI mode) ------------------------------------------------------------------------

@pytest.mark.parametrize("x, n", [(0.5, -3), (-2.25, 7), (10.0, 0)])
def test_inline_library_functions(x, n):
    @njit
    def through_libc(v, k):
        return c_sin(v) + c_abs(k) + c_labs(-k * 1000000000000)
    assert through_libc(x, n) == math.sin(x) + abs(n) + abs(n) * 1000000000000


def test_argument_types_come_from_the_declaration():
    assert cffi_utils.make_function_type(c_abs).sig == types.int32(types.int32)

    @njit
    def call(k):
        return c_abs(k)
    assert call(-5) == 5
    assert call(2**32 - 7) == 7  # passed as C's int (32 bits), as the declaration says


def test_map_type_follows_the_c_declarations():
    expected = {"int": types.int32, "long": types.int64, "unsigned char": types.uint8,
                "size_t": types.uint64, "char": types.int8, "_Bool": types.boolean,
                "float": types.float32, "double": types.float64, "void *": types.voidptr,
                "double *": types.CPointer(types.float64), "void": types.none,
                "int16_t **": types.CPointer(types.CPointer(types.int16))}
    assert {c: cffi_utils.map_type(c) for c in expected} == expected


def test_cffi_pointer_arguments_to_compiled_functions_are_refused():
    @njit
    def call(f, x):
        return f(x)
    with pytest.raises(TypingError, match="_CDataBase"):
        call(c_sin, 1.0)


def test_a_variadic_function_is_refused_with_its_type():
    c_printf = libc.printf

    @njit
    def variadic():
        return c_printf()
    with pytest.raises(TypingError, match=r"(?s)test_cffi.py:\d+.*variadic"):
        variadic()


# -- out-of-line (API mode) ----------------------------------------------------------------------

def test_from_buffer_passes_array_data(ool):
    dsum, ffi = ool.lib.dsum, ool.ffi

    @njit
    def total(a):
        return dsum(ffi.from_buffer(a), a.size)
    for a in (np.arange(7.0), np.linspace(-1, 1, 33), np.ones((3, 4))):
        assert total(a) == pytest.approx(a.sum())


def test_lib_functions_write_through_the_pointer(ool):
    lib, ffi = ool.lib, ool.ffi

    @njit
    def scale_and_twice(a, k):
        lib.scale(ffi.from_buffer(a), a.size, k)  # `lib.f`: cffi's lib passes for a module
        return lib.twice(21), lib.low_byte(0x1ff)
    a = np.arange(5.0)
    assert scale_and_twice(a, 2.5) == (42, 255)
    np.testing.assert_array_equal(a, np.arange(5.0) * 2.5)


def test_register_type_maps_a_struct(ool):
    record = np.dtype([("x", np.int32), ("y", np.float64)], align=True)
    assert record.itemsize == ool.ffi.sizeof("struct pt")
    from jitbridge.np.numpy_support import from_dtype
    with pytest.raises(TypingError, match="struct pt.*register_type"):
        cffi_utils.make_function_type(ool.lib.pt_y)
    cffi_utils.register_type(ool.ffi.typeof("struct pt"), from_dtype(record))
    pt_y, ffi = ool.lib.pt_y, ool.ffi

    @njit
    def second(points):
        return pt_y(ffi.from_buffer(points), 1)
    points = np.zeros(3, record)
    points["x"], points["y"] = [1, 2, 3], [0.5, 1.5, 2.5]
    assert second(points) == 3.5


def test_unsupported_types_give_a_located_error_naming_them(ool):
    widen = ool.lib.widen

    @njit
    def call(x):
        return widen(x)
    with pytest.raises(TypingError, match=r"(?s)test_cffi.py:\d+.*return widen.*'long double'"):
        call(1.0)


def test_from_buffer_needs_a_contiguous_array(ool):
    dsum, ffi = ool.lib.dsum, ool.ffi

    @njit
    def strided(a):
        return dsum(ffi.from_buffer(a[::2]), 2)
    with pytest.raises(TypingError, match="contiguous"):
        strided(np.arange(4.0))


def test_register_module_wants_a_cffi_module():
    with pytest.raises(TypeError, match="out-of-line cffi module"):
        cffi_utils.register_module(math)


def test_other_builtin_functions_are_unaffected(ool):
    @njit
    def hyp(a, b):
        return math.hypot(a, b)
    assert hyp(3.0, 4.0) == 5.0
    assert not cffi_utils.is_cffi_func(math.hypot)


# -- cfunc.cffi ----------------------------------------------------------------------------------

@cfunc("float64(float64, int32)")
def add(x, n):
    return x + n


def test_cfunc_cffi_pointer_from_python_and_back_into_compiled_code():
    pointer = add.cffi
    assert str(abi.typeof(pointer)) == "<ctype 'double(*)(double, int)'>"
    assert pointer(1.5, 2) == 3.5
    assert int(abi.cast("uintptr_t", pointer)) == add.address

    @njit
    def through_cffi(x):
        return pointer(x, 3)
    assert through_cffi(0.25) == 3.25


def test_cfunc_cffi_is_accepted_where_c_declares_int(ool):
    """cffi tells `int` from `int32_t`: the pointer is typed with C's own names."""
    assert ool.lib.apply(add.cffi, 0.5) == 7.5


def test_cfunc_cffi_with_pointers_and_void():
    @cfunc("void(CPointer(float64), int64)")
    def negate(p, n):
        for i in range(n):
            p[i] = -p[i]
    a = np.arange(4.0)
    negate.cffi(abi.from_buffer("double[]", a), 4)
    np.testing.assert_array_equal(a, -np.arange(4.0))
    assert str(abi.typeof(negate.cffi)) == "<ctype 'void(*)(double *, long)'>"


# -- optional and lazy ---------------------------------------------------------------------------

def test_cffi_is_imported_only_when_a_program_uses_it():
    out = run_isolated("""
        import math, sys
        print("cffi" in sys.modules, "jitbridge.cffi_support" in sys.modules)
        import cffi
        ffi = cffi.FFI()
        ffi.cdef("double cos(double);")
        cos = ffi.dlopen(None).cos
        @njit
        def f(x):
            return cos(x)
        print(f(0.0), "jitbridge.cffi_support" in sys.modules)
    """)
    assert out.split() == ["False", "False", "1.0", "True"]
