"""Differential tests of iteration against NumPy/CPython: `for x in a` (N-D: views of the first
axis), iter()/next(), enumerate() and zip() over arrays, ranges and tuples, a.flat (iteration,
indexing, assignment, len), np.ndenumerate, np.ndindex and np.nditer, over layouts C/F/A,
empty arrays and dtypes."""
import itertools

import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

DTYPES = [np.bool_, np.int8, np.uint16, np.int64, np.float32, np.complex128]


def layouts(a):
    """The array as C, F and non-contiguous (strided) views with the same values."""
    strided = np.empty(tuple(2 * n for n in a.shape), a.dtype)[tuple(slice(None, None, 2)
                                                                      for _ in a.shape)]
    strided[...] = a
    return [a, np.asfortranarray(a), strided]


def values(shape, dtype):
    return ((np.arange(int(np.prod(shape))) % 5) + 1).astype(dtype).reshape(shape)


def check_value(got, expected):
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected) and len(got) == len(expected)
        for g, e in zip(got, expected):
            check_value(g, e)
    elif isinstance(expected, np.ndarray):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
    else:
        assert got == expected and np.asarray(got).dtype.kind == np.asarray(expected).dtype.kind


# -- for x in a / enumerate / zip / iter / next ------------------------------------------------

@njit
def enumerate_sum(a):
    total = 0
    for i, v in enumerate(a):
        total += i * v
    return total


@njit
def enumerate_start(a, start):
    out = []
    for i, v in enumerate(a, start):
        out.append(i + v)
    return out


@njit
def enumerate_start_keyword(a):
    out = []
    for i, v in enumerate(a, start=-2):
        out.append(i * v)
    return out


@njit
def rows_of(a):
    """`for row in a` of an N-D array gives views: sums of the rows, and a write through one."""
    out = []
    for row in a:
        out.append(row.sum())
    for row in a:
        row[0] = 7
        break
    return out


@njit
def zip_products(a, b):
    out = []
    for x, y in zip(a, b):
        out.append(x * y)
    return out


@njit
def zip_mixed(a, n, t):
    out = []
    for x, i, k in zip(a, range(n), t):
        out.append(x + i * k)
    return out


@njit
def enumerate_zip_rows(a):
    total = 0.0
    for i, row in enumerate(a):
        for j, (x, y) in enumerate(zip(row, row[::-1])):
            total += i * j * x - y
    return total


@njit
def tuple_loop(t):
    total = 0
    for i, x in enumerate(t):
        total += (i + 1) * x
    return total


@njit
def next_items(a):
    it = iter(a)
    it2 = iter(a)
    return next(it), next(it), next(it2)


@njit
def next_rest(a):
    it = iter(a)
    first = next(it)
    total = 0
    for v in it:  # iter() of an iterator is the iterator: the loop goes on where next() left
        total += v
    return first, total


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.bool_, np.complex128])
def test_enumerate_over_1d_arrays_of_every_layout(dtype):
    for a in layouts(values((7,), dtype)):
        with no_leaks(a):
            check_value(enumerate_sum(a), enumerate_sum.py_func(a))
    assert enumerate_sum(values((0,), dtype)) == 0  # typed as the sum's type (static typing)


def test_enumerate_start_and_zip_stop_at_the_shortest():
    a, b = np.arange(5.0), np.arange(3.0)[::-1]
    with no_leaks(a, b):
        assert enumerate_start(a, 10) == enumerate_start.py_func(a, 10)
        assert enumerate_start_keyword(a) == enumerate_start_keyword.py_func(a)
        assert zip_products(a, b) == zip_products.py_func(a, b)
        assert zip_products(b, a) == zip_products.py_func(b, a)
        assert zip_mixed(a, 4, (2, 3, 4, 5, 6)) == zip_mixed.py_func(a, 4, (2, 3, 4, 5, 6))
        assert zip_products(a[:0], a) == []


@pytest.mark.parametrize("which", range(3))
def test_iterating_nd_arrays_yields_views_of_the_first_axis(which):
    a = layouts(values((3, 4, 2), np.float64))[which]
    b = a.copy(order="K")
    with no_leaks():
        got = rows_of(a)
    expected = rows_of.py_func(b)
    assert got == expected
    np.testing.assert_array_equal(a, b)  # the write went through the view, as NumPy's
    check_value(enumerate_zip_rows(a[:, :, 0]), enumerate_zip_rows.py_func(a[:, :, 0]))


def test_tuples_iter_and_next():
    assert tuple_loop((3, 4, 5)) == tuple_loop.py_func((3, 4, 5))
    a = np.arange(10, 22, dtype=np.int32)
    with no_leaks(a):
        check_value(next_items(a), next_items.py_func(a))
        check_value(next_rest(a), next_rest.py_func(a))
    with pytest.raises(StopIteration):
        next_items(a[:1])


def test_tuples_of_items_with_a_common_type_are_iterated_as_that_type():
    for t in ((1, 2.5), (True, 3)):
        got, expected = tuple_loop(t), tuple_loop.py_func(t)
        assert got == expected and type(got) is type(expected)


def test_tuples_of_items_without_a_common_type_are_refused_with_a_typing_error():
    with pytest.raises(TypingError, match="enumerate"):
        tuple_loop((1, "a"))


# -- a.flat ------------------------------------------------------------------------------------

@njit
def flat_items(a):
    out = []
    for i, v in enumerate(a.flat):
        out.append((i, v))
    return out


@njit
def flat_get(a, i):
    return a.flat[i]


@njit
def flat_set(a, i, v):
    a.flat[i] = v


