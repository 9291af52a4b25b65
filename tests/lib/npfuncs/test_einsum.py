"""Differential tests of np.einsum (einsum.py) against NumPy: values (exact for integers),
result dtypes and NumPy's errors."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

SLOW = pytest.mark.slow
rng = np.random.default_rng(5)


def check(got, expected):
    if np.ndim(expected) == 0:
        assert not isinstance(got, np.ndarray)
        np.testing.assert_allclose(got, expected, rtol=1e-12)
        return
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if expected.dtype.kind in "biu":
        np.testing.assert_array_equal(got, expected)
    else:
        rtol = 1e-5 if expected.dtype in (np.float32, np.complex64) else 1e-12
        np.testing.assert_allclose(got, expected, rtol=rtol)


matmul = njit(lambda a, b: np.einsum("ij,jk->ik", a, b))
trace = njit(lambda a: np.einsum("ii", a))
diagonal = njit(lambda a: np.einsum("ii->i", a))
implicit = njit(lambda a, b: np.einsum("Ba,aA", a, b))
dot = njit(lambda a, b: np.einsum("i,i", a, b))
outer = njit(lambda a, b: np.einsum("i, j", a, b))
batched = njit(lambda a, b: np.einsum("bij,bjk->bik", a, b))
chain = njit(lambda a, b, c: np.einsum("ij,jk,kl->il", a, b, c))
broadcast = njit(lambda a, b: np.einsum("i,i->i", a, b))
scaled = njit(lambda s, a: np.einsum(",ij->ji", s, a))
total = njit(lambda a: np.einsum("ijk->", a))


def test_matmul_and_trace():
    a, b = rng.normal(size=(3, 4)), rng.integers(-5, 5, size=(4, 2))
    check(matmul(a, b), np.einsum("ij,jk->ik", a, b))
    s = rng.integers(-9, 9, size=(4, 4))
    check(trace(s), np.einsum("ii", s))
    check(diagonal(s[:, ::-1]), np.einsum("ii->i", s[:, ::-1]))


@SLOW
def test_more_subscripts():
    a, b = rng.normal(size=(2, 3)).astype(np.float32), rng.normal(size=(3, 4))
    check(implicit(a, b), np.einsum("Ba,aA", a, b))
    x = np.array([100, 100, 7], np.int8)
    assert dot(x, x) == np.einsum("i,i", x, x)  # wraps in int8 as NumPy
    bools = np.array([True, False, True])
    check(outer(bools, bools), np.einsum("i,j", bools, bools))
    assert dot(bools, bools) is True
    c = rng.normal(size=(4, 2, 3)) + 1j * rng.normal(size=(4, 2, 3))
    d = rng.normal(size=(4, 3, 5)).astype(np.float32)
    check(batched(c, d), np.einsum("bij,bjk->bik", c, d))
    check(chain(b.T, a.T, a), np.einsum("ij,jk,kl->il", b.T, a.T, a))
    check(broadcast(np.arange(3), np.array([5])), np.einsum("i,i->i", np.arange(3), [5]))
    check(scaled(2.5, a[:, ::2]), np.einsum(",ij->ji", 2.5, a[:, ::2]))
    check(total(np.ones((2, 0, 3))), np.einsum("ijk->", np.ones((2, 0, 3))))


def test_errors():
    with pytest.raises(ValueError, match="for collapsing index 'i' don't match"):
        trace(np.ones((2, 3)))
    with pytest.raises(ValueError, match="could not be broadcast together"):
        broadcast(np.arange(3), np.arange(2))
    messages = {"ij->k": "output subscript 'k' which never appeared",
                "ij->ii": "output subscript 'i' multiple times",
                "ijk": "too many subscripts for operand 0",
                "ij,jk": "fewer operands provided",
                "i1": "subscripts must be letters",
                "...i": "'...' is not supported"}
    for subscripts, message in messages.items():
        f = njit(eval(f"lambda a: np.einsum({subscripts!r}, a)"))  # noqa: S307
        with pytest.raises(TypingError, match=message):
            f(np.ones((2, 2)))
    with pytest.raises(TypingError, match="must be a constant string"):
        njit(lambda s, a: np.einsum(s, a))("ij", np.ones((2, 2)))


def test_no_leaks():
    a = np.ones((3, 3))
    with no_leaks(a):
        matmul(a, a)
        trace(a)
