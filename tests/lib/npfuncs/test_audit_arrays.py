"""Audit of array construction, manipulation, indexing, sorting and methods against NumPy
(issue 13): each test pins a difference the audit found and fixed."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError


def same(got, expected):
    assert isinstance(got, np.ndarray)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


# -- construction ------------------------------------------------------------------------------

@njit
def arange3(start, stop, step):
    return np.arange(start, stop, step)


@settings(max_examples=60, deadline=None)
@given(st.floats(-100, 100), st.floats(-100, 100), st.floats(0.01, 10), st.booleans())
def test_arange_float_steps_match_numpy_bit_for_bit(start, stop, step, down):
    step = -step if down else step
    same(arange3(start, stop, step), np.arange(start, stop, step))


@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.uint16, np.int64, np.float64])
def test_arange_dtype_fills_in_that_dtype(dtype):
    f = njit(lambda a, b, c: np.arange(a, b, c, dtype=dtype))
    for args in [(0, 1, 0.1), (0, 5, 0.5), (1.3, 9.1, 0.77), (0, 7, 2)]:
        same(f(*args), np.arange(*args, dtype=dtype))


def test_arange_keyword_and_positional_dtype_forms():
    cases = [lambda: np.arange(start=1, stop=5, step=2), lambda: np.arange(stop=5),
             lambda: np.arange(5, step=2), lambda: np.arange(0, 5, 2, "int8"),
             lambda: np.arange(5, dtype="uint8"), lambda: np.arange(start=2, stop=5.0),
             lambda: np.arange(stop=5, step=2), lambda: np.arange(1, 7, None)]
    for case in cases:
        same(njit(case)(), case())


def test_arange_without_stop_is_a_typing_error():
    with pytest.raises(TypingError, match="requires stop"):
        njit(lambda: np.arange(step=2))()


def test_asarray_of_a_runtime_str_is_a_0d_unicode_array():
    f = njit(lambda s: np.asarray(s))
    for s in ["hello", "", "héllo€", "hi"]:
        got, expected = f(s), np.asarray(s)
        assert got.dtype == expected.dtype and got.shape == () and got[()] == expected[()]
    assert njit(lambda s: np.array(s))("abc").dtype == np.dtype("<U3")


def test_linspace_endpoint_retstep_and_dtype():
    cases = [lambda: np.linspace(0, 1, 5, endpoint=False),
             lambda: np.linspace(0, 10, 5, dtype=np.int64),
             lambda: np.linspace(-3.5, 7, 6, dtype=np.int16),
             lambda: np.linspace(-5, 3.3, 7, False),
             lambda: np.linspace(0, 1 + 1j, 3, dtype="complex64")]
    for case in cases:
        same(njit(case)(), case())
    values, step = njit(lambda: np.linspace(-5, 3.3, 7, retstep=True))()
    expected_values, expected_step = np.linspace(-5, 3.3, 7, retstep=True)
    same(values, expected_values)
    assert step == expected_step
    assert np.isnan(njit(lambda: np.linspace(0, 1, 1, retstep=True))()[1])


def test_copy_keeps_fortran_order_and_takes_array_likes():
    fortran = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    for f in [lambda a: np.copy(a), lambda a: a.copy(), lambda a: np.asfortranarray(a.T),
              lambda a: np.ascontiguousarray(a), lambda a: np.ravel(a), lambda a: a.flatten()]:
        got, expected = njit(f)(fortran), f(fortran)
        same(got, expected)
        assert got.flags.f_contiguous == expected.flags.f_contiguous
        assert got.flags.c_contiguous == expected.flags.c_contiguous
    for f in [lambda: np.copy(3.0), lambda: np.copy([1, 2]), lambda: np.copy((1, 2.5)),
              lambda: np.ascontiguousarray([1, 2]), lambda: np.asfortranarray([[1.0, 2.0]])]:
        same(njit(f)(), f())


def test_full_broadcasts_an_array_fill_value():
    row = np.arange(3.0)
    for f in [lambda a: np.full((2, 3), a), lambda a: np.full((2, 3), a, dtype=np.int32)]:
        same(njit(f)(row), f(row))
    with pytest.raises(ValueError):
        njit(lambda a: np.full((2, 2), a))(row)


def test_complex_astype_to_real_keeps_the_real_part():
    a = np.array([1.5 + 2j, -3.7 - 1j, 1j])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        for dtype in (np.float64, np.float32, np.int64, np.uint8, np.bool_):
            same(njit(lambda a: a.astype(dtype))(a), a.astype(dtype))
            same(njit(lambda a: a.astype(dtype))(a.astype(np.complex64)),
                 a.astype(np.complex64).astype(dtype))


def test_fill_with_a_complex_into_a_real_array_is_a_typing_error():
    def fill(a):
        a.fill(1j)
    with pytest.raises(TypingError, match="fill"):
        njit(fill)(np.zeros(2))


# -- shapes and joining ---------------------------------------------------------------------

def test_atleast_nd_of_scalars():
    for f in [lambda: np.atleast_1d(3.0), lambda: np.atleast_2d(3), lambda: np.atleast_3d(True)]:
        same(njit(f)(), f())
    got = njit(lambda a: np.atleast_1d(2, a))(np.arange(3))
    same(got[0], np.array([2]))


# -- indexing -------------------------------------------------------------------------------

@njit
def where_or_zero(a):
    return np.where(a > 0, a, 0)


def test_where_broadcasts_empty_shapes():
    for shape in [(0, 2), (0,), (2, 0, 3), (1, 0)]:
        a = np.zeros(shape)
        same(where_or_zero(a), np.where(a > 0, a, 0))
    same(njit(lambda a: np.where(a > 0, 1.5, a[:1]))(np.zeros((0, 2))),
         np.where(np.zeros((0, 2)) > 0, 1.5, np.zeros((1, 2))))
    with pytest.raises(ValueError):
        njit(lambda a, b: np.where(a > 0, a, b))(np.zeros((0, 2)), np.zeros(3))


# -- sorting and searching ------------------------------------------------------------------

def test_searchsorted_method_and_sorter():
    a = np.array([3, 1, 2, 2])
    order = np.argsort(a, kind="stable")
    for f in [lambda a, s: np.searchsorted(a, 2, sorter=s),
              lambda a, s: np.searchsorted(a, np.array([0, 2, 5]), "right", s),
              lambda a, s: a.searchsorted(2, side="right", sorter=s),
              lambda a, s: np.sort(a).searchsorted(np.array([1.5, 2.0]))]:
        np.testing.assert_array_equal(njit(f)(a, order), f(a, order))
    for bad in (order[:2], order + 1):
        with pytest.raises(ValueError):
            njit(lambda a, s: np.searchsorted(a, 2, sorter=s))(a, bad)


def test_partition_and_argpartition_methods():
    def partition(a, k):
        a.partition(k)
        return a
    rng = np.random.default_rng(1)
    ints, floats = rng.integers(-9, 9, 12), rng.standard_normal((3, 5))
    for k in (0, 2, 11):
        assert njit(partition)(ints.copy(), k)[k] == np.partition(ints, k)[k]
    for k in (0, 3):
        picked = np.take_along_axis(floats, njit(lambda a, k: a.argpartition(k))(floats, k), -1)
        np.testing.assert_array_equal(picked[:, k], np.partition(floats, k)[:, k])


def test_sort_of_sequences():
    for f in [lambda: np.sort([3, 1, 2]), lambda: np.sort((3.0, 1.0, 2.0)),
              lambda: np.argsort([3, 1, 1, 2], kind="stable"),
              lambda: np.sort([[3, 1], [0, 2]], axis=0)]:
        same(njit(f)(), f())


# -- methods --------------------------------------------------------------------------------

@pytest.mark.parametrize("bounds", [(-1, 1), (-1, 300), (0, 300), (-1000, 5)])
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.uint16, np.uint64])
def test_clip_with_python_int_bounds_outside_the_dtype(bounds, dtype):
    a = np.array([0, 1, 5, 100, 127], dtype=dtype)
    low, high = bounds
    f = njit(lambda a: np.clip(a, -1, 1)) if bounds == (-1, 1) else \
        njit(lambda a: np.clip(a, -1, 300)) if bounds == (-1, 300) else \
        njit(lambda a: a.clip(0, 300)) if bounds == (0, 300) else njit(lambda a: a.clip(-1000, 5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        expected = np.clip(a, low, high)
    same(f(a), expected)


@njit
def repeat_axis(a, counts, axis):
    return np.repeat(a, counts, axis=axis)


def test_repeat_along_an_axis_and_of_scalars():
    a = np.arange(24).reshape(2, 3, 4)
    for axis in (0, 1, 2, -1):
        same(repeat_axis(a, 2, axis), np.repeat(a, 2, axis=axis))
    counts = np.array([1, 0, 3])
    same(njit(lambda a, c: np.repeat(a, c, axis=1))(a, counts), np.repeat(a, counts, axis=1))
    same(njit(lambda a: a.repeat(2, axis=0))(a[:, ::2]), a[:, ::2].repeat(2, axis=0))
    with pytest.raises(ValueError):
        njit(lambda a, c: np.repeat(a, c, axis=0))(a, counts)
    for f in [lambda: np.repeat(3, 4), lambda: np.tile(3.0, 3), lambda: np.tile(True, (2, 2))]:
        same(njit(f)(), f())


def test_flip_over_a_tuple_of_axes():
    a = np.arange(24).reshape(2, 3, 4)
    for f in [lambda a: np.flip(a, (0, 1)), lambda a: np.flip(a, axis=(0, -1, 1)),
              lambda a: np.flip(a[:, ::2], (2,))]:
        same(njit(f)(a), f(a))
    with pytest.raises(ValueError, match="repeated axis"):
        njit(lambda a: np.flip(a, (0, -3)))(a)


def test_argwhere_of_0d_arrays():
    f = njit(lambda a: np.argwhere(a))
    for a in (np.array(1.0), np.array(0), np.array(True)):
        same(f(a), np.argwhere(a))


def test_concatenate_axis_none_joins_flattened():
    a = np.arange(6.0).reshape(2, 3)
    for f in [lambda a: np.concatenate((a, a), axis=None),
              lambda a: np.concatenate([a, a.T], axis=None),
              lambda a: np.concatenate((a[:, ::2], a.astype(np.int8)), None)]:
        same(njit(f)(a), f(a))
