"""np.linalg's solvers and decompositions through LAPACK: solve inv det slogdet eig eigvals eigh
eigvalsh svd cholesky qr lstsq, on float and complex matrices (stacks of matrices are not
supported). Each copies its input to an F-contiguous buffer and calls the routine of the
input's precision that NumPy's umath_linalg calls; errors are Numba's."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .linalg import (check_finite, check_not_empty, check_square, column, fcopy, ld, lower_only,
                     real_dtype, require_matrix, routine, upper_only, work_dtype, work_size)

LinAlgError = np.linalg.LinAlgError


def constant(ty, default, name):
    """The compile-time value of an option argument (left out, or a literal)."""
    if ty is None or isinstance(ty, types.Omitted):
        return getattr(ty, "value", default)
    if isinstance(ty, types.Literal):
        return ty.literal_value
    if isinstance(ty, types.NoneType):
        return None
    raise TypingError(f"np.linalg: the argument {name} must be a constant, not {ty}")


@register_jitable
def identity(n, dt):
    out = np.zeros((n, n), dt)
    for i in range(n):
        out[i, i] = 1
    return out


# -- solve, inv -----------------------------------------------------------------------------------

def _gesv(dt):
    gesv = routine(dt, "gesv")

    def run(a, x):
        """Solve a @ X = x in place of x (an F matrix of dtype dt)."""
        check_square(a)
        n = a.shape[0]
        if x.shape[0] != n:
            raise LinAlgError("Incompatible array sizes, system is not dimensionally valid.")
        lu = fcopy(a, dt)
        check_finite(lu)
        check_finite(x)
        piv = np.empty(n, np.int32)
        info = gesv(n, x.shape[1], lu, ld(n), piv, x, ld(n)) if n > 0 else 0
        if info > 0:
            raise LinAlgError("Matrix is singular to machine precision.")
        return x
    return register_jitable(run)


@overload(np.linalg.solve)
def linalg_solve(a, b):
    if not require_matrix(a, "solve") or not require_matrix(b, "solve", (1, 2)):
        return None
    dt = work_dtype(a, b, name="solve")
    run = _gesv(dt)
    if b.ndim == 1:
        return lambda a, b: run(a, fcopy(column(b), dt))[:, 0]
    return lambda a, b: run(a, fcopy(b, dt))


@overload(np.linalg.inv)
def linalg_inv(a):
    if not require_matrix(a, "inv"):
        return None
    dt = work_dtype(a, name="inv")
    run = _gesv(dt)
    return lambda a: run(a, identity(a.shape[0], dt).T)


# -- det, slogdet ---------------------------------------------------------------------------------

def _lu_diagonal(dt):
    """run(a) -> (diagonal of U, sign of the row permutation, singular?)"""
    getrf = routine(dt, "getrf")

    def run(a):
        check_square(a)
        n = a.shape[0]
        lu = fcopy(a, dt)
        check_finite(lu)
        piv = np.empty(n, np.int32)
        singular = n > 0 and getrf(n, n, lu, ld(n), piv) > 0
        swaps = 0
        for i in range(n):
            swaps += piv[i] != i + 1
        diagonal = np.empty(n, dt)
        for i in range(n):
            diagonal[i] = lu[i, i]
        return diagonal, -1 if swaps % 2 else 1, singular
    return register_jitable(run)


@overload(np.linalg.det)
def linalg_det(a):
    if not require_matrix(a, "det"):
        return None
    dt = work_dtype(a, name="det")
    run, scalar = _lu_diagonal(dt), dt.type

    def impl(a):
        diagonal, sign, singular = run(a)
        result = scalar(sign)
        for value in diagonal:
            result *= value
        return scalar(0) if singular else result
    return impl


@overload(np.linalg.slogdet)
def linalg_slogdet(a):
    if not require_matrix(a, "slogdet"):
        return None
    dt = work_dtype(a, name="slogdet")
    run, scalar, real = _lu_diagonal(dt), dt.type, real_dtype(dt).type

    def impl(a):
        diagonal, sign, singular = run(a)
        if singular:
            return scalar(0), real(-np.inf)
        result, log = scalar(sign), real(0)
        for value in diagonal:
            size = abs(value)
            result *= value / size
            log += np.log(size)
        return result, log
    return impl


# -- eigh, eigvalsh -------------------------------------------------------------------------------

def _eigh(dt, jobz, uplo):
    """run(a) -> (eigenvalues, the F buffer holding the eigenvectors when jobz is "V")."""
    uplo = constant(uplo, "L", "UPLO")
    if uplo not in ("L", "U"):
        raise TypingError(f"np.linalg.eigh(): UPLO must be 'L' or 'U', not {uplo!r}")
    rdt = real_dtype(dt)
    if dt.kind == "c":
        heevd = routine(dt, "heevd", jobz + uplo)

        def call(n, v, w, work, real_work, int_work, query):
            return heevd(n, v, ld(n), w, work, -1 if query else work.size, real_work,
                         -1 if query else real_work.size, int_work, -1 if query else int_work.size)
    else:
        syevd = routine(dt, "syevd", jobz + uplo)

        def call(n, v, w, work, real_work, int_work, query):
            return syevd(n, v, ld(n), w, work, -1 if query else work.size, int_work,
                         -1 if query else int_work.size)
    call = register_jitable(call)

    def run(a):
        check_square(a)
        n = a.shape[0]
        v, w = fcopy(a, dt), np.empty(n, rdt)
        check_finite(v)
        if n == 0:
            return w, v
        # (zeroed: a real routine never writes real_work, and its size is read back)
        work, real_work, int_work = np.zeros(1, dt), np.zeros(1, rdt), np.zeros(1, np.int32)
        call(n, v, w, work, real_work, int_work, True)
        work, real_work = np.empty(work_size(work), dt), np.empty(work_size(real_work), rdt)
        int_work = np.empty(max(1, int_work[0]), np.int32)
        if call(n, v, w, work, real_work, int_work, False) > 0:
            raise LinAlgError("Eigenvalues did not converge")
        return w, v
    return register_jitable(run)


@overload(np.linalg.eigh, prefer_literal=True)
def linalg_eigh(a, UPLO="L"):
    if not require_matrix(a, "eigh"):
        return None
    run = _eigh(work_dtype(a, name="eigh"), "V", UPLO)
    return lambda a, UPLO="L": run(a)


@overload(np.linalg.eigvalsh, prefer_literal=True)
def linalg_eigvalsh(a, UPLO="L"):
    if not require_matrix(a, "eigvalsh"):
        return None
    run = _eigh(work_dtype(a, name="eigvalsh"), "N", UPLO)
    return lambda a, UPLO="L": run(a)[0]


# -- svd ------------------------------------------------------------------------------------------

def _gesdd(dt, jobz):
    """run(a) -> (s, u, vt): u and vt are F buffers (1x1 placeholders when jobz is "N")."""
    rdt = real_dtype(dt)
    gesdd = routine(dt, "gesdd", jobz)
    if dt.kind == "c":
        def call(m, n, a, s, u, vt, work, lwork, real_work, int_work):
            return gesdd(m, n, a, ld(m), s, u, ld(u.shape[0]), vt, ld(vt.shape[0]), work, lwork,
                         real_work, int_work)
    else:
        def call(m, n, a, s, u, vt, work, lwork, real_work, int_work):
            return gesdd(m, n, a, ld(m), s, u, ld(u.shape[0]), vt, ld(vt.shape[0]), work, lwork,
                         int_work)
    call = register_jitable(call)
    real_size = register_jitable((lambda m, n, k: max(7 * k, k * max(5 * k + 7, 2 * max(m, n) + 2 * k + 1)))
                                 if dt.kind == "c" else (lambda m, n, k: 1))
    shapes = register_jitable({"A": lambda m, n, k: (m, m, n, n), "S": lambda m, n, k: (m, k, k, n),
                               "N": lambda m, n, k: (1, 1, 1, 1)}[jobz])

    def run(a):
        check_not_empty(a)  # Numba's rule; NumPy returns empty factors
        m, n = a.shape
        k = min(m, n)
        um, un, vm, vn = shapes(m, n, k)
        x, s = fcopy(a, dt), np.empty(k, rdt)
        check_finite(x)
        u, vt = np.zeros((un, um), dt).T, np.zeros((vn, vm), dt).T
        real_work = np.empty(real_size(m, n, k), rdt)
        int_work, work = np.empty(8 * k, np.int32), np.empty(1, dt)
        call(m, n, x, s, u, vt, work, -1, real_work, int_work)
        work = np.empty(work_size(work), dt)
        if call(m, n, x, s, u, vt, work, work.size, real_work, int_work) > 0:
            raise LinAlgError("SVD did not converge")
        return s, u, vt
    return register_jitable(run)


@overload(np.linalg.svd, prefer_literal=True)
def linalg_svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    if not require_matrix(a, "svd"):
        return None
    dt = work_dtype(a, name="svd")
    if constant(hermitian, False, "hermitian"):
        raise TypingError("np.linalg.svd(): hermitian=True is not supported in compiled code")
    if not constant(compute_uv, True, "compute_uv"):
        values = _gesdd(dt, "N")
        return lambda a, full_matrices=True, compute_uv=True, hermitian=False: values(a)[0]
    full, reduced = _gesdd(dt, "A"), _gesdd(dt, "S")

    def impl(a, full_matrices=True, compute_uv=True, hermitian=False):
        s, u, vt = full(a) if full_matrices else reduced(a)
        return u, s, vt
    return impl


# -- cholesky, qr ---------------------------------------------------------------------------------

@overload(np.linalg.cholesky)
def linalg_cholesky(a, upper=False):
    if not require_matrix(a, "cholesky"):
        return None
    dt = work_dtype(a, name="cholesky")
    lower, higher = routine(dt, "potrf", "L"), routine(dt, "potrf", "U")

    def impl(a, upper=False):
        check_square(a)
        n = a.shape[0]
        x = fcopy(a, dt)
        info = (higher(n, x, ld(n)) if upper else lower(n, x, ld(n))) if n > 0 else 0
        if info > 0:
            raise LinAlgError("Matrix is not positive definite.")
        if upper:
            upper_only(x)
        else:
            lower_only(x)
        return x.copy()  # C order, as NumPy's
    return impl


def _householder(dt):
    """run(a) -> (the factored F buffer, tau): R above the diagonal, reflectors below."""
    geqrf = routine(dt, "geqrf")

    def run(a):
        m, n = a.shape
        check_not_empty(a)
        x, tau, work = fcopy(a, dt), np.empty(min(m, n), dt), np.empty(1, dt)
        check_finite(x)
        if m > 0 and n > 0:
            geqrf(m, n, x, ld(m), tau, work, -1)
            work = np.empty(work_size(work), dt)
            geqrf(m, n, x, ld(m), tau, work, work.size)
        return x, tau
    return register_jitable(run)


def _form_q(dt):
    """q(x, tau, columns): the first `columns` columns of Q from geqrf's reflectors."""
    orgqr = routine(dt, "ungqr" if dt.kind == "c" else "orgqr")

    def form(x, tau, columns):
        m, k = x.shape[0], tau.shape[0]
        q = np.zeros((columns, m), dt).T
        for j in range(min(columns, x.shape[1])):
            for i in range(m):
                q[i, j] = x[i, j]
        if m > 0 and columns > 0:
            work = np.empty(1, dt)
            orgqr(m, columns, k, q, ld(m), tau, work, -1)
            work = np.empty(work_size(work), dt)
            orgqr(m, columns, k, q, ld(m), tau, work, work.size)
        return q
    return register_jitable(form)