@njit
def flat_len(a):
    return len(a.flat)


@pytest.mark.parametrize("dtype", DTYPES)
def test_flat_iterates_in_c_order_whatever_the_layout(dtype):
    for a in layouts(values((3, 2, 4), dtype)) + [values((0, 3), dtype)]:
        with no_leaks(a):
            got = flat_items(a)
        assert got == flat_items.py_func(a)
        assert flat_len(a) == a.size


@pytest.mark.parametrize("which", range(3))
def test_flat_indexing_and_assignment(which):
    a = layouts(values((3, 5), np.int32))[which]
    for i in (*range(a.size), -1, -a.size):
        check_value(flat_get(a, i), a.flat[i])
        got, expected = a.copy(order="K"), a.copy(order="K")
        flat_set(got, i, 99)
        expected.flat[i] = 99
        np.testing.assert_array_equal(got, expected)
    for bad in (a.size, -a.size - 1):
        with pytest.raises(IndexError):
            flat_get(a, bad)
        with pytest.raises(IndexError):
            flat_set(a, bad, 1)


def test_flat_of_a_zero_dimensional_array():
    a = np.array(42)
    assert flat_get(a, 0) == 42 and flat_len(a) == 1


# -- np.ndenumerate, np.ndindex ----------------------------------------------------------------

@njit
def ndenumerate_items(a):
    out = []
    for index, v in np.ndenumerate(a):
        out.append((index, v))
    return out


@njit
def ndindex_ints(x, y):
    out = []
    for i, j in np.ndindex(x, y):
        out.append((i, j))
    return out


@njit
def ndindex_shape(a):
    out = []
    for index in np.ndindex(a.shape):
        out.append(index)
    return out


@njit
def ndindex_empty():
    count = 0
    for index in np.ndindex(()):
        count += len(index) + 1
    return count


@njit
def ndenumerate_fresh(n):
    x = np.arange(n)  # only the iterator keeps it alive during the loop
    out = np.zeros_like(x)
    for (i,), v in np.ndenumerate(x):
        out[i] = v
    return out


@pytest.mark.parametrize("dtype", [np.bool_, np.uint16, np.float32, np.complex128])
def test_ndenumerate_matches_numpy(dtype):
    for a in layouts(values((3, 4), dtype)) + [values((2, 0), dtype)]:
        with no_leaks(a):
            got = ndenumerate_items(a)
        assert got == list(np.ndenumerate(a))
    with no_leaks():
        np.testing.assert_array_equal(ndenumerate_fresh(6), np.arange(6))


def test_ndindex_forms():
    for x, y in ((3, 4), (0, 3), (3, 0), (np.int32(2), np.int32(3))):
        assert ndindex_ints(x, y) == list(np.ndindex(x, y))
    for shape in ((12,), (4, 3), (2, 2, 3)):
        assert ndindex_shape(np.empty(shape)) == list(np.ndindex(shape))
    assert ndindex_empty() == ndindex_empty.py_func() == 1
    with pytest.raises(ValueError, match="negative"):
        ndindex_ints(-1, 2)


# -- np.nditer ---------------------------------------------------------------------------------

@njit
def nditer1(a):
    out = []
    for u in np.nditer(a):
        out.append(u.item())
    return out


@njit
def nditer2(a, b):
    out = []
    for u, v in np.nditer((a, b)):
        out.append((u.item(), v.item()))
    return out


def nditer_inputs():
    base = np.arange(12).reshape(3, 4)
    return [np.float32(100), np.array(102, dtype=np.int16), np.arange(4).astype(np.complex64),
            np.arange(8)[::2], base, base.copy(order="F"), np.arange(24).reshape(6, 4)[::2]]


def test_nditer_one_operand():
    for a in nditer_inputs():
        with no_leaks():
            got = nditer1(a)
        assert sorted(got, key=abs) == sorted(nditer1.py_func(a), key=abs)


@njit
def nditer_tuple_of_one(a):
    out = []
    for u in np.nditer((a,)):  # NumPy yields the views alone, not 1-tuples
        out.append(u.item())
    return out


def test_nditer_follows_numpy_order_for_c_and_fortran_operands():
    a = np.arange(12).reshape(3, 4)
    f = np.asfortranarray(a)
    for x in (a, f, a[::2]):
        assert nditer1(x) == nditer1.py_func(x)
    assert nditer2(f, f) == nditer2.py_func(f, f)
    assert nditer2(f, np.int64(5)) == nditer2.py_func(f, np.int64(5))


def test_nditer_of_a_tuple_of_one_operand():
    a = np.arange(6).reshape(2, 3)
    assert nditer_tuple_of_one(a) == nditer_tuple_of_one.py_func(a)


def test_nditer_broadcasts_two_operands():
    for a, b in itertools.product(nditer_inputs()[::2], nditer_inputs()[1::2]):
        with no_leaks():
            got = nditer2(a, b)
        assert set(got) == set(nditer2.py_func(a, b))


def test_nditer_refuses_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match="operands could not be broadcast together"):
        nditer2(np.arange(2), np.arange(3))


def test_iterating_a_zero_dimensional_array_is_a_typing_error():
    with pytest.raises(TypingError, match="iteration over a 0-d array"):
        enumerate_sum(np.array(3))


@njit
def star_total(*args):
    s = 0
    for r in args:
        s += r
    return s


def test_a_loop_over_an_empty_tuple_runs_no_iteration():
    assert star_total() == 0 and star_total(1, 2) == 3
    assert star_total(2.5) == 2.5
