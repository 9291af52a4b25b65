"""Differential tests of np.polyval/polyder/polyint/polyfit (polynomials.py) and of
numpy.polynomial.polynomial and polyutils (polynomial_series.py) against NumPy."""
import numpy as np
import numpy.polynomial.polynomial as P
import numpy.polynomial.polyutils as pu
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

SLOW = pytest.mark.slow


def same(got, expected, exact=True):
    if isinstance(expected, (tuple, list)):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e, exact)
        return
    if np.ndim(expected) == 0:  # (a scalar comes back as a Python number)
        assert not isinstance(got, np.ndarray) and got == expected
        return
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if exact:
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


polyval = njit(lambda p, x: np.polyval(p, x))
polyder = njit(lambda p, m: np.polyder(p, m))
polyint = njit(lambda p, m, k: np.polyint(p, m, k))
polyint1 = njit(lambda p: np.polyint(p))
polyfit = njit(lambda x, y, d: np.polyfit(x, y, d))

P3 = np.array([3.0, -1.0, 2.0, 0.5])


def test_polyval():
    x = np.linspace(-2, 2, 7).reshape(7, 1)[::2]
    same(polyval(P3, x), np.polyval(P3, x))
    same(polyval(P3, 1.7), np.polyval(P3, 1.7))


@SLOW
def test_polyval_dtypes():
    same(polyval([1, 2, 3], np.arange(6).reshape(2, 3)), np.polyval([1, 2, 3],
                                                                    np.arange(6).reshape(2, 3)))
    p32, x32 = P3.astype(np.float32), np.arange(3, dtype=np.float32)
    same(polyval(p32, x32), np.polyval(p32, x32))
    same(polyval(P3 + 1j, 0.5 - 2j), np.polyval(P3 + 1j, 0.5 - 2j))
    same(polyval(P3, np.array([np.inf, np.nan])), np.polyval(P3, np.array([np.inf, np.nan])))


def test_polyder_polyint():
    for m in (0, 1, 2, 5):
        same(polyder(P3, m), np.polyder(P3, m))
    same(polyint1(np.arange(4)), np.polyint(np.arange(4)))
    with pytest.raises(ValueError, match="Order of derivative must be positive"):
        polyder(P3, -1)


@SLOW
def test_polyder_polyint_dtypes():
    same(polyint(P3, 2, 3.0), np.polyint(P3, 2, 3.0))
    with pytest.raises(ValueError, match="k must be a scalar or a rank-1 array"):
        polyint(P3, 3, np.array([1.0, 2.0]))
    i32 = np.arange(5, dtype=np.int32)
    same(polyder(i32, 2), np.polyder(i32, 2))
    same(polyint(P3, 3, np.array([1.0, 2, 3])), np.polyint(P3, 3, np.array([1.0, 2, 3])))
    same(polyint(P3 + 1j, 2, None), np.polyint(P3 + 1j, 2, None))
    same(polyint(P3, 2, 1j), np.polyint(P3, 2, 1j))


@SLOW  # (LAPACK's least squares: seconds of compilation)
def test_polyfit():
    x = np.linspace(0, 2, 9)
    y = 3 * x**2 - x + 0.1 * np.sin(7 * x)
    same(polyfit(x, y, 2), np.polyfit(x, y, 2), exact=False)
    with pytest.raises(ValueError, match="expected deg >= 0"):
        polyfit(x, y, -1)
    with pytest.raises(TypeError, match="same length"):
        polyfit(x, y[:3], 1)


@SLOW
def test_polyfit_more():
    x = np.linspace(0, 2, 9)
    y = np.stack([np.cos(x), x**3], axis=1)
    same(polyfit(x, y, 3), np.polyfit(x, y, 3), exact=False)
    same(polyfit(np.arange(5), np.arange(5)**2, 2), np.polyfit(np.arange(5), np.arange(5)**2, 2),
         exact=False)


C1, C2 = np.array([1.0, 2, 3, 0]), np.array([3, 2, 1])
SERIES = {name: njit(eval(f"lambda a, b: P.{name}(a, b)"))  # noqa: S307
          for name in ("polyadd", "polysub", "polymul", "polydiv")}


