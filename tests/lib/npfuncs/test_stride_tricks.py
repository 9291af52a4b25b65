"""Differential tests of jitbridge/lib/npfuncs/stride_tricks.py against NumPy:
np.lib.stride_tricks.as_strided and sliding_window_view (views, their errors)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from numpy.lib.stride_tricks import sliding_window_view as np_sliding_window_view

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


def rolling_windows(a):
    shape = a.shape[:-1] + (a.shape[-1] - 2, 3)
    return np.lib.stride_tricks.as_strided(a, shape=shape, strides=a.strides + a.strides[-1:])


def half_strides(a):
    return np.lib.stride_tricks.as_strided(a, strides=(a.strides[0] // 2,) + a.strides[1:])


def windows(x, window_shape, axis=None):
    return np.lib.stride_tricks.sliding_window_view(x, window_shape, axis=axis)


def imported_windows(x, window_shape):
    return np_sliding_window_view(x, window_shape)


def same_view(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert got.strides == expected.strides
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("func", [rolling_windows, half_strides])
@pytest.mark.parametrize("shape", [(24,), (6, 4), (4, 1, 6)])
def test_as_strided_matches_numpy(func, shape):
    a = np.arange(24, dtype=np.int64).reshape(shape)
    with no_leaks():
        got = njit(func)(a)
    same_view(got, func(a))
    assert np.shares_memory(got, a)


def test_as_strided_needs_strides():
    with pytest.raises(TypingError, match="strides argument cannot be None"):
        njit(lambda a: np.lib.stride_tricks.as_strided(a, shape=(2,)))(np.arange(4))


jit_windows = njit(windows)


@settings(max_examples=20, deadline=None)
@given(rows=st.integers(1, 5), cols=st.integers(1, 6), w0=st.integers(0, 6),
       w1=st.integers(0, 7), axes=st.sampled_from([None, (0, 1), (1, 0), (1, -2), (0, 0)]))
def test_sliding_window_view_matches_numpy(rows, cols, w0, w1, axes):
    x = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols)[:, ::-1]
    try:
        expected = np_sliding_window_view(x, (w0, w1), axes, writeable=True)
    except ValueError:
        with pytest.raises(ValueError):
            jit_windows(x, (w0, w1), axes)
        return
    same_view(jit_windows(x, (w0, w1), axes), expected)


def test_sliding_window_view_forms():
    x = np.arange(24)
    for axis in (None, 0, -1, (0,)):
        same_view(jit_windows(x, 5, axis), np_sliding_window_view(x, 5, axis))
    same_view(njit(imported_windows)(x, 3), np_sliding_window_view(x, 3))


@pytest.mark.parametrize("args, message", [
    ((np.arange(24), 25), "window_shape cannot be larger"),
    ((np.arange(24), -1), "cannot contain negative"),
    ((np.arange(24), (10, 2)), "matching length window_shape and axis"),
    ((np.arange(24), 4, 1), "Argument axis out of bounds"),
])
def test_sliding_window_view_value_errors(args, message):
    with pytest.raises(ValueError, match=message):
        jit_windows(*args)


@pytest.mark.parametrize("args, message", [
    ((np.arange(24), 3.5), "window_shape must be an integer or tuple of integers"),
    ((np.arange(24), 4, (1.5,)), "axis must be None, an integer or tuple of integers"),
])
def test_sliding_window_view_typing_errors(args, message):
    with pytest.raises(TypingError, match=message):
        jit_windows(*args)
