"""Array attributes and shape methods: shape, size, ndim, dtype (boxed to the NumPy dtype), T,
strides, itemsize, nbytes, real/imag, flags, ctypes, len(), copy(), astype(), view().
reshape() is npfuncs/manip_reshape.py's."""
from __future__ import annotations

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...errors import TypingError
from ...runtime.boxing import box
from .._registries import (AbstractTemplate, AttributeTemplate, bound_function, lower_builtin,
                           lower_getattr, register, register_attr)
from .construction import copy_elements, parse_dtype
from .helpers import allocate_array, const, make_array, shape_of, strides_of
from .model import as_dtype, fill_array, from_dtype


@register_attr
class ArrayAttributes(AttributeTemplate):
    key = types.Array

    def resolve_shape(self, ty):
        return types.UniTuple(types.intp, ty.ndim)

    def resolve_strides(self, ty):
        return types.UniTuple(types.intp, ty.ndim)

    def resolve_size(self, ty):
        return types.intp

    def resolve_ndim(self, ty):
        return types.intp

    def resolve_itemsize(self, ty):
        return types.intp

    def resolve_nbytes(self, ty):
        return types.intp

    def resolve_dtype(self, ty):
        return types.DType(ty.dtype)

    def resolve_T(self, ty):
        layout = {"C": "F", "F": "C"}.get(ty.layout, "A") if ty.ndim > 1 else ty.layout
        return types.Array(ty.dtype, ty.ndim, layout, ty.readonly)  # a view: still read-only

    @bound_function("array.copy")
    def resolve_copy(self, ty, args, kws):
        return None if args or kws else types.signature(ty.copy(layout="C"))


@lower_getattr(types.Array, "shape")
def array_shape_impl(context, builder, ty, value, attr):
    return make_array(context, builder, ty, value).shape


@lower_getattr(types.Array, "strides")
def array_strides_impl(context, builder, ty, value, attr):
    return make_array(context, builder, ty, value).strides


@lower_getattr(types.Array, "size")
def array_size_impl(context, builder, ty, value, attr):
    return make_array(context, builder, ty, value).nitems


@lower_getattr(types.Array, "ndim")
def array_ndim_impl(context, builder, ty, value, attr):
    return const(ty.ndim)


@lower_getattr(types.Array, "itemsize")
def array_itemsize_impl(context, builder, ty, value, attr):
    return const(as_dtype(ty.dtype).itemsize)


@lower_getattr(types.Array, "nbytes")
def array_nbytes_impl(context, builder, ty, value, attr):
    ary = make_array(context, builder, ty, value)
    return builder.mul(ary.nitems, const(as_dtype(ty.dtype).itemsize))


@lower_getattr(types.Array, "dtype")
def array_dtype_impl(context, builder, ty, value, attr):
    return context.get_dummy_value()


@lower_getattr(types.Array, "T")
def array_transpose_impl(context, builder, ty, value, attr):
    """A view with reversed shape and strides (a new reference)."""
    src = make_array(context, builder, ty, value)
    out = make_array(context, builder, ty)
    fill_array(context, builder, out, src.data, shape_of(builder, src, ty.ndim)[::-1],
               strides_of(builder, src, ty.ndim)[::-1], ty, meminfo=src.meminfo,
               parent=src.parent, nitems=src.nitems)
    context.incref(builder, ty, value)
    return out._getvalue()


class ArrayLen(AbstractTemplate):
    key = len

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.Array):
            return types.signature(types.intp, args[0])
        return None


register(ArrayLen)


@lower_builtin(len, types.Array)
def array_len_impl(context, builder, sig, args):
    return builder.extract_value(make_array(context, builder, sig.args[0], args[0]).shape, 0)


def dtype_argument(ty):
    """The element type a dtype argument names (a class, a dtype, or a literal string as
    'float32'), or None."""
    if isinstance(ty, types.StringLiteral):
        try:
            return from_dtype(np.dtype(ty.literal_value))
        except TypeError:
            return None
    return parse_dtype(ty)