@register_jitable
def _triangle(x, rows):
    r = np.zeros((x.shape[1], rows), x.dtype).T
    for j in range(x.shape[1]):
        for i in range(min(j + 1, rows)):
            r[i, j] = x[i, j]
    return r


@overload(np.linalg.qr, prefer_literal=True)
def linalg_qr(a, mode="reduced"):
    if not require_matrix(a, "qr"):
        return None
    dt = work_dtype(a, name="qr")
    mode = constant(mode, "reduced", "mode")
    factor, form = _householder(dt), _form_q(dt)
    if mode == "r":
        return lambda a, mode="reduced": _triangle(factor(a)[0], min(a.shape))
    if mode not in ("reduced", "complete"):
        raise TypingError(f"np.linalg.qr(): unrecognized mode {mode!r}")
    complete = mode == "complete"

    def impl(a, mode="reduced"):
        x, tau = factor(a)
        m, n = a.shape
        rows = m if complete else min(m, n)
        return form(x, tau, rows), _triangle(x, rows)
    return impl


# -- lstsq ----------------------------------------------------------------------------------------

def _gelsd(dt):
    rdt = real_dtype(dt)
    real, gelsd = rdt.type, routine(dt, "gelsd")
    if dt.kind == "c":
        def call(m, n, x, y, s, rcond, rank, work, lwork, real_work, int_work):
            return gelsd(m, n, y.shape[1], x, ld(m), y, ld(y.shape[0]), s, rcond, rank, work,
                         lwork, real_work, int_work)
    else:
        def call(m, n, x, y, s, rcond, rank, work, lwork, real_work, int_work):
            return gelsd(m, n, y.shape[1], x, ld(m), y, ld(y.shape[0]), s, rcond, rank, work,
                         lwork, int_work)
    call = register_jitable(call)

    def run(a, b, rcond):
        """(solution buffer: n rows of it are x, singular values, rank)"""
        m, n = a.shape
        check_not_empty(a)
        check_not_empty(b)
        if b.shape[0] != m:
            raise LinAlgError("Incompatible array sizes, system is not dimensionally valid.")
        x, s, rank = fcopy(a, dt), np.empty(min(m, n), rdt), np.zeros(1, np.int32)
        check_finite(x)
        y = np.zeros((b.shape[1], max(m, n)), dt).T
        for j in range(b.shape[1]):
            for i in range(m):
                y[i, j] = b[i, j]
        check_finite(y)
        if min(m, n) == 0 or b.shape[1] == 0:
            return y, s, 0
        # (zeroed: a real routine never writes real_work, and its size is read back)
        work, real_work, int_work = np.zeros(1, dt), np.zeros(1, rdt), np.zeros(1, np.int32)
        call(m, n, x, y, s, real(rcond), rank, work, -1, real_work, int_work)
        work, real_work = np.empty(work_size(work), dt), np.empty(work_size(real_work), rdt)
        int_work = np.empty(max(1, int_work[0]), np.int32)
        if call(m, n, x, y, s, real(rcond), rank, work, work.size, real_work, int_work) > 0:
            raise LinAlgError("SVD did not converge in Linear Least Squares")
        return y, s, rank[0]
    return register_jitable(run)


