"""Differential tests of the dot family (linalg_products.py, linalg_batched.py, the 1-D products of
arrays/reductions.py) and np.linalg through SciPy's LAPACK (linalg_lapack.py, linalg_derived.py)
against NumPy, over dtypes and C/F/strided layouts, with Numba's errors. Decompositions are
compared up to the sign/phase freedom LAPACK has."""
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

LinAlgError = np.linalg.LinAlgError
FEW = [np.bool_, np.int8, np.float32, np.complex128]
#: one dtype per LAPACK prefix would compile every function four times: keep tests short
LAPACK = [np.float32, np.complex128]
#: the slowest LAPACK tests run complex128 in CI and float32 with `pytest -m slow`
LAPACK_SAMPLE = [np.complex128, pytest.param(np.float32, marks=pytest.mark.slow)]
SHAPES = [(3, 4), (5, 2), (1, 1)]

dot = njit(lambda a, b: np.dot(a, b))
dot_out = njit(lambda a, b, out: np.dot(a, b, out=out))
vdot = njit(lambda a, b: np.vdot(a, b))
matmul_op = njit(lambda a, b: a @ b)
matmul = njit(lambda a, b: np.matmul(a, b))
outer = njit(lambda a, b: np.outer(a, b))
outer_out = njit(lambda a, b, out: np.outer(a, b, out=out))
inner = njit(lambda a, b: np.inner(a, b))
kron = njit(lambda a, b: np.kron(a, b))
trace = njit(lambda a, k: np.trace(a, k))
solve = njit(lambda a, b: np.linalg.solve(a, b))
inv = njit(lambda a: np.linalg.inv(a))
det = njit(lambda a: np.linalg.det(a))
slogdet = njit(lambda a: np.linalg.slogdet(a))
eigh = njit(lambda a: np.linalg.eigh(a))
eigh_upper = njit(lambda a: np.linalg.eigh(a, "U"))
eigvalsh = njit(lambda a: np.linalg.eigvalsh(a))
eig = njit(lambda a: np.linalg.eig(a))
eigvals = njit(lambda a: np.linalg.eigvals(a))
svd = njit(lambda a, full: np.linalg.svd(a, full))
svd_values = njit(lambda a: np.linalg.svd(a, compute_uv=False))
cholesky = njit(lambda a: np.linalg.cholesky(a))
cholesky_upper = njit(lambda a: np.linalg.cholesky(a, upper=True))
qr = njit(lambda a: np.linalg.qr(a))
qr_complete = njit(lambda a: np.linalg.qr(a, "complete"))
qr_r = njit(lambda a: np.linalg.qr(a, "r"))
lstsq = njit(lambda a, b: np.linalg.lstsq(a, b))
norm = njit(lambda a: np.linalg.norm(a))
norm_ord = njit(lambda a, o: np.linalg.norm(a, o))
norm_fro = njit(lambda a: np.linalg.norm(a, "fro"))
norm_nuc = njit(lambda a: np.linalg.norm(a, "nuc"))
cond = njit(lambda a: np.linalg.cond(a))
cond_p = njit(lambda a, p: np.linalg.cond(a, p))
matrix_rank = njit(lambda a: np.linalg.matrix_rank(a))
pinv = njit(lambda a: np.linalg.pinv(a))
matrix_power = njit(lambda a, n: np.linalg.matrix_power(a, n))


def sample(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.uniform(-3, 3, shape)
    if np.dtype(dtype).kind == "c":
        values = values + 1j * rng.uniform(-3, 3, shape)
    if np.dtype(dtype).kind in "biu":
        values = np.abs(values) * 3 if np.dtype(dtype).kind == "u" else values * 3
    return values.astype(dtype)


def layouts(a):
    """C, F and a non-contiguous view with the same values."""
    strided = np.empty(tuple(2 * n for n in a.shape), a.dtype)[tuple(slice(None, None, 2)
                                                                      for _ in a.shape)]
    strided[...] = a
    return [a, np.asfortranarray(a), strided]


def tol(dtype):
    return 2e-3 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-9


def close(got, expected, dtype, exact_dtype=True):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape
    if exact_dtype and got.ndim:
        assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=tol(dtype), atol=tol(dtype) * 10)


