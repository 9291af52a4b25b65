"""Elementwise operations: array operators, NumPy ufuncs, broadcasting.

Result dtypes come from NumPy itself (`ufunc.resolve_dtypes`, NEP 50): literals are weak Python
scalars that adopt the array's dtype (one out of its range raises OverflowError when run, as in
NumPy); other scalars (arguments, array elements) are strong, like NumPy scalars. Each element
is computed by the *scalar* implementation of the same operation from the lowering registry, so
arrays reuse the exact scalar semantics.
"""
from __future__ import annotations

import operator

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...errors import TypingError
from ..literals import int_range, numpy_operand
from .._registries import AbstractTemplate, lower_builtin, register, register_global
from .helpers import (allocate_array, broadcast_shapes, broadcast_strides, element_pointer,
                      is_contiguous_same, load_item, loop_nest, make_array, shape_of, store_item,
                      strides_of)
from .model import as_dtype, from_dtype

BINARY_OPERATORS = {
    operator.add: np.add, operator.sub: np.subtract, operator.mul: np.multiply,
    operator.truediv: np.true_divide, operator.floordiv: np.floor_divide,
    operator.mod: np.remainder, operator.pow: np.power, operator.lt: np.less,
    operator.le: np.less_equal, operator.gt: np.greater, operator.ge: np.greater_equal,
    operator.eq: np.equal, operator.ne: np.not_equal, operator.and_: np.bitwise_and,
    operator.or_: np.bitwise_or, operator.xor: np.bitwise_xor, operator.lshift: np.left_shift,
    operator.rshift: np.right_shift,
}
INPLACE_OPERATORS = {
    operator.iadd: operator.add, operator.isub: operator.sub, operator.imul: operator.mul,
    operator.itruediv: operator.truediv, operator.ifloordiv: operator.floordiv,
    operator.imod: operator.mod, operator.ipow: operator.pow, operator.iand: operator.and_,
    operator.ior: operator.or_, operator.ixor: operator.xor, operator.ilshift: operator.lshift,
    operator.irshift: operator.rshift,
}
UNARY_OPERATORS = {operator.neg: np.negative, operator.pos: np.positive, operator.invert: np.invert}
#: ufunc -> scalar operation used for each element
SCALAR_OF_UFUNC = {**{u: op for op, u in BINARY_OPERATORS.items()},
                   **{u: op for op, u in UNARY_OPERATORS.items()},
                   np.absolute: abs, np.minimum: "minimum", np.maximum: "maximum"}
FLOAT_INTRINSICS = {np.sqrt: "llvm.sqrt", np.exp: "llvm.exp", np.log: "llvm.log",
                    np.sin: "llvm.sin", np.cos: "llvm.cos", np.floor: "llvm.floor",
                    np.ceil: "llvm.ceil", np.trunc: "llvm.trunc", np.log10: "llvm.log10",
                    np.log2: "llvm.log2", np.exp2: "llvm.exp2", np.fabs: "llvm.fabs"}
FLOAT_LIBM = {np.tan: "tan", np.arcsin: "asin", np.arccos: "acos", np.arctan: "atan",
              np.sinh: "sinh", np.cosh: "cosh", np.tanh: "tanh", np.expm1: "expm1",
              np.log1p: "log1p", np.arctan2: "atan2", np.hypot: "hypot"}
#: logical ufuncs: NumPy's loops take bools (other operands are converted by the loop cast)
LOGICAL = {np.logical_and: "and_", np.logical_or: "or_", np.logical_xor: "xor",
           np.logical_not: "not_"}
#: NumPy's loops give a value where Python raises ZeroDivisionError (and only warn): 0 for
#: integers, else the IEEE quotient (±inf, nan) or remainder (nan) of the float instruction
ZERO_DIVISION = {np.true_divide: "fdiv", np.floor_divide: "fdiv", np.remainder: "frem"}
ALL_UFUNCS = (set(SCALAR_OF_UFUNC) | set(FLOAT_INTRINSICS) | set(FLOAT_LIBM) | set(LOGICAL))


COMPARISONS = (np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal)


def _numpy_operand(ty):
    """How NumPy sees an operand when resolving dtypes: a dtype, or a type for a weak literal."""
    if isinstance(ty, types.Array):
        return as_dtype(ty.dtype)
    weak = numpy_operand(ty)
    return weak if isinstance(weak, np.dtype) else type(weak)


