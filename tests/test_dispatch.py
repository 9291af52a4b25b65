"""The Dispatcher: specialisation, explicit signatures, introspection, argument handling."""
import re
import warnings

import numpy as np
import pytest

import jitbridge
from jitbridge import jit, njit, types
from jitbridge.errors import JitBridgeWarning, TypingError


def add(a, b):
    return a + b


def test_specialises_per_argument_types():
    f = njit(add)
    assert f(1, 2) == 3 and type(f(1, 2)) is int
    assert f(1.5, 2) == 3.5
    assert f(True, True) == 2
    assert f.signatures == [(types.int64, types.int64), (types.float64, types.int64),
                            (types.boolean, types.boolean)]
    assert set(f.overloads) == set(f.signatures)


def test_warm_call_does_not_recompile():
    f = njit(add)
    f(1, 2)
    f(3, 4)
    f(5, 6)
    assert len(f.signatures) == 1


def test_explicit_signature_string_compiles_eagerly():
    f = njit("float64(float64, int64)")(add)
    assert f.signatures == [(types.float64, types.int64)]
    assert f(1, 2) == 3.0 and type(f(1, 2)) is float  # int converted to float64
    assert f.signatures == [(types.float64, types.int64)]


def test_list_of_signatures():
    f = njit(["int64(int64, int64)", types.float64(types.float64, types.float64)])(add)
    assert len(f.signatures) == 2
    assert f(2, 3) == 5 and type(f(2, 3)) is int
    assert f(2.5, 3.0) == 5.5


def test_locked_signatures_reject_incompatible_types():
    f = njit("int64(int64, int64)")(add)
    with pytest.raises(TypingError, match="no compiled signature matching"):
        f((1, 2), 3)


def test_jit_is_nopython_by_default_and_accepts_options():
    f = jit(nopython=True, cache=False)(add)
    assert f(1, 2) == 3
    g = jit(add)
    assert g(1, 2) == 3


def test_options_that_are_not_implemented_warn():
    with pytest.warns(JitBridgeWarning, match="nopython"):
        jit(nopython=False)(add)


def test_py_func_and_metadata():
    f = njit(add)
    assert f.py_func is add
    assert f.__name__ == "add" and f.__wrapped__ is add
    assert "add" in repr(f)


def test_inspect_llvm_and_asm():
    f = njit(add)
    f(1, 2)
    llvm = f.inspect_llvm()
    assert list(llvm) == [(types.int64, types.int64)]
    text = llvm[(types.int64, types.int64)]
    assert "define" in text and "add i64" in text
    assert "ret" in f.inspect_llvm((types.int64, types.int64))
    assert f.inspect_asm()[(types.int64, types.int64)]


def test_keyword_and_default_arguments():
    def scaled(x, factor=2, offset=0.5):
        return x * factor + offset

    f = njit(scaled)
    assert f(3) == 6.5
    assert f(3, offset=1.0) == 7.0
    assert f(x=1, factor=10) == 10.5
    with pytest.raises(TypeError, match="scaled"):
        f(1, 2, 3, 4)


def test_numpy_scalars_are_accepted():
    f = njit(add)
    assert f(np.float64(1.5), np.float64(2.0)) == 3.5
    assert f(np.int64(3), 4) == 7
    assert f(np.int32(3), np.int32(4)) == 7


def test_big_python_ints_are_uint64():
    f = njit(add)
    assert f(2 ** 63 + 1, 2 ** 63 + 5) == 6  # uint64 arithmetic wraps
    mixed = f(2 ** 63 + 1, 1)  # uint64 with int64 computes in int64 (wrapping), as in Numba
    assert type(mixed) is int and mixed == -(2 ** 63) + 2
    with pytest.raises(OverflowError, match="does not fit in int64 or uint64"):
        f(2 ** 70, 1)


def test_integer_overflow_wraps_like_numba():
    f = njit(add)
    assert f(2 ** 63 - 1, 1) == -(2 ** 63)


def test_tuple_arguments_and_results():
    @njit
    def swap(t):
        return t[1], t[0]
    assert swap((1, 2.5)) == (2.5, 1)
    assert swap((1, 2)) == (2, 1)


@njit
def fib(n):
    if n < 2:
        return n
    return fib_typed(n - 1) + fib_typed(n - 2)


@njit("int64(int64)")
def fib_typed(n):
    if n < 2:
        return n
    return fib_typed(n - 1) + fib_typed(n - 2)


def test_recursion_with_explicit_signature():
    assert fib_typed(20) == 6765
    assert fib(15) == 610


def test_recursion_without_signature_infers_the_return_type():
    @njit
    def countdown(n):
        if n <= 0:
            return 0
        return countdown(n - 1)
    assert countdown(3) == 0  # more in tests/typing/test_recursion_inference.py


@njit
def square(x):
    return x * x


@njit
def sum_squares(n):
    s = 0
    for i in range(n):
        s += square(i)
    return s


def test_calls_between_jitted_functions_are_native_and_inlined():
    assert sum_squares(10) == 285
    ir = sum_squares.inspect_llvm()[(types.int64,)]
    body = ir.split("define")[1].split("\n}")[0]
    assert "sum_squares" in body.splitlines()[0]
    assert not re.search(r"call [^\n]*@[\w.]*square\b", body)  # `square` was inlined


def test_globals_and_closures_are_frozen_at_compile_time():
    k = 3

    @njit
    def f(x):
        return x + k
    assert f(1) == 4
    k = 100  # noqa: F841 (not seen: the closure value was frozen at first compile)
    assert f(1) == 4


def test_same_function_two_dispatchers_are_independent():
    f, g = njit(add), njit(add)
    assert f(1, 2) == g(1, 2)
    assert f is not g


def test_public_api_names():
    for name in ("njit", "jit", "types", "typeof", "errors", "config"):
        assert hasattr(jitbridge, name)
    assert jitbridge.typeof(1) == types.int64
    assert jitbridge.typeof(1.0) == types.float64
    assert jitbridge.typeof((1, 2.0)) == types.Tuple([types.int64, types.float64])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        njit(add)  # no warning by default


def module_level_add(a, b):
    return a + b


def test_dispatchers_pickle_for_distributed_schedulers():
    import pickle

    lazy = njit(module_level_add)
    lazy(1, 2)
    clone = pickle.loads(pickle.dumps(lazy))
    assert clone(2, 3) == 5 and clone.py_func is module_level_add
    eager = njit("float64(float64, float64)")(module_level_add)
    eager_clone = pickle.loads(pickle.dumps(eager))
    assert eager_clone.signatures == [(types.float64, types.float64)]


def test_a_lazy_dispatcher_compiles_each_argument_type_whatever_it_compiled_before():
    """A float32 argument after a float64 one gets its own specialisation (computing in
    float32, as NumPy does), not the float64 one through a widening conversion."""
    thrice = njit(lambda x: x * 3)
    assert thrice(np.float64(0.1)) == np.float64(0.1) * 3
    assert thrice(np.float32(0.1)) == float(np.float32(0.1) * np.float32(3))
    assert thrice(np.float32(0.1)) != np.float64(0.1) * 3
    twice = njit(lambda x: x * 2)
    for first, second in ((np.float64(1.5), np.float32(1.5)), (np.int64(3), np.int32(3)),
                          (np.complex128(1j), np.complex64(1j))):
        twice(first), twice(second)
    assert sorted(map(str, twice.signatures)) == sorted(
        f"({t},)" for t in ("float64", "float32", "int64", "int32", "complex128", "complex64"))