@register_jitable
def _residuals(y, n, m, rank, rdt):
    if rank != n or m <= n:
        return np.empty(0, rdt)
    out = np.zeros(y.shape[1], rdt)
    for j in range(y.shape[1]):
        for i in range(n, m):
            out[j] += abs(y[i, j]) ** 2
    return out


@overload(np.linalg.lstsq)
def linalg_lstsq(a, b, rcond=None):
    if not require_matrix(a, "lstsq") or not require_matrix(b, "lstsq", (1, 2)):
        return None
    dt = work_dtype(a, b, name="lstsq")
    rdt, run = real_dtype(dt), _gelsd(dt)
    eps = float(np.finfo(rdt).eps)
    default = rcond is None or isinstance(rcond, (types.Omitted, types.NoneType))
    cutoff = register_jitable((lambda rcond, m, n: eps * max(m, n)) if default else
                              (lambda rcond, m, n: rcond))

    def solve(a, b, rcond):
        m, n = a.shape
        y, s, rank = run(a, b, cutoff(rcond, m, n))
        return y, _residuals(y, n, m, rank, rdt), rank, s
    solve = register_jitable(solve)
    if b.ndim == 1:
        def impl(a, b, rcond=None):
            y, residuals, rank, s = solve(a, column(b), rcond)
            return y[:a.shape[1], 0].copy(), residuals, rank, s
        return impl

    def impl(a, b, rcond=None):
        y, residuals, rank, s = solve(a, b, rcond)
        return y[:a.shape[1], :].copy(), residuals, rank, s
    return impl


