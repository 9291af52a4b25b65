"""`@`/np.matmul with a stacked operand (more than two dimensions): NumPy's broadcasting of the
leading (batch) dimensions, one BLAS gemm (or loop) per matrix of the result."""
from __future__ import annotations

import operator

import numpy as np

from ... import types
from ...extending import intrinsic, overload, register_jitable
from ..arrays.helpers import make_array, shape_of
from ..arrays.model import as_dtype
from .linalg_products import product_dtype, product_into


@intrinsic
def _batch_shape(typingctx, x, y):
    """The broadcast of the batch dimensions of stacks x and y (mismatches are checked by
    _batch_index), as a tuple."""
    count = max(x.ndim, y.ndim) - 2
    tuple_type = types.UniTuple(types.intp, count)

    def codegen(context, builder, sig, args):
        one = context.get_constant(types.intp, 1)
        shapes = [_padded(shape_of(builder, make_array(context, builder, t, v), t.ndim)[:-2],
                          count, one) for t, v in zip(sig.args, args)]
        dims = [builder.select(builder.icmp_signed("==", dy, one), dx, dy)
                for dx, dy in zip(*shapes)]
        return context.make_tuple(builder, tuple_type, dims)
    return tuple_type(x, y), codegen


def _padded(dims, count, one):
    return [one] * (count - len(dims)) + list(dims)


@register_jitable
def _batch_dims(shape, count):
    """An operand's batch dimensions, padded in front with ones to `count`."""
    out = np.ones(count, np.intp)
    lead = len(shape) - 2
    for i in range(lead):
        out[count - lead + i] = shape[i]
    return out


@register_jitable
def _check_broadcast(xs, ys):
    for d in range(xs.size):
        if xs[d] != ys[d] and xs[d] != 1 and ys[d] != 1:
            raise ValueError("'@': operands could not be broadcast together (batch dimensions)")


@register_jitable
def _source(t, dims, full):
    """The index, in a C stack with batch dimensions `dims`, of result matrix t (batch
    dimensions `full`): broadcast dimensions of one repeat their only matrix."""
    index, step = 0, 1
    for d in range(full.size - 1, -1, -1):
        position = t % full[d]
        t //= full[d]
        if dims[d] != 1:
            index += position * step
        step *= dims[d]
    return index


def _lift(ty, dt, as_row):
    """The operand as a C stack (at least 2-D) of dtype dt: vectors become one row/column."""
    if ty.ndim == 1:
        shape = (lambda v: (1, v.shape[0])) if as_row else (lambda v: (v.shape[0], 1))
        shape = register_jitable(shape)
        return register_jitable(lambda v: np.ascontiguousarray(v.astype(dt)).reshape(shape(v)))
    if as_dtype(ty.dtype) == dt:
        return register_jitable(lambda v: np.ascontiguousarray(v))
    return register_jitable(lambda v: np.ascontiguousarray(v.astype(dt)))


def stacked_product(a, b):
    """The implementation of `a @ b` when an operand is a stack of matrices, or None."""
    if not (isinstance(a, types.Array) and isinstance(b, types.Array)):
        return None
    if max(a.ndim, b.ndim) <= 2 or min(a.ndim, b.ndim) < 1:
        return None
    dt = product_dtype("'@'", a, b)
    into, count = product_into(dt), max(a.ndim, b.ndim) - 2
    left, right = _lift(a, dt, True), _lift(b, dt, False)
    finish = _finisher(a.ndim, b.ndim)

    def impl(a, b):
        x, y = left(a), right(b)
        m, k, n = x.shape[-2], x.shape[-1], y.shape[-1]
        if y.shape[-2] != k:
            raise ValueError("'@': incompatible array sizes")
        xs, ys = _batch_dims(x.shape, count), _batch_dims(y.shape, count)
        _check_broadcast(xs, ys)
        batch = _batch_shape(x, y)
        out = np.empty(batch + (m, n), dt)
        stack_x, stack_y = x.reshape((-1, m, k)), y.reshape((-1, k, n))
        stack_out, full = out.reshape((-1, m, n)), _batch_dims(out.shape, count)
        for t in range(stack_out.shape[0]):
            into(stack_x[_source(t, xs, full)], stack_y[_source(t, ys, full)], stack_out[t])
        return finish(out, batch)
    return impl


def _finisher(ndim_a, ndim_b):
    """Drops the unit dimension a vector operand added to the result."""
    if ndim_a == 1:
        return register_jitable(lambda out, batch: out.reshape(batch + (out.shape[-1],)))
    if ndim_b == 1:
        return register_jitable(lambda out, batch: out.reshape(batch + (out.shape[-2],)))
    return register_jitable(lambda out, batch: out)


@overload(operator.matmul)
def op_matmul_stacked(a, b):
    return stacked_product(a, b)


@overload(np.matmul)
def np_matmul_stacked(a, b):
    return stacked_product(a, b)