def resolve_loop(ufunc, operand_types):
    """(input element types, output element type) NumPy would use, or None."""
    for ty in operand_types:
        types.unliteral(ty)  # an int constant no machine type holds: TypingError
    numeric = (types.Array, types.Boolean, types.Number)
    if not all(isinstance(t, numeric) for t in operand_types):
        return None
    if isinstance(types.unliteral(operand_types[0]), types.Complex) and ufunc in FLOAT_LIBM:
        return None
    try:
        dtypes = ufunc.resolve_dtypes(tuple(_numpy_operand(t) for t in operand_types) + (None,))
    except (TypeError, ValueError):  # includes NumPy's DTypePromotionError and UFuncTypeError
        return None
    try:
        loop_in = [from_dtype(d) for d in dtypes[:-1]]
        return _exact_comparisons(ufunc, operand_types, loop_in), from_dtype(dtypes[-1])
    except TypeError:
        return None


def _exact_comparisons(ufunc, operand_types, loop_in):
    """NumPy compares an int literal its loop type cannot hold exactly (`int8_array < 300`):
    such a literal keeps its own type, and the scalar comparison knows the answer."""
    if ufunc not in COMPARISONS or not all(isinstance(_element(t), types.Integer)
                                           for t in operand_types):
        return loop_in  # a boolean operand: NumPy converts the literal, OverflowError if too big
    return [t if isinstance(t, types.IntegerLiteral) and isinstance(f, types.Integer) and
            t.literal_value not in int_range(f) else f for t, f in zip(operand_types, loop_in)]


def _element(ty):
    return ty.dtype if isinstance(ty, types.Array) else types.unliteral(ty)


def ufunc_signature(ufunc, args):
    """Typing of `ufunc(*args)`: an array if any operand is an array, else a scalar."""
    loop = resolve_loop(ufunc, args)
    if loop is None:
        return None
    _, out = loop
    arrays = [a for a in args if isinstance(a, types.Array)]
    if not arrays:  # literals stay literal: their range is checked when cast to the loop type
        return types.signature(out, *args)
    ndim = max(a.ndim for a in arrays)
    return types.signature(types.Array(out, ndim, "C"), *args)


class UfuncTemplate(AbstractTemplate):
    ufunc = None

    def generic(self, args, kws):
        if kws or len(args) != self.ufunc.nin:
            return None
        return ufunc_signature(self.ufunc, args)


class OperatorTemplate(AbstractTemplate):
    """`a + b` etc. where at least one operand is an array."""

    def generic(self, args, kws):
        if not any(isinstance(a, types.Array) for a in args):
            return None
        return ufunc_signature(self.ufunc, args)


class InplaceTemplate(AbstractTemplate):
    """`a += b`: computed into `a`; NumPy's same-kind casting rule applies."""

    def generic(self, args, kws):
        target, value = args
        if not isinstance(target, types.Array):
            return None
        sig = ufunc_signature(BINARY_OPERATORS[self.binary], args)
        if sig is None:
            return None
        out = sig.return_type.dtype
        if not np.can_cast(as_dtype(out), as_dtype(target.dtype), "same_kind"):
            raise TypingError(f"cannot cast the result of {target} {self.binary.__name__} "
                              f"{value} ({out}) back into the {target.dtype} array")
        return types.signature(target, *args)


for _op, _uf in {**BINARY_OPERATORS, **UNARY_OPERATORS}.items():
    register(type(f"ArrayOp_{_op.__name__}", (OperatorTemplate,), {"key": _op, "ufunc": _uf}))
for _iop, _op in INPLACE_OPERATORS.items():
    register(type(f"ArrayInplace_{_iop.__name__}", (InplaceTemplate,), {"key": _iop, "binary": _op}))
for _uf in ALL_UFUNCS:
    register(type(f"Ufunc_{_uf.__name__}", (UfuncTemplate,), {"key": _uf, "ufunc": _uf}))
    register_global(_uf, types.Function(_uf))
register(type("Ufunc_abs_builtin", (OperatorTemplate,), {"key": abs, "ufunc": np.absolute}))
register_global(np.abs, types.Function(np.absolute))


# -- scalar element operations --------------------------------------------------------------------

def scalar_kernel(context, ufunc, in_types, out_type):
    """fn(builder, values) computing one element of `ufunc` with the loop's types."""
    op = SCALAR_OF_UFUNC.get(ufunc)
    if op in ("minimum", "maximum"):
        signed = getattr(in_types[0], "signed", False)  # bools compare as unsigned i1
        return lambda builder, values: _min_max(builder, values, op == "minimum", signed)
    if ufunc in LOGICAL:
        return _logical_kernel(context, LOGICAL[ufunc], in_types)
    if op is not None:
        sig = context.typing_context.resolve_key(op, tuple(in_types), {})
        impl = context.get_function(types.Function(op), sig)

        def compute(builder, values):
            values = [context.cast(builder, v, t, f) for v, t, f in zip(values, in_types, sig.args)]
            return context.cast(builder, impl(builder, values), sig.return_type, out_type)
        if ufunc in ZERO_DIVISION and not isinstance(in_types[1], types.Complex):
            signed = isinstance(in_types[1], types.Integer) and in_types[1].signed
            return _numpy_zero_division(compute, ZERO_DIVISION[ufunc], signed)
        return compute
    return _float_kernel(context, ufunc, in_types, out_type)