@bound_function("array.astype")
def _resolve_astype(self, ty, args, kws):
    """A new array in the source's order (NumPy's order='K': F stays F, others become C)."""
    dtype = dtype_argument(args[0]) if len(args) == 1 and not kws else None
    if dtype is None:
        return None
    if isinstance(dtype, types.Record) and dtype != ty.dtype:
        raise TypingError(f"astype(): cannot convert from {ty.dtype} to {dtype}")
    layout = "F" if ty.layout == "F" else "C"
    return types.signature(types.Array(dtype, ty.ndim, layout), args[0])


ArrayAttributes.resolve_astype = _resolve_astype


@lower_builtin("array.astype", types.Array, types.Any)
def astype_impl(context, builder, sig, args):
    """A new C-contiguous array with every element converted."""
    srcty, outty = sig.recvr, sig.return_type
    src = make_array(context, builder, srcty, args[0])
    shape = shape_of(builder, src, srcty.ndim)
    out = allocate_array(context, builder, outty, shape)
    copy_elements(context, builder, outty, out, srcty, src, shape)
    return out._getvalue()


# -- real / imag: views of complex arrays' parts; for other numbers NumPy's `a` and zeros ------

def _resolve_part(part: str):
    def resolve(self, ty):
        if isinstance(ty.dtype, types.Complex):
            return types.Array(ty.dtype.underlying_float, ty.ndim, "A", ty.readonly)
        if not isinstance(ty.dtype, (types.Number, types.Boolean)):
            raise TypingError(f"cannot access .{part} of array of {ty.dtype}")
        return ty if part == "real" else _zeros_type(ty)
    return resolve


def _zeros_type(ty):
    """NumPy's `.imag` of a real array: read-only zeros in the array's order."""
    return types.Array(ty.dtype, ty.ndim, "F" if ty.layout == "F" else "C", readonly=True)


@register_attr
class ArrayPartAttributes(AttributeTemplate):
    """Before record fields: `.real` of a record array is an error (as Numba), whatever its
    fields are named."""
    key = types.Array
    priority = 1
    resolve_real = _resolve_part("real")
    resolve_imag = _resolve_part("imag")


def _complex_part_view(context, builder, ty, value, byte_offset: int):
    """A view of every element's float part at `byte_offset` (a new reference)."""
    src = make_array(context, builder, ty, value)
    outty = types.Array(ty.dtype.underlying_float, ty.ndim, "A", ty.readonly)
    data = builder.gep(builder.bitcast(src.data, cgutils.voidptr_t), [const(byte_offset)])
    out = make_array(context, builder, outty)
    fill_array(context, builder, out, data, shape_of(builder, src, ty.ndim),
               strides_of(builder, src, ty.ndim), outty, meminfo=src.meminfo,
               parent=src.parent, nitems=src.nitems)
    context.incref(builder, ty, value)
    return out._getvalue()


@lower_getattr(types.Array, "real")
def array_real_impl(context, builder, ty, value, attr):
    if isinstance(ty.dtype, types.Complex):
        return _complex_part_view(context, builder, ty, value, 0)
    context.incref(builder, ty, value)
    return value


@lower_getattr(types.Array, "imag")
def array_imag_impl(context, builder, ty, value, attr):
    if isinstance(ty.dtype, types.Complex):
        return _complex_part_view(context, builder, ty, value,
                                  as_dtype(ty.dtype.underlying_float).itemsize)
    src = make_array(context, builder, ty, value)
    outty = _zeros_type(ty)
    return allocate_array(context, builder, outty, shape_of(builder, src, ty.ndim),
                          zero=True)._getvalue()


# -- flags and ctypes: small objects over the array, with attribute access ----------------------

class ArrayFlagsType(types.Type):
    """`a.flags`: contiguity computed from the shape and strides, as NumPy does."""

    def __init__(self, array_type):
        self.array_type = array_type
        super().__init__(f"ArrayFlags({array_type})")

    @property
    def key(self):
        return self.array_type