@pytest.mark.parametrize("name", ["polyadd", pytest.param("polysub", marks=SLOW),
                                  pytest.param("polymul", marks=SLOW),
                                  pytest.param("polydiv", marks=SLOW)])
def test_series_arithmetic(name):
    f, ref = SERIES[name], getattr(P, name)
    same(f(C1, C2), ref(C1, C2))
    same(f(C2.astype(float), C1), ref(C2.astype(float), C1))


@SLOW
def test_series_mixed_inputs():
    for name, f in SERIES.items():
        same(f([1, 2], (1j, 0.5)), getattr(P, name)([1, 2], (1j, 0.5)))


poly_val = njit(lambda x, c: P.polyval(x, c))
poly_der = njit(lambda c, m, s: P.polyder(c, m, s))
poly_int = njit(lambda c, m, k, lbnd, s: P.polyint(c, m, k, lbnd, s))
trimseq = njit(lambda s: pu.trimseq(s))
as_series = njit(lambda a: pu.as_series(a))


def test_series_calculus():
    same(poly_val(1.5, C1), P.polyval(1.5, C1))
    same(poly_der(C1, 2, 3), P.polyder(C1, 2, 3))


@SLOW
def test_series_calculus_more():
    same(poly_val(np.arange(4.0).reshape(2, 2), C1), P.polyval(np.arange(4.0).reshape(2, 2), C1))
    same(poly_int(C1, 2, [1.0, 2.0], 0.5, 2), P.polyint(C1, 2, [1.0, 2.0], 0.5, 2))
    same(poly_int(C2, 1, None, 0, 1), P.polyint(C2))
    same(poly_val(2.0, C1.astype(np.float32)), P.polyval(2.0, C1.astype(np.float32)))


def test_trimseq():
    same(trimseq(C1), pu.trimseq(C1))
    same(trimseq(np.zeros(3)), pu.trimseq(np.zeros(3)))


@SLOW
def test_as_series():
    same(as_series((C1, C1[::2])), pu.as_series((C1, C1[::2])))
    with pytest.raises(ZeroDivisionError):
        SERIES["polydiv"](C1, np.zeros(2))
    with pytest.raises(ValueError, match="Coefficient array is empty"):
        as_series((C1, C1[:0]))


def test_errors():
    with pytest.raises(TypingError, match="1-d sequence of numbers"):
        polyder(np.ones((2, 2)), 1)
    with pytest.raises(TypingError, match="The argument \"x\" must be array-like"):
        poly_val("x", C1)
    with pytest.raises(ValueError, match="must be non-negative"):
        poly_der(C1, -1, 1)


def test_no_leaks():
    with no_leaks(C1):
        polyval(P3, np.ones((2, 2)))
        SERIES["polyadd"](C1, C2)
        trimseq(C1)


@SLOW
def test_series_columns():
    c2, c3 = np.array([[0, 1], [0, 2]]), np.arange(8).reshape((2, 2, 2))
    same(njit(lambda c: P.polyint(c))(c3), P.polyint(c3))
    same(njit(lambda c: P.polyder(c, 1))(c3), P.polyder(c3, 1))
    for x in (np.array([1.0, 2.0]), [1, 2], 1.5):
        same(njit(lambda x, c: P.polyval(x, c, True))(x, c2), P.polyval(x, c2, True))
    same(njit(lambda x, c: P.polyval(x, c, False))(np.array([1, 2]), c2),
         P.polyval(np.array([1, 2]), c2, False))


roots = njit(lambda p: np.roots(p))


@SLOW  # (LAPACK's eigenvalues: seconds of compilation)
def test_roots():
    for p in (np.array([1, 6, 11, 6]), np.array([0, 0, 1.0, 3, 2, 0]), np.array([3.0]),
              np.array([1, 3 + 1j, 2])):
        got, expected = roots(p), np.roots(p)
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(np.sort_complex(got), np.sort_complex(expected), atol=1e-12)
    with pytest.raises(ValueError, match="Input must be a 1d array"):
        roots(np.ones((2, 2)))
    with pytest.raises(ValueError, match="must not cause a domain change"):
        roots(np.array([7.0, 2.0, 0.0, 1.0]))  # (complex roots of a real p: as Numba)
