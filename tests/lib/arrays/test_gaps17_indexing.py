"""Issue 13 gaps: indexing an array by a list of integers or booleans, and a.flat indexed by
slices, `...`, integer arrays, lists and 1-d masks (get and set), against NumPy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError


def same(got, expected):
    assert isinstance(got, np.ndarray)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def layouts(a):
    """The 2-d array as C, F and non-contiguous (every other column) arrays."""
    return [a, np.asfortranarray(a), a[:, ::2]]


# -- a[list] -------------------------------------------------------------------------------------

take_list = njit(lambda a, index: a[index])
take_literal = njit(lambda a: a[[0, 2, -1]])
take_mask_literal = njit(lambda a: a[[True, False, True]])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-6, 5), min_size=1, max_size=8))
def test_list_of_ints_selects_rows_like_numpy(index):
    for a in layouts(np.arange(36.0).reshape(6, 6)):
        same(take_list(a, index), a[index])


def test_list_literals_of_ints_and_bools_in_1d_to_3d():
    for a in [np.arange(3, dtype=np.int8), np.arange(12).reshape(3, 4),
              np.arange(24, dtype=np.complex64).reshape(3, 2, 4)]:
        same(take_literal(a), a[[0, 2, -1]])
        same(take_mask_literal(a), a[[True, False, True]])


def test_list_of_bools_argument_is_a_mask():
    a = np.arange(20).reshape(5, 4)
    same(take_list(a, [True, False, False, True, True]), a[[True, False, False, True, True]])


def test_lists_inside_a_tuple_index():
    a = np.arange(24.0).reshape(4, 6)
    same(njit(lambda a: a[[0, 2], 1])(a), a[[0, 2], 1])
    same(njit(lambda a: a[1:, [0, 5]])(a), a[1:, [0, 5]])
    same(njit(lambda a: a[[0, 3], [1, 2]])(a), a[[0, 3], [1, 2]])


def test_list_index_out_of_range_and_bad_mask_raise_indexerror():
    a = np.arange(5.0)
    with pytest.raises(IndexError):
        take_list(a, [0, 5])
    with pytest.raises(IndexError):
        take_list(a, [-6])
    with pytest.raises(IndexError):
        take_list(a, [True, False])


@njit
def assign_list(a, index, value):
    a[index] = value
    return a


@pytest.mark.parametrize("index", [[0, 2], [-1, 0, 0], [True, False, True, False]])
@pytest.mark.parametrize("value", [7, 2.5, np.arange(3.0)])
def test_setitem_through_a_list(index, value):
    a = np.arange(12.0).reshape(4, 3)
    expected = a.copy()
    expected[index] = value
    same(assign_list(a.copy(), index, value), expected)


def test_setitem_through_a_list_literal_on_a_view():
    a = np.arange(24).reshape(4, 6)
    expected = a.copy()
    expected[:, ::2][[1, 3]] = -1

    def f(a):
        a[:, ::2][[1, 3]] = -1
        return a
    same(njit(f)(a.copy()), expected)


# -- a.flat[...] ---------------------------------------------------------------------------------

flat_get = njit(lambda a, index: a.flat[index])
flat_slice = njit(lambda a: a.flat[1:5])
flat_step = njit(lambda a: a.flat[::-3])
flat_all = njit(lambda a: a.flat[...])


def flat_sources():
    base = np.arange(24.0).reshape(4, 6)
    return [*layouts(base), base[:, 1::2], np.arange(7, dtype=np.int16), base > 7,
            np.arange(24, dtype=np.complex128).reshape(2, 3, 4), np.zeros((0, 3))]


@pytest.mark.parametrize("a", flat_sources(), ids=lambda a: f"{a.dtype}{a.shape}{a.strides}")
def test_flat_slices_and_ellipsis_are_1d_copies(a):
    same(flat_slice(a), a.flat[1:5])
    same(flat_step(a), a.flat[::-3])
    same(flat_all(a), a.flat[...])
    before = a.copy()
    flat_all(a)[...] = 0  # a copy, not a view
    same(a, before)


@pytest.mark.parametrize("a", flat_sources()[:5], ids=lambda a: f"{a.dtype}{a.shape}{a.strides}")
def test_flat_integer_arrays_lists_and_masks(a):
    for index in [np.array([0, -1, 2]), np.array([[0, 1], [2, 0]]), [0, 2]]:
        same(flat_get(a, index), a.flat[index])
    mask = np.arange(a.size) % 3 == 0
    same(flat_get(a, mask), a.flat[mask])


def test_flat_index_errors():
    a = np.arange(12).reshape(3, 4)
    with pytest.raises(IndexError):
        flat_get(a, np.array([12]))
    with pytest.raises(IndexError):
        flat_get(a, np.array([True, False]))
    with pytest.raises(TypingError):
        flat_get(a, a > 2)  # NumPy: too many indices for the 1-d flat iterator


@njit
def flat_set(a, index, value):
    a.flat[index] = value
    return a


@njit
def flat_set_slice(a, value):
    a.flat[1:6] = value
    return a


@njit
def flat_set_all(a, value):
    a.flat[...] = value
    return a


@pytest.mark.parametrize("make", [lambda a: a, np.asfortranarray, lambda a: a[:, ::2]])
def test_flat_assignment_repeats_values_like_numpy(make):
    base = np.arange(24.0).reshape(4, 6)
    for value in [7.5, np.array([1.0, 2.0]), np.zeros(0)]:
        a, b = make(base.copy()), make(base.copy())
        b.flat[1:6] = value
        same(flat_set_slice(a, value), b)
        a, b = make(base.copy()), make(base.copy())
        b.flat[...] = value
        same(flat_set_all(a, value), b)
    for index in [np.array([0, 0, 5]), [1, 2], np.arange(make(base).size) % 2 == 0]:
        a, b = make(base.copy()), make(base.copy())
        b.flat[index] = np.array([-1.0, -2.0, -3.0])
        same(flat_set(a, index, np.array([-1.0, -2.0, -3.0])), b)
