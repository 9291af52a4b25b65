"""Array methods without a function of their own elsewhere: fill, item, conj/conjugate, dot,
tobytes; np.real / np.imag. (dtypes as values are lib/arrays/dtypes.py's; np.frombuffer is
lib/arrays/buffers.py's.)"""
from __future__ import annotations

import numpy as np

from ... import types
from ...core import cgutils
from ...errors import TypingError
from ...extending import intrinsic, overload, overload_method, register_jitable
from ..arrays.helpers import make_array
from ..arrays.model import as_dtype
from ..bytes import _make as make_bytes
from .manip_arity import fixed_arity

Scalar = (types.Number, types.Boolean)


@overload_method(types.Array, "fill")
def array_fill(a, value):
    if not isinstance(value, Scalar) or a.readonly:
        return None
    if isinstance(value, types.Complex) and not isinstance(a.dtype, types.Complex):
        raise TypingError(f"fill(): cannot fill an array of {a.dtype} with {value} "
                          f"(NumPy: a TypeError)")

    def impl(a, value):
        flat = a.flat
        for i in range(a.size):
            flat[i] = value
    return impl


# -- ndarray.item(*index): NumPy's flat or multi-index, with its errors -------------------------

@register_jitable
def _only_item(a):
    if a.size != 1:
        raise ValueError("can only convert an array of size 1 to a Python scalar")
    return a.flat[0]


# (constant messages: formatting the index into them would triple the compile time)

@register_jitable
def _flat_item(a, i):
    n = a.size
    if i < -n or i >= n:
        raise IndexError("index is out of bounds for the size of the array")
    return a.flat[i + n if i < 0 else i]


@register_jitable
def _multi_item(a, index):
    """The item at `index` (a tuple of intp, one per axis), found by its C-order flat index."""
    flat = 0
    for axis in range(a.ndim):
        i, n = index[axis], a.shape[axis]
        if i < -n or i >= n:
            raise IndexError("index is out of bounds for an axis of the array")
        flat = flat * n + (i + n if i < 0 else i)
    return a.flat[flat]


def _as_index(i):
    """An index as intp: a uint64 beyond intp's range is out of bounds of any array."""


@overload(_as_index)
def _as_index_impl(i):
    if isinstance(i, types.Integer) and not i.signed and i.bitwidth == 64:
        def impl(i):
            if i >> np.uint64(63):
                raise IndexError("index is out of bounds for the size of the array")
            return np.intp(i)
        return impl
    return lambda i: np.intp(i)


def _is_index(ty) -> bool:
    return isinstance(types.unliteral(ty), types.Integer)  # NumPy refuses bools and floats


def _item_impl(a, index):
    """The implementation of a.item(*index) for the index argument types, or a TypingError."""
    if len(index) == 1 and isinstance(index[0], types.BaseTuple):
        inner = index[0]
        if len(inner) == 0:
            return lambda a, index: _only_item(a)
        return lambda a, index: _item_of(a, *index)
    if not index:
        return _only_item
    if not all(_is_index(t) for t in index):
        raise TypingError(f"item(): an integer is required, not {', '.join(map(str, index))}")
    if len(index) == 1:
        return lambda a, i: _flat_item(a, _as_index(i))
    if len(index) != a.ndim:
        raise TypingError(f"item(): incorrect number of indices for array: {len(index)} "
                          f"for a {a.ndim}-d array")
    return fixed_arity("return multi(a, EACH(as_index(@)))", ("a",), len(index),
                       {"multi": _multi_item, "as_index": _as_index})


@overload_method(types.Array, "item")
def array_item(a, *index):
    return _item_impl(a, index)


def _item_of(a, *index):  # a.item((i, j)) as a.item(i, j)
    pass


@overload(_item_of)
def _item_of_impl(a, *index):
    return _item_impl(a, index)


@overload_method(types.Number, "item")
@overload_method(types.Boolean, "item")
def scalar_item(x):
    return lambda x: x


def _conjugate(a):
    if not isinstance(a, types.Array) or not isinstance(a.dtype, Scalar):
        return None
    if not isinstance(a.dtype, types.Complex):
        return lambda a: a  # NumPy returns a real array itself

    def impl(a):
        out = np.empty(a.shape, a.dtype)
        flat = out.flat
        for i, v in enumerate(a.flat):
            flat[i] = v.conjugate()
        return out
    return impl


overload_method(types.Array, "conj")(_conjugate)
overload_method(types.Array, "conjugate")(_conjugate)


@overload_method(types.Array, "dot")
def array_dot(a, b):
    return lambda a, b: np.dot(a, b)


@overload(np.real)
def np_real(x):
    if isinstance(x, (types.Array, *Scalar)):
        return lambda x: x.real


@overload(np.imag)
def np_imag(x):
    if isinstance(x, (types.Array, *Scalar)):
        return lambda x: x.imag


# -- tobytes ----------------------------------------------------------------------------------

@intrinsic
def _bytes_owning(typingctx, raw):
    """bytes sharing the data of a fresh uint8 array, which it keeps alive."""
    if not (isinstance(raw, types.Array) and raw.ndim == 1 and raw.dtype == types.uint8):
        return None

    def codegen(context, builder, sig, args):
        ary = make_array(context, builder, sig.args[0], args[0])
        context.incref(builder, sig.args[0], args[0])  # the bytes' reference to the memory
        data = builder.bitcast(ary.data, cgutils.voidptr_t)
        return make_bytes(context, builder, data, ary.nitems, ary.meminfo)
    return types.bytes_type(raw), codegen


@overload_method(types.Array, "tobytes")
def array_tobytes(a, order="C"):
    if not (isinstance(order, types.Omitted) or
            isinstance(order, types.StringLiteral) and order.literal_value == "C"):
        raise TypingError('ndarray.tobytes(): only order="C" is supported')
    size = as_dtype(a.dtype).itemsize

    def impl(a, order="C"):
        items = np.ascontiguousarray(a).reshape(a.size)
        raw = np.empty(a.size * size, np.uint8)
        raw[:] = items.view(np.uint8)
        return _bytes_owning(raw)
    return impl
