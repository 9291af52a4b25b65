"""Linear algebra: 2-D np.dot/`@`/np.matmul through BLAS gemm, and np.linalg's solvers and
decompositions through LAPACK (SciPy's, loaded by lapack_symbols.py the first time one is
compiled). LAPACK reads Fortran order: inputs are copied to F-contiguous buffers of NumPy's
computation dtype (float64 for integers and booleans), which LAPACK may overwrite."""
from __future__ import annotations

import operator

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .common import conjugate

#: the dtypes BLAS and LAPACK compute in, with their routines' prefix letters
PREFIX = {np.dtype(np.float32): "s", np.dtype(np.float64): "d",
          np.dtype(np.complex64): "c", np.dtype(np.complex128): "z"}


def _lapack():
    try:
        from . import lapack_symbols
    except ImportError as exc:
        raise TypingError("linear algebra in compiled code calls SciPy's BLAS/LAPACK "
                          f"(scipy.linalg.cython_lapack), which cannot be imported: {exc}") from None
    return lapack_symbols


def routine(dtype, base: str, chars: str = "", info: bool = True):
    """The intrinsic calling `base` (gemm, gesv...) for `dtype`'s prefix."""
    return _lapack().routine(PREFIX[np.dtype(dtype)] + base, chars, info)


def work_dtype(*arrays, name="linalg"):
    """NumPy's computation dtype for these arrays (float64 for integers and booleans), or a
    TypingError for dtypes np.linalg rejects."""
    dtypes = []
    for ty in arrays:
        if not isinstance(ty, types.Array) or not isinstance(ty.dtype, (types.Number, types.Boolean)):
            raise TypingError(f"np.linalg.{name}() needs arrays of numbers, not {ty}")
        dt = as_dtype(ty.dtype)
        dtypes.append(np.dtype(np.float64) if dt.kind in "biu" else dt)
    result = np.result_type(*dtypes)
    if result not in PREFIX:
        raise TypingError(f"np.linalg.{name}(): array type {result} is unsupported in linalg")
    return result


def real_dtype(dtype):
    return np.dtype(dtype).type(0).real.dtype


def require_matrix(ty, name):
    """None to decline (stacked matrices are not supported), a TypingError for fewer than two
    dimensions (NumPy's LinAlgError at run time), True for a matrix."""
    if not isinstance(ty, types.Array):
        return None
    if ty.ndim < 2:
        raise TypingError(f"np.linalg.{name}(): {ty.ndim}-dimensional array given. Array must "
                          "be at least two-dimensional")
    return True if ty.ndim == 2 else None


# -- shared loops ---------------------------------------------------------------------------------

@register_jitable
def fcopy(a, dt):
    """An F-contiguous copy of matrix `a` in dtype `dt` (LAPACK overwrites its inputs)."""
    m, n = a.shape
    out = np.empty((n, m), dt).T
    for j in range(n):
        for i in range(m):
            out[i, j] = a[i, j]
    return out


@register_jitable
def fcopy_rhs(b, dt):
    """Right-hand side(s) as an F-contiguous matrix of dtype `dt`."""
    if b.ndim == 1:
        return fcopy(column(b), dt)
    return fcopy(b, dt)


@register_jitable
def column(b):
    out = np.empty((b.shape[0], 1), b.dtype)
    for i in range(b.shape[0]):
        out[i, 0] = b[i]
    return out


@register_jitable
def check_square(a):
    if a.shape[0] != a.shape[1]:
        raise np.linalg.LinAlgError("Last 2 dimensions of the array must be square.")


@register_jitable
def check_finite(a):
    for j in range(a.shape[1]):
        for i in range(a.shape[0]):
            if not np.isfinite(a[i, j]):
                raise np.linalg.LinAlgError("Array must not contain infs or NaNs")


@register_jitable
def lower_only(a):
    """Zero the strict upper triangle (LAPACK leaves the input there)."""
    for j in range(a.shape[1]):
        for i in range(min(j, a.shape[0])):
            a[i, j] = 0


@register_jitable
def upper_only(a):
    for j in range(a.shape[1]):
        for i in range(j + 1, a.shape[0]):
            a[i, j] = 0


@register_jitable
def work_size(work):
    """The workspace length a LAPACK query (lwork=-1) wrote to work[0]."""
    return max(1, int(work[0].real))


def _ld(n):
    return max(1, n)


ld = register_jitable(_ld)


# -- dot, matmul, @ -------------------------------------------------------------------------------

def _gemm(x, y, out):
    """out[:] = x @ y for C-contiguous `out` (x, y: C or F matrices of out's dtype)."""