class ArrayCTypesType(types.Type):
    """`a.ctypes`: `.data` is the address of the first element."""

    def __init__(self, array_type):
        self.array_type = array_type
        super().__init__(f"ArrayCTypes({array_type})")

    @property
    def key(self):
        return self.array_type


class _OverArrayModel(models.StructModel):
    """The array itself (a reference: the object keeps the array alive)."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("array", fe_type.array_type)])


register_model(ArrayFlagsType)(_OverArrayModel)
register_model(ArrayCTypesType)(_OverArrayModel)
ArrayAttributes.resolve_flags = lambda self, ty: ArrayFlagsType(ty)
ArrayAttributes.resolve_ctypes = lambda self, ty: ArrayCTypesType(ty)

_FLAGS = ("contiguous", "c_contiguous", "f_contiguous", "writeable", "aligned", "owndata")


@register_attr
class ArrayFlagsAttributes(AttributeTemplate):
    key = ArrayFlagsType

    def generic_resolve(self, ty, attr):
        return types.boolean if attr in _FLAGS else None


@register_attr
class ArrayCTypesAttributes(AttributeTemplate):
    key = ArrayCTypesType

    def resolve_data(self, ty):
        return types.uintp


@register_attr
class DTypeAttributes(AttributeTemplate):
    """`a.dtype.type`: the NumPy scalar class of the dtype (callable: `a.dtype.type(0)`)."""
    key = types.DType

    def resolve_type(self, ty):
        if isinstance(ty.dtype, (types.Number, types.Boolean)):
            return types.NumberClass(ty.dtype)
        return None


@lower_getattr(types.DType, "type")
def dtype_type_impl(context, builder, ty, value, attr):
    return context.get_dummy_value()  # (a class: known from the type alone)


@lower_getattr(types.Array, "flags")
@lower_getattr(types.Array, "ctypes")
def array_wrapper_impl(context, builder, ty, value, attr):
    context.incref(builder, ty, value)
    return context.make_tuple(builder, (ArrayFlagsType if attr == "flags" else
                                        ArrayCTypesType)(ty), [value])


@lower_getattr(ArrayCTypesType, "data")
def ctypes_data_impl(context, builder, ty, value, attr):
    ary = make_array(context, builder, ty.array_type, builder.extract_value(value, 0))
    return builder.ptrtoint(ary.data, cgutils.int64_t)


def is_contiguous(builder, aryty, ary, order: str):
    """i1: NumPy's flag: extents of 1 are ignored and an empty array is contiguous."""
    if aryty.layout == order or aryty.ndim == 0:
        return cgutils.true_bit
    shape, strides = shape_of(builder, ary, aryty.ndim), strides_of(builder, ary, aryty.ndim)
    axes = reversed(range(aryty.ndim)) if order == "C" else range(aryty.ndim)
    ok, expected, empty = cgutils.true_bit, const(as_dtype(aryty.dtype).itemsize), cgutils.false_bit
    for axis in axes:
        unit = builder.icmp_signed("==", shape[axis], const(1))
        matches = builder.icmp_signed("==", strides[axis], expected)
        ok = builder.and_(ok, builder.or_(unit, matches))
        empty = builder.or_(empty, builder.icmp_signed("==", shape[axis], const(0)))
        expected = builder.mul(expected, shape[axis])
    return builder.or_(ok, empty)


@lower_getattr(ArrayFlagsType, "contiguous")
@lower_getattr(ArrayFlagsType, "c_contiguous")
@lower_getattr(ArrayFlagsType, "f_contiguous")
def flags_contiguous_impl(context, builder, ty, value, attr):
    ary = make_array(context, builder, ty.array_type, builder.extract_value(value, 0))
    return is_contiguous(builder, ty.array_type, ary, "F" if attr == "f_contiguous" else "C")


