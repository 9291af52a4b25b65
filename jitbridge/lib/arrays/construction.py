"""Array construction: np.empty/zeros/ones/full, *_like, arange, asarray, copy."""
from __future__ import annotations

import inspect

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...errors import TypingError
from ...typing.binder import fold_arguments
from .._registries import AbstractTemplate, lower_builtin, register, register_global
from ..ranges import range_length
from .helpers import (allocate_array, array_new_ref, const, element_pointer, loop_nest,
                      make_array, shape_of, store_item, strides_of, load_item)
from .model import as_dtype, from_dtype, has_layout

_PY_DTYPES = {float: types.float64, int: types.int64, bool: types.boolean, complex: types.complex128}


def parse_dtype(ty):
    """The element type named by a `dtype=` argument type (a class, a dtype, a constant
    string such as 'int64'), or None."""
    if isinstance(ty, types.StringLiteral):
        try:
            return from_dtype(np.dtype(ty.literal_value))
        except (TypeError, NotImplementedError, KeyError):
            return None
    if isinstance(ty, types.NumberClass):
        return ty.instance_type
    if isinstance(ty, types.DType):
        return ty.dtype
    if isinstance(ty, types.Function) and ty.typing_key in _PY_DTYPES:
        return _PY_DTYPES[ty.typing_key]
    return None


def _is_extent(ty) -> bool:
    """An integer, or an IntEnum member (an int in Python: `np.empty(Shape.square)`)."""
    return isinstance(types.unliteral(ty), (types.Integer, types.IntEnumMember))


def parse_shape(ty):
    """Number of dimensions a shape argument gives (int or tuple of ints), or None."""
    if _is_extent(ty):
        return 1
    if isinstance(ty, types.UniTuple) and _is_extent(ty.dtype):
        return ty.count
    if isinstance(ty, types.BaseTuple) and len(ty) == 0:
        return 0  # () : a 0-d array
    return None


def shape_values(context, builder, ty, value) -> list:
    """The extents of a shape argument as intp values."""
    if _is_extent(ty):
        return [context.cast(builder, value, ty, types.intp)]
    return [context.cast(builder, builder.extract_value(value, i), ty.dtype, types.intp)
            for i in range(ty.count)]


def _shape_signature(has_fill: bool) -> inspect.Signature:
    names = ("shape", "fill_value", "dtype") if has_fill else ("shape", "dtype")
    return inspect.Signature([inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                default=None if name == "dtype" else
                                                inspect.Parameter.empty) for name in names])


def element_type(func, dtype_ty, default):
    """The element type a `dtype=` argument type (None or omitted: `default`) names, or None.
    A record dtype takes no fill value: np.full(n, x, rec) is refused (by Numba too)."""
    omitted = dtype_ty is None or isinstance(dtype_ty, (types.Omitted, types.NoneType))
    dtype = default if omitted else parse_dtype(dtype_ty)
    if isinstance(dtype, types.Record) and func in (np.full, np.full_like):
        raise TypingError(f"np.{func.__name__}() cannot fill the record dtype {as_dtype(dtype)} "
                          "with one value; use np.zeros or np.empty and set the fields")
    return dtype


class ShapeTemplate(AbstractTemplate):
    """np.empty/zeros/ones(shape, dtype=float64) and np.full(shape, fill_value, dtype=None),
    keywords folded into parameter order."""

    has_fill = False

    def generic(self, args, kws):
        func = type(self).key  # np.full is a Python function: self.key would be bound
        formal, order = fold_arguments(_shape_signature(self.has_fill), tuple(args), dict(kws),
                                       func.__name__)
        ndim = parse_shape(formal[0])
        if self.has_fill and isinstance(formal[1], (types.Array, types.BaseTuple, types.List)):
            return None  # a fill value to broadcast: lib/npfuncs/creation.py
        default = types.unliteral(formal[1]) if self.has_fill else types.float64
        dtype = element_type(func, formal[-1], default)
        if ndim is None or dtype is None:
            return None
        return types.signature(types.Array(dtype, ndim, "C"), *formal).replace(order=order)


for _func, _fill in ((np.empty, False), (np.zeros, False), (np.ones, False), (np.full, True)):
    register(type(f"Np_{_func.__name__}", (ShapeTemplate,), {"key": _func, "has_fill": _fill}))
    register_global(_func, types.Function(_func))