@overload(_gemm)
def _gemm_typer(x, y, out):
    dt = as_dtype(out.dtype)
    xc, yc = x.layout == "C", y.layout == "C"
    # row-major out is column-major out.T = y.T @ x.T: BLAS's first operand is y
    gemm = routine(dt, "gemm", ("N" if yc else "T") + ("N" if xc else "T"), info=False)
    scalar = dt.type

    def impl(x, y, out):
        m, k = x.shape
        n = y.shape[1]
        if m == 0 or n == 0:
            return
        if k == 0:
            out[:, :] = 0
            return
        ldx = k if xc else m
        ldy = n if yc else k
        gemm(n, m, k, scalar(1), y, ld(ldy), x, ld(ldx), scalar(0), out, ld(n))
    return impl


def _blas_ready(ty, dt):
    return as_dtype(ty.dtype) == dt and ty.layout in "CF"


def _operand(ty, dt, as_row):
    """How one operand becomes a C/F matrix of dtype `dt` (vectors as a row or a column)."""
    if ty.ndim == 1:
        if as_row:
            return lambda v: v.astype(dt).reshape((1, v.shape[0]))
        return lambda v: v.astype(dt).reshape((v.shape[0], 1))
    if _blas_ready(ty, dt):
        return lambda v: v
    return lambda v: v.astype(dt)


@register_jitable
def _check_aligned(x, y, is_matmul):
    if x.shape[1] != y.shape[0]:
        if is_matmul:
            raise ValueError("matmul: Input operand 1 has a mismatch in its core dimension 0, "
                             "with gufunc signature (n?,k),(k,m?)->(n?,m?)")
        raise ValueError("shapes not aligned")


@register_jitable
def _loop_product(x, y, out):
    for i in range(x.shape[0]):
        for p in range(x.shape[1]):
            xv = x[i, p]
            for j in range(y.shape[1]):
                out[i, j] += xv * y[p, j]


def matrix_product(a, b, is_matmul):
    """The implementation of a product with a 2-D operand (1-D/2-D pairs), or None."""
    if not (isinstance(a, types.Array) and isinstance(b, types.Array)):
        return None
    if (a.ndim, b.ndim) not in ((2, 2), (2, 1), (1, 2)):
        return None
    dt = np.result_type(as_dtype(a.dtype), as_dtype(b.dtype))
    left, right = (register_jitable(_operand(*args)) for args in ((a, dt, True), (b, dt, False)))
    if dt in PREFIX:
        routine(dt, "gemm", info=False)  # SciPy's absence is a typing error

        def product(a, b):
            x, y = left(a), right(b)
            _check_aligned(x, y, is_matmul)
            out = np.empty((x.shape[0], y.shape[1]), dt)
            _gemm(x, y, out)
            return out
    else:
        def product(a, b):
            x, y = left(a), right(b)
            _check_aligned(x, y, is_matmul)
            out = np.zeros((x.shape[0], y.shape[1]), dt)
            _loop_product(x, y, out)
            return out
    return _shaped(register_jitable(product), a.ndim, b.ndim)


def _shaped(product, ndim_a, ndim_b):
    if ndim_a == 1:
        return lambda a, b: product(a, b).reshape((b.shape[1],))
    if ndim_b == 1:
        return lambda a, b: product(a, b).reshape((a.shape[0],))
    return product


@overload(np.dot)
def np_dot(a, b):
    return matrix_product(a, b, False)


@overload(operator.matmul)
def op_matmul(a, b):
    return matrix_product(a, b, True)


@overload(np.matmul)
def np_matmul(a, b):
    if isinstance(a, types.Array) and isinstance(b, types.Array) and a.ndim == b.ndim == 1:
        return lambda a, b: a @ b
    return matrix_product(a, b, True)


def _array_or_scalar(*args):
    return all(isinstance(a, (types.Array, types.Number, types.Boolean)) for a in args)


def _dtype_of(ty):
    return as_dtype(ty.dtype if isinstance(ty, types.Array) else ty)


def _flat(a):
    """A C-contiguous 1-D copy of an array's items (a scalar: one item)."""


@overload(_flat)
def _flat_typer(a):
    if isinstance(a, types.Array):
        return lambda a: a.copy().reshape(a.size)
    dt = as_dtype(a)

    def impl(a):
        out = np.empty(1, dt)
        out[0] = a
        return out
    return impl


@overload(np.outer)
def np_outer(a, b, out=None):
    if not _array_or_scalar(a, b):
        return None
    dt = np.result_type(_dtype_of(a), _dtype_of(b))
    if _option(out, None) is None:
        def impl(a, b, out=None):
            x, y = _flat(a), _flat(b)
            return _outer_into(x, y, np.empty((x.size, y.size), dt))
        return impl
    if not isinstance(out, types.Array) or out.ndim != 2:
        return None

    def impl(a, b, out=None):
        x, y = _flat(a), _flat(b)
        if out.shape[0] != x.size or out.shape[1] != y.size:
            raise ValueError("output array has the wrong shape for np.outer()")
        return _outer_into(x, y, out)
    return impl


