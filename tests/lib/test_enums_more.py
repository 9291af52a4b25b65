"""IntEnum members where NumPy takes ints: array shapes (`np.empty(Shape.square)`), and the
results of `@vectorize` kernels (the ufunc loop stores their values); dtypes named by
constant strings (`dtype='int64'`). Differential against NumPy."""
from enum import IntEnum

import numpy as np
import pytest

from jitbridge import njit, vectorize


class Shape(IntEnum):
    circle = 2
    square = 3


class Status(IntEnum):
    dummy = 2
    not_found = 404
    internal_error = 500


def filled(x):
    a = np.empty((x, x), dtype='int64')
    a.fill(-1)
    return a


def zeros_1d(x):
    return np.zeros(x, 'float32')


def ones_square():
    return np.ones((Shape.square, Shape.circle), dtype='int64')


SHAPES = {f: njit(f) for f in (filled, zeros_1d)}


@pytest.mark.parametrize("func", list(SHAPES), ids=lambda f: f.__name__)
def test_int_enum_members_as_extents(func):
    for member in Shape:
        got, expected = SHAPES[func](member), func(member)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


def test_int_enum_constants_as_extents():
    got = njit(ones_square)()
    assert got.shape == (3, 2) and got.dtype == np.int64


def test_unknown_dtype_string_is_a_typing_error():
    from jitbridge.errors import TypingError
    with pytest.raises(TypingError, match="zeros"):
        njit(lambda n: np.zeros(n, dtype='no such dtype'))(2)


def classify(x):
    if x != Status.not_found:
        return Status['internal_error']
    return Status.dummy


classify_ufunc = vectorize(nopython=True)(classify)


@njit
def classify_in_compiled_code(a):
    return classify_ufunc(a)


def test_vectorize_kernel_returning_int_enum_members():
    arg = np.array([2, 404, 500, 404])
    expected = np.array([classify(i) for i in arg], dtype=arg.dtype)
    got = classify_ufunc(arg)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(classify_in_compiled_code(arg), expected)
    assert classify_ufunc.types == ['l->l']