def fill_contiguous(context, builder, aryty, ary, value):
    """data[i] = value for every element of a new contiguous array."""
    with cgutils.for_range(builder, ary.nitems) as loop:
        ptr = builder.gep(ary.data, [loop.index])
        store_item(context, builder, aryty, ptr, value)


def _filled(extents, fill):
    """An allocate-then-fill implementation; `extents(context, builder, sig, args)` gives the
    shape, `fill` is None (uninitialised), 0 (zeroed) or fill(...) -> the element value."""
    def impl(context, builder, sig, args):
        aryty = sig.return_type
        ary = allocate_array(context, builder, aryty, extents(context, builder, sig, args),
                             zero=fill == 0)
        if callable(fill):
            fill_contiguous(context, builder, aryty, ary, fill(context, builder, sig, args))
        return ary._getvalue()
    return impl


def _shape_argument(context, builder, sig, args):
    return shape_values(context, builder, sig.args[0], args[0])


def _shape_of_array_argument(context, builder, sig, args):
    return shape_of(builder, make_array(context, builder, sig.args[0], args[0]), sig.args[0].ndim)


def _const_of(value):
    return lambda context, builder, sig, args: _constant_element(context, builder,
                                                                  sig.return_type.dtype, value)


def _constant_element(context, builder, dtype, value):
    """`value` as an element; for a record, a view of a constant record whose every field is
    `value` (np.ones(n, rec) sets every field to 1, as NumPy does)."""
    if not has_layout(dtype):
        return context.get_constant(dtype, value)
    element = np.zeros(1, as_dtype(dtype))  # np.ones/np.full leave the padding undefined
    element[...] = value
    fill = cgutils.global_constant(builder.module, "element_fill",
                                   cgutils.make_bytearray(element.tobytes()))
    model = context.data_model_manager.lookup(dtype)
    return model.load_from_pointer(builder, builder.bitcast(
        fill, model.get_data_type().as_pointer()))


def _fill_arg(context, builder, sig, args):
    return context.cast(builder, args[1], sig.args[1], sig.return_type.dtype)


for _func, _fill in ((np.empty, None), (np.zeros, 0), (np.ones, _const_of(1)), (np.full, _fill_arg)):
    for _arity in (1, 2, 3):
        lower_builtin(_func, *([types.Any] * _arity))(_filled(_shape_argument, _fill))


class LikeTemplate(AbstractTemplate):
    """np.empty_like/zeros_like/ones_like(a, dtype=None), np.full_like(a, value, dtype=None)."""

    has_fill = False

    def generic(self, args, kws):
        if not args or set(kws) - {"dtype"}:
            return None
        source = _like_source(args[0])
        if source is None:
            return None
        nfixed = 2 if self.has_fill else 1
        dtype_ty = kws.get("dtype", args[nfixed] if len(args) > nfixed else None)
        dtype = element_type(type(self).key, dtype_ty, source.dtype)
        if dtype is None or len(args) < nfixed:
            return None
        layout = "F" if source.layout == "F" else "C"
        formal = [types.unliteral(args[0]), *args[1:nfixed]] + ([dtype_ty] if dtype_ty is not None else [])
        return types.signature(types.Array(dtype, source.ndim, layout), *formal)


def _like_source(ty):
    """The array type np.*_like takes its shape and dtype from: an array, or a scalar as NumPy's
    0-d array of its type (np.empty_like(3) is a 0-d int64 array)."""
    if isinstance(ty, types.Array):
        return ty
    ty = types.unliteral(ty)
    if isinstance(ty, (types.Number, types.Boolean)):
        return types.Array(ty, 0, "C")
    return None


for _func, _fill in ((np.empty_like, None), (np.zeros_like, 0), (np.ones_like, _const_of(1)),
                     (np.full_like, _fill_arg)):
    register(type(f"Np_{_func.__name__}", (LikeTemplate,), {
        "key": _func, "has_fill": _func is np.full_like}))
    register_global(_func, types.Function(_func))
    for _arity in (1, 2, 3):
        lower_builtin(_func, types.Array, *([types.Any] * (_arity - 1)))(
            _filled(_shape_of_array_argument, _fill))
        for _scalar in (types.Number, types.Boolean):  # a 0-d array
            lower_builtin(_func, _scalar, *([types.Any] * (_arity - 1)))(
                _filled(lambda context, builder, sig, args: [], _fill))


