"""hash() in compiled code, differential against CPython's hash() (NumPy scalars included)."""
import enum
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit

FAST = settings(max_examples=20, deadline=None)
MODULUS = sys.hash_info.modulus


@njit
def hash_of(x):
    return hash(x)


@njit
def constant_hashes():
    return hash(-1), hash(2.5), hash(True), hash((1, -1)), hash(1j)


INT_TYPES = (np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64)


@pytest.mark.parametrize("dtype", INT_TYPES)
def test_integer_edges(dtype):
    info = np.iinfo(dtype)
    edges = {info.min, info.max, 0, 1, info.min + 1, info.max - 1}
    if dtype().itemsize == 8:
        edges |= {MODULUS - 1, MODULUS, MODULUS + 1, 2 * MODULUS, 2 * MODULUS + 1}
    for value in sorted(edges):
        if info.min <= value <= info.max:
            x = dtype(value)
            assert hash_of(x) == hash(x) == hash(value), (dtype, value)
    if info.min < 0:
        assert hash_of(dtype(-1)) == -2


@given(st.sampled_from(INT_TYPES), st.integers(0, 2**64 - 1))
@FAST
def test_integers(dtype, bits):
    x = np.uint64(bits).view(np.int64).astype(dtype) if dtype().itemsize < 8 else \
        np.uint64(bits).view(dtype)
    assert hash_of(x) == hash(x) == hash(int(x))


@given(st.integers(-2**63, 2**63 - 1))
@FAST
def test_python_ints(x):
    assert hash_of(x) == hash(x)


REALS = [(st.floats(allow_nan=False), float), (st.floats(allow_nan=False, width=32), np.float32)]


@pytest.mark.parametrize("values, make", REALS, ids=["float64", "float32"])
def test_floats(values, make):
    @given(values)
    @FAST
    def check(x):  # NumPy scalars hash as the equal Python float
        assert hash_of(make(x)) == hash(make(x)) == hash(float(make(x)))
    check()


def test_float_specials():
    for x in (0.0, -0.0, 0.5, -1.0, float("inf"), float("-inf"), 5e-324, -5e-324, 2.0**-1022,
              1.7976931348623157e308, 2.0**61, 2.0**61 - 2**9, float(MODULUS), -(2.0**62)):
        assert hash_of(x) == hash(x), x


def test_nan_hashes_differ():
    # CPython hashes NaN by object identity: distinct NaNs must not all collide.
    hashes = {hash_of(float("nan")) for _ in range(10)}
    assert len(hashes) > 1
    assert -1 not in hashes


COMPLEXES = [(st.complex_numbers(allow_nan=False), complex),
             (st.complex_numbers(allow_nan=False, width=64), np.complex64)]


@pytest.mark.parametrize("values, make", COMPLEXES, ids=["complex128", "complex64"])
def test_complex(values, make):
    @given(values)
    @FAST
    def check(z):
        assert hash_of(make(z)) == hash(make(z)) == hash(complex(make(z)))
    check()


class Level(enum.IntEnum):
    low = -1
    high = 2**62


def test_int_enum_members():
    assert [hash_of(m) for m in Level] == [hash(m) for m in Level] == [-2, hash(2**62)]


def test_bool_and_none():
    assert [hash_of(v) for v in (True, False, None)] == [hash(True), hash(False), hash(None)]
    assert [hash_of(np.bool_(v)) for v in (True, False)] == [1, 0]


def test_constants():
    assert constant_hashes() == (hash(-1), hash(2.5), hash(True), hash((1, -1)), hash(1j))


@given(st.tuples(st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=False),
                 st.tuples(st.booleans(), st.integers(-5, 5)), st.none()))
@FAST
def test_nested_tuples(t):
    assert hash_of(t) == hash(t)


@given(st.lists(st.integers(-2**63, 2**63 - 1), min_size=3, max_size=3).map(tuple))
@FAST
def test_uniform_tuples(t):
    assert hash_of(t) == hash(t)


@given(st.text(max_size=6), st.integers(-100, 100))
@FAST
def test_tuples_with_strings(s, n):
    assert hash_of((s, n)) == hash((s, n))


def test_exact_tuple_samples():
    # CPython's own test values (test_tuple.py), empty tuple included
    for t in ((), (7,), (0,), (0, 0), (0.5,), (0.5, (7,), (-2, 3, (4, 6)))):
        assert hash_of(t) == hash(t), t


@pytest.mark.parametrize("value", [np.ones(3), [1, 2]], ids=["array", "list"])
def test_unhashable(value):
    with pytest.raises(TypeError, match="unhashable type"):
        hash_of(value)
