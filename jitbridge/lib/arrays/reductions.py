"""Whole-array reductions: sum, prod, min, max, mean, argmin, argmax (function and method
forms), and np.dot / `@` of 1-D arrays."""
from __future__ import annotations

import operator

import numpy as np

from ... import types
from ...core import cgutils
from .._registries import (AbstractTemplate, AttributeTemplate, bound_function, lower_builtin,
                           register, register_attr, register_global)
from .helpers import (const, element_pointer, is_contiguous_same, load_item, loop_nest, make_array,
                      shape_of, strides_of)
from .model import as_dtype, from_dtype

REDUCTIONS = {"sum": np.sum, "prod": np.prod, "min": np.min, "max": np.max, "mean": np.mean,
              "argmin": np.argmin, "argmax": np.argmax}


def reduction_result(name, aryty):
    """The result type NumPy gives for reducing an array of this dtype."""
    if name in ("argmin", "argmax"):
        return types.intp
    sample = np.ones(1, dtype=as_dtype(aryty.dtype))
    return from_dtype(getattr(np, name)(sample).dtype)


class ReductionTemplate(AbstractTemplate):
    name = None

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.Array):
            return types.signature(reduction_result(self.name, args[0]), args[0])
        return None


@register_attr
class ArrayReductionMethods(AttributeTemplate):
    key = types.Array


def _method(name):
    @bound_function(f"array.{name}")
    def resolve(self, ty, args, kws):
        return None if args or kws else types.signature(reduction_result(name, ty))
    return resolve


for _name, _func in REDUCTIONS.items():
    setattr(ArrayReductionMethods, f"resolve_{_name}", _method(_name))
    register(type(f"Np_{_name}", (ReductionTemplate,), {"key": _func, "name": _name}))
    register_global(_func, types.Function(_func))
register_global(np.amin, types.Function(np.min))
register_global(np.amax, types.Function(np.max))


def for_each_element(context, builder, aryty, ary, body):
    """Call body(value, flat_index) for every element in C order."""
    ndim = aryty.ndim
    with builder.if_else(is_contiguous_same(builder, [(aryty, ary)]), likely=True) as (
            flat, strided):
        with flat:
            with cgutils.for_range(builder, ary.nitems) as loop:
                body(load_item(context, builder, aryty, builder.gep(ary.data, [loop.index])), loop.index)
        with strided:
            counter = cgutils.alloca_once_value(builder, const(0))
            strides = strides_of(builder, ary, ndim)
            with loop_nest(builder, shape_of(builder, ary, ndim)) as idx:
                index = builder.load(counter)
                body(load_item(context, builder, aryty, element_pointer(builder, ary, idx, strides)), index)
                builder.store(builder.add(index, const(1)), counter)


def _accumulate(op):
    def impl(context, builder, sig, args):
        aryty = sig.recvr or sig.args[0]
        out_ty = sig.return_type
        ary = make_array(context, builder, aryty, args[0])
        acc = cgutils.alloca_once_value(builder, context.get_constant(out_ty, 0 if op is operator.add else 1))
        op_sig = context.typing_context.resolve_key(op, (out_ty, out_ty), {})
        combine = context.get_function(types.Function(op), op_sig)

        def body(value, index):
            value = context.cast(builder, value, aryty.dtype, out_ty)
            result = combine(builder, [builder.load(acc), value])
            builder.store(context.cast(builder, result, op_sig.return_type, out_ty), acc)
        for_each_element(context, builder, aryty, ary, body)
        return builder.load(acc)
    return impl


def _require_items(context, builder, ary, name):
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, ary.nitems)):
        context.call_conv.return_user_exc(builder, ValueError, (
            f"zero-size array to reduction operation {name} which has no identity",))


def _extreme(is_min, want_index):
    """min/max (NaN propagates) or argmin/argmax (first extreme; first NaN wins)."""
    def impl(context, builder, sig, args):
        aryty = sig.recvr or sig.args[0]
        ary = make_array(context, builder, aryty, args[0])
        _require_items(context, builder, ary, ("argmin" if want_index else "minimum") if is_min
                       else ("argmax" if want_index else "maximum"))
        first = load_item(context, builder, aryty, ary.data)
        best = cgutils.alloca_once_value(builder, first)
        best_index = cgutils.alloca_once_value(builder, const(0))
        is_float = isinstance(aryty.dtype, types.Float)

        def body(value, index):
            current = builder.load(best)
            better = _better(builder, value, current, is_min, aryty.dtype)
            if is_float:
                value_nan = builder.fcmp_unordered("uno", value, value)
                current_nan = builder.fcmp_unordered("uno", current, current)
                better = builder.or_(better, builder.and_(value_nan, builder.not_(current_nan)))
            with builder.if_then(better):
                builder.store(value, best)
                builder.store(index, best_index)
        for_each_element(context, builder, aryty, ary, body)
        return builder.load(best_index if want_index else best)
    return impl