def spd(n, dtype):
    """A Hermitian positive definite matrix."""
    m = sample((n, n), dtype)
    return (m @ m.conj().T + n * 4 * np.eye(n)).astype(dtype)


def bad_values(dtype=np.float64):
    return np.array([[1.0, 2.0], [np.inf, np.nan]], dtype)


# -- products -------------------------------------------------------------------------------------

@pytest.mark.slow  # (tens of seconds on CI's two cores: `pytest -m slow`)
@settings(max_examples=12, deadline=None)
@given(st.sampled_from(FEW), st.integers(0, 4), st.integers(0, 4), st.integers(0, 4),
       st.integers(0, 2), st.integers(0, 2))
def test_matrix_products(dtype, m, k, n, layout1, layout2):
    a = layouts(sample((m, k), dtype, 1))[layout1]
    b = layouts(sample((k, n), dtype, 2))[layout2]
    for func in (dot, matmul_op, matmul):
        got, expected = func(a, b), np.matmul(a, b)
        assert got.dtype == expected.dtype
        close(got, expected, expected.dtype)
    v = sample(k, dtype, 3)[::-1]
    close(dot(a, v), np.dot(a, v), dtype)
    w = sample(m, dtype, 4)
    close(matmul_op(w, a), w @ a, dtype)


def test_mixed_integer_and_float_products_promote():
    a, b = sample((3, 2), np.int8), sample((2, 4), np.float32)
    for got, expected in ((dot(a, b), a @ b), (matmul_op(b.T, a.T), b.T @ a.T)):
        close(got, expected, np.float32)
    assert dot(np.arange(3), np.ones(3)) == 3.0


def test_gemm_result_large():
    a, b = sample((64, 33), np.float64), sample((33, 70), np.float64)
    close(dot(a, b), a @ b, np.float64)
    close(dot(np.asfortranarray(a), b.T.copy().T), a @ b, np.float64)


@pytest.mark.parametrize("dtype", [np.float64, np.complex64])
def test_dot_out(dtype):
    a, b, v = sample((3, 4), dtype, 1), sample((4, 2), dtype, 2), sample(4, dtype, 3)
    for x, y, out in ((a, b, np.empty((3, 2), dtype)), (a, v, np.empty(3, dtype)),
                      (v, b, np.empty(2, dtype)), (a, b, np.empty((3, 2), dtype, order="F")),
                      (a[::-1], b, np.empty((3, 2), dtype))):
        assert dot_out(x, y, out) is out
        close(out, np.dot(x, y), dtype)


@pytest.mark.slow  # (tens of seconds on CI's two cores: `pytest -m slow`)
def test_stacked_matmul():
    cases = [((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5)), ((2, 1, 3, 4), (5, 4, 2)),
             ((4,), (2, 4, 5)), ((2, 3, 4), (4,)), ((0, 3, 4), (4, 2)), ((2, 3, 0), (0, 2))]
    # every shape case in float64, two of them (BLAS and the loop) in the other dtypes
    runs = [(matmul_op, np.float64, case) for case in cases] + [
        (func, dtype, case) for func in (matmul_op, matmul) for dtype in (np.complex64, np.int32)
        for case in cases[2:4]]
    for func, dtype, (sa, sb) in runs:
        a, b = sample(sa, dtype, 1), sample(sb, dtype, 2)
        close(func(a, b), np.matmul(a, b), dtype)
    a = sample((2, 3, 5, 4), np.float64).transpose(0, 1, 3, 2)  # not contiguous
    close(matmul_op(a, sample((2, 1, 5, 3), np.float64)), a @ sample((2, 1, 5, 3), np.float64),
          np.float64)
    with pytest.raises(ValueError, match="broadcast"):
        matmul_op(np.ones((2, 3, 4)), np.ones((3, 4, 5)))
    with pytest.raises(ValueError, match="incompatible array sizes"):
        matmul_op(np.ones((2, 3, 4)), np.ones((2, 5, 5)))


