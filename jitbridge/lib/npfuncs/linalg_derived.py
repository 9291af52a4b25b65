"""np.linalg functions built on the decompositions: norm, cond, matrix_rank, pinv,
matrix_power."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .common import conjugate, normalize_axis
from .linalg import check_not_empty, real_dtype, require_matrix, work_dtype
from .linalg import option as _option
from .linalg_products import _flat
from .manipulation import _tuple_set


# -- norm, cond, matrix_rank, pinv, matrix_power --------------------------------------------------

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
    if not isinstance(x, types.Array):
        return None
    keep = _option(keepdims, False)
    keep = keep.literal_value if isinstance(keep, types.BooleanLiteral) else keep
    if keep not in (True, False):
        raise TypingError(f"np.linalg.norm(): keepdims= must be a constant, not {keepdims}")
    dt = np.float64 if isinstance(x.dtype, (types.Integer, types.Boolean)) else \
        work_dtype(x, name="norm")  # (NumPy computes integer norms in float64)
    norm = _norm_over(x, _option(ord, None), _option(axis, None), dt, real_dtype(dt).type)
    if not keep:
        return lambda x, ord=None, axis=None, keepdims=False: norm(x.astype(dt), ord, axis)
    shape = _kept_shape(x, _option(axis, None))
    return lambda x, ord=None, axis=None, keepdims=False: np.asarray(
        norm(x.astype(dt), ord, axis)).reshape(shape(x.shape, axis))


def _norm_over(x, order, axis, dt, real):
    """norm(x, ord, axis) for `x` already in dtype `dt`, by the kind of `axis`."""
    if axis is None:
        return _whole_norm(x, order, real)
    if isinstance(axis, types.Integer):
        if isinstance(order, str):
            raise TypingError(f"np.linalg.norm(): invalid norm order {order!r} for vectors")
        line = register_jitable(lambda v, ord: _vector_norm(v, ord, real)) if order is not None \
            else register_jitable(lambda v, ord: _vector_norm(v, 2, real))
        return _norms_along(x.ndim, line, real)
    if isinstance(axis, types.BaseTuple) and len(axis) == 2 and \
            all(isinstance(t, types.Integer) for t in axis):
        if x.ndim < 2:
            raise TypingError("np.linalg.norm(): Improper number of dimensions to norm.")
        return _matrix_norms(x.ndim, _matrix_value(order, real), real)
    raise TypingError(f"np.linalg.norm(): axis must be None, an integer or a 2-tuple of "
                      f"integers, not {axis}")


def _whole_norm(x, order, real):
    """The norm of the whole array (axis=None): a vector or matrix norm by x.ndim (as
    Numba, 1-d and 2-d arrays only: NumPy flattens others for ord=None)."""
    require_matrix(x, "norm", (1, 2))
    if order is None or order == "fro" and x.ndim == 2:
        return register_jitable(lambda x, ord, axis: _vector_norm(_flat(x), 2, real))
    if order == "nuc" and x.ndim == 2:
        return register_jitable(lambda x, ord, axis: real(
            np.linalg.svd(x, compute_uv=False).sum()))
    if isinstance(order, str):
        raise TypingError(f"np.linalg.norm(): invalid norm order {order!r} for "
                          f"{x.ndim}-dimensional arrays")
    if x.ndim == 1:
        return register_jitable(lambda x, ord, axis: _vector_norm(x, ord, real))
    return register_jitable(lambda x, ord, axis: _matrix_norm(x, ord, real))


def _matrix_value(order, real):
    """value(matrix, ord): one matrix norm of the order `order` (a constant or a type)."""
    if order is None or order == "fro":
        return register_jitable(lambda m, ord: _vector_norm(_flat(m), 2, real))
    if order == "nuc":
        return register_jitable(lambda m, ord: real(np.linalg.svd(
            np.ascontiguousarray(m), compute_uv=False).sum()))
    if isinstance(order, str):
        raise TypingError(f"np.linalg.norm(): invalid norm order {order!r} for matrices")
    return register_jitable(lambda m, ord: _matrix_norm(m, ord, real))


def _norms_along(ndim, line, real):
    """Vector norms along one axis (the other axes kept; a scalar for a 1-d array)."""
    if ndim == 1:
        return register_jitable(lambda x, ord, axis: line(x[_checked_axis(axis, 1):], ord))

    def norms(x, ord, axis):
        lines = np.moveaxis(x, normalize_axis(axis, x.ndim), -1)
        rest = lines.shape[:-1]
        flat = np.ascontiguousarray(lines).reshape((_product(rest), lines.shape[-1]))
        out = np.empty(flat.shape[0], real)
        for i in range(flat.shape[0]):
            out[i] = line(flat[i], ord)
        return out.reshape(rest)
    return register_jitable(norms)


def _matrix_norms(ndim, value, real):
    """Matrix norms over two axes (rows, columns), the other axes kept."""
    def norms(x, ord, axis):
        rows, cols = normalize_axis(axis[0], x.ndim), normalize_axis(axis[1], x.ndim)
        if rows == cols:
            raise ValueError("Duplicate axes given.")
        moved = np.moveaxis(np.moveaxis(x, rows, -1), cols - (cols > rows), -1)
        if ndim == 2:
            return value(moved, ord)
        rest = moved.shape[:-2]
        count, m, n = _product(rest), moved.shape[-2], moved.shape[-1]
        stack = np.ascontiguousarray(moved).reshape((count, m, n))
        out = np.empty(count, real)
        for i in range(count):
            out[i] = value(stack[i], ord)
        return np.asarray(out).reshape(rest)
    return register_jitable(norms)


@register_jitable
def _checked_axis(axis, ndim):
    normalize_axis(axis, ndim)
    return 0


@register_jitable
def _product(shape):
    total = 1
    for extent in shape:
        total *= extent
    return total


def _kept_shape(x, axis):
    """shape(x.shape, axis): the norm's shape with keepdims=True (1 at the reduced axes)."""
    if axis is None:
        ones = (1,) * x.ndim
        return register_jitable(lambda shape, axis: ones)
    if isinstance(axis, types.Integer):
        return register_jitable(lambda shape, axis: _tuple_set(
            shape, normalize_axis(axis, len(shape)), 1))
    return register_jitable(lambda shape, axis: _tuple_set(_tuple_set(
        shape, normalize_axis(axis[0], len(shape)), 1), normalize_axis(axis[1], len(shape)), 1))


