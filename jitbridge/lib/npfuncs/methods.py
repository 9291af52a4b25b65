"""Array methods without a function of their own elsewhere: fill, item, conj/conjugate, dot,
tobytes; np.real / np.imag; np.dtype(...) as a value and dtype comparison."""
from __future__ import annotations

import operator

import numpy as np

from ... import types
from ...core import cgutils
from ...errors import TypingError
from ...extending import intrinsic, overload, overload_method
from .._registries import AbstractTemplate, lower_builtin, register, register_global
from ..arrays.attributes import dtype_argument
from ..arrays.helpers import make_array
from ..arrays.model import as_dtype
from ..bytes import _make as make_bytes

Scalar = (types.Number, types.Boolean)


@overload_method(types.Array, "fill")
def array_fill(a, value):
    if not isinstance(value, Scalar) or a.readonly:
        return None

    def impl(a, value):
        flat = a.flat
        for i in range(a.size):
            flat[i] = value
    return impl


@overload_method(types.Array, "item")
def array_item(a):
    def impl(a):
        if a.size != 1:
            raise ValueError("item(): can only convert an array of size 1 to a Python scalar")
        return a.flat[0]
    return impl


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


# -- np.dtype(spec): a compile-time dtype value; dtypes compare at compile time ----------------

class DTypeConstructor(AbstractTemplate):
    key = np.dtype

    def generic(self, args, kws):
        dtype = dtype_argument(args[0]) if len(args) == 1 and not kws else None
        return None if dtype is None else types.signature(types.DType(dtype), args[0])


class DTypeCompare(AbstractTemplate):
    def generic(self, args, kws):
        if len(args) == 2 and all(isinstance(a, types.DType) for a in args):
            return types.signature(types.boolean, *args)
        return None


class DTypeEq(DTypeCompare):
    key = operator.eq


class DTypeNe(DTypeCompare):
    key = operator.ne


for _template in (DTypeConstructor, DTypeEq, DTypeNe):
    register(_template)
register_global(np.dtype, types.Function(np.dtype))


@lower_builtin(np.dtype, types.Any)
def dtype_constructor_impl(context, builder, sig, args):
    return context.get_dummy_value()


def _same_dtype(sig) -> bool:
    return as_dtype(sig.args[0].dtype) == as_dtype(sig.args[1].dtype)


@lower_builtin(operator.eq, types.DType, types.DType)
def dtype_eq_impl(context, builder, sig, args):
    return context.get_constant(types.boolean, _same_dtype(sig))


@lower_builtin(operator.ne, types.DType, types.DType)
def dtype_ne_impl(context, builder, sig, args):
    return context.get_constant(types.boolean, not _same_dtype(sig))


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
