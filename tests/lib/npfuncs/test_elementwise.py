"""Differential tests of jitbridge/lib/npfuncs/elementwise.py against NumPy: np.angle,
np.sinc, np.nan_to_num (values and result dtypes, scalars and arrays)."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

angle = njit(lambda z, deg: np.angle(z, deg))
sinc = njit(lambda x: np.sinc(x))
nan_to_num = njit(lambda x, copy, nan, posinf, neginf: np.nan_to_num(x, copy, nan, posinf,
                                                                      neginf))
nan_to_num1 = njit(lambda x: np.nan_to_num(x))


def close(got, expected, rtol=1e-15):
    if np.ndim(expected):
        assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=rtol)


VALUES = [1.0, -0.0, 5, np.float32(-1.5), 1j, -5 - 5j, np.complex64(1 - 1j),
          np.array([1.0, -0.0, -3, np.nan]), np.array([1j, -1 - 0j], np.complex64),
          np.arange(4), np.arange(6, dtype=np.float32).reshape(2, 3)[:, ::2], [1.0, -2.0]]


@pytest.mark.parametrize("z", VALUES, ids=range(len(VALUES)))
def test_angle(z):
    single = np.result_type(np.asarray(z).real.dtype, np.float16) == np.float32
    for deg in (False, True):
        close(angle(z, deg), np.angle(z, deg), 2e-7 if single else 1e-15)


def test_angle_dtype_and_errors():
    for dtype in ("f4", "f8", "c8", "c16", "i2"):
        assert njit(lambda x: np.angle(x).dtype)(np.ones(1, dtype)) == np.angle(np.ones(1, dtype)).dtype
    with pytest.raises(TypingError, match='"z" must be a complex'):
        njit(lambda: np.angle(None))()


@pytest.mark.parametrize("x", [0.0, 1.5, -2, np.float32(0.25), 0j, 1 + 1j,
                               np.linspace(-3, 3, 13), np.linspace(-3, 3, 7).astype(np.float32),
                               np.arange(5), np.array([0j, 1.5 + 2j]), (0.5, 0.0)])
def test_sinc(x):
    single = np.asarray(x).dtype == np.float32
    close(sinc(x), np.sinc(x), 2e-7 if single else 1e-15)


NON_FINITE = [np.nan, np.inf, -np.inf, 1.0, 3, np.array([np.nan, np.inf, -np.inf, 1.5]),
              np.array([complex(np.inf, np.nan), np.nan, complex(np.nan, np.inf)]),
              np.array([1, 2]), np.array([np.nan, np.inf, 2.0], np.float32)[::-1],
              np.array([[np.nan, 1.0], [np.inf, 2.0]]).T]


@pytest.mark.parametrize("x", NON_FINITE, ids=range(len(NON_FINITE)))
def test_nan_to_num(x):
    np.testing.assert_array_equal(nan_to_num1(x), np.nan_to_num(x))
    got = nan_to_num(x, True, 5.0, 1.0, -2.0)
    expected = np.nan_to_num(x, True, 5.0, 1.0, -2.0)
    assert np.asarray(got).dtype == np.asarray(expected).dtype or not np.ndim(x)
    np.testing.assert_array_equal(got, expected)


def test_nan_to_num_in_place():
    a = np.array([[np.nan, 1.0], [np.inf, -np.inf]]).T
    expected = np.nan_to_num(a.copy(), copy=False)
    got = nan_to_num(a, False, 0.0, None, None)
    np.testing.assert_array_equal(a, expected)
    np.testing.assert_array_equal(got, expected)


def test_no_leaks():
    a = np.array([np.nan, 1.0, 2j])
    with no_leaks(a):
        angle(a, True)
        sinc(a)
        nan_to_num(a, True, 0.0, None, None)
