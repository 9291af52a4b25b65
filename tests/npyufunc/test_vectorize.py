"""@vectorize: real NumPy ufuncs (eager), dynamic ufuncs (lazy), calls from compiled code."""
import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import TypingError, njit, vectorize
from jitbridge.npyufunc import DUFunc, PyUFunc_One
from jitbridge.testing import no_leaks


@vectorize(["float64(float64, float64)", "int64(int64, int64)"], identity=0)
def add(a, b):
    """An addition"""
    return a + b


@vectorize
def lazy_mul(a, b):
    return a * b


def test_eager_is_a_frozen_dufunc_around_a_numpy_ufunc():
    assert isinstance(add, DUFunc) and add._frozen  # as Numba's
    assert isinstance(add.ufunc, np.ufunc) and add.ufunc.types == add.types
    assert add.types == ["dd->d", "ll->l"]
    assert (add.nin, add.nout, add.identity, add.__name__) == (2, 1, 0, "add")
    assert "An addition" in add.__doc__


def test_eager_ufunc_machinery_is_numpys():
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(add(x, x[0]), x + x[0])          # broadcasting
    assert add.reduce(np.arange(10.0)) == 45.0
    np.testing.assert_array_equal(add.accumulate(np.arange(5.0)), np.cumsum(np.arange(5.0)))
    np.testing.assert_array_equal(add.outer(np.arange(3.0), np.arange(2.0)),
                                  np.add.outer(np.arange(3.0), np.arange(2.0)))
    out = np.full(4, -1.0)
    assert add(np.arange(4.0), 1.0, out=out, where=np.arange(4) > 1) is out
    np.testing.assert_array_equal(out, [-1, -1, 3, 4])
    np.testing.assert_array_equal(add(x[:, ::2], 1.0), x[:, ::2] + 1)  # strided operands
    assert add(np.arange(3), np.arange(3)).dtype == np.int64  # the exact loop
    assert add(np.arange(3, dtype=np.int32), 1.5).dtype == np.float64  # a safe cast


@pytest.mark.parametrize("identity,expected", [(0, 0), (1, 1), (None, None),
                                               ("reorderable", None)])
def test_identities(identity, expected):
    ufunc = vectorize(["int32(int32, int32)"], identity=identity)(lambda a, b: a + b)
    assert ufunc.identity == expected
    if identity == "reorderable":
        assert ufunc.reduce(np.arange(2, 5, dtype=np.int32).reshape(3, 1), axis=(0, 1)) == 9


@pytest.mark.parametrize("identity", ["none", 2, True])
def test_bad_identities(identity):
    with pytest.raises(ValueError, match="identity"):
        vectorize(["int32(int32, int32)"], identity=identity)(lambda a, b: a + b)


def test_bool_and_complex_loops():
    eq = vectorize(["bool_(int32, int32)"])(lambda a, b: a == b)
    np.testing.assert_array_equal(eq(np.arange(3, dtype=np.int32), 1), [False, True, False])
    cadd = vectorize(["complex64(complex64, complex64)"])(lambda a, b: a + b)
    a = np.arange(6, dtype=np.complex64) + 1j
    got = cadd(a[::2], a[::2])
    assert got.dtype == np.complex64
    np.testing.assert_array_equal(got, a[::2] + a[::2])


