"""ndarray.item(*index) against NumPy: no index (size-1 arrays), a flat index in C order
(negative allowed), a tuple or several ints (one per axis), over dtypes and layouts, with
NumPy's exceptions and messages."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

item0 = njit(lambda a: a.item())
item1 = njit(lambda a, i: a.item(i))
item2 = njit(lambda a, i, j: a.item(i, j))
item_tuple = njit(lambda a, index: a.item(index))
item_empty_tuple = njit(lambda a: a.item(()))


def layouts(a):
    strided = np.zeros(tuple(2 * n for n in a.shape), a.dtype)[::2, ::2]
    strided[...] = a
    return [a, np.asfortranarray(a), strided]


BASE = (np.arange(6) - 2).reshape(2, 3)


@pytest.mark.parametrize("dtype", [np.float64] + [pytest.param(t, marks=pytest.mark.slow) for t in
                                                  (np.bool_, np.int8, np.uint64, np.complex64)])
def test_flat_and_multi_index_match_numpy_over_layouts(dtype):
    for a in layouts(BASE.astype(dtype)):
        with no_leaks(a):
            for i in range(-6, 6):
                assert item1(a, i) == a.item(i)
            for i in range(-2, 2):
                for j in range(-3, 3):
                    assert item2(a, i, j) == item_tuple(a, (i, j)) == a.item(i, j)


@settings(max_examples=15, deadline=None)
@given(st.integers(-6, 5), st.integers(-2, 1), st.integers(-3, 2))
def test_indexes_of_every_integer_type(flat, i, j):
    a = BASE.astype(np.float64)
    assert item1(a, np.int8(flat)) == item1(a, np.uint16(flat % 6)) == a.item(flat)
    assert item_tuple(a, (np.int32(i), j)) == a.item(i, j)


def test_result_type_is_the_dtype_as_in_numba():
    assert type(item1(np.ones(2, np.float32), 0)) is float
    assert type(item0(np.ones(1, np.int16))) is int
    assert type(item0(np.ones(1, np.bool_))) is bool
    assert type(item0(np.ones(1, np.complex64))) is complex


def test_no_index_and_empty_tuple_need_size_one():
    z = np.array(5.5)
    assert item0(z) == item_empty_tuple(z) == item1(z, 0) == item1(z, -1) == 5.5
    assert item_empty_tuple(np.ones((1, 1))) == 1.0
    for call in (lambda: item0(BASE), lambda: item_empty_tuple(BASE)):
        with pytest.raises(ValueError, match="^can only convert an array of size 1 to a "
                                             "Python scalar$"):
            call()


def test_out_of_bounds_raise_index_errors():
    # NumPy's exception type; the message is constant (NumPy's names the index and size)
    flat, axis = "index is out of bounds for the size of the array", \
        "index is out of bounds for an axis of the array"
    for call, message in ((lambda: item1(BASE, 6), flat), (lambda: item1(BASE, -7), flat),
                          (lambda: item2(BASE, 1, -4), axis),
                          (lambda: item_tuple(BASE, (2, 0)), axis),
                          (lambda: item1(BASE, np.uint64(2**64 - 1)), flat),
                          (lambda: item1(np.array(1.0), 1), flat)):
        with pytest.raises(IndexError, match=f"^{message}$"):
            call()


def test_wrong_index_count_and_types_are_typing_errors():
    with pytest.raises(TypingError, match="incorrect number of indices for array"):
        item_tuple(BASE, (1, 1, 1))
    with pytest.raises(TypingError, match="an integer is required"):
        item1(BASE, 1.0)
    with pytest.raises(TypingError, match="an integer is required"):
        item1(BASE, True)
