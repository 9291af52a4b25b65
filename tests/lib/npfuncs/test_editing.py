"""Differential tests of jitbridge/lib/npfuncs/editing.py and windows.py against NumPy: append,
delete, rot90, diagflat, select, asarray_chkfinite, isposinf/isneginf, the window functions
and i0; and of np.digitize (searching.py)."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


def same(got, expected, strides=False):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    if strides and expected.size > 1:
        assert got.strides == expected.strides


append = njit(lambda a, v, axis: np.append(a, v, axis=axis))
delete = njit(lambda a, obj: np.delete(a, obj))
rot90 = njit(lambda m, k: np.rot90(m, k))
diagflat = njit(lambda v, k: np.diagflat(v, k))
select = njit(lambda c, ch, d: np.select(c, ch, d))
chkfinite = njit(lambda a: np.asarray_chkfinite(a))
digitize = njit(lambda x, bins, right: np.digitize(x, bins, right))
M23 = np.array([[1, 2, 3], [4, 5, 6]])


@pytest.mark.parametrize("a, v, axis", [(2, 2.5, None), (np.arange(10).reshape(5, 2), [1, 2], None),
                                        (M23, np.array([[7, 8, 9]]), 0), (M23, M23 * 1.5, 1)])
def test_append(a, v, axis):
    same(append(a, v, axis), np.append(a, v, axis=axis))


@pytest.mark.parametrize("a, obj", [([1, 2, 3, 4, 5], 3), (np.arange(10), -3),
                                    (np.arange(10), [3, 5, 6, 5]), (np.arange(60).reshape(3, 4, 5), 2),
                                    ((1.5, 2.5, 3.5), np.array([0, -1])), ([1, 2, 3, 4], slice(1, 3)),
                                    (np.arange(10)[::2], slice(None, None, 2))])
def test_delete(a, obj):
    same(delete(a, obj), np.delete(a, obj))


def test_delete_errors():
    with pytest.raises(IndexError, match="less than the len"):
        delete([1, 2], 3)
    with pytest.raises(TypingError, match="Integer dtype"):
        delete([1, 2], 1.5)


@pytest.mark.parametrize("m", [np.arange(12).reshape(3, 4), np.arange(24.0).reshape(2, 3, 4),
                               np.asfortranarray(np.arange(6.0).reshape(2, 3))])
def test_rot90(m):
    for k in range(-5, 6):
        same(rot90(m, k), np.rot90(m, k), strides=True)
    with pytest.raises(TypingError):
        rot90(np.arange(3), 1)


def test_diagflat_select_chkfinite():
    for v in (np.arange(4), ((1, 2), (3, 4)), (1.5, 2.5)):
        for k in (-1, 0, 2):
            same(diagflat(v, k), np.diagflat(v, k))
    x = np.arange(10)
    conds, choices = [x < 3, x > 5], [x, x ** 2]
    same(select(conds, choices, 42), np.select(conds, choices, 42))
    same(select(tuple(conds), tuple(choices), 0), np.select(conds, choices, 0))
    same(chkfinite((1.0, 2.0)), np.asarray_chkfinite((1.0, 2.0)))
    with pytest.raises(ValueError, match="infs or NaNs"):
        chkfinite(np.array([1.0, np.nan]))


@pytest.mark.parametrize("x", [np.array([np.inf, -np.inf, np.nan, -0.0]), -np.inf, np.arange(3)])
def test_signed_infinities(x):
    same(njit(lambda v: np.isposinf(v))(x), np.isposinf(x))
    same(njit(lambda v: np.isneginf(v))(x), np.isneginf(x))


def test_signed_infinities_into_out():
    into = njit(lambda v, out: (np.isposinf(v, out).copy(), np.isneginf(v, out)))
    for x, out in [(-np.inf, np.zeros(1, np.bool_)), (np.array([-np.inf, 0, np.inf]), np.ones(3)),
                   (np.inf, np.zeros(4))]:
        expected_out = out.copy()
        pos, neg = into(x, out)
        same(pos, np.isposinf(x, expected_out).copy())
        same(neg, np.isneginf(x, expected_out))
        same(out, expected_out)  # written in place


def test_chkfinite_rejects_scalars_and_dtype_strings():
    with pytest.raises(TypingError, match="must be array-like"):
        chkfinite(2.0)
    with pytest.raises(TypingError, match="dtype must be a valid Numpy dtype"):
        njit(lambda a: np.asarray_chkfinite(a, "float32"))(np.ones(2))


VALUES = np.float64((0, 0.99, 1, 4.4, 4.5, 7, 8, 9, 9.5, np.inf, -np.inf, np.nan))


@pytest.mark.parametrize("bins", [np.float64([1, 3, 4.5, 8]), np.float64([-np.inf, 1, 3, np.inf]),
                                  np.float64([1, 3, 4.5, 8, np.inf] + [np.nan] * 3),
                                  np.arange(-5, 5), [1, 1, 0], [1, 1, 1, 1]])
def test_digitize(bins):
    for x in (VALUES, VALUES.reshape(3, 4), [-1, 0, 1, 2]):
        for right in (False, True):
            same(digitize(x, bins, right), np.digitize(x, bins, right))
            same(digitize(x, bins[::-1], right), np.digitize(x, bins[::-1], right))


def test_digitize_errors():
    with pytest.raises(ValueError, match="monotonically"):
        digitize(np.ones(2), np.array([1.0, 3.0, 2.0]), False)
    with pytest.raises(TypingError, match="x may not be complex"):
        digitize(np.array([1j]), np.ones(2), False)


def _window(func):
    return njit(lambda m: func(m))


@pytest.mark.parametrize("func", [np.bartlett, np.blackman, np.hamming, np.hanning])
def test_windows(func):
    window = _window(func)
    for m in (-2, 0, 1, 5, 12):
        np.testing.assert_allclose(window(m), func(m), rtol=5e-16, atol=0)
    with pytest.raises(TypingError, match="M must be an integer"):
        window(1.5)


def test_kaiser_and_i0():
    kaiser = njit(lambda m, beta: np.kaiser(m, beta))
    for m in (0, 1, 5, 12):
        for beta in (0.0, 5.0, 14.0, 3):
            np.testing.assert_allclose(kaiser(m, beta), np.kaiser(m, beta), rtol=5e-16, atol=0)
    with pytest.raises(TypingError, match="beta must be an integer or float"):
        kaiser(5, 1j)
    x = np.linspace(-20, 20, 41)
    np.testing.assert_allclose(njit(lambda v: np.i0(v))(x), np.i0(x), rtol=5e-16)


def test_no_leaks():
    a = np.arange(12.0).reshape(3, 4)
    with no_leaks(a):
        rot90(a, 3)
        delete(a, slice(2, 5))
        append(a, a, 0)
        digitize(a, np.arange(5.0), True)