@register_jitable
def _outer_into(x, y, out):
    for i in range(x.shape[0]):
        for j in range(y.shape[0]):
            out[i, j] = x[i] * y[j]
    return out


@overload(np.inner)
def np_inner(a, b):
    if not (isinstance(a, types.Array) and isinstance(b, types.Array)):
        return None
    if a.ndim == b.ndim == 1:
        return lambda a, b: np.dot(a, b)
    if a.ndim == 2 and b.ndim == 2:
        return lambda a, b: np.dot(a, b.T)
    if (a.ndim, b.ndim) in ((2, 1), (1, 2)):
        return lambda a, b: np.dot(a, b) if a.ndim == 2 else np.dot(b, a)
    return None


@overload(np.kron)
def np_kron(a, b):
    if not _array_or_scalar(a, b) or not isinstance(a, types.Array) and not isinstance(b, types.Array):
        return None
    ndims = [getattr(t, "ndim", 1) for t in (a, b)]  # a scalar acts as one item
    if max(ndims) > 2:
        return None
    dt = np.result_type(_dtype_of(a), _dtype_of(b))
    ndim = max(ndims)

    def product(x, y):
        out = np.empty((x.shape[0] * y.shape[0], x.shape[1] * y.shape[1]), dt)
        for i in range(x.shape[0]):
            for j in range(x.shape[1]):
                for k in range(y.shape[0]):
                    for m in range(y.shape[1]):
                        out[i * y.shape[0] + k, j * y.shape[1] + m] = x[i, j] * y[k, m]
        return out
    product = register_jitable(product)
    if ndim == 1:
        def flat(a, b):
            x, y = _row(a), _row(b)
            return product(x, y).reshape(x.size * y.size)
        return flat
    left = _row if ndims[0] == 1 else (lambda x: x)
    right = _row if ndims[1] == 1 else (lambda x: x)
    left, right = register_jitable(left), register_jitable(right)
    return lambda a, b: product(left(a), right(b))


@register_jitable
def _row(a):
    x = _flat(a)
    return x.reshape((1, x.size))


@overload(np.trace)
def np_trace(a, offset=0):
    if not isinstance(a, types.Array) or not isinstance(offset, (types.Integer, types.Omitted, int)):
        return None
    if a.ndim != 2:  # NumPy traces stacks of matrices: not supported
        raise TypingError("np.trace() only supported on 2-D arrays")
    scalar = np.trace(np.ones((1, 1), as_dtype(a.dtype))).dtype.type

    def impl(a, offset=0):
        total = scalar(0)
        rows, cols = a.shape
        for i in range(max(0, -offset), rows):
            if i + offset >= cols:
                break
            total += a[i, i + offset]
        return total
    return impl


# -- norm, cond, matrix_rank, pinv, matrix_power --------------------------------------------------

def _option(ty, default):
    if ty is None or isinstance(ty, (types.Omitted, types.NoneType)):
        return getattr(ty, "value", default)
    return ty.literal_value if isinstance(ty, types.StringLiteral) else ty


@register_jitable
def _vector_norm(v, order, real):
    """NumPy's vector norms of a flat array (order: a number)."""
    if order == np.inf or order == -np.inf:
        if v.size == 0:
            raise ValueError("zero-size array to reduction operation maximum which has no identity")
        best = real(abs(v[0]))
        for value in v:
            best = max(best, abs(value)) if order > 0 else min(best, abs(value))
        return real(best)
    total = real(0)
    for value in v:
        if order == 0:
            total += value != 0
        elif order == 1:
            total += abs(value)
        elif order == 2:
            total += abs(value) ** 2
        else:
            size = real(abs(value))  # NumPy's 0 ** -p is inf, not an error
            total += np.inf if size == 0 and order < 0 else size ** order
    if order == 0 or order == 1:
        return total
    return real(np.sqrt(total)) if order == 2 else real(total ** (1.0 / order))


@register_jitable
def _line_sums(x, axis, real):
    """Sums of absolute values down the columns (axis 0) or along the rows (axis 1)."""
    out = np.zeros(x.shape[1 - axis], real)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[j if axis == 0 else i] += abs(x[i, j])
    return out