@pytest.mark.parametrize("dtype", [np.float32, np.complex128])
def test_vector_products(dtype):
    a, b = sample(5, dtype, 1), sample(5, dtype, 2)
    for x, y in ((a, b), (a[::-1], b[::2].repeat(2)[:5])):
        close(dot(x, y), np.dot(x, y), dtype)
        close(vdot(x, y), np.vdot(x, y), dtype)
        close(matmul_op(x, y), x @ y, dtype)


def test_product_errors():
    for func, name in ((dot, "np.dot()"), (vdot, "np.vdot()"), (matmul_op, "'@'")):
        with pytest.raises(ValueError, match="incompatible array sizes"):
            func(np.ones(2), np.ones(3))
        mixed = func(np.arange(3, dtype=np.float32), np.arange(3.0))  # NumPy's promotion
        assert np.asarray(mixed).dtype == np.float64 and mixed == 5.0  # (Numba refuses it)
    with pytest.raises(ValueError, match="incompatible array sizes"):
        dot(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="incompatible array sizes"):
        matmul_op(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="incompatible output array size"):
        dot_out(np.ones((2, 3)), np.ones((3, 4)), np.empty((2, 3)))
    with pytest.raises(TypingError, match="must have the result's dtype float64, not float32"):
        dot_out(np.ones((2, 3)), np.ones((3, 4)), np.empty((2, 4), np.float32))
    with pytest.raises(TypingError, match="dot"):
        dot(np.ones((2, 2, 2)), np.ones((2, 2)))


def test_product_no_leaks():
    a, b = np.ones((3, 3)), np.ones((3, 2), np.int32)
    s, out = np.ones((2, 3, 3)), np.empty((3, 3))
    calls = [lambda: dot(a, b), lambda: matmul_op(b.T, b), lambda: outer(a, b),
             lambda: kron(a, b), lambda: matmul_op(s, a), lambda: dot_out(a, a, out)]
    for call in calls:
        call()
    with no_leaks(a, b, s, out):
        for call in calls:
            call()


@pytest.mark.parametrize("dtype", FEW)
def test_outer_inner_kron_trace(dtype):
    a, b, v = sample((3, 2), dtype, 1), sample((2, 4), dtype, 2), sample(3, dtype, 3)
    for got, expected in ((outer(a, v), np.outer(a, v)), (inner(a, b.T), np.inner(a, b.T)),
                          (inner(v, v), np.inner(v, v)), (kron(a, b), np.kron(a, b)),
                          (kron(v, v), np.kron(v, v)), (kron(v, a), np.kron(v, a)),
                          (kron(a, 2.5), np.kron(a, 2.5)), (outer(3, v), np.outer(3, v)),
                          (kron(v[::2], a.T), np.kron(v[::2], a.T))):
        close(got, expected, dtype)
    for k in (-4, -1, 0, 1, 3):
        close(trace(a, k), np.trace(a, k), dtype, exact_dtype=False)
    out = np.zeros((6, 3), np.result_type(dtype, dtype))
    assert outer_out(a, v, out) is out
    close(out, np.outer(a, v), dtype)


def test_basics_errors_and_scalars():
    assert kron(3.0, 5.0) == np.kron(3.0, 5.0)
    with pytest.raises(TypingError, match="2-D"):
        trace(np.ones(3), 0)
    cube = np.arange(8.0).reshape(2, 2, 2)  # (NumPy flattens arrays of more dimensions)
    np.testing.assert_array_equal(outer(cube, np.arange(3)), np.outer(cube, np.arange(3)))


# -- np.linalg --------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", LAPACK_SAMPLE)
def test_solve_inv_det(dtype):
    a = (sample((4, 4), dtype) + 4 * np.eye(4)).astype(dtype)
    b = sample((4, 3), dtype, 5)
    for x in layouts(a) if dtype is np.float32 else [np.asfortranarray(a)]:
        close(solve(x, b), np.linalg.solve(x, b), dtype)
        close(solve(x, b[:, 0]), np.linalg.solve(x, b[:, 0]), dtype)
        got = inv(x)
        close(got, np.linalg.inv(x), dtype)
        assert got.flags.f_contiguous
        close(det(x), np.linalg.det(x), dtype, exact_dtype=False)
        for got, expected in zip(slogdet(x), np.linalg.slogdet(x)):
            close(got, expected, dtype, exact_dtype=False)
    assert np.array_equal(a, (sample((4, 4), dtype) + 4 * np.eye(4)).astype(dtype))  # unchanged