def _numpy_zero_division(compute, float_instruction, signed: bool):
    """`compute` with NumPy's answers for a zero divisor and for a signed MIN // -1 (the
    scalar operators follow Numba there: 0); the operation runs on a divisor of 1 instead.
    NumPy's integer division loops have one type for inputs and output."""
    def guarded(builder, values):
        dividend, divisor = values
        integer = isinstance(divisor.type, ir.IntType)
        zero = (builder.icmp_unsigned("==", divisor, ir.Constant(divisor.type, 0)) if integer
                else builder.fcmp_ordered("==", divisor, ir.Constant(divisor.type, 0.0)))
        minus_one = builder.icmp_signed("==", divisor, ir.Constant(divisor.type, -1)) \
            if signed else cgutils.false_bit
        unusual = builder.or_(zero, minus_one)
        result = compute(builder, [dividend, builder.select(unusual, ir.Constant(divisor.type, 1),
                                                            divisor)])
        special = (ir.Constant(result.type, 0) if integer
                   else getattr(builder, float_instruction)(dividend, divisor))
        if signed and float_instruction == "fdiv":  # x // -1 is -x, wrapping at MIN
            special = builder.select(minus_one, builder.neg(result), special)
        return builder.select(unusual, special, result)
    return guarded


def _float_kernel(context, ufunc, in_types, out_type):
    def compute(builder, values):
        values = [context.cast(builder, v, t, out_type) for v, t in zip(values, in_types)]
        if ufunc in FLOAT_INTRINSICS:
            return cgutils.call_intrinsic(builder, FLOAT_INTRINSICS[ufunc], values)
        ty = values[0].type
        name = FLOAT_LIBM[ufunc] + ("f" if isinstance(ty, ir.FloatType) else "")
        fn = cgutils.declare_c_function(builder.module, name, ty, [ty] * len(values))
        return builder.call(fn, values)
    return compute


def _logical_kernel(context, method, in_types):
    def compute(builder, values):
        truths = [context.cast(builder, v, t, types.boolean) for v, t in zip(values, in_types)]
        return getattr(builder, method)(*truths)
    return compute


def _min_max(builder, values, is_min, signed):
    a, b = values
    if isinstance(a.type, ir.IntType):
        compare = builder.icmp_signed if signed else builder.icmp_unsigned
        cmp = compare("<" if is_min else ">", a, b)
        return builder.select(cmp, a, b)
    better = builder.fcmp_ordered("<" if is_min else ">", a, b)
    result = builder.select(better, a, b)
    result = builder.select(builder.fcmp_unordered("uno", a, a), a, result)
    return builder.select(builder.fcmp_unordered("uno", b, b), b, result)


# -- the elementwise loop -------------------------------------------------------------------------

def elementwise(context, builder, out_ty, operands, kernel, out=None):
    """Evaluate kernel over broadcast operands [(type, value)], into `out` or a new array."""
    arrays = [(t, make_array(context, builder, t, v)) for t, v in operands if isinstance(t, types.Array)]
    ndim = out_ty.ndim
    shapes = [shape_of(builder, a, t.ndim) for t, a in arrays]
    shape = broadcast_shapes(context, builder, shapes, ndim)
    if out is None:
        out = allocate_array(context, builder, out_ty, shape)
    else:
        _check_target_shape(context, builder, shape_of(builder, out, ndim), shape)
    scalars = {i: v for i, (t, v) in enumerate(operands) if not isinstance(t, types.Array)}
    all_arrays = arrays + [(out_ty, out)]
    same = is_contiguous_same(builder, all_arrays)
    for t, a in arrays:
        if t.ndim == ndim:
            for got, want in zip(shape_of(builder, a, ndim), shape):
                same = builder.and_(same, builder.icmp_signed("==", got, want))
        else:
            same = cgutils.false_bit
    with builder.if_else(same, likely=True) as (flat, strided):
        with flat:
            _flat_loop(context, builder, operands, arrays, scalars, out_ty, out, kernel)
        with strided:
            _strided_loop(context, builder, operands, arrays, scalars, out_ty, out, kernel, shape)
    return out