def test_numpy_error_model_and_exceptions():
    idiv = vectorize(["int64(int64, int64)"])(lambda a, b: a // b)
    np.testing.assert_array_equal(idiv(np.arange(4), 0), [0, 0, 0, 0])  # Numba's error model
    with np.errstate(all="ignore"):
        fdiv = vectorize(["float64(float64, float64)"])(lambda a, b: a / b)
        assert np.isinf(fdiv(1.0, 0.0))

    @vectorize(["float64(float64)"])
    def checked(x):
        if x > 3:
            raise ValueError("too big")
        return x
    with pytest.raises(ValueError, match="too big"):
        checked(np.arange(10.0))
    np.testing.assert_array_equal(checked(np.arange(3.0)), np.arange(3.0))


def test_lazy_compiles_per_dtype():
    assert isinstance(lazy_mul, DUFunc) and lazy_mul.ntypes == 0
    a = np.linspace(0, 1, 10)
    np.testing.assert_array_equal(lazy_mul(a, a), a * a)
    i = np.arange(5, dtype=np.int32)
    got = lazy_mul(i, i)
    assert got.dtype == np.int64 and list(got) == [0, 1, 4, 9, 16]  # scalar ints: 64-bit
    assert lazy_mul.ntypes == 2 and "ii->l" in lazy_mul.types
    lazy_mul(a, a)
    assert lazy_mul.ntypes == 2  # no recompilation
    assert lazy_mul.reduce(np.arange(1, 5)) == 24
    assert isinstance(lazy_mul.ufunc, np.ufunc)


def test_lazy_out_keyword_and_errors():
    f = vectorize(nopython=True)(lambda a, b: a + b)
    a = np.arange(10, 16, dtype=np.int32)
    out = np.zeros_like(a)
    assert f(a, a, out=out) is out
    np.testing.assert_array_equal(out, a + a)
    with pytest.raises(TypeError):
        f(a, a, zzz=out)


def test_lazy_identity_and_frozen():
    f = vectorize(identity=PyUFunc_One)(lambda a, b: a * b)
    assert f.reduce(np.array([], dtype=np.float64)) == 1.0
    f.disable_compile()
    np.testing.assert_array_equal(f(np.arange(3.0), 2.0), [0.0, 2.0, 4.0])


def test_options():
    with pytest.raises(KeyError, match="Unrecognized options"):
        vectorize(["float32(float32, float32)"], nonexistent=2)
    with pytest.raises(NotImplementedError, match="'cpu' or 'parallel'"):
        vectorize(["float32(float32, float32)"], target="cuda")
    jitted = vectorize(["float64(float64)"])(njit(lambda x: x + 1))
    assert jitted(1.0) == 2.0


def test_called_from_compiled_code_on_scalars():
    @njit
    def f(a, b):
        return add(a, b) + lazy_mul(a, b)
    assert f(2, 5) == 17 and f(1.5, 2.0) == 6.5

    @njit
    def g(a):
        return lazy_mul(a, "text")
    with pytest.raises(TypingError, match="only numbers and arrays of numbers"):
        g(1.0)


def test_called_from_compiled_code_on_arrays():
    @njit
    def f(x, y):
        return add(x, y), lazy_mul(x, 2), add(x, 1.5)
    x = np.arange(6).reshape(2, 3)
    total, doubled, shifted = f(x, x[0])
    for got, expected in ((total, add(x, x[0])), (doubled, x * 2), (shifted, add(x, 1.5))):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError, match="could not be broadcast together"):
        f(np.arange(3), np.arange(4))
    with no_leaks():
        f(x, x[0])


def test_ufunc_memory_is_released():
    import gc
    from jitbridge.npyufunc.builder import BUILT
    before = len(BUILT)
    ufunc = vectorize(["float64(float64)"])(lambda x: x * 2)
    assert len(BUILT) == before + 1
    with no_leaks():
        for _ in range(100):
            ufunc(np.arange(100.0))
    del ufunc
    gc.collect()
    assert len(BUILT) == before


def test_dufunc_pickles_by_value():
    f = vectorize(lambda x: x + 1)
    f(np.arange(3))
    clone = pickle.loads(pickle.dumps(f))
    np.testing.assert_array_equal(clone(np.arange(3)), [1, 2, 3])
    eager = vectorize(["float64(float64)"])(lambda x: x * 2)
    clone = pickle.loads(pickle.dumps(eager))
    assert clone._frozen and clone.types == ["d->d"] and clone(2.0) == 4.0


def test_nep13_operands_take_over():
    class Wrapped:
        def __init__(self, array):
            self.array = array

        def __array_ufunc__(self, ufunc, method, *args, **kwargs):
            return Wrapped(ufunc(*[a.array if isinstance(a, Wrapped) else a for a in args]))
    got = add(Wrapped(np.arange(3.0)), 1.0)
    assert isinstance(got, Wrapped)
    np.testing.assert_array_equal(got.array, [1.0, 2.0, 3.0])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=50))
def test_differential_against_python(values):
    sinc = vectorize(["float64(float64)"])(_sinc)
    got = sinc(np.array(values))
    np.testing.assert_allclose(got, [_sinc(v) for v in values], rtol=1e-12)


def _sinc(x):
    if x == 0.0:
        return 1.0
    return math.sin(x * math.pi) / (math.pi * x)
