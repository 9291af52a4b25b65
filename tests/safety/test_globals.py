"""Issue 10 item 2: globals and closure variables are frozen constants, or a located error.

A global of a type with no constant representation used to become a null value (an empty array,
a NULL data pointer, a segfaulting list). Every generated global here must give Python's value,
or a TypingError that points at the use and says what cannot be frozen.
"""
import math
import types as pytypes

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.passthru import PassThruContainer
from jitbridge.testing import no_leaks

from . import _global_readers as readers


def _with_global(func, value):
    """A fresh copy of `func` whose global `G` is `value` (fresh: nothing cached carries over)."""
    namespace = {"G": value, "np": np, "__builtins__": __builtins__}
    return pytypes.FunctionType(func.__code__, namespace, func.__name__)


def _same(expected, actual):
    if isinstance(expected, np.generic):  # compiled code returns Python scalars, as Numba does
        expected = expected.item()
    if isinstance(expected, np.ndarray):
        return (isinstance(actual, np.ndarray) and actual.dtype == expected.dtype
                and actual.shape == expected.shape
                and np.array_equal(actual, expected, equal_nan=expected.dtype.kind in "fc"))
    if isinstance(expected, tuple):
        return (isinstance(actual, tuple) and len(actual) == len(expected)
                and all(_same(e, a) for e, a in zip(expected, actual)))
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    if isinstance(expected, complex):
        return isinstance(actual, complex) and _same(expected.real, actual.real) and \
            _same(expected.imag, actual.imag)
    return type(actual) is type(expected) and actual == expected


scalars = st.one_of(st.integers(-2 ** 63, 2 ** 63 - 1), st.floats(), st.booleans(),
                    st.complex_numbers(), st.none())
dtypes = st.sampled_from(["bool", "int8", "uint16", "int32", "int64", "uint64", "float32",
                          "float64", "complex64", "complex128"])


@st.composite
def arrays(draw):
    """Arrays of any supported dtype and 1-3 dimensions, C, F or strided."""
    array = draw(hnp.arrays(draw(dtypes), hnp.array_shapes(min_dims=1, max_dims=3, max_side=5)))
    layout = draw(st.sampled_from(["C", "F", "strided"]))
    if layout == "F":
        return np.asfortranarray(array)
    return array[::2] if layout == "strided" else array


values = st.recursive(st.one_of(scalars, arrays()),
                      lambda inner: st.tuples(inner, inner) | st.tuples(inner), max_leaves=6)


@settings(max_examples=60, deadline=None)
@given(values)
def test_global_of_every_supported_type_reads_as_python(value):
    assert _same(value, njit(_with_global(readers.read, value))())


@settings(max_examples=30, deadline=None)
@given(arrays())
def test_global_array_reductions_and_indexing(array):
    python_first = _with_global(readers.first, array)
    assert _same(python_first(), njit(python_first)())
    python_total = _with_global(readers.total, array)
    expected, actual = python_total().item(), njit(python_total)()
    # summation order differs from NumPy's pairwise sum: compare as NumPy's own tests do
    tolerance = 1e-5 if array.dtype in (np.float32, np.complex64) else 1e-12
    assert type(actual) is type(expected)
    for part in ("real", "imag"):  # parts apart: isclose on complex infinities is False
        got, want = getattr(complex(actual), part), getattr(complex(expected), part)
        assert np.isclose(got, want, rtol=tolerance, equal_nan=True) or got == want


def test_module_level_array_is_frozen_when_compiled():
    table = np.arange(10.0)
    total = njit(_with_global(readers.total, table))
    assert total() == 45.0
    table[0] = 100.0  # frozen: the compiled constant is a copy made at compile time
    assert total() == 45.0


def test_closure_over_local_array():
    def outer():
        constarr = np.array([86])

        def pyfunc():
            return constarr[0]
        return njit(pyfunc)()
    assert outer() == 86


def test_returned_global_array_is_an_independent_copy():
    table = np.arange(4)
    result = njit(_with_global(readers.read, table))()
    np.testing.assert_array_equal(result, table)
    result[0] = 99  # never writes into compiled code's constant memory
    assert njit(_with_global(readers.first, table))() == 0


def test_writing_a_global_array_is_a_located_typing_error():
    with pytest.raises(TypingError) as info:
        njit(_with_global(readers.write, np.zeros(3)))()
    assert "read-only" in str(info.value) or "readonly" in str(info.value)
    assert "_global_readers.py" in str(info.value)


@pytest.mark.parametrize("value", [[1, 2], [np.zeros(2)], PassThruContainer(object()),
                                   {"a": 1}, {1, 2}, object()],
                         ids=["list", "list-of-arrays", "passthru", "dict", "set", "object"])
@pytest.mark.parametrize("reader", [readers.read, readers.nested])
def test_unfreezable_global_is_a_located_typing_error(value, reader):
    with pytest.raises(TypingError) as info:
        njit(_with_global(reader, value))()
    message = str(info.value)
    assert "_global_readers.py" in message and "G" in message


def test_global_arrays_leak_nothing():
    table = np.arange(6.0).reshape(2, 3)
    read, total = (njit(_with_global(f, table)) for f in (readers.read, readers.total))
    read(), total()
    with no_leaks(table):
        for _ in range(100):
            read(), total()


@pytest.mark.parametrize("order", ["C", "F"])
def test_large_global_array_is_referenced_not_copied(order):
    from jitbridge.lib.arrays.constants import FREEZE_LIMIT
    big = np.asarray(np.arange(FREEZE_LIMIT // 8 * 2, dtype=np.float64).reshape(2, -1),
                     order=order)
    read, total = (njit(_with_global(f, big)) for f in (readers.read, readers.total))
    got = read()  # a read-only view of the global's own memory, as its type is read-only
    assert np.shares_memory(got, big) and not got.flags.writeable and big.flags.writeable
    assert len(next(iter(read.inspect_llvm().values()))) < big.nbytes  # not baked into code
    assert total() == big.sum()
    with no_leaks(big):
        for _ in range(50):
            assert np.shares_memory(read(), big)
            total()
