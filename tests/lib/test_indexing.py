"""Indexing as NumPy defines it: integers, slices, None, `...`, 0-d arrays, one integer array or
boolean mask among basic indices; reading and assignment, differential against NumPy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def get(a, index):
    return a[index]


@njit
def put(a, index, value):
    a[index] = value


def same(expected, actual):
    e, a = np.asarray(expected), np.asarray(actual)
    return e.dtype == a.dtype and e.shape == a.shape and np.array_equal(e, a, equal_nan=True)


def _basic_item(extent):
    slices = st.builds(slice, st.none() | st.integers(-5, 5), st.none() | st.integers(-5, 5),
                       st.none() | st.sampled_from([1, 2, -1, -2]))
    return st.integers(-extent, extent - 1) | slices if extent else slices


@st.composite
def indices(draw, shape):
    """An index for `shape`: basic items for a run of leading axes, maybe `...` and items for
    a run of trailing axes, and up to two advanced indices among them (integer arrays of
    shapes that broadcast together, or boolean masks)."""
    n = len(shape)
    head_end = draw(st.integers(0, n))
    tail_start = draw(st.integers(head_end, n)) if draw(st.booleans()) else None
    axes = list(range(head_end)) + (list(range(tail_start, n)) if tail_start is not None else [])
    axes = [a for a in axes if shape[a]]
    advanced = set(draw(st.lists(st.sampled_from(axes), max_size=2))) if axes else set()
    common = draw(st.lists(st.integers(1, 3), max_size=2).map(tuple))
    head = draw(_items(shape, 0, head_end, advanced, common))
    if tail_start is None:
        return tuple(head)
    return (*head, Ellipsis, *draw(_items(shape, tail_start, n, advanced, common)))


@st.composite
def _items(draw, shape, start, stop, advanced, common):
    items, axis = [], start
    while axis < stop:
        if draw(st.booleans()):
            items.append(None)
        if axis in advanced:
            items.append(draw(_advanced(shape[:stop], axis, common)))
            axis += items[-1].ndim if items[-1].dtype == bool else 1
        else:
            items.append(draw(_basic_item(shape[axis])))
            axis += 1
    return items


def _advanced(shape, axis, common):
    extent = shape[axis]
    ints = _broadcastable(common).flatmap(lambda s: st.lists(
        st.integers(-extent, extent - 1), min_size=int(np.prod(s)), max_size=int(np.prod(s)))
        .map(lambda v, s=s: np.array(v, dtype=np.intp).reshape(s)))
    covered = st.integers(1, len(shape) - axis).map(lambda n: shape[axis:axis + n])
    masks = covered.flatmap(lambda s: st.lists(st.booleans(), min_size=int(np.prod(s)),
                                               max_size=int(np.prod(s))).map(
        lambda v, s=s: np.array(v, dtype=bool).reshape(s)))
    return ints | masks


def _broadcastable(common):
    """Shapes that broadcast to `common`: some extents 1, maybe fewer leading dims (at
    least one dim: a 0-d integer array acts as a plain integer)."""
    ones = st.lists(st.booleans(), min_size=len(common), max_size=len(common))
    full = ones.map(lambda flags: tuple(1 if f else e for f, e in zip(flags, common)) or (1,))
    return full.flatmap(lambda s: st.integers(0, len(s) - 1).map(lambda k: s[k:]))


def numpy_or_error(operation):
    """(result, None) or (None, the IndexError NumPy raised)."""
    try:
        return operation(), None
    except IndexError as error:
        return None, error


SHAPES = st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple)


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_reading_equals_numpy(data):
    shape = data.draw(SHAPES, "shape")
    a = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    index = data.draw(indices(shape), "index")
    expected, error = numpy_or_error(lambda: a[index])
    if error is not None:  # index arrays that do not broadcast together
        with pytest.raises(IndexError):
            get(a, index)
        return
    assert same(expected, get(a, index))


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_assignment_equals_numpy(data):
    shape = data.draw(SHAPES, "shape")
    a = np.arange(np.prod(shape), dtype=np.int64).reshape(shape)
    index = data.draw(indices(shape), "index")
    expected, actual = a.copy(), a.copy()
    selected, error = numpy_or_error(lambda: np.shape(a[index]))
    if error is not None:
        with pytest.raises(IndexError):
            put(actual, index, 0)
        return
    value = data.draw(st.sampled_from(["scalar", "array", "row"]))
    value = {"scalar": -7, "array": -np.arange(np.prod(selected)).reshape(selected),
             "row": -np.arange(selected[-1] if selected else 1)}[value]
    try:
        expected[index] = value
    except ValueError:  # an array into one element: NumPy refuses it when run, jitbridge earlier
        with pytest.raises((ValueError, TypingError)):
            put(actual, index, value)
        return
    put(actual, index, value)
    assert same(expected, actual)


def test_views_share_memory_and_fancy_results_are_copies():
    a = np.arange(24.0).reshape(2, 3, 4)
    view = get(a, (Ellipsis, 1))
    assert view.base is a or np.shares_memory(view, a)
    copy = get(a, (slice(None), np.array([2, 0])))
    assert not np.shares_memory(copy, a) and copy.flags.c_contiguous


def test_zero_dimensional_arrays():
    z = np.array(2.5)
    assert get(z, ()) == 2.5 and type(get(z, ())) is float
    assert same(z[...], get(z, Ellipsis)) and np.shares_memory(get(z, Ellipsis), z)
    assert same(z[None], get(z, None))
    put(z, (), 4.0)
    assert z[()] == 4.0
    assert same(np.arange(5)[np.array(3)], get(np.arange(5), np.array(3)))


def test_mask_assignment_in_a_kernel():
    @njit
    def clamp(a):
        a[a > 0] = 0
        return a[a < -1]
    a = np.arange(-4.0, 4.0)
    expected = a.copy()
    expected[expected > 0] = 0
    assert same(expected[expected < -1], clamp(a)) and same(expected, a)


def test_assignment_from_an_overlapping_array_reads_before_writing():
    a, b = np.arange(6.0), np.arange(6.0)
    index = np.array([5, 4, 3, 2, 1, 0])
    put(a, index, a)
    b[index] = b
    assert same(b, a)


def test_unsigned_and_narrow_index_arrays():
    a = np.arange(10.0)
    for dtype in (np.uint8, np.int16, np.uint64, np.int32):
        index = np.array([9, 0, 3], dtype=dtype)
        assert same(a[index], get(a, index))


@pytest.mark.parametrize("index, exception", [
    (np.array([10]), IndexError), (np.array([-11]), IndexError),
    (np.ones(4, dtype=bool), IndexError),
    (np.array([2 ** 63], dtype=np.uint64), IndexError),
])
def test_bad_advanced_indices_raise_as_numpy(index, exception):
    a = np.arange(10.0)
    with pytest.raises(exception):
        a[index]
    with pytest.raises(exception):
        get(a, index)


def test_shape_mismatch_on_assignment_is_a_value_error():
    a = np.arange(10.0)
    with pytest.raises(ValueError, match="broadcast"):
        put(a, np.array([1, 2, 3]), np.ones(2))


@pytest.mark.parametrize("index, message", [
    ((0, 0, 0), "too many indices for array: array is 2-dimensional, but 3 were indexed"),
    ((Ellipsis, Ellipsis), "single ellipsis"),
    (1.5, "Unsupported array index type float64"),
])
def test_invalid_indices_are_located_typing_errors(index, message):
    with pytest.raises(TypingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        get(np.ones((2, 2)), index)


def test_no_leaks_and_exact_refcounts():
    a, index, mask = np.arange(12.0).reshape(3, 4), np.array([2, 0]), np.arange(12).reshape(3, 4) > 4
    get(a, index), put(a, mask, a[mask] * 2), get(a, (None, Ellipsis))
    with no_leaks(a, index, mask):
        for _ in range(3):
            get(a, index)
            get(a, mask)
            put(a, mask, get(a, mask))
            put(a, (slice(None), index), 1.0)
            get(a, (None, Ellipsis))


COLUMN, ROW = np.array([[0], [1], [3]]), np.array([[0, 1, 3, 4, 2]])


@pytest.mark.parametrize("index", [
    (3, COLUMN, ROW, slice(None)),                 # adjacent: broadcast dims stay in place
    (3, COLUMN, slice(None), ROW),                 # separated by a slice: they go first
    (COLUMN, ROW, 3, Ellipsis),
    (slice(1, 4), np.array([True, False, True, False, True, False]), 2, np.array([0, -1, 2])),
])
def test_several_index_arrays_broadcast_together(index):
    a = np.arange(5 * 6 * 7 * 8).reshape(5, 6, 7, 8)
    assert same(a[index], get(a, index))
    expected, actual = a.copy(), a.copy()
    expected[index] = -1
    put(actual, index, -1)
    assert same(expected, actual)


FROZEN_0D = np.array(42)


@njit
def _frozen_0d_item():
    return FROZEN_0D[()], FROZEN_0D[...]


def test_a_global_0d_array_freezes_with_zero_dimensions():
    item, view = _frozen_0d_item()
    assert item == 42 and view.shape == () and view[()] == 42