def _better(builder, value, current, is_min, dtype):
    symbol = "<" if is_min else ">"
    if isinstance(dtype, types.Float):
        return builder.fcmp_ordered(symbol, value, current)
    if isinstance(dtype, types.Integer) and dtype.signed:
        return builder.icmp_signed(symbol, value, current)
    return builder.icmp_unsigned(symbol, value, current)


def _mean(context, builder, sig, args):
    """NumPy's order: sum in the array's float/complex dtype (float64 for integers and
    booleans), divide by the count in double precision, then cast to the result dtype."""
    aryty = sig.recvr or sig.args[0]
    total_ty = aryty.dtype if isinstance(aryty.dtype, (types.Float, types.Complex)) else types.float64
    total = _accumulate(operator.add)(context, builder, types.signature(total_ty, aryty), args)
    wide_ty = types.complex128 if isinstance(total_ty, types.Complex) else types.float64
    count = context.cast(builder, make_array(context, builder, aryty, args[0]).nitems,
                         types.intp, types.float64)
    div_sig = context.typing_context.resolve_key(operator.truediv, (wide_ty, types.float64), {})
    divide = context.get_function(types.Function(operator.truediv), div_sig)
    operands = [context.cast(builder, v, t, f) for v, t, f in
                zip((total, count), (total_ty, types.float64), div_sig.args)]
    return context.cast(builder, divide(builder, operands), div_sig.return_type, sig.return_type)


IMPLS = {"sum": _accumulate(operator.add), "prod": _accumulate(operator.mul),
         "min": _extreme(True, False), "max": _extreme(False, False), "mean": _mean,
         "argmin": _extreme(True, True), "argmax": _extreme(False, True)}
for _name, _impl in IMPLS.items():
    lower_builtin(REDUCTIONS[_name], types.Array)(_impl)
    lower_builtin(f"array.{_name}", types.Array)(_impl)


# -- dot ------------------------------------------------------------------------------------------

class DotTemplate(AbstractTemplate):
    def generic(self, args, kws):
        if len(args) != 2 or kws or not all(isinstance(a, types.Array) and a.ndim == 1 for a in args):
            return None
        out = from_dtype(np.result_type(*(as_dtype(a.dtype) for a in args)))
        return types.signature(out, *args)


register(type("Np_dot", (DotTemplate,), {"key": np.dot}))
register(type("Op_matmul", (DotTemplate,), {"key": operator.matmul}))
register_global(np.dot, types.Function(np.dot))


@lower_builtin(np.dot, types.Array, types.Array)
@lower_builtin(operator.matmul, types.Array, types.Array)
def dot_impl(context, builder, sig, args):
    (aty, bty), out_ty = sig.args, sig.return_type
    a, b = (make_array(context, builder, t, v) for t, v in zip(sig.args, args))
    n = builder.extract_value(a.shape, 0)
    with cgutils.if_unlikely(builder, builder.icmp_signed("!=", n, builder.extract_value(b.shape, 0))):
        context.call_conv.return_user_exc(builder, ValueError, ("shapes not aligned for dot",))
    mul_sig = context.typing_context.resolve_key(operator.mul, (out_ty, out_ty), {})
    mul = context.get_function(types.Function(operator.mul), mul_sig)
    add = context.get_function(types.Function(operator.add), mul_sig)
    acc = cgutils.alloca_once_value(builder, context.get_constant(out_ty, 0))
    a_stride, b_stride = (builder.extract_value(x.strides, 0) for x in (a, b))
    with cgutils.for_range(builder, n) as loop:
        x = context.cast(builder, load_item(context, builder, aty, element_pointer(
            builder, a, [loop.index], [a_stride])), aty.dtype, out_ty)
        y = context.cast(builder, load_item(context, builder, bty, element_pointer(
            builder, b, [loop.index], [b_stride])), bty.dtype, out_ty)
        total = add(builder, [builder.load(acc), mul(builder, [x, y])])
        builder.store(context.cast(builder, total, mul_sig.return_type, out_ty), acc)
    return builder.load(acc)