def _check_target_shape(context, builder, target, shape):
    for got, want in zip(target, shape):
        with cgutils.if_unlikely(builder, builder.icmp_signed("!=", got, want)):
            context.call_conv.return_user_exc(builder, ValueError, (
                "non-broadcastable output operand",))


def _gather(context, builder, operands, scalars, pointer_of):
    values, k = [], 0
    for i, (t, _) in enumerate(operands):
        if i in scalars:
            values.append(scalars[i])
        else:
            values.append(load_item(context, builder, t, pointer_of(k)))
            k += 1
    return values


def _flat_loop(context, builder, operands, arrays, scalars, out_ty, out, kernel):
    with cgutils.for_range(builder, out.nitems) as loop:
        values = _gather(context, builder, operands, scalars,
                         lambda k: builder.gep(arrays[k][1].data, [loop.index]))
        store_item(context, builder, out_ty, builder.gep(out.data, [loop.index]),
                   kernel(builder, values))


def _strided_loop(context, builder, operands, arrays, scalars, out_ty, out, kernel, shape):
    ndim = out_ty.ndim
    strides = [broadcast_strides(builder, shape_of(builder, a, t.ndim), strides_of(builder, a, t.ndim),
                                 ndim) for t, a in arrays]
    out_strides = strides_of(builder, out, ndim)
    with loop_nest(builder, shape) as idx:
        values = _gather(context, builder, operands, scalars,
                         lambda k: element_pointer(builder, arrays[k][1], idx, strides[k]))
        store_item(context, builder, out_ty, element_pointer(builder, out, idx, out_strides),
                   kernel(builder, values))


def _ufunc_impl(ufunc):
    def impl(context, builder, sig, args):
        loop_in, loop_out = resolve_loop(ufunc, sig.args)
        kernel = scalar_kernel(context, ufunc, loop_in, loop_out)
        operands = _cast_scalars(context, builder, zip(sig.args, args), loop_in)
        if not isinstance(sig.return_type, types.Array):
            return context.cast(builder, kernel(builder, [v for _, v in operands]), loop_out,
                                sig.return_type)
        cast_kernel = _casting(context, kernel, _element_types(operands), loop_in, loop_out,
                               sig.return_type.dtype)
        return elementwise(context, builder, sig.return_type, operands, cast_kernel)._getvalue()
    return impl


def _cast_scalars(context, builder, operands, loop_in):
    """Scalar operands converted to their loop type once, before any loop: an out-of-range
    literal raises even for an empty array, as in NumPy."""
    return [(t, v) if isinstance(t, types.Array) else (f, context.cast(builder, v, t, f))
            for (t, v), f in zip(operands, loop_in)]


def _element_types(operands):
    return [t.dtype if isinstance(t, types.Array) else t for t, _ in operands]


def _casting(context, kernel, actual, loop_in, loop_out, out):
    def compute(builder, values):
        values = [context.cast(builder, v, a, f) for v, a, f in zip(values, actual, loop_in)]
        return context.cast(builder, kernel(builder, values), loop_out, out)
    return compute


for _op, _uf in {**BINARY_OPERATORS, **UNARY_OPERATORS}.items():
    _patterns = [[types.Array, types.Any], [types.Any, types.Array]] if _uf.nin == 2 else [[types.Array]]
    _impl = _ufunc_impl(_uf)
    for _pattern in _patterns:
        lower_builtin(_op, *_pattern)(_impl)
for _uf in ALL_UFUNCS:
    lower_builtin(_uf, *([types.Any] * _uf.nin))(_ufunc_impl(_uf))
lower_builtin(abs, types.Array)(_ufunc_impl(np.absolute))


def _inplace_impl(binary):
    ufunc = BINARY_OPERATORS[binary]

    def impl(context, builder, sig, args):
        target_ty = sig.args[0]
        loop_in, loop_out = resolve_loop(ufunc, sig.args)
        operands = _cast_scalars(context, builder, zip(sig.args, args), loop_in)
        kernel = _casting(context, scalar_kernel(context, ufunc, loop_in, loop_out),
                          _element_types(operands), loop_in, loop_out, target_ty.dtype)
        target = make_array(context, builder, target_ty, args[0])
        elementwise(context, builder, target_ty, operands, kernel, out=target)
        context.incref(builder, target_ty, args[0])
        return args[0]
    return impl


for _iop, _op in INPLACE_OPERATORS.items():
    lower_builtin(_iop, types.Array, types.Any)(_inplace_impl(_op))

