"""Differential tests of jitbridge/lib/npfuncs/linalg.py and linalg_lapack.py against NumPy:
2-D dot/@/matmul (BLAS gemm and the plain loop), outer, inner, kron, trace, and np.linalg
through SciPy's LAPACK. Decompositions are compared up to the sign/phase freedom LAPACK has."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

BLAS = [np.float32, np.float64, np.complex64, np.complex128]
FEW = [np.bool_, np.int8, np.float32, np.complex128]
#: one dtype per LAPACK prefix would compile every function four times: keep tests short
LAPACK = [np.float32, np.complex128]
SHAPES = [(0, 3), (3, 4), (5, 2)]

dot = njit(lambda a, b: np.dot(a, b))
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


# -- products -------------------------------------------------------------------------------------

@settings(max_examples=12, deadline=None)
@given(st.sampled_from(FEW), st.sampled_from(FEW), st.integers(0, 4), st.integers(0, 4),
       st.integers(0, 4), st.integers(0, 2), st.integers(0, 2))
def test_matrix_products(dt1, dt2, m, k, n, layout1, layout2):
    a = layouts(sample((m, k), dt1, 1))[layout1]
    b = layouts(sample((k, n), dt2, 2))[layout2]
    for func in (dot, matmul_op, matmul):
        got, expected = func(a, b), np.matmul(a, b)
        assert got.dtype == expected.dtype
        if expected.dtype.kind in "biu":
            np.testing.assert_array_equal(got, expected)
        else:
            close(got, expected, expected.dtype)
    v = sample(k, dt2, 3)[::-1]
    close(dot(a, v), np.dot(a, v), np.result_type(dt1, dt2))
    w = sample(m, dt2, 4)
    close(matmul_op(w, a), w @ a, np.result_type(dt1, dt2))


def test_gemm_result_large():
    a, b = sample((64, 33), np.float64), sample((33, 70), np.float64)
    close(dot(a, b), a @ b, np.float64)
    close(dot(np.asfortranarray(a), b.T.copy().T), a @ b, np.float64)


def test_product_mismatch_and_types():
    with pytest.raises(ValueError, match="not aligned"):
        dot(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="matmul: Input operand 1 has a mismatch"):
        matmul_op(np.ones((2, 3)), np.ones(2))
    with pytest.raises(TypingError, match="dot"):
        dot(np.ones((2, 2, 2)), np.ones((2, 2)))


def test_product_no_leaks():
    a, b = np.ones((3, 3)), np.ones((3, 2), np.int32)
    dot(a, b), dot(b.T, b)
    with no_leaks(a, b):
        dot(a, b), matmul_op(b.T, b), outer(a, b), kron(a, b)


@pytest.mark.parametrize("dtype", FEW)
def test_outer_inner_kron_trace(dtype):
    a, b, v = sample((3, 2), dtype, 1), sample((2, 4), dtype, 2), sample(3, dtype, 3)
    for got, expected in ((outer(a, v), np.outer(a, v)), (inner(a, b.T), np.inner(a, b.T)),
                          (inner(v, v), np.inner(v, v)), (kron(a, b), np.kron(a, b)),
                          (kron(v, v), np.kron(v, v)), (kron(v, a), np.kron(v, a)),
                          (kron(a, 2.5), np.kron(a, 2.5)), (outer(3, v), np.outer(3, v))):
        close(got, expected, dtype)
    for k in (-4, -1, 0, 1, 3):
        close(trace(a, k), np.trace(a, k), dtype, exact_dtype=False)
    out = np.zeros((6, 3), np.result_type(dtype, dtype))
    assert outer_out(a, v, out) is out
    close(out, np.outer(a, v), dtype)


def test_trace_rejects_vectors():
    with pytest.raises(TypingError, match="2-D"):
        trace(np.ones(3), 0)


# -- np.linalg --------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", LAPACK + [np.bool_])
def test_solve_inv_det(dtype):
    a = (sample((4, 4), dtype) + 4 * np.eye(4)).astype(dtype)
    if dtype is np.bool_:
        a = np.eye(4, dtype=bool) | (sample((4, 4), np.float64) > 2)
    b = sample((4, 3), dtype, 5)
    for x in layouts(a) if dtype is np.float32 else [a]:
        close(solve(x, b), np.linalg.solve(x, b), np.linalg.inv(x).dtype)
        close(solve(x, b[:, 0]), np.linalg.solve(x, b[:, 0]), np.linalg.inv(x).dtype)
        close(inv(x), np.linalg.inv(x), np.linalg.inv(x).dtype)
        close(det(x), np.linalg.det(x), dtype, exact_dtype=False)
        for got, expected in zip(slogdet(x), np.linalg.slogdet(x)):
            close(got, expected, dtype, exact_dtype=False)


def test_singular_and_shape_errors():
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        inv(np.zeros((3, 3)))
    with pytest.raises(np.linalg.LinAlgError, match="must be square"):
        det(np.ones((2, 3)))
    with pytest.raises(ValueError, match="solve"):
        solve(np.eye(3), np.ones(2))
    with pytest.raises(TypingError, match="at least two-dimensional"):
        inv(np.ones(3))
    assert det(np.zeros((3, 3))) == 0.0 and slogdet(np.zeros((2, 2))) == (0.0, -np.inf)
    assert inv(np.zeros((0, 0))).shape == (0, 0) and det(np.zeros((0, 0))) == 1.0


@pytest.mark.parametrize("dtype", LAPACK + [np.int32])
def test_eigh_eigvalsh(dtype):
    h = spd(5, dtype) if dtype is not np.int32 else (sample((5, 5), dtype) + sample((5, 5), dtype).T)
    for func in (eigh, eigh_upper):
        w, v = func(h)
        ew, ev = np.linalg.eigh(h)
        assert (w.dtype, v.dtype) == (ew.dtype, ev.dtype)
        close(w, ew, dtype)
        close(h @ v, v * w, dtype, exact_dtype=False)
    close(eigvalsh(h), np.linalg.eigvalsh(h), dtype)
    assert eigh(np.zeros((0, 0)))[0].shape == (0,)


@pytest.mark.parametrize("dtype", LAPACK)
def test_eig(dtype):
    m = sample((4, 4), dtype)
    a = m if np.dtype(dtype).kind == "c" else m + m.T  # real input: real eigenvalues
    w, v = eig(a)
    ew = np.linalg.eigvals(a)
    assert w.dtype == ew.dtype
    close(np.sort(w.real), np.sort(ew.real), dtype, exact_dtype=False)
    close(a @ v, v * w, dtype, exact_dtype=False)
    close(np.sort(eigvals(a).real), np.sort(ew.real), dtype, exact_dtype=False)
    with pytest.raises(ValueError, match="domain change"):
        eig(np.array([[0.0, 1.0], [-1.0, 0.0]]))


@pytest.mark.parametrize("dtype", LAPACK + [np.int32])
@pytest.mark.parametrize("shape", SHAPES)
def test_svd_qr(dtype, shape):
    a = sample(shape, dtype)
    for full in (True, False):
        u, s, vt = svd(a, full)
        eu, es, evt = np.linalg.svd(a, full)
        assert (u.dtype, s.dtype, vt.dtype) == (eu.dtype, es.dtype, evt.dtype)
        assert (u.shape, vt.shape) == (eu.shape, evt.shape)
        close(s, es, dtype)
        k = min(shape)
        close((u[:, :k] * s) @ vt[:k], a, dtype, exact_dtype=False)
    close(svd_values(a), np.linalg.svd(a, compute_uv=False), dtype)
    for func, mode in ((qr, "reduced"), (qr_complete, "complete")):
        q, r = func(a)
        eq, er = np.linalg.qr(a, mode)
        assert (q.shape, r.shape, q.dtype, r.dtype) == (eq.shape, er.shape, eq.dtype, er.dtype)
        close(q @ r, a, dtype, exact_dtype=False)
        close(np.abs(r), np.abs(er), dtype)
    close(np.abs(qr_r(a)), np.abs(np.linalg.qr(a, "r")), dtype)


@pytest.mark.parametrize("dtype", LAPACK + [np.int32])
def test_cholesky(dtype):
    h = spd(4, dtype if dtype is not np.int32 else np.float64).astype(dtype)
    got = cholesky(h)
    close(got, np.linalg.cholesky(h), dtype)
    assert got.flags.c_contiguous
    close(cholesky_upper(h), np.linalg.cholesky(h, upper=True), dtype)
    with pytest.raises(np.linalg.LinAlgError, match="not positive definite"):
        cholesky(-np.eye(2))


@pytest.mark.parametrize("dtype", LAPACK + [np.int32])
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (0, 2)])
def test_lstsq(dtype, shape):
    a, b = sample(shape, dtype, 1), sample((shape[0], 2), dtype, 2)
    for rhs in (b, b[:, 1]):
        for got, expected in zip(lstsq(a, rhs), np.linalg.lstsq(a, rhs)):
            close(got, expected, dtype, exact_dtype=np.ndim(expected) > 0)


@pytest.mark.parametrize("dtype", LAPACK + [np.int32])
def test_norms(dtype):
    v, m, t = sample(7, dtype), sample((4, 3), dtype), sample((2, 3, 2), dtype)
    for x in (v, m, t):
        close(norm(x), np.linalg.norm(x), dtype, exact_dtype=False)
    for o in (np.inf, -np.inf, 0, 1, 2, 3, 0.5, -1):
        close(norm_ord(v, o), np.linalg.norm(v, o), dtype, exact_dtype=False)
    for o in (np.inf, -np.inf, 1, -1, 2, -2):
        close(norm_ord(m, o), np.linalg.norm(m, o), dtype, exact_dtype=False)
    close(norm_fro(m), np.linalg.norm(m, "fro"), dtype, exact_dtype=False)
    close(norm_nuc(m), np.linalg.norm(m, "nuc"), dtype, exact_dtype=False)
    with pytest.raises(ValueError, match="Invalid norm order"):
        norm_ord(m, 3)


@pytest.mark.parametrize("dtype", LAPACK + [np.int32])
def test_cond_rank_pinv_power(dtype):
    a = (sample((4, 4), dtype) + 9 * np.eye(4)).astype(dtype)
    close(cond(a), np.linalg.cond(a), dtype, exact_dtype=False)
    close(cond_p(a, 1), np.linalg.cond(a, 1), dtype, exact_dtype=False)
    low_rank = np.outer(sample(5, dtype), sample(3, dtype))
    assert matrix_rank(low_rank) == np.linalg.matrix_rank(low_rank) == 1
    assert matrix_rank(np.zeros(3)) == 0 and matrix_rank(np.ones(3)) == 1
    for x in (a, sample((5, 3), dtype)):
        close(pinv(x), np.linalg.pinv(x), dtype)
    for n in (0, 1, 2, 5) + ((-1, -2) if np.dtype(dtype).kind in "fc" else ()):
        close(matrix_power(a, n), np.linalg.matrix_power(a, n), dtype)


def test_linalg_no_leaks():
    a, b = spd(4, np.complex128), np.ones((4, 2), np.complex128)
    calls = [lambda: solve(a, b), lambda: inv(a), lambda: eigh(a), lambda: svd(a, True),
             lambda: qr(a), lambda: lstsq(a, b), lambda: cholesky(a), lambda: pinv(a),
             lambda: norm_ord(a, 2), lambda: eigvals(a)]
    for call in calls:
        call()
    with no_leaks(a, b):
        for call in calls:
            call()


def test_unsupported_arguments_name_the_function():
    with pytest.raises(TypingError, match="inv"):
        inv((1.0, 2.0))
    with pytest.raises(TypingError, match="UPLO"):
        njit(lambda a: np.linalg.eigh(a, "X"))(np.eye(2))