def test_solver_errors():
    with pytest.raises(LinAlgError, match="Matrix is singular to machine precision."):
        inv(np.zeros((3, 3)))
    with pytest.raises(LinAlgError, match="Matrix is singular to machine precision."):
        solve(np.ones((2, 2)), np.ones(2))
    with pytest.raises(LinAlgError, match="must be square"):
        det(np.ones((2, 3)))
    with pytest.raises(LinAlgError, match="Incompatible array sizes"):
        solve(np.eye(3), np.ones(2))
    with pytest.raises(LinAlgError, match="Array must not contain infs or NaNs."):
        solve(np.eye(2), bad_values())
    with pytest.raises(LinAlgError, match="Array must not contain infs or NaNs."):
        det(bad_values())
    assert det(np.zeros((3, 3))) == 0.0 and slogdet(np.zeros((2, 2))) == (0.0, -np.inf)
    assert inv(np.zeros((0, 0))).shape == (0, 0) and det(np.zeros((0, 0))) == 1.0
    assert solve(np.zeros((0, 0)), np.zeros(0)).shape == (0,)


def test_typing_errors_follow_numba():
    with pytest.raises(TypingError, match=r"np.linalg.inv\(\) only supported on float and complex"):
        inv(np.ones((2, 2), np.int32))
    with pytest.raises(TypingError, match=r"np.linalg.inv\(\) only supported on 2-D arrays"):
        inv(np.ones(3))
    with pytest.raises(TypingError, match="homogeneous dtypes"):
        solve(np.eye(2), np.eye(2, dtype=np.float32))
    with pytest.raises(TypingError, match=r"np.linalg.solve\(\) only supported on 1 and 2-D"):
        solve(np.eye(2), np.ones((2, 2, 2)))
    with pytest.raises(TypingError, match=r"np.linalg.norm\(\) only supported on 1 and 2-D"):
        norm(np.ones((2, 2, 2)))
    with pytest.raises(TypingError, match="exponent must be an integer"):
        matrix_power(np.eye(2), 1.5)
    with pytest.raises(TypingError, match="inv"):
        inv((1.0, 2.0))
    with pytest.raises(TypingError, match="UPLO"):
        njit(lambda a: np.linalg.eigh(a, "X"))(np.eye(2))


@pytest.mark.parametrize("dtype", LAPACK)
def test_eigh_eigvalsh(dtype):
    h = spd(5, dtype)
    for func in (eigh, eigh_upper):
        w, v = func(h)
        ew, ev = np.linalg.eigh(h)
        assert (w.dtype, v.dtype) == (ew.dtype, ev.dtype)
        close(w, ew, dtype)
        close(h @ v, v * w, dtype, exact_dtype=False)
    close(eigvalsh(np.asfortranarray(h)), np.linalg.eigvalsh(h), dtype)
    assert eigh(np.zeros((0, 0), dtype))[0].shape == (0,)


@pytest.mark.parametrize("dtype", LAPACK)
def test_eig(dtype):
    m = sample((4, 4), dtype)
    a = m if np.dtype(dtype).kind == "c" else m + m.T  # real input: real eigenvalues
    w, v = eig(a)
    ew = np.linalg.eigvals(a)
    assert w.dtype == np.dtype(dtype)
    close(np.sort(w.real), np.sort(ew.real), dtype, exact_dtype=False)
    close(a @ v, v * w, dtype, exact_dtype=False)
    close(np.sort(eigvals(a).real), np.sort(ew.real), dtype, exact_dtype=False)
    with pytest.raises(LinAlgError, match="infs or NaNs"):
        eigvals(bad_values(dtype))


def test_eig_domain_change():
    rotation = np.array([[0.0, 1.0], [-1.0, 0.0]])
    with pytest.raises(ValueError, match=r"^eig\(\) argument must not cause a domain change"):
        eig(rotation)
    with pytest.raises(ValueError, match=r"^eigvals\(\) argument must not cause a domain"):
        eigvals(rotation)