@register_jitable
def _matrix_norm(x, order, real):
    if order == 2 or order == -2:
        s = np.linalg.svd(x, compute_uv=False)
        return real(0) if s.size == 0 else (s.max() if order == 2 else s.min())
    if order == 1 or order == -1:
        sums = _line_sums(x, 0, real)
    elif order == np.inf or order == -np.inf:
        sums = _line_sums(x, 1, real)
    else:
        raise ValueError("Invalid norm order for matrices.")
    return sums.max() if order > 0 else sums.min()


@overload(np.linalg.norm, prefer_literal=True)
def linalg_norm(x, ord=None, axis=None, keepdims=False):
    if not isinstance(x, types.Array) or _option(axis, None) is not None:
        return None
    if _option(keepdims, False) is not False:
        return None
    dt = work_dtype(x, name="norm")
    real, order = real_dtype(dt).type, _option(ord, None)
    if order is None or order == "fro" and x.ndim == 2:
        return lambda x, ord=None, axis=None, keepdims=False: _vector_norm(_flat(x), 2, real)
    if order == "nuc" and x.ndim == 2:
        return lambda x, ord=None, axis=None, keepdims=False: real(
            np.linalg.svd(x, compute_uv=False).sum())
    if isinstance(order, str) or x.ndim not in (1, 2):
        raise TypingError(f"np.linalg.norm(): invalid norm order {order!r} for "
                          f"{x.ndim}-dimensional arrays")
    if x.ndim == 1:
        return lambda x, ord=None, axis=None, keepdims=False: _vector_norm(x, ord, real)
    return lambda x, ord=None, axis=None, keepdims=False: _matrix_norm(x.astype(dt), ord, real)


@overload(np.linalg.cond)
def linalg_cond(x, p=None):
    if not require_matrix(x, "cond"):
        return None
    real = real_dtype(work_dtype(x, name="cond")).type
    if _option(p, None) is None:
        def impl(x, p=None):
            s = np.linalg.svd(x, compute_uv=False)
            return real(s[0] / s[-1] if s[-1] != 0 else np.inf)
        return impl
    return lambda x, p=None: real(np.linalg.norm(x, p) * np.linalg.norm(np.linalg.inv(x), p))


@overload(np.linalg.matrix_rank)
def linalg_matrix_rank(A, tol=None, hermitian=False):
    if not isinstance(A, types.Array):
        return None
    if A.ndim < 2:
        return lambda A, tol=None, hermitian=False: int(_any_nonzero(A))
    if A.ndim > 2:
        return None
    eps = float(np.finfo(real_dtype(work_dtype(A, name="matrix_rank"))).eps)
    if _option(tol, None) is None:
        cutoff = register_jitable(lambda s, A, tol: s.max() * max(A.shape) * eps)
    else:
        cutoff = register_jitable(lambda s, A, tol: tol)

    def impl(A, tol=None, hermitian=False):
        s = np.linalg.svd(A, compute_uv=False)
        if s.size == 0:
            return 0
        return int((s > cutoff(s, A, tol)).sum())
    return impl


@register_jitable
def _any_nonzero(a):
    for value in _flat(a):
        if value != 0:
            return True
    return False


@overload(np.linalg.pinv)
def linalg_pinv(a, rcond=None, hermitian=False):
    if not require_matrix(a, "pinv"):
        return None
    dt = work_dtype(a, name="pinv")
    if _option(rcond, None) is None:
        relative = register_jitable(lambda rcond: 1e-15)
    else:
        relative = register_jitable(lambda rcond: rcond)

    def impl(a, rcond=None, hermitian=False):
        m, n = a.shape
        out = np.zeros((m, n), dt).T
        if m == 0 or n == 0:
            return out
        u, s, vt = np.linalg.svd(a, full_matrices=False)
        cutoff = relative(rcond) * s.max()
        for p in range(s.size):
            if s[p] > cutoff:
                scale = 1 / s[p]
                for i in range(n):
                    for j in range(m):
                        out[i, j] += conjugate(vt[p, i]) * scale * conjugate(u[j, p])
        return out
    return impl


@overload(np.linalg.matrix_power)
def linalg_matrix_power(a, n):
    if not require_matrix(a, "matrix_power") or not isinstance(n, types.Integer):
        return None
    dt = as_dtype(a.dtype)
    invertible = dt.kind in "fc"

    def impl(a, n):
        check_square(a)
        if n < 0 and not invertible:
            raise TypeError("matrix_power() of an integer matrix to a negative power is not "
                            "supported in compiled code")
        base = a.astype(dt)
        if n < 0:
            base = np.linalg.inv(a).astype(dt)
        result = np.zeros(a.shape, dt)
        for i in range(a.shape[0]):
            result[i, i] = 1
        power = abs(n)
        while power > 0:
            if power & 1:
                result = result @ base
            power >>= 1
            if power:
                base = base @ base
        return result
    return impl
