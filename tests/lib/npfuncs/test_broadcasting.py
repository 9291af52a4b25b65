"""Differential tests of jitbridge/lib/npfuncs/broadcasting.py against NumPy: np.broadcast_to,
np.broadcast_shapes, np.broadcast_arrays (views over the arguments' memory, NumPy's errors)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

broadcast_to = njit(lambda a, shape: np.broadcast_to(a, shape))
shapes2 = njit(lambda a, b: np.broadcast_shapes(a, b))
shapes3 = njit(lambda a, b, c: np.broadcast_shapes(a, b, c))
arrays2 = njit(lambda a, b: np.broadcast_arrays(a, b))

extent = st.sampled_from([0, 1, 1, 2, 3])
shape = st.lists(extent, min_size=0, max_size=3).map(tuple)


def _numpy_or_error(func, *args):
    try:
        return func(*args)
    except ValueError:
        return ValueError


@settings(max_examples=25, deadline=None)
@given(a=shape, b=shape)
def test_broadcast_shapes_and_arrays_match_numpy(a, b):
    a3, b3 = (1, 1, 1)[len(a):] + a, (1, 1, 1)[len(b):] + b  # one compilation per arity
    expected = _numpy_or_error(np.broadcast_shapes, a3, b3)
    if expected is ValueError:
        with pytest.raises(ValueError, match="shape mismatch"):
            shapes2(a3, b3)
        return
    assert shapes2(a3, b3) == expected
    x, y = np.arange(np.prod(a3), dtype=np.int64).reshape(a3), np.ones(b3, np.int64)
    with no_leaks():
        got = arrays2(x, y)
    for g, e in zip(got, np.broadcast_arrays(x, y)):
        assert g.shape == e.shape and (g.strides == e.strides or not e.size)
        np.testing.assert_array_equal(g, e)


def test_broadcast_shapes_forms_and_errors():
    assert shapes3((6, 7), (5, 6, 1), 7) == (5, 6, 7)
    assert njit(lambda: np.broadcast_shapes())() == ()
    with pytest.raises(ValueError, match="negative dimensions"):
        shapes3((1, 2), 2, -2)
    with pytest.raises(TypingError, match=r"either an int or tuple\[int\]"):
        shapes2((1, 2), 3.5)


def test_broadcast_arrays_array_likes_and_errors():
    got = arrays2(np.intp(2), np.zeros((1, 3), np.intp))
    assert [g.shape for g in got] == [(1, 3), (1, 3)]
    assert [g.shape for g in arrays2((1, 2), 5)] == [(2,), (2,)]
    assert [g.shape for g in arrays2(True, False)] == [(1,), (1,)]  # Numba's, NumPy says ()
    with pytest.raises(TypingError, match="Mismatch of argument types"):
        arrays2(np.zeros(3), True)
    with pytest.raises(TypingError, match='Argument "1" must be array-like'):
        arrays2(np.zeros(3), "text")


@pytest.mark.parametrize("value, shape", [
    (np.array(0), (3,)), (np.ones(1), (1, 2, 3)), (np.arange(3), (2, 3)), (np.ones(1), 2),
    (np.ones((1, 2)), (0, 2)), (2, (2, 2)), ((1, 2), (2, 2)), (np.array(5.0), ()), (7, ()),
    (np.arange(6)[::2], (4, 3)),
])
def test_broadcast_to_matches_numpy(value, shape):
    got, expected = broadcast_to(value, shape), np.broadcast_to(value, shape)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert got.strides == expected.strides
    np.testing.assert_array_equal(got, expected)


def test_broadcast_to_is_a_view():
    a = np.zeros(2, np.int32)
    view = broadcast_to(a, (2, 2))
    a[0] = 10
    assert view.sum() == 20
    with pytest.raises(TypingError, match="Cannot modify readonly array"):
        njit(_write_into_broadcast)(a)


def _write_into_broadcast(a):
    view = np.broadcast_to(a, (2, 2))
    view[0, 0] = 1


@pytest.mark.parametrize("value, shape, error, message", [
    (np.zeros(3), (), TypingError, "Cannot broadcast a non-scalar to a scalar array"),
    ((123,), (), TypingError, "Cannot broadcast a non-scalar to a scalar array"),
    (np.zeros(3), (4,), ValueError, "could not be broadcast together"),
    (np.zeros((2, 2)), (3,), ValueError, "more dimensions than allowed"),
    (np.zeros(1), (-1,), ValueError, "must be non-negative"),
    (np.zeros((1, 2)), (1.5, 2.5), TypingError, 'second argument "shape" must be a tuple'),
    ("hello", (3,), TypingError, 'first argument "array" must be array-like'),
    (3, (2, "a"), TypingError, "cannot be interpreted as an integer"),
])
def test_broadcast_to_errors(value, shape, error, message):
    with pytest.raises(error, match=message):
        broadcast_to(value, shape)
