"""gen_shuffle: Generator.shuffle and Generator.permutation in compiled code.

NumPy's Fisher-Yates: for i from n-1 down to 1, swap item i with item `random_interval(i)`,
a masked-rejection draw on 32 bits when i fits them, else 64. An n-d array is shuffled along
`axis` as whole sub-arrays; `permutation` of an n-d array shuffles an index vector and gathers,
so it draws even when the sub-arrays are empty, as NumPy does.
"""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload_method, register_jitable
from .state import mask_of
from .gen_common import check_int, type_error
from .gen_core import NumPyRandomGeneratorType, next_u32, next_u64

U64 = np.uint64
MAX32 = U64(0xffffffff)


@register_jitable
def random_interval(g, top_int):
    """Uniform in [0, top] by masked rejection (NumPy's random_interval)."""
    top = U64(top_int)
    if top == U64(0):
        return 0
    mask = mask_of(top)
    if top <= MAX32:
        value = next_u32(g) & mask
        while value > top:
            value = next_u32(g) & mask
    else:
        value = next_u64(g) & mask
        while value > top:
            value = next_u64(g) & mask
    return np.intp(value)


@register_jitable
def _axis(axis, ndim):
    if axis < -ndim or axis >= ndim:
        raise np.exceptions.AxisError(axis, ndim)
    return axis + ndim if axis < 0 else axis


@register_jitable
def shuffle_items(g, x):
    for i in range(x.shape[0] - 1, 0, -1):
        j = random_interval(g, i)
        x[i], x[j] = x[j], x[i]


@register_jitable
def shuffle_subarrays(g, x):
    """Shuffle the sub-arrays x[i] (x at least 2-d)."""
    buf = np.empty_like(x[0])
    for i in range(x.shape[0] - 1, 0, -1):
        j = random_interval(g, i)
        if i != j:
            buf[...] = x[j]
            x[j] = x[i]
            x[i] = buf


def _check_array(fname, x, axis):
    check_int(fname, axis=axis)
    if not isinstance(x, types.Array):
        raise type_error(fname, "x", x, "[Array]")


@overload_method(NumPyRandomGeneratorType, "shuffle")
def gen_shuffle(gen, x, axis=0):
    _check_array("shuffle", x, axis)
    if x.readonly:
        raise TypingError("Generator.shuffle(): the array is read-only")
    if x.ndim == 1:
        def impl_1d(gen, x, axis=0):
            _axis(axis, 1)
            shuffle_items(gen, x)
        return impl_1d

    def impl(gen, x, axis=0):
        ax = _axis(axis, x.ndim)
        if x.size != 0:
            shuffle_subarrays(gen, np.swapaxes(x, 0, ax))
    return impl


@overload_method(NumPyRandomGeneratorType, "permutation")
def gen_permutation(gen, x, axis=0):
    check_int("permutation", axis=axis)
    if isinstance(x, types.Integer) and not isinstance(x, types.Boolean):
        def from_int(gen, x, axis=0):
            out = np.arange(x)
            shuffle_items(gen, out)
            return out
        return from_int
    _check_array("permutation", x, axis)
    if x.ndim == 0:
        def zero_dim(gen, x, axis=0):
            raise np.exceptions.AxisError(0, 0)
        return zero_dim
    if x.ndim == 1:
        def impl_1d(gen, x, axis=0):
            _axis(axis, 1)
            out = x.copy()
            shuffle_items(gen, out)
            return out
        return impl_1d

    def impl(gen, x, axis=0):
        ax = _axis(axis, x.ndim)
        order = np.arange(x.shape[ax])
        shuffle_items(gen, order)
        out = np.empty_like(x)
        src = np.swapaxes(x, 0, ax)
        dst = np.swapaxes(out, 0, ax)
        for k in range(order.shape[0]):
            dst[k] = src[order[k]]
        return out
    return impl
