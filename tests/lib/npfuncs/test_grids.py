"""Differential tests of jitbridge/lib/npfuncs/grids.py against NumPy: np.indices, the
triangle index functions, np.vander, np.logspace and np.geomspace."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


def same(got, expected, exact=True):
    if isinstance(expected, tuple):
        assert type(got) is tuple and len(got) == len(expected)
        for g, e in zip(got, expected):
            same(g, e, exact)
        return
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if exact:
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-15, atol=1e-13)


indices = njit(lambda d: np.indices(d))
tril_indices = njit(lambda n, k, m: np.tril_indices(n, k, m))
triu_indices = njit(lambda n, k, m: np.triu_indices(n, k, m))
triu_indices_n = njit(lambda n: np.triu_indices(n))
tril_from = njit(lambda a, k: np.tril_indices_from(a, k))
triu_from = njit(lambda a: np.triu_indices_from(a))
vander = njit(lambda x, n, inc: np.vander(x, n, inc))
vander1 = njit(lambda x: np.vander(x))
logspace = njit(lambda a, b, n: np.logspace(a, b, n))
geomspace = njit(lambda a, b, n: np.geomspace(a, b, n))


@pytest.mark.parametrize("dims", [(4, 3), (4,), (0,), (2, 2, 3, 5), (3, 0, 2)])
def test_indices(dims):
    same(indices(dims), np.indices(dims))


def test_indices_errors():
    with pytest.raises(TypingError, match='"dimensions" must be a tuple of integers'):
        indices((2.0, 3.0))


def test_triangle_indices():
    for n in range(6):
        for k in range(-n - 1, n + 2):
            for m in [None] + list(range(2 * n)):
                same(tril_indices(n, k, m), np.tril_indices(n, k, m))
                same(triu_indices(n, k, m), np.triu_indices(n, k, m))
    same(triu_indices_n(4), np.triu_indices(4))
    for shape in [(0, 3), (3, 3), (4, 2), (2, 5)]:
        a = np.ones(shape, np.bool_)
        same(tril_from(a, -1), np.tril_indices_from(a, -1))
        same(triu_from(a), np.triu_indices_from(a))


def test_triangle_index_errors():
    with pytest.raises(TypingError, match="n must be an integer"):
        triu_indices_n(1.0)
    with pytest.raises(TypingError, match="input array must be 2-d"):
        triu_from(np.ones(3))
    with pytest.raises(TypingError, match="k must be an integer"):
        tril_from(np.ones((2, 2)), 0.5)


VANDER_INPUTS = [np.array([1, 2, 3, 5]), np.arange(7) - 10.5, np.array([1.2, np.nan, np.inf]),
                 np.array([]), np.array([True, False, True]), np.arange(5, dtype=np.int32),
                 np.arange(4, dtype=np.float32), np.arange(6.0)[::2], [0, 1, 2, 3], (4, 5, 6),
                 (), (3, 4.444, 3.142), (True, False, 4), np.array([1 + 2j, -1j])]


@pytest.mark.parametrize("x", VANDER_INPUTS, ids=range(len(VANDER_INPUTS)))
def test_vander(x):
    same(vander1(x), np.vander(x))
    for n in (0, 1, 3, 4):
        for inc in (False, True):
            same(vander(x, n, inc), np.vander(x, n, inc))


def test_vander_errors():
    with pytest.raises(TypingError, match="N must be None or an integer"):
        vander(np.arange(3.0), 1.5, False)
    with pytest.raises(ValueError, match="Negative dimensions"):
        vander(np.arange(3.0), -1, False)
    with pytest.raises(ValueError, match="one-dimensional"):
        vander1(np.ones((2, 2)))


@pytest.mark.parametrize("args", [(1, 60, 50), (-1, 60, 7), (60, -1, 3), (0.0, np.e, 1),
                                  (2.0, 3.0, 0), (0.5, -2.5, 11)])
def test_logspace(args):
    same(logspace(*args), np.logspace(*args), exact=False)


GEOM = [(1, 1e6, 7), (8, 2, 3), (-1, -100, 3), (-100, -1, 3), (0.3, 20.3, 1), (0.3, 20.3, 3),
        (1j, 16j, 5), (-4j, -324j, 5), (1 + 1j, 1000 + 1000j, 4), (3j, -3 + 0j, 3),
        (-2 - 3j, 5 + 7j, 7), (3j, -5, 2), (-5, 3j, 2), (np.complex64(2j), -1, 4),
        (np.float32(2), np.float32(9), 4), (2.0, 3.0, 0)]


@pytest.mark.parametrize("args", GEOM, ids=range(len(GEOM)))
def test_geomspace(args):
    same(geomspace(*args), np.geomspace(*args), exact=False)


def test_geomspace_ends_and_errors():
    got = geomspace(0.3, 20.3, 3)
    assert got[0] == 0.3 and got[-1] == 20.3
    with np.errstate(invalid="ignore"):
        got = geomspace(-3, 3, 4)
    assert got[0] == -3 and got[3] == 3 and np.isnan(got[1:3]).all()
    with pytest.raises(ValueError, match="cannot include zero"):
        geomspace(0, 5, 5)
    with pytest.raises(TypingError, match='"num" must be an integer'):
        geomspace(1, 5, 2.5)


def test_no_leaks():
    x = np.arange(5.0)
    with no_leaks(x):
        vander(x, 3, True)
        indices((2, 3))
        triu_indices(4, 1, 5)
        geomspace(1.0, 8.0, 4)
