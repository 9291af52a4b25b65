"""Differential tests of jitbridge/lib/npfuncs/covariance.py against NumPy: np.cov and
np.corrcoef over arrays, sequences, complex data, rowvar/bias/ddof and the edge cases where
compiled code's fixed result dimensions differ from NumPy's squeeze."""
import warnings

import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

cov = njit(lambda m, y, rowvar, bias, ddof: np.cov(m, y, rowvar, bias, ddof))
cov1 = njit(lambda m: np.cov(m))
corrcoef = njit(lambda x, y, rowvar: np.corrcoef(x, y, rowvar))
corrcoef1 = njit(lambda x: np.corrcoef(x))


def same(got, expected):
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray) and got.shape == expected.shape
        assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-14)


RND = np.random.RandomState(3)
SINGLE = [np.array([[0, 2], [1, 1], [2, 0]]).T, RND.randn(5, 20)[:, ::2],
          np.asfortranarray(np.array([[0, 2], [1, 1], [2, 0]]).T), np.full((4, 5), True),
          np.array([np.nan, 0.5969, -np.inf, 0.9918]), np.linspace(-3, 3, 9).reshape(9, 1),
          ((0.1, 0.2), (0.11, 0.19), (0.09j, 0.21j)), 3.142, ((1.1, 2.2, 1.5),),
          np.array([]).reshape(0, 2), (), RND.randn(3, 300)]


@pytest.mark.parametrize("m", SINGLE, ids=range(len(SINGLE)))
def test_one_argument(m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(cov1(m), np.cov(m))
        same(corrcoef1(m), np.corrcoef(m))


def test_explicit_arguments():
    m = RND.randn(15, 7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for y in (None, m[::-1]):
            for rowvar in (False, True):
                same(corrcoef(m, y, rowvar), np.corrcoef(m, y, rowvar))
                for bias in (False, True):
                    for ddof in (None, 9):
                        same(cov(m, y, rowvar, bias, ddof), np.cov(m, y, rowvar, bias, ddof))


PAIRS = [(np.array([1, 2, 3]), np.array([[1j, 2j, 3j]])), (np.array([1, 2, 3]), (1j, 2j, 3)),
         (np.array([]), np.array([])), (1.1, 2.2), (RND.randn(10, 3), RND.randn(1, 3)),
         (np.array([-2.1, -1, 4.3]), np.array([[3, 1.1, 0.12], [3, 1.2, 0.1], [4, 1, 0.2]]))]


@pytest.mark.parametrize("m, y", PAIRS, ids=range(len(PAIRS)))
def test_two_arguments(m, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rowvar in (False, True):
            if np.ndim(y) == 2 and np.shape(y)[0] == 1 and not rowvar:
                continue  # NumPy would squeeze its single row
            same(cov(m, y, rowvar, False, None), np.cov(m, y, rowvar))
            same(cov(y, m, rowvar, False, None), np.cov(y, m, rowvar))
            same(corrcoef(m, y, rowvar), np.corrcoef(m, y, rowvar))


def test_errors():
    with pytest.raises(TypingError, match="m has more than 2 dimensions"):
        cov1(np.ones((2, 2, 2)))
    with pytest.raises(TypingError, match="ddof must be a real numerical scalar"):
        cov(np.ones((2, 3)), None, True, False, 4j)
    with pytest.raises(ValueError, match="ddof must be integral"):
        cov(np.ones((2, 3)), None, True, False, 1.5)
    with pytest.raises(ValueError, match="non-finite ddof"):
        cov(np.ones((2, 3)), None, True, False, np.nan)
    with pytest.raises(ValueError, match="incompatible dimensions"):
        cov(np.arange(3), np.arange(4), True, False, None)
    with pytest.raises(RuntimeError, match="single row"):
        cov1(np.ones((1, 3)))


def test_no_leaks():
    m = RND.randn(3, 5)
    with no_leaks(m):
        cov(m, m, False, True, 1)
        corrcoef1(m)
