"""The dot family: np.dot/`@`/np.matmul with a 2-D or stacked operand (BLAS gemm for float and
complex, a loop for other numbers; 1-D pairs are lowered in arrays/reductions.py), vdot's and
dot's `out=`, outer, inner, kron and trace."""
from __future__ import annotations

import operator

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .generated import generate
from .linalg import PREFIX, ld, option, routine


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


def product_dtype(name, *arrays):
    """The result dtype: NumPy's promotion, mixed float and complex precisions included
    (Numba refuses those; the operands are converted to the common dtype before BLAS)."""
    return np.result_type(*(as_dtype(a.dtype) for a in arrays))


@register_jitable
def _loop_product(x, y, out):
    for i in range(x.shape[0]):
        for p in range(x.shape[1]):
            xv = x[i, p]
            for j in range(y.shape[1]):
                out[i, j] += xv * y[p, j]


def product_into(dt):
    """into(x, y, out): out[:, :] = x @ y, for C/F matrices x and y of dtype `dt` and a
    C-contiguous `out` (BLAS gemm for float and complex, a loop for other numbers)."""
    if dt in PREFIX:
        routine(dt, "gemm", info=False)  # SciPy's absence is a typing error
        return _gemm

    def into(x, y, out):
        out[:, :] = 0
        _loop_product(x, y, out)
    return register_jitable(into)


def _matrices(a, b, dt, name):
    """pair(a, b) -> (x, y): the operands as aligned C/F matrices of dtype `dt`."""
    left, right = (register_jitable(_operand(*args)) for args in ((a, dt, True), (b, dt, False)))
    message = f"{name}: incompatible array sizes"

    def pair(a, b):
        x, y = left(a), right(b)
        if x.shape[1] != y.shape[0]:
            raise ValueError(message)
        return x, y
    return register_jitable(pair)


def matrix_product(a, b, name):
    """The implementation of a product with a 2-D operand (1-D/2-D pairs), or None."""
    if not (isinstance(a, types.Array) and isinstance(b, types.Array)):
        return None
    if (a.ndim, b.ndim) not in ((2, 2), (2, 1), (1, 2)):
        return None
    dt = product_dtype(name, a, b)
    pair, into = _matrices(a, b, dt, name), product_into(dt)

    def product(a, b):
        x, y = pair(a, b)
        out = np.empty((x.shape[0], y.shape[1]), dt)
        into(x, y, out)
        return out
    return _shaped(register_jitable(product), a.ndim, b.ndim)


def _shaped(product, ndim_a, ndim_b):
    if ndim_a == 1:
        return lambda a, b: product(a, b).reshape((b.shape[1],))
    if ndim_b == 1:
        return lambda a, b: product(a, b).reshape((a.shape[0],))
    return product


def _product_out(a, b, out, name):
    """np.dot(a, b, out=out) with a 2-D operand: the product written to `out`, which must have
    the result's dtype and shape (a C-contiguous `out` is written by BLAS directly), or None."""
    arrays = all(isinstance(t, types.Array) for t in (a, b, out))
    if not arrays or (a.ndim, b.ndim) not in ((2, 2), (2, 1), (1, 2)):
        return None
    if out.ndim != (2 if a.ndim == b.ndim else 1):
        return None
    dt = product_dtype(name, a, b)
    if as_dtype(out.dtype) != dt:  # NumPy refuses any other output dtype
        raise TypingError(f"{name}: the output array must have the result's dtype {dt}, "
                          f"not {as_dtype(out.dtype)}")
    pair, into = _matrices(a, b, dt, name), product_into(dt)
    message = f"{name}: incompatible output array size"
    fits = register_jitable((lambda out, m, n: out.shape[0] == m and out.shape[1] == n)
                            if out.ndim == 2 else (lambda out, m, n: out.shape[0] == m * n))
    store = register_jitable(_direct_store if out.layout == "C" else _buffered_store)

    def impl(a, b, out=None):
        x, y = pair(a, b)
        if not fits(out, x.shape[0], y.shape[1]):
            raise ValueError(message)
        store(into, x, y, out)
        return out
    return impl


def _direct_store(into, x, y, out):
    into(x, y, out.reshape((x.shape[0], y.shape[1])))


def _buffered_store(into, x, y, out):
    result = np.empty((x.shape[0], y.shape[1]), out.dtype)
    into(x, y, result)
    flat = result.reshape(result.size)
    if out.ndim == 1:
        for i in range(out.shape[0]):
            out[i] = flat[i]
    else:
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] = result[i, j]


@overload(np.dot)
def np_dot(a, b, out=None):
    if option(out, None) is not None:
        return _product_out(a, b, out, "np.dot()")
    impl = matrix_product(a, b, "np.dot()")
    if impl is None:
        return None
    impl = register_jitable(impl)
    return lambda a, b, out=None: impl(a, b)


@overload(operator.matmul)
def op_matmul(a, b):
    return matrix_product(a, b, "'@'")


@overload(np.matmul)
def np_matmul(a, b):
    if isinstance(a, types.Array) and isinstance(b, types.Array) and a.ndim == b.ndim == 1:
        return lambda a, b: a @ b
    return matrix_product(a, b, "np.matmul()")


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
    if option(out, None) is None:
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
    if not _array_or_scalar(a, b):
        return None
    dt = np.result_type(_dtype_of(a), _dtype_of(b))
    if not isinstance(a, types.Array) and not isinstance(b, types.Array):
        scalar = dt.type
        return lambda a, b: scalar(a * b)  # NumPy's kron of two scalars is their product
    ndims = [getattr(t, "ndim", 1) for t in (a, b)]  # a scalar acts as one item
    ndim = max(ndims)
    if ndim > 2:
        return _kron_nd(getattr(a, "ndim", 0), getattr(b, "ndim", 0), ndim)

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


def _kron_nd(andim: int, bndim: int, ndim: int):
    """np.kron of arrays of 3 or more dimensions, as NumPy computes it: the outer product of
    the items, its axes interleaved (each shape padded with leading 1s to `ndim`)."""
    def extents(name, own):
        return [("1" if k < ndim - own else f"{name}.shape[{k - ndim + own}]")
                for k in range(ndim)]
    xs, ys = extents("x", andim), extents("y", bndim)
    interleaved = ", ".join(f"{k}, {ndim + k}" for k in range(ndim))
    body = "\n".join([
        "x = np.asarray(a)", "y = np.asarray(b)",
        f"o = np.outer(x.ravel(), y.ravel()).reshape(({', '.join(xs + ys)},))",
        f"t = np.ascontiguousarray(o.transpose(({interleaved},)))",
        f"return t.reshape(({', '.join(f'{u} * {v}' for u, v in zip(xs, ys))},))"])
    return generate("a, b", body, {"np": np})


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




@overload(np.vdot)
def np_vdot_flattened(a, b):
    """np.vdot of arrays of more than one dimension: NumPy flattens both (sizes must match)."""
    if not (isinstance(a, types.Array) and isinstance(b, types.Array)) or \
            min(a.ndim, b.ndim) < 1 or max(a.ndim, b.ndim) < 2:
        return None
    return lambda a, b: np.vdot(a.ravel(), b.ravel())