@lower_getattr(ArrayFlagsType, "writeable")
@lower_getattr(ArrayFlagsType, "aligned")
@lower_getattr(ArrayFlagsType, "owndata")
def flags_constant_impl(context, builder, ty, value, attr):
    if attr == "owndata":  # owned memory, not a view of another array's
        ary = make_array(context, builder, ty.array_type, builder.extract_value(value, 0))
        return cgutils.is_null(builder, ary.parent)
    return ir.Constant(ir.IntType(1), attr == "aligned" or not ty.array_type.readonly)


# -- a.dtype as a value: boxed to the NumPy dtype ----------------------------------------------

@box(types.DType)
def box_dtype(typ, val, c):
    obj = c.pyapi.constant_object(as_dtype(typ.dtype), "dtype")
    c.pyapi.incref(obj)
    return obj


# -- a.view(dtype): the same bytes read as another dtype (NumPy >= 1.23's rules) ---------------

@bound_function("array.view")
def _resolve_view(self, ty, args, kws):
    dtype = dtype_argument(args[0]) if len(args) == 1 and not kws else None
    if dtype is None:
        return None
    same_size = as_dtype(dtype).itemsize == as_dtype(ty.dtype).itemsize
    layout = ty.layout if same_size else ("C" if ty.layout == "C" else "A")
    return types.signature(types.Array(dtype, ty.ndim, layout, ty.readonly), args[0])


ArrayAttributes.resolve_view = _resolve_view

_VIEW_ERRORS = {
    "0d": "Changing the dtype of a 0d array is only supported if the itemsize is unchanged",
    "contiguous": "To change to a dtype of a different size, the last axis must be contiguous",
    "smaller": "When changing to a smaller dtype, its size must be a divisor of the size of "
               "original dtype",
    "larger": "When changing to a larger dtype, its size must be a divisor of the total size "
              "in bytes of the last axis of the array.",
}


def _raise_if(context, builder, cond, kind: str):
    with cgutils.if_unlikely(builder, cond):
        context.call_conv.return_user_exc(builder, ValueError, (_VIEW_ERRORS[kind],))


@lower_builtin("array.view", types.Array, types.Any)
def view_impl(context, builder, sig, args):
    srcty, outty = sig.recvr, sig.return_type
    src = make_array(context, builder, srcty, args[0])
    shape, strides = shape_of(builder, src, srcty.ndim), strides_of(builder, src, srcty.ndim)
    old, new = as_dtype(srcty.dtype).itemsize, as_dtype(outty.dtype).itemsize
    if old != new:
        shape, strides = _resized_last_axis(context, builder, src, shape, strides, old, new)
    out = make_array(context, builder, outty)
    fill_array(context, builder, out, src.data, shape, strides, outty, meminfo=src.meminfo,
               parent=src.parent)
    context.incref(builder, srcty, args[0])
    return out._getvalue()


def _resized_last_axis(context, builder, src, shape, strides, old: int, new: int):
    """Shape and strides once the last axis holds elements of `new` bytes instead of `old`."""
    if not shape:
        _raise_if(context, builder, cgutils.true_bit, "0d")
        return shape, strides
    last, stride = shape[-1], strides[-1]
    strided = builder.and_(builder.icmp_signed("!=", stride, const(old)),
                           builder.icmp_signed("!=", last, const(1)))
    _raise_if(context, builder, builder.and_(strided, cgutils.is_not_null(builder, src.nitems)),
              "contiguous")
    if new < old:
        _raise_if(context, builder, cgutils.true_bit if old % new else cgutils.false_bit,
                  "smaller")
        extent = builder.mul(last, const(old // new))
    else:
        nbytes = builder.mul(last, const(old))
        _raise_if(context, builder, cgutils.is_not_null(builder, builder.srem(nbytes, const(new))),
                  "larger")
        extent = builder.sdiv(nbytes, const(new))
    return [*shape[:-1], extent], [*strides[:-1], const(new)]