_ARANGE_SIGNATURE = inspect.Signature([
    inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)
    for name in ("start", "stop", "step", "dtype")])


def _given(ty) -> bool:
    return not isinstance(ty, (types.NoneType, types.Omitted))


class ArangeTemplate(AbstractTemplate):
    """np.arange(start, stop=None, step=None, dtype=None), keywords folded into that order."""
    key = np.arange

    def generic(self, args, kws):
        if not args and not kws:
            return None
        formal, order = fold_arguments(_ARANGE_SIGNATURE, tuple(args), dict(kws), "arange")
        if not _given(formal[0]) and not _given(formal[1]):
            raise TypingError("arange() requires stop to be specified.")
        if isinstance(formal[0], types.NoneType) and _given(formal[1]):
            return None  # arange(None, stop): NumPy's TypeError
        nums = [types.unliteral(a) for a in formal[:3] if _given(a)]
        if not all(isinstance(a, (types.Integer, types.Float, types.Boolean)) for a in nums):
            return None
        dtype = types.float64 if any(isinstance(a, types.Float) for a in nums) else types.int64
        if _given(formal[3]):
            dtype = parse_dtype(formal[3])
            if dtype is None:
                return None
        formal = [types.unliteral(a) if i < 3 else a for i, a in enumerate(formal)]
        return types.signature(types.Array(dtype, 1, "C"), *formal).replace(order=order)


register(ArangeTemplate)
register_global(np.arange, types.Function(np.arange))


def _arange_bounds(context, builder, sig, args):
    """(work type, start, stop, step): NumPy's arange(n) is arange(0, n, 1), also when n is
    given as stop=; the computing type is float64 where any bound is a float."""
    nums = [(v, t) if _given(t) else None for v, t in zip(args[:3], sig.args[:3])]
    work = types.float64 if any(n and isinstance(n[1], types.Float) for n in nums) else \
        types.int64
    vals = [n and context.cast(builder, n[0], n[1], work) for n in nums]
    zero, one = context.get_constant(work, 0), context.get_constant(work, 1)
    start, stop, step = vals
    if stop is None:
        start, stop = zero, start
    return work, start if start is not None else zero, stop, step if step is not None else one


def _arange_impl(context, builder, sig, args):
    work, start, stop, step = _arange_bounds(context, builder, sig, args)
    count = _arange_length(context, builder, work, start, stop, step)
    aryty = sig.return_type
    ary = allocate_array(context, builder, aryty, [count])
    if not isinstance(aryty.dtype, (types.Integer, types.Float)):
        _arange_fill(context, builder, work, aryty, ary, count, start, step)
        return ary._getvalue()
    # NumPy's fill: the first two values in the result's dtype, then first + i * their
    # difference, in that dtype (not start + i * step: the float results differ in the last bit)
    add = builder.fadd if work == types.float64 else builder.add
    first = context.cast(builder, start, work, aryty.dtype)
    second = context.cast(builder, add(start, step), work, aryty.dtype)
    sub = builder.fsub if isinstance(aryty.dtype, types.Float) else builder.sub
    _arange_fill(context, builder, aryty.dtype, aryty, ary, count, first, sub(second, first),
                 second)
    return ary._getvalue()


def _arange_fill(context, builder, work, aryty, ary, count, first, delta, second=None):
    """ary[i] = first + i * delta computed in `work` (second: ary[1] as NumPy stores it)."""
    is_float = isinstance(work, types.Float)
    mul, add = (builder.fmul, builder.fadd) if is_float else (builder.mul, builder.add)
    with cgutils.for_range(builder, count) as loop:
        index = context.cast(builder, loop.index, types.int64, work)
        value = add(first, mul(index, delta))
        if second is not None:
            value = builder.select(builder.icmp_signed("==", loop.index, const(1)), second, value)
        value = context.cast(builder, value, work, aryty.dtype)
        store_item(context, builder, aryty, builder.gep(ary.data, [loop.index]), value)


