"""Differential tests of jitbridge/lib/npfuncs/series.py against NumPy: np.unwrap and
np.ediff1d (exact values and dtypes)."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

unwrap = njit(lambda p: np.unwrap(p))
unwrap_period = njit(lambda p, period: np.unwrap(p, period=period))
unwrap_all = njit(lambda p, discont, axis, period: np.unwrap(p, discont, axis, period=period))
ediff1d = njit(lambda a, to_end, to_begin: np.ediff1d(a, to_end, to_begin))


def same(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


PHASE = np.linspace(0, np.pi, num=5)
PHASE[3:] += np.pi
WRAPPED = np.mod(np.array([0, 75, 150, 225, 300, 430]), 250)


@pytest.mark.parametrize("p", [np.array([1, 1 + 2 * np.pi]), PHASE, np.arange(16).reshape(4, 4),
                               np.arange(240, step=10).reshape(2, 3, 4), np.array([]),
                               np.arange(8.0).reshape(2, 4).T * 3, [0.0, 4.0, 8.0]])
def test_unwrap(p):
    same(unwrap(p), np.unwrap(p))


@pytest.mark.parametrize("p, period", [(np.array([1, 1 + 256]), 255), (WRAPPED, 250),
                                       (np.array([0, 1, 2, -1, 0]), 4), (PHASE, 1.5),
                                       (np.array([2, 3, 4, 5, 2, 3, 4, 5]), 4)])
def test_unwrap_period(p, period):
    same(unwrap_period(p, period), np.unwrap(p, period=period))
    same(unwrap_all(p, 140, -1, period), np.unwrap(p, 140, -1, period=period))


def test_unwrap_errors():
    with pytest.raises(ValueError, match='"axis" is not supported'):
        unwrap_all(np.array([1.0, 2.0]), 3, 2, 6.0)
    with pytest.raises(TypingError, match='"p" must be array-like'):
        unwrap(1.0)


@pytest.mark.parametrize("a", [np.linspace(-2, 7, 12), np.linspace(-2, 7, 12).reshape(3, 2, 2),
                               np.arange(12, dtype=np.int32), np.array([]), [1.0, 4.0, 2.5]])
def test_ediff1d(a):
    same(ediff1d(a, None, None), np.ediff1d(a))
    ends = np.array([7, 8], np.int16)
    same(ediff1d(a, ends, None), np.ediff1d(a, ends, None))
    same(ediff1d(a, None, ends), np.ediff1d(a, None, ends))
    if np.asarray(a).dtype.kind == "f":
        same(ediff1d(a, 1.5, ends), np.ediff1d(a, 1.5, ends))
    else:
        with pytest.raises(TypingError, match="same_kind"):
            ediff1d(a, 1.5, ends)


def test_ediff1d_bool():
    with pytest.raises(TypingError, match="Boolean dtype is unsupported"):
        ediff1d(np.array([True, False]), None, None)


def test_no_leaks():
    p = np.arange(6.0) * 3
    with no_leaks(p):
        unwrap(p)
        ediff1d(p, p, p)


trim_zeros = njit(lambda a, trim: np.trim_zeros(a, trim))
trim_zeros1 = njit(lambda a: np.trim_zeros(a))


@pytest.mark.parametrize("a", [np.array([]), np.zeros(3), np.array([0, 1, 2, 0, 0]),
                               np.array([np.nan, 0.0, 1.2, 0.0]), np.arange(5.0)[::-2],
                               np.array([0, 0, 1j, 0])])
def test_trim_zeros(a):
    got, expected = trim_zeros1(a), np.trim_zeros(a)
    same(got, expected)
    assert got.size == 0 or np.shares_memory(got, a)  # a view, as NumPy's
    for trim in ("f", "B", "Fb", "bf"):
        same(trim_zeros(a, trim), np.trim_zeros(a, trim))


def test_trim_zeros_errors():
    with pytest.raises(TypingError, match="array must be 1D"):
        trim_zeros1(np.ones((2, 2)))
    with pytest.raises(TypingError, match="second argument must be a string"):
        trim_zeros(np.ones(2), 1)
    with pytest.raises(ValueError, match="unexpected character"):
        trim_zeros(np.ones(2), "x")
