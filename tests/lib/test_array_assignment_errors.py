"""Assignments that cannot broadcast name both shapes and release what they made; char
sequences assigned from 0-d arrays; read-only views box read-only. Against NumPy."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.testing import no_leaks


@njit
def assign_all(dst, src):
    dst[...] = src


@njit
def assign_slice(a, seq, start, stop):
    a[start:stop] = seq


@njit
def assign_selected(a, index, value):
    a[index] = value


@njit
def assign_from_fresh(n):
    a = np.zeros(n)
    a[1:] = np.ones(n + 1)
    return a


@njit
def broadcast_to(a, shape):
    return np.broadcast_to(a, shape)


@pytest.mark.parametrize("dst, src, message", [
    (np.arange(5), np.arange(10).reshape(2, 5), "(5,) from input of shape (2, 5)"),
    (np.arange(5).reshape(1, 5), np.arange(10).reshape(1, 2, 5),
     "(1, 5) from input of shape (1, 2, 5)"),
    (np.arange(10).reshape(2, 5), np.arange(4), "(2, 5) from input of shape (4,)"),
])
def test_a_view_assignment_that_cannot_broadcast_names_both_shapes(dst, src, message):
    with pytest.raises(ValueError) as raised:
        assign_all(dst, src)
    assert str(raised.value) == "cannot assign slice of shape " + message


@pytest.mark.parametrize("dst, src", [
    (np.zeros((2, 3)), np.ones((1, 1, 3))), (np.zeros((2, 3)), np.ones((2, 1))),
    (np.zeros((2, 3)), np.ones(3)), (np.zeros(0), np.ones(1)),
])
def test_assignments_that_broadcast_equal_numpy(dst, src):
    expected = dst.copy()
    expected[...] = src
    assign_all(dst, src)
    assert np.array_equal(dst, expected)


@pytest.mark.parametrize("seq", [[1.0, 2.0], (1.0, 2.0), np.ones(2)])
def test_a_sequence_of_the_wrong_length_raises_and_leaks_nothing(seq):
    a = np.arange(10.0)
    with no_leaks(a):
        for _ in range(2):
            with pytest.raises(ValueError, match=r"shape \(1,\) from input of shape \(2,\)"):
                assign_slice(a, seq, 1, 2)
        with pytest.raises(ValueError):
            assign_from_fresh(3)
    assert np.array_equal(a, np.arange(10.0))


@pytest.mark.parametrize("index, value", [
    (np.array([1, 2, 3]), np.ones(2)), (np.arange(10) > 5, [1.0, 2.0]),
])
def test_advanced_assignment_mismatch_is_numpys_shape_message(index, value):
    a = np.arange(10.0)
    with no_leaks(a):
        with pytest.raises(ValueError, match="shape mismatch: value array of shape"):
            assign_selected(a, index, value)


@pytest.mark.parametrize("dst, item", [
    (np.zeros(3, "<U3"), np.array("abc")), (np.zeros(3, "<U3"), np.array("a")),
    (np.array(["abc", "def"], "<U3"), np.array("WXYZ", "<U4")),
    (np.zeros(2, "S2"), np.array(b"xyz")), (np.zeros(2, "S4"), np.array(b"x")),
])
def test_char_sequences_take_0d_arrays_truncated_or_padded(dst, item):
    expected, actual = dst.copy(), dst.copy()
    expected[0] = item
    assign_selected(actual, 0, item)
    assert np.array_equal(actual, expected) and actual.dtype == expected.dtype


@pytest.mark.parametrize("a, shape", [
    (np.arange(3), (3,)), (np.arange(3), (2, 3)), (np.array(0), (2,)),
])
def test_a_broadcast_view_is_read_only_even_with_its_input_shape(a, shape):
    result = broadcast_to(a, shape)
    assert not result.flags.writeable and a.flags.writeable
    assert np.array_equal(result, np.broadcast_to(a, shape))
