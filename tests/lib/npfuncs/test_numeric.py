"""Tests of the parts of jitbridge/lib/npfuncs/numeric.py that take run-time arguments:
np.convolve/np.correlate with a mode held in a variable, np.isin's flag checks."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError

correlate = njit(lambda a, v, mode: np.correlate(a, v, mode=mode))
convolve = njit(lambda a, v, mode: np.convolve(a, v, mode=mode))
isin = njit(lambda a, b, assume_unique, invert: np.isin(a, b, assume_unique, invert))


@pytest.mark.parametrize("n, m", [(1, 3), (4, 2), (7, 7)])
def test_runtime_mode(n, m):
    a, v = np.arange(n) * (1 + 1j), np.arange(m, dtype=np.float32)
    for mode in ("full", "same", "valid"):
        for compiled, func in ((correlate, np.correlate), (convolve, np.convolve)):
            got, expected = compiled(a, v, mode), func(a, v, mode=mode)
            assert got.dtype == expected.dtype
            np.testing.assert_array_equal(got, expected)


def test_convolution_errors():
    with pytest.raises(ValueError, match="Invalid 'mode'"):
        correlate(np.arange(3.0), np.arange(3.0), "invalid mode")
    with pytest.raises(ValueError, match="'a' cannot be empty"):
        convolve(np.ones(0), np.arange(3.0), "full")
    with pytest.raises(TypingError, match="only supported on 1D arrays"):
        convolve(np.ones((2, 2)), np.arange(3.0), "full")


def test_isin_flags():
    a, b = np.arange(5), np.array([1, 3])
    np.testing.assert_array_equal(isin(a, b, True, True), np.isin(a, b, True, True))
    with pytest.raises(TypingError, match="assume_unique must be a boolean"):
        isin(a, b, "foo", False)
    with pytest.raises(TypingError, match="invert must be a boolean"):
        isin(a, b, False, 1.5)


def test_average_along_an_axis():
    average = njit(lambda a, axis: np.average(a, axis=axis))
    a = np.arange(24).reshape(2, 3, 4)[:, ::-1]
    for axis in (0, 1, -1):
        got, expected = average(a, axis), np.average(a, axis=axis)
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected)


def test_bincount_weights_as_sequences():
    bincount = njit(lambda x, w: np.bincount(x, w))
    for x, w in (([0, 1, 1, 3], [0.5, 1.0, 2.0, -1.0]), ((2, 0, 2), (1, 2, 3))):
        got, expected = bincount(x, w), np.bincount(x, w)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