@pytest.mark.parametrize("dtype", LAPACK)
@pytest.mark.parametrize("shape", SHAPES)
def test_svd_qr(dtype, shape):
    a = sample(shape, dtype)
    for full in (True, False):
        u, s, vt = svd(a, full)
        eu, es, evt = np.linalg.svd(a, full)
        assert (u.dtype, s.dtype, vt.dtype) == (eu.dtype, es.dtype, evt.dtype)
        assert (u.shape, vt.shape) == (eu.shape, evt.shape)
        assert u.flags.f_contiguous and vt.flags.f_contiguous
        close(s, es, dtype)
        k = min(shape)
        close((u[:, :k] * s) @ vt[:k], a, dtype, exact_dtype=False)
    close(svd_values(layouts(a)[2]), np.linalg.svd(a, compute_uv=False), dtype)
    for func, mode in ((qr, "reduced"), (qr_complete, "complete")):
        q, r = func(a)
        eq, er = np.linalg.qr(a, mode)
        assert (q.shape, r.shape, q.dtype, r.dtype) == (eq.shape, er.shape, eq.dtype, er.dtype)
        close(q @ r, a, dtype, exact_dtype=False)
        close(np.abs(r), np.abs(er), dtype)
    close(np.abs(qr_r(a)), np.abs(np.linalg.qr(a, "r")), dtype)


def test_decomposition_errors():
    for func in (lambda a: svd(a, True), qr, cond, matrix_rank):
        for shape in ((0, 1), (1, 0), (0, 0)):
            with pytest.raises(LinAlgError, match="Arrays cannot be empty"):
                func(np.empty(shape))
        with pytest.raises(LinAlgError, match="infs or NaNs"):
            func(bad_values())
    with pytest.raises(LinAlgError, match="Arrays cannot be empty"):
        lstsq(np.empty((1, 1)), np.empty(0))
    with pytest.raises(LinAlgError, match="Incompatible array sizes"):
        lstsq(np.eye(2), np.ones(3))
    with pytest.raises(LinAlgError, match="infs or NaNs"):
        lstsq(np.eye(2), bad_values())


@pytest.mark.parametrize("dtype", LAPACK)
def test_cholesky(dtype):
    h = spd(4, dtype)
    for x in layouts(h):
        got = cholesky(x)
        close(got, np.linalg.cholesky(h), dtype)
        assert got.flags.c_contiguous
    close(cholesky_upper(h), np.linalg.cholesky(h, upper=True), dtype)
    with pytest.raises(LinAlgError, match="Matrix is not positive definite."):
        cholesky(-np.eye(2, dtype=dtype))


@pytest.mark.parametrize("dtype", LAPACK)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4)])
def test_lstsq(dtype, shape):
    a, b = sample(shape, dtype, 1), sample((shape[0], 2), dtype, 2)
    for rhs in (b, b[:, 1]):
        got = lstsq(a, rhs)
        for value, expected in zip(got, np.linalg.lstsq(a, rhs)):
            close(value, expected, dtype, exact_dtype=np.ndim(expected) > 0)
        assert got[0].flags.c_contiguous


@pytest.mark.parametrize("dtype", LAPACK)
def test_norms(dtype):
    v, m = sample(7, dtype), sample((4, 3), dtype)
    for x in (v, m, v[::2], layouts(m)[2]):
        close(norm(x), np.linalg.norm(x), dtype, exact_dtype=False)
    for o in (np.inf, -np.inf, 0, 1, 2, 3, 0.5, -1):
        close(norm_ord(v, o), np.linalg.norm(v, o), dtype, exact_dtype=False)
    for o in (np.inf, -np.inf, 1, -1, 2, -2):
        close(norm_ord(m, o), np.linalg.norm(m, o), dtype, exact_dtype=False)
    close(norm_fro(m), np.linalg.norm(m, "fro"), dtype, exact_dtype=False)
    close(norm_nuc(m), np.linalg.norm(m, "nuc"), dtype, exact_dtype=False)
    assert norm(np.empty((0, 0), dtype)) == 0.0 and norm(np.empty(0, dtype)) == 0.0
    with pytest.raises(ValueError, match="Invalid norm order for matrices."):
        norm_ord(m, 3)
    with pytest.raises(LinAlgError, match="infs or NaNs"):
        norm_ord(bad_values(dtype), 2)


