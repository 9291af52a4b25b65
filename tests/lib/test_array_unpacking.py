"""Unpacking arrays (`l, r, d, _ = tree[i]`, `a, b = arr`), as Numba: the items along the first
axis, read before any target is assigned; a length other than the number of targets raises
Python's ValueError and message (Numba's carries none); no leaks on either path."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def row_sum(tree, i):
    l, r, d, _ = tree[i]
    return l + r + d


@njit
def pair(a):
    x, y = a
    return x, y


@njit
def reversed_store(a):
    a[1], a[0] = a
    return a


@njit
def rows_of_new_array(n):
    top, bottom = np.arange(n * 2.0).reshape(2, n)
    return bottom, top.sum()


@njit
def unpack_in_loop(pairs):
    total = 0
    for i in range(pairs.shape[0]):
        a, b = pairs[i]
        total += a * b
    return total


def test_row_of_2d_array():
    tree = np.arange(12.0).reshape(3, 4)
    assert row_sum(tree, 1) == 4.0 + 5.0 + 6.0
    assert row_sum(tree, -1) == 8.0 + 9.0 + 10.0


@pytest.mark.parametrize("values", [[1.5, -2.0], [3, 4], [True, False], [1 + 2j, -3j],
                                    np.array([7, 8], np.uint8), np.array([1, 2], np.float32)])
def test_any_dtype(values):
    a = np.asarray(values)
    x, y = pair(a)
    assert (x, y) == (a[0], a[1])
    assert type(x) is type(a[0].item())


def test_strided_and_transposed_arrays():
    assert pair(np.arange(4)[::2]) == (0, 2)
    x, y = pair(np.arange(4.0).reshape(2, 2).T)
    assert x.tolist() == [0.0, 2.0] and y.tolist() == [1.0, 3.0]


def test_items_are_read_before_targets_are_assigned():
    assert reversed_store(np.array([1.0, 2.0])).tolist() == [2.0, 1.0]


def test_rows_are_views_and_new_memory_is_freed():
    base = np.arange(6.0).reshape(2, 3)
    with no_leaks(base):
        top, bottom = pair(base)
        assert np.shares_memory(top, base) and bottom.tolist() == [3.0, 4.0, 5.0]
        del top, bottom
    with no_leaks():
        bottom, total = rows_of_new_array(3)
        assert bottom.tolist() == [3.0, 4.0, 5.0] and total == 3.0
        del bottom


def test_unpacking_in_a_loop():
    pairs = np.arange(8).reshape(4, 2)
    with no_leaks(pairs):
        assert unpack_in_loop(pairs) == sum(a * b for a, b in pairs.tolist())


@pytest.mark.parametrize("shape", [(3,), (1,), (0,), (3, 2)])
def test_wrong_length_raises_value_error_without_leaks(shape):
    a = np.zeros(shape)
    with no_leaks(a):
        with pytest.raises(ValueError) as info:
            pair(a)
        with pytest.raises(ValueError) as expected:
            first, second = a  # what Python says
        assert str(info.value) == str(expected.value)
        del info, expected


@njit
def unpack_new_rows(n):
    a, b = np.ones((n, 2))
    return a


@pytest.mark.parametrize("n", [0, 1, 3])
def test_wrong_length_frees_an_array_made_in_compiled_code(n):
    with no_leaks():
        with pytest.raises(ValueError):
            unpack_new_rows(n)
    assert unpack_new_rows(2).tolist() == [1.0, 1.0]


def test_unpacking_other_values_is_still_rejected():
    @njit
    def scalar(x):
        a, b = x
        return a
    with pytest.raises(TypingError, match="cannot unpack a value of type float64"):
        scalar(1.0)


def test_loop_targets_unpack_rows():
    @njit
    def weighted(pairs):
        total = 0.0
        for w, x in pairs:
            total += w * x
        return total
    pairs = np.array([[0.5, 2.0], [3.0, -1.0]])
    assert weighted(pairs) == 0.5 * 2.0 + 3.0 * -1.0
    with pytest.raises(ValueError):
        weighted(np.ones((2, 3)))