def _arange_length(context, builder, work, start, stop, step):
    if work == types.float64:
        with cgutils.if_unlikely(builder, builder.fcmp_ordered("==", step, ir.Constant(step.type, 0))):
            context.call_conv.return_user_exc(builder, ZeroDivisionError, ("arange step is zero",))
        span = builder.fdiv(builder.fsub(stop, start), step)
        ceil = cgutils.call_intrinsic(builder, "llvm.ceil", [span])
        count = builder.fptosi(ceil, cgutils.int64_t)
        return builder.select(builder.icmp_signed("<", count, const(0)), const(0), count)
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, step)):
        context.call_conv.return_user_exc(builder, ZeroDivisionError, ("arange step is zero",))
    return range_length(builder, start, stop, step)


lower_builtin(np.arange, *([types.Any] * 4))(_arange_impl)


# -- asarray, copy ----------------------------------------------------------------------------

class AsarrayTemplate(AbstractTemplate):
    key = np.asarray

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.Array):
            return types.signature(args[0], args[0])
        return None


register(AsarrayTemplate)
register_global(np.asarray, types.Function(np.asarray))


@lower_builtin(np.asarray, types.Array)
def asarray_impl(context, builder, sig, args):
    return array_new_ref(context, builder, sig.args[0], args[0])


def copy_array(context, builder, srcty, src_value, layout="C"):
    """A new contiguous copy of an array (a new reference)."""
    src = make_array(context, builder, srcty, src_value)
    aryty = srcty.copy(layout=layout)
    shape = shape_of(builder, src, srcty.ndim)
    dst = allocate_array(context, builder, aryty, shape)
    if srcty.layout == layout and layout in ("C", "F"):
        nbytes = builder.mul(src.nitems, const(as_dtype(srcty.dtype).itemsize))
        cgutils.memcpy(builder, dst.data, src.data, nbytes)
    else:
        copy_elements(context, builder, aryty, dst, srcty, src, shape)
    return dst._getvalue()


def copy_elements(context, builder, dstty, dst, srcty, src, shape):
    """dst[...] = src[...] elementwise over `shape` (casting the dtype if needed)."""
    dst_strides, src_strides = strides_of(builder, dst, dstty.ndim), strides_of(builder, src, srcty.ndim)
    with loop_nest(builder, shape) as idx:
        value = load_item(context, builder, srcty, element_pointer(builder, src, idx, src_strides))
        value = _cast_element(context, builder, value, srcty.dtype, dstty.dtype)
        store_item(context, builder, dstty, element_pointer(builder, dst, idx, dst_strides), value)


def _cast_element(context, builder, value, fromty, toty):
    """NumPy's element conversion: a complex to a real number keeps its real part (NumPy's
    ComplexWarning), where a scalar cast has no such rule."""
    if isinstance(fromty, types.Complex) and isinstance(toty, (types.Float, types.Integer)):
        value = builder.extract_value(value, 0)  # (real, imag) pair
        fromty = fromty.underlying_float
    return context.cast(builder, value, fromty, toty)


class CopyTemplate(AbstractTemplate):
    key = np.copy

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.Array):
            return types.signature(args[0].copy(layout=_copy_layout(args[0])), args[0])
        return None


def _copy_layout(ty) -> str:
    """np.copy's order='K': an F-contiguous array stays F (a.copy()'s order='C' does not)."""
    return "F" if ty.layout == "F" and ty.ndim > 1 else "C"


register(CopyTemplate)
register_global(np.copy, types.Function(np.copy))


@lower_builtin(np.copy, types.Array)
@lower_builtin("array.copy", types.Array)
def copy_impl(context, builder, sig, args):
    srcty = sig.recvr if sig.recvr is not None else sig.args[0]
    return copy_array(context, builder, srcty, args[0], sig.return_type.layout)


class NumberClassCall(AbstractTemplate):
    """np.float64(x), np.int32(x): convert a number to that scalar type."""

    key = types.NumberClass

    def generic(self, args, kws):
        cls, *values = args
        if kws or len(values) != 1 or not isinstance(types.unliteral(values[0]),
                                                      (types.Number, types.Boolean)):
            return None
        return types.signature(cls.instance_type, cls, values[0])  # literal: range-checked


register(NumberClassCall)


@lower_builtin(types.NumberClass, types.NumberClass, types.Any)
def number_class_call_impl(context, builder, sig, args):
    return context.cast(builder, args[1], sig.args[1], sig.return_type)