# -- eig, eigvals ---------------------------------------------------------------------------------

def _geev(dt, jobvr, name):
    """run(a) -> (eigenvalues, right eigenvectors as an F buffer). A real matrix must have real
    eigenvalues: its results keep the real dtype, as Numba's do (NumPy's turn complex)."""
    rdt = real_dtype(dt)
    geev = routine(dt, "geev", "N" + jobvr)
    if dt.kind == "c":
        def call(n, x, w, vl, vr, work, lwork, real_work):
            return geev(n, x, ld(n), w, vl, 1, vr, ld(vr.shape[0]), work, lwork, real_work)
    else:
        def call(n, x, w, vl, vr, work, lwork, real_work):
            return geev(n, x, ld(n), w, real_work, vl, 1, vr, ld(vr.shape[0]), work, lwork)
    call = register_jitable(call)
    real_input, vectors = dt.kind != "c", jobvr == "V"
    domain_change = f"{name}() argument must not cause a domain change."

    def run(a):
        check_square(a)
        n = a.shape[0]
        size = n if vectors else 1
        x, w, vl, vr = fcopy(a, dt), np.empty(n, dt), np.empty((1, 1), dt), np.empty((size, size), dt).T
        check_finite(x)
        if n == 0:
            return w, vr
        work, imaginary = np.empty(1, dt), np.zeros(2 * n, rdt)
        call(n, x, w, vl, vr, work, -1, imaginary)
        work = np.empty(work_size(work), dt)
        if call(n, x, w, vl, vr, work, work.size, imaginary) > 0:
            raise LinAlgError("Eigenvalues did not converge")
        if real_input:
            for i in range(n):
                if imaginary[i] != 0:
                    raise ValueError(domain_change)
        return w, vr
    return register_jitable(run)


@overload(np.linalg.eig)
def linalg_eig(a):
    if not require_matrix(a, "eig"):
        return None
    return _geev(work_dtype(a, name="eig"), "V", "eig")


@overload(np.linalg.eigvals)
def linalg_eigvals(a):
    if not require_matrix(a, "eigvals"):
        return None
    run = _geev(work_dtype(a, name="eigvals"), "N", "eigvals")
    return lambda a: run(a)[0]