@overload(np.linalg.cond)
def linalg_cond(x, p=None):
    if not require_matrix(x, "cond"):
        return None
    real = real_dtype(work_dtype(x, name="cond")).type
    if _option(p, None) is None:
        return lambda x, p=None: _ratio_of_singular_values(x, False, real)

    def impl(x, p=None):
        check_not_empty(x)
        if p == 2 or p == -2:
            return _ratio_of_singular_values(x, p < 0, real)
        result = real(np.linalg.norm(x, p) * np.linalg.norm(np.linalg.inv(x), p))
        return real(np.inf) if np.isnan(result) else result
    return impl


@register_jitable
def _ratio_of_singular_values(x, smallest_first, real):
    """The 2-norm condition number (or its inverse); a zero singular value gives inf, as
    NumPy's (it turns the 0/0 of a zero matrix into inf too)."""
    s = np.linalg.svd(x, compute_uv=False)
    top, bottom = (s[-1], s[0]) if smallest_first else (s[0], s[-1])
    return real(np.inf) if bottom == 0 else real(top / bottom)


@overload(np.linalg.matrix_rank)
def linalg_matrix_rank(A, tol=None, hermitian=False):
    if not require_matrix(A, "matrix_rank", (1, 2)):
        return None
    eps = float(np.finfo(real_dtype(work_dtype(A, name="matrix_rank"))).eps)
    if A.ndim == 1:
        return lambda A, tol=None, hermitian=False: int(_any_nonzero(A))
    if _option(tol, None) is None:
        cutoff = register_jitable(lambda s, A, tol: s.max() * max(A.shape) * eps)
    else:
        cutoff = register_jitable(lambda s, A, tol: tol)

    def impl(A, tol=None, hermitian=False):
        s = np.linalg.svd(A, compute_uv=False)
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
    if not require_matrix(a, "matrix_power"):
        return None
    dt = work_dtype(a, name="matrix_power")
    if not isinstance(n, types.Integer):
        raise TypingError(f"np.linalg.matrix_power(): the exponent must be an integer, not {n}")

    def impl(a, n):
        if a.shape[0] != a.shape[1]:
            raise np.linalg.LinAlgError("input must be a square array")
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
