"""Array attributes and shape methods: shape, size, ndim, dtype, T, strides, itemsize, nbytes,
len(), reshape(), copy()."""
from __future__ import annotations

from ... import types
from ...lowering.registry import VarArg
from ...core import cgutils
from .._registries import (AbstractTemplate, AttributeTemplate, bound_function, lower_builtin,
                           lower_getattr, register, register_attr)
from .construction import copy_elements, parse_dtype, parse_shape, shape_values
from .helpers import (allocate_array, const, contiguous_strides, make_array, shape_of,
                      strides_of)
from .model import as_dtype, fill_array


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
        return ty.copy(layout=layout)

    @bound_function("array.copy")
    def resolve_copy(self, ty, args, kws):
        return None if args or kws else types.signature(ty.copy(layout="C"))

    @bound_function("array.reshape")
    def resolve_reshape(self, ty, args, kws):
        if kws or not args:
            return None
        if len(args) == 1 and parse_shape(args[0]) is not None:
            ndim = parse_shape(args[0])
        elif all(isinstance(types.unliteral(a), types.Integer) for a in args):
            ndim = len(args)
        else:
            return None
        return types.signature(types.Array(ty.dtype, ndim, "C"), *args)


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


@lower_builtin("array.reshape", types.Array, VarArg(types.Any))
def reshape_impl(context, builder, sig, args):
    """A C-contiguous view with the new shape (one extent may be -1); ValueError otherwise."""
    srcty, outty = sig.recvr, sig.return_type
    src = make_array(context, builder, srcty, args[0])
    if len(sig.args) == 1 and parse_shape(sig.args[0]) is not None:
        extents = shape_values(context, builder, sig.args[0], args[1])
    else:
        extents = [context.cast(builder, v, t, types.intp) for v, t in zip(args[1:], sig.args)]
    extents = _infer_minus_one(context, builder, extents, src.nitems)
    itemsize = as_dtype(srcty.dtype).itemsize
    if srcty.layout != "C":
        _require_c_contiguous(context, builder, src, srcty, itemsize)
    out = make_array(context, builder, outty)
    fill_array(context, builder, out, src.data, extents,
               contiguous_strides(builder, extents, itemsize), outty, meminfo=src.meminfo,
               parent=src.parent, nitems=src.nitems)
    context.incref(builder, srcty, args[0])
    return out._getvalue()


def _infer_minus_one(context, builder, extents, nitems):
    known = const(1)
    for e in extents:
        known = builder.select(builder.icmp_signed("==", e, const(-1)), known, builder.mul(known, e))
    safe_known = builder.select(cgutils.is_null(builder, known), const(1), known)
    missing = builder.sdiv(nitems, safe_known)
    extents = [builder.select(builder.icmp_signed("==", e, const(-1)), missing, e) for e in extents]
    total = const(1)
    for e in extents:
        total = builder.mul(total, e)
    with cgutils.if_unlikely(builder, builder.icmp_signed("!=", total, nitems)):
        context.call_conv.return_user_exc(builder, ValueError, (
            "cannot reshape array: the total size must stay the same",))
    return extents


def _require_c_contiguous(context, builder, src, srcty, itemsize):
    expected = contiguous_strides(builder, shape_of(builder, src, srcty.ndim), itemsize)
    ok = cgutils.true_bit
    for got, want, extent in zip(strides_of(builder, src, srcty.ndim), expected,
                                 shape_of(builder, src, srcty.ndim)):
        same = builder.or_(builder.icmp_signed("==", got, want),
                           builder.icmp_signed("==", extent, const(1)))
        ok = builder.and_(ok, same)
    with cgutils.if_unlikely(builder, builder.not_(ok)):
        context.call_conv.return_user_exc(builder, NotImplementedError, (
            "reshape() of a non-contiguous array; call .copy() first",))



@bound_function("array.astype")
def _resolve_astype(self, ty, args, kws):
    dtype = parse_dtype(args[0]) if len(args) == 1 and not kws else None
    return types.signature(ty.copy(dtype=dtype, layout="C"), args[0]) if dtype else None


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