@pytest.mark.parametrize("dtype", LAPACK_SAMPLE)
def test_cond_rank_pinv_power(dtype):
    a = (sample((4, 4), dtype) + 9 * np.eye(4)).astype(dtype)
    close(cond(a), np.linalg.cond(a), dtype, exact_dtype=False)
    for p in (1, -1, 2, -2, np.inf):
        close(cond_p(a, p), np.linalg.cond(a, p), dtype, exact_dtype=False)
    for singular in (np.diag([1.0, 0.0]).astype(dtype), np.zeros((2, 2), dtype)):
        for p in (None, 2, -2):
            with np.errstate(all="ignore"):
                assert cond_p(singular, p) == np.linalg.cond(singular, p)
    low_rank = np.outer(sample(5, dtype), sample(3, dtype))
    assert matrix_rank(low_rank) == np.linalg.matrix_rank(low_rank) == 1
    assert matrix_rank(np.zeros(3, dtype)) == 0 and matrix_rank(np.ones(3, dtype)) == 1
    for x in (a, sample((5, 3), dtype), np.asfortranarray(sample((2, 6), dtype))):
        got = pinv(x)
        close(got, np.linalg.pinv(x), dtype)
        assert got.flags.f_contiguous
    assert pinv(np.empty((0, 3), dtype)).shape == (3, 0)
    for n in (0, 1, 2, 5, -1, -2):
        got = matrix_power(np.asfortranarray(a), n)
        close(got, np.linalg.matrix_power(a, n), dtype)
        assert got.flags.c_contiguous
    with pytest.raises(LinAlgError, match="input must be a square array"):
        matrix_power(np.ones((2, 3), dtype), 2)
    with pytest.raises(LinAlgError, match="singular"):
        matrix_power(np.zeros((2, 2), dtype), -1)


def test_linalg_no_leaks():
    a, b = spd(4, np.complex128), np.ones((4, 2), np.complex128)
    calls = [lambda: solve(a, b), lambda: inv(a), lambda: eigh(a), lambda: svd(a, True),
             lambda: qr(a), lambda: lstsq(a, b), lambda: cholesky(a), lambda: pinv(a),
             lambda: norm_ord(a, 2), lambda: eigvals(a), lambda: cond_p(a, 1),
             lambda: matrix_power(a, -3)]
    for call in calls:
        call()
    with no_leaks(a, b):
        for call in calls:
            call()


def test_no_leaks_on_errors():
    singular, bad = np.zeros((2, 2)), bad_values()

    def fail():
        for func, arg in ((inv, singular), (svd_values, bad), (qr, bad)):
            with pytest.raises(LinAlgError):
                func(arg)
    fail()
    with no_leaks(singular, bad):
        fail()


_vdot = njit(lambda a, b: np.vdot(a, b))


def test_vdot_flattens_arrays_of_more_dimensions_as_numpy():
    a = np.arange(6.0).reshape(2, 3)
    c = (np.arange(6) + 1j).reshape(3, 2)
    for x, y in ((a, a), (c, c), (a.T, np.arange(6.0)), (c, c.T)):
        assert _vdot(x, y) == np.vdot(x, y)
    with pytest.raises(ValueError):
        _vdot(a, np.arange(5.0))


_kron = njit(lambda a, b: np.kron(a, b))


@pytest.mark.slow  # (tens of seconds on CI's two cores: `pytest -m slow`)
def test_kron_of_arrays_of_three_or_more_dimensions_matches_numpy():
    rng = np.random.default_rng(0)
    cases = [(rng.random((2, 3, 2)), rng.random((3, 1, 2))),
             (rng.random((2, 3)), rng.integers(0, 5, (2, 2, 2))),
             (np.arange(3), rng.random((2, 2, 3))), (2.0, rng.random((2, 2, 2))),
             (rng.random((1, 2, 1, 2)), rng.random((2, 2))),
             (np.array([[[True, False]]]), np.array([[[True], [True]]])),
             (rng.random((2, 3, 2))[:, ::2], rng.random((2, 2, 2)).T)]
    for a, b in cases:
        got, expected = _kron(a, b), np.kron(a, b)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
