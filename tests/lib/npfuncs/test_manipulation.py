"""Differential tests of jitbridge/lib/npfuncs/manipulation.py and creation.py against NumPy:
views (transpose, swapaxes, moveaxis, expand_dims, squeeze, atleast_*d, flip, broadcast_to),
reshaping, joining, splitting, repeat/tile/roll, and array creation."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

FEW = [np.bool_, np.int8, np.float64, np.complex64]
DTYPES = [np.bool_, np.int8, np.uint16, np.int32, np.uint64, np.float32, np.float64,
          np.complex64, np.complex128]


def same(got, expected):
    if isinstance(expected, (tuple, list)):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e)
        return
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def layouts(a):
    """The array as C, F and non-contiguous (strided) views with the same values."""
    strided = np.empty(tuple(2 * n for n in a.shape), a.dtype)[tuple(slice(None, None, 2)
                                                                      for _ in a.shape)]
    strided[...] = a
    return [a, np.asfortranarray(a), strided]


transpose = njit(lambda a: np.transpose(a))
transpose_axes = njit(lambda a: np.transpose(a, (1, 2, 0)))
transpose_method = njit(lambda a: a.transpose(2, 0, 1))
swapaxes = njit(lambda a: np.swapaxes(a, 0, -1))
moveaxis = njit(lambda a: np.moveaxis(a, -1, 0))
expand_dims = njit(lambda a, ax: np.expand_dims(a, ax))
squeeze = njit(lambda a: np.squeeze(a, 1))
flip = njit(lambda a: np.flip(a))
flip_axis = njit(lambda a: np.flip(a, -2))
fliplr = njit(lambda a: np.fliplr(a))
flipud = njit(lambda a: np.flipud(a))
ravel = njit(lambda a: np.ravel(a))
flatten = njit(lambda a: a.flatten())
reshape = njit(lambda a: np.reshape(a, (-1, 2)))
broadcast = njit(lambda a: np.broadcast_to(a, (2, 3, 4, 6)))

shapes3 = st.tuples(st.integers(0, 3), st.integers(1, 3), st.integers(1, 4)).map(
    lambda s: (s[0], s[1], 2 * s[2]))


@settings(max_examples=4, deadline=None)
@given(dtype=st.sampled_from(FEW), shape=shapes3, which=st.integers(0, 2))
def test_views_match_numpy(dtype, shape, which):
    a = layouts((np.arange(np.prod(shape)) % 7).astype(dtype).reshape(shape))[which]
    for func in (transpose, transpose_axes, transpose_method, swapaxes, moveaxis, flip,
                 flip_axis, fliplr, flipud, ravel, flatten):
        same(func(a), func.py_func(a))
    if which == 0:  # a view; others NotImplementedError as in Numba (test_broadcasting.py)
        same(reshape(a), reshape.py_func(a))
    for axis in (0, 2, -1, -4):
        same(expand_dims(a, axis), np.expand_dims(a, axis))
    same(squeeze(a[:, :1]), np.squeeze(a[:, :1], 1))


def test_views_share_memory():
    a = np.arange(24.0).reshape(2, 3, 4)
    for func in (transpose_axes, swapaxes, moveaxis, flip, lambda a: expand_dims(a, 1)):
        view = func(a)
        assert np.shares_memory(view, a)
    flip(a)[0, 0, 0] = -1.0
    assert a[1, 2, 3] == -1.0


def test_broadcast_to():
    a = np.arange(6.0).reshape(1, 6)
    got = broadcast(a)
    same(got, np.broadcast_to(a, (2, 3, 4, 6)))
    assert np.shares_memory(got, a)
    same(njit(lambda: np.broadcast_to(2.5, (2, 2)))(), np.broadcast_to(2.5, (2, 2)))
    with pytest.raises(ValueError, match="broadcast"):
        broadcast(np.ones((2, 6)))


def test_axis_errors():
    with pytest.raises(ValueError, match="out of bounds"):
        expand_dims(np.ones((2, 3)), 3)
    with pytest.raises(ValueError, match="size not equal to one"):
        squeeze(np.ones((2, 3)))
    with pytest.raises(ValueError, match="repeated axis"):
        njit(lambda a: a.transpose(0, 0))(np.ones((2, 2)))
    with pytest.raises(TypingError, match="axes don't match"):
        njit(lambda a: a.transpose(1, 0))(np.ones((2, 2, 2)))


@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_atleast(ndim):
    a = np.arange(2.0 ** ndim).reshape((2,) * ndim)
    for func in (np.atleast_1d, np.atleast_2d, np.atleast_3d):
        same(njit(lambda x: func(x))(a), func(a))
    same(njit(lambda x, y: np.atleast_3d(x, y))(a, a[0:1]), np.atleast_3d(a, a[0:1]))


concatenate = njit(lambda a, b, ax: np.concatenate((a, b), axis=ax))
stack = njit(lambda a, b, ax: np.stack((a, b), axis=ax))


@settings(max_examples=4, deadline=None)
@given(d1=st.sampled_from(FEW), d2=st.sampled_from(FEW), which=st.integers(0, 2),
       axis=st.integers(-3, 2), n=st.integers(0, 3))
def test_concatenate_and_stack(d1, d2, which, axis, n):
    a = layouts(np.arange(2 * 3 * 4).reshape(2, 3, 4).astype(d1))[which]
    b = (np.arange(24).reshape(2, 3, 4) * 3).astype(d2)
    same(stack(a, b, axis), np.stack((a, b), axis=axis))
    shape = list(a.shape)
    shape[axis] = n
    c = np.ones(shape, d2)
    same(concatenate(a, c, axis), np.concatenate((a, c), axis=axis))


def test_concatenate_errors_and_lists():
    a = np.ones((2, 3))
    with pytest.raises(ValueError, match="must match exactly"):
        concatenate(a, np.ones((3, 2)), 1)
    with pytest.raises(ValueError, match="out of bounds"):
        concatenate(a, a, 2)
    with pytest.raises(ValueError, match="same shape"):
        stack(a, np.ones((3, 2)), 0)
    same(njit(lambda a: np.concatenate([a, a, a], axis=1))(a), np.concatenate([a, a, a], 1))


@pytest.mark.parametrize("func", [np.hstack, np.vstack, np.dstack, np.column_stack])
@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_stacking_helpers(func, ndim):
    a = np.arange(2 * 3 ** (ndim - 1)).reshape((2,) + (3,) * (ndim - 1))
    jitted = njit(lambda x, y: func((x, y)))
    same(jitted(a, a + 10), func((a, a + 10)))
    same(jitted(a, (a * 1.5).astype(np.float32)), func((a, (a * 1.5).astype(np.float32))))


@pytest.mark.parametrize("sections", [1, 3, 4, (2, 5, -1, 20), (3, 1), ()])
def test_split(sections):
    a = np.arange(40.0).reshape(10, 4)
    for axis in (0, 1):
        if isinstance(sections, int) and a.shape[axis] % sections == 0 or \
                not isinstance(sections, int):
            same(njit(lambda x, s, ax: np.split(x, s, axis=ax))(a, sections, axis),
                 np.split(a, sections, axis=axis))
        same(njit(lambda x, s, ax: np.array_split(x, s, axis=ax))(a, sections, axis),
             np.array_split(a, sections, axis=axis))


def test_split_errors():
    with pytest.raises(ValueError, match="equal division"):
        njit(lambda x: np.split(x, 3))(np.arange(10))
    with pytest.raises(ValueError, match="larger than 0"):
        njit(lambda x: np.array_split(x, 0))(np.arange(10))


@pytest.mark.parametrize("dtype", FEW)
def test_repeat_tile_roll(dtype):
    a = (np.arange(12) % 5).astype(dtype).reshape(3, 4).T
    same(njit(lambda x: np.repeat(x, 3))(a), np.repeat(a, 3))
    same(njit(lambda x: x.repeat(0))(a), a.repeat(0))
    counts = np.arange(12) % 3
    same(njit(lambda x, c: np.repeat(x, c))(a, counts), np.repeat(a, counts))
    for reps in (2, (2, 3), (2, 1, 3), (0, 2)):
        same(njit(lambda x, r: np.tile(x, r))(a, reps), np.tile(a, reps))
    for shift in (0, 5, -13, 100):
        same(njit(lambda x, s: np.roll(x, s))(a, shift), np.roll(a, shift))


def test_creation_from_sequences():
    same(njit(lambda: np.array([1.0, 2.0, 3.0]))(), np.array([1.0, 2.0, 3.0]))
    same(njit(lambda: np.array([[1, 2], [3, 4]]))(), np.array([[1, 2], [3, 4]]))
    same(njit(lambda: np.array(((1, 2), (3, 4)), dtype=np.float32))(),
         np.array(((1, 2), (3, 4)), dtype=np.float32))
    same(njit(lambda: np.array([[[1, 2]], [[3, 4]]], np.complex64))(),
         np.array([[[1, 2]], [[3, 4]]], np.complex64))
    same(njit(lambda: np.asarray([True, False]))(), np.asarray([True, False]))
    same(njit(lambda: np.array(3.5))(), np.array(3.5))
    a = np.arange(6).reshape(2, 3)
    copied = njit(lambda x: np.array(x))(a)
    same(copied, a)
    assert not np.shares_memory(copied, a)
    with pytest.raises(ValueError, match="inhomogeneous"):
        njit(lambda: np.array([[1, 2], [3]]))()


@pytest.mark.parametrize("args", [(0, 1, 7), (-3.2, 1e3, 51), (2, 2, 5), (1, 0, 1), (0, 5, 0)])
def test_linspace(args):
    same(njit(lambda a, b, n: np.linspace(a, b, n))(*args), np.linspace(*args))


def test_matrices():
    same(njit(lambda: np.eye(3))(), np.eye(3))
    same(njit(lambda: np.eye(3, 4, 1, np.int32))(), np.eye(3, 4, 1, np.int32))
    same(njit(lambda: np.identity(4))(), np.identity(4))
    same(njit(lambda: np.tri(3, 5, 1))(), np.tri(3, 5, 1))
    m = np.arange(1.0, 13.0).reshape(3, 4)
    for k in (-1, 0, 2):
        same(njit(lambda x, k: np.tril(x, k))(m, k), np.tril(m, k))
        same(njit(lambda x, k: np.triu(x, k))(m.T, k), np.triu(m.T, k))
        same(njit(lambda x, k: np.diag(x, k))(m, k), np.diag(m, k))
        same(njit(lambda x, k: np.diag(x, k))(m[0], k), np.diag(m[0], k))
    same(njit(lambda x: np.ascontiguousarray(x))(m.T), np.ascontiguousarray(m.T))
    f = njit(lambda x: np.asfortranarray(x))(m)
    same(f, m)
    assert f.flags.f_contiguous


def test_flip_edges_of_sequences():
    for m in (((1, 2),), ([1, 2], [3, 4]), np.arange(20).reshape(5, 2, 2)):
        same(fliplr(m), np.fliplr(m))
        same(flipud(m), np.flipud(m))
    same(flipud([1.5, 2.5]), np.flipud([1.5, 2.5]))
    with pytest.raises(TypingError, match="with 2 indices"):
        fliplr(np.arange(3))


ROLL_INPUTS = [np.arange(7), [1.1, 2.2, 3.3], (True, False, True), False, 4, (9,), np.array([]), (),
               np.asfortranarray(np.array([[1.1, np.nan], [np.inf, 7.8]]))]


@pytest.mark.parametrize("a", ROLL_INPUTS, ids=range(len(ROLL_INPUTS)))
def test_roll_array_likes(a):
    roll = njit(lambda x, s: np.roll(x, s))
    for shift in (True, -10, 3):
        same(roll(a, shift), np.roll(a, shift))


def test_roll_errors():
    with pytest.raises(TypingError, match="shift must be an integer"):
        njit(lambda x: np.roll(x, 1.5))(np.arange(3))


def test_tri_negative_and_stacked_triangles():
    tri = njit(lambda n, m, k: np.tri(n, m, k))
    for n, m in [(-4, None), (3, -2), (-1, 5), (0, 0)]:
        same(tri(n, m, 1), np.tri(n, m, 1))
    triu = njit(lambda x, k: np.triu(x, k))
    tril = njit(lambda x, k: np.tril(x, k))
    a = np.arange(64.0).reshape(4, 2, 2, 4)
    for m in (a, np.asfortranarray(a), a.T, np.array([]), np.arange(63.0).reshape(7, 1, 3, 3)):
        for k in (-2, 0, 1):
            same(triu(m, k), np.triu(m, k))
            same(tril(m, k), np.tril(m, k))
    with pytest.raises(TypingError, match="k must be an integer"):
        triu(np.ones((2, 2)), 1.5)


def test_asarray_of_mixed_tuples():
    asarray = njit(lambda x: np.asarray(x))
    for x in [(True, False, 4), (3, 4.444, 3.142), (True, np.nan, 1.5j, -1),
              ((0.1, 0.2), (0.11, 0.19), (0.09j, 0.21j)), ((1, 2.5), (3, 4)), ()]:
        same(asarray(x), np.asarray(x))


def test_no_leaks():
    a = np.arange(24.0).reshape(2, 3, 4)
    with no_leaks(a):
        transpose_axes(a)
        flip(a)
        concatenate(a, a, 1)
        stack(a, a, 0)
        njit(lambda x: np.split(x, 2))(a)
        njit(lambda x: np.tile(x, (2, 2)))(a[0])
        njit(lambda: np.array([[1.0, 2.0], [3.0, 4.0]]))()
        broadcast(a[0, 0, :1])


@njit
def _shape_and_size(x):
    return np.shape(x), np.size(x)


@pytest.mark.parametrize("value", [np.empty(()), np.empty((2, 3)), np.empty((0, 4, 1)), 7, False,
                                   2.5, np.float32(1.5), [1, 2], (1.0, 2.0, 3.0)])
def test_np_shape_and_size_match_numpy(value):
    assert _shape_and_size(value) == (np.shape(value), np.size(value))


def test_np_shape_of_a_non_array_is_a_typing_error():
    with pytest.raises(TypingError, match="The argument to np.shape must be array-like"):
        _shape_and_size("text")


# -- reshape views, resize, fill_diagonal, argwhere of array-likes ---------------------------

reshape_to = njit(lambda a, shape: a.reshape(shape))


@pytest.mark.parametrize("a, shape", [
    (np.arange(24).reshape(2, 3, 4).T, (4, 3, 2)),
    (np.arange(24).reshape(2, 3, 4).T, (1, 4, 1, 3, 1, 2, 1)),
    (np.arange(48).reshape(4, 12)[:, ::2], (2, 2, -1)),
    (np.arange(1), ()),
])
def test_reshape_views_match_numpy(a, shape):
    got, expected = reshape_to(a, shape), a.reshape(shape)
    assert got.shape == expected.shape and got.strides == expected.strides
    assert np.shares_memory(got, a)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("a, shape, error, message", [
    (np.arange(24).reshape(2, 3, 4).T, (6, 4), NotImplementedError, "incompatible shape"),
    (np.arange(24).reshape(2, 3, 4).T, (5, 5), ValueError, "total size of new array must"),
    (np.arange(24).reshape(2, 3, 4).T, (-1, -1), ValueError, "multiple negative shape values"),
])
def test_reshape_errors(a, shape, error, message):
    with pytest.raises(error, match=message):
        reshape_to(a, shape)


def test_transpose_and_expand_dims_errors():
    assert njit(lambda a: a.reshape(3, 2))(np.arange(6)).shape == (3, 2)
    transposed = njit(lambda a, axes: np.transpose(a, axes))
    assert transposed(np.ones((2, 3, 4)), [-1, 0, 1]).shape == (4, 2, 3)
    with pytest.raises(ValueError, match="out of bounds for array of given dimension"):
        transposed(np.ones((2, 3)), (0, -3))
    with pytest.raises(TypingError, match="does not accept tuples"):
        transpose((np.ones(2),))
    with pytest.raises(TypingError, match='Argument "axis" must be an integer'):
        expand_dims(np.ones(2), 1.5)


resize = njit(lambda a, shape: np.resize(a, shape))


@pytest.mark.parametrize("a, shape", [
    (np.array([[1, 2], [3, 4]]), (4, 3)), (np.zeros((0, 2), np.int64), (2, 1)),
    ([0, 1, 2, 3], (2, 3)), (4, (2, 3)), (np.arange(6.0).reshape(2, 3).T, (5,)),
])
def test_resize_matches_numpy(a, shape):
    same(resize(a, shape), np.resize(a, shape))


def test_resize_errors():
    with pytest.raises(ValueError, match="must be non-negative"):
        resize(np.ones(2), (-2, 3))
    with pytest.raises(TypingError, match='argument "a" must be array-like'):
        resize("abc", (2, 3))


fill_diagonal = njit(lambda a, val, wrap: np.fill_diagonal(a, val, wrap))


@pytest.mark.parametrize("shape", [(7, 3), (3, 7), (3, 3, 3)])
@pytest.mark.parametrize("val", [np.nan, [8, 9]])
def test_fill_diagonal_matches_numpy(shape, val):
    for wrap in (False, True):
        got, expected = layouts(np.zeros(shape))[2], np.zeros(shape)
        fill_diagonal(got, val, wrap)
        np.fill_diagonal(expected, val, wrap)
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("a, val, error", [
    (np.zeros((3, 3), np.int32), np.nan, ValueError),
    (np.zeros((3, 3), np.float32), [1.0, -1e100], ValueError),
    (np.zeros((3, 3, 4)), np.nan, ValueError),
    (np.zeros(5), 1.0, TypingError),
])
def test_fill_diagonal_errors(a, val, error):
    with pytest.raises(error):
        fill_diagonal(a, val, False)


argwhere = njit(lambda a: np.argwhere(a))
flatnonzero = njit(lambda a: np.flatnonzero(a))


@pytest.mark.parametrize("a", [((1.5, 0.0), (3.5, 4.5), (0.0, 6.5)), (), 0.0, 2.5, "text"])
def test_argwhere_flatnonzero_of_array_likes(a):
    for func in (argwhere, flatnonzero):
        got, expected = func(a), func.py_func(a)
        same(got, expected)
        assert got.strides == expected.strides or not expected.size
