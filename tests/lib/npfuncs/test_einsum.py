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
                "i..j": "'.' that is not part of an ellipsis",
                "i": "operand has more dimensions than subscripts given",
                "...ijk": "too many subscripts for operand 0"}
    for subscripts, message in messages.items():
        f = njit(eval(f"lambda a: np.einsum({subscripts!r}, a)"))  # noqa: S307
        with pytest.raises(TypingError, match=message):
            f(np.ones((2, 2)))
    with pytest.raises(TypingError, match="output has more dimensions than subscripts"):
        njit(lambda a: np.einsum("...ij->ij", a))(np.ones((2, 2, 2)))
    with pytest.raises(TypingError, match="must be a constant string"):
        njit(lambda s, a: np.einsum(s, a))("ij", np.ones((2, 2)))


ellipsis_matmul = njit(lambda a, b: np.einsum("...ij,...jk", a, b))
ellipsis_dot = njit(lambda a, b: np.einsum("i...,i...->...", a, b))
into = njit(lambda a, b, out: np.einsum("ij,jk->ik", a, b, out=out, optimize=True))
as_float32 = njit(lambda a: np.einsum("Ri->i", a, dtype=np.float32, casting="same_kind"))


def test_ellipsis_out_dtype():
    a, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(5, 1, 4, 2))
    check(ellipsis_matmul(a, b), np.einsum("...ij,...jk", a, b))
    with pytest.raises(ValueError, match="could not be broadcast together"):
        ellipsis_matmul(a, rng.normal(size=(3, 4, 2)))
    square = rng.normal(size=(3, 3))
    out = np.empty((3, 3))
    assert into(square, square, out) is out
    np.testing.assert_allclose(out, square @ square, rtol=1e-12)
    expected = square @ square.T
    into(square, square.T, square)  # out= overlaps the operands: computed before stored
    np.testing.assert_allclose(square, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="could not be broadcast together"):
        into(square, square, np.empty((3, 2)))


@SLOW
def test_more_ellipsis_and_dtype():
    c, d = rng.normal(size=(3, 2)), rng.normal(size=(3, 1))
    check(ellipsis_dot(c, d), np.einsum("i...,i...->...", c, d))
    square = rng.normal(size=(3, 3))
    check(as_float32(square), np.einsum("Ri->i", square, dtype=np.float32,
                                        casting="same_kind"))
    check(scaled(np.array(2.5), square), np.einsum(",ij->ji", np.array(2.5), square))


def test_out_and_dtype_errors():
    into_int = njit(lambda a, out: np.einsum("i->i", a, out=out))
    with pytest.raises(TypingError, match="could not be cast from dtype.'float64'. to "
                                          "dtype.'int64'."):
        into_int(np.ones(2), np.empty(2, np.int64))
    with pytest.raises(TypingError, match="out parameter does not have the correct number"):
        into_int(np.ones(2), np.empty((2, 1)))
    to_int = njit(lambda a: np.einsum("i->i", a, dtype=np.int32))
    with pytest.raises(TypingError, match="operand 0 dtype could not be cast"):
        to_int(np.ones(2))


def test_no_leaks():
    a = np.ones((3, 3))
    with no_leaks(a):
        matmul(a, a)
        trace(a)
