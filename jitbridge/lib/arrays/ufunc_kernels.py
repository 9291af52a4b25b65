"""The scalar kernel of a ufunc loop: fn(builder, input values) -> [output values].

Inputs arrive converted to the loop's input types and outputs leave in the loop's output
types. A kernel is, in order of preference: an element function written in Python
(`ufunc_elements`, `ufunc_complex`) compiled once per loop, the scalar operator from the
lowering registry (so arrays reuse the exact scalar semantics), or a few lines of LLVM where
the operation is one instruction or intrinsic.
"""
from __future__ import annotations

import operator

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.base import COMPILE_HOOK
from ...types.datetime import is_datetime_like
from ..datetimes_kernels import datetime_kernel
from . import ufunc_complex as C
from . import ufunc_elements as E

BINARY_OPERATORS = {
    operator.add: np.add, operator.sub: np.subtract, operator.mul: np.multiply,
    operator.truediv: np.true_divide, operator.floordiv: np.floor_divide,
    operator.mod: np.remainder, operator.pow: np.power, operator.lt: np.less,
    operator.le: np.less_equal, operator.gt: np.greater, operator.ge: np.greater_equal,
    operator.eq: np.equal, operator.ne: np.not_equal, operator.and_: np.bitwise_and,
    operator.or_: np.bitwise_or, operator.xor: np.bitwise_xor, operator.lshift: np.left_shift,
    operator.rshift: np.right_shift,
}
UNARY_OPERATORS = {operator.neg: np.negative, operator.pos: np.positive, operator.invert: np.invert}
#: ufunc -> scalar operation used for each element (when no element function applies)
SCALAR_OF_UFUNC = {**{u: op for op, u in BINARY_OPERATORS.items()},
                   **{u: op for op, u in UNARY_OPERATORS.items()}, np.absolute: abs}
FLOAT_INTRINSICS = {np.sqrt: "llvm.sqrt", np.exp: "llvm.exp", np.log: "llvm.log",
                    np.sin: "llvm.sin", np.cos: "llvm.cos", np.floor: "llvm.floor",
                    np.ceil: "llvm.ceil", np.trunc: "llvm.trunc", np.log10: "llvm.log10",
                    np.log2: "llvm.log2", np.exp2: "llvm.exp2", np.fabs: "llvm.fabs",
                    np.rint: "llvm.roundeven", np.copysign: "llvm.copysign"}
FLOAT_LIBM = {np.tan: "tan", np.arcsin: "asin", np.arccos: "acos", np.arctan: "atan",
              np.sinh: "sinh", np.cosh: "cosh", np.tanh: "tanh", np.expm1: "expm1",
              np.log1p: "log1p", np.arctan2: "atan2", np.hypot: "hypot", np.arcsinh: "asinh",
              np.arccosh: "acosh", np.arctanh: "atanh", np.cbrt: "cbrt",
              np.nextafter: "nextafter"}
#: logical ufuncs: NumPy's loops take bools (other operands are converted by the loop cast)
LOGICAL = {np.logical_and: "and_", np.logical_or: "or_", np.logical_xor: "xor",
           np.logical_not: "not_"}
#: NumPy's loops give a value where Python raises ZeroDivisionError (and only warn): 0 for
#: integers, else the IEEE quotient (±inf, nan) of the float instruction
ZERO_DIVISION = {np.true_divide: "fdiv", np.floor_divide: "fdiv", np.remainder: "frem"}
SHIFTS = {np.left_shift: "shl", np.right_shift: "ashr"}

#: ufunc -> {kinds: element function}; kinds are letters of the loop's first input type:
#: b(ool), i(nt), u(nsigned), f(loat), c(omplex)
ELEMENTS = {
    np.logaddexp: {"f": E.logaddexp}, np.logaddexp2: {"f": E.logaddexp2},
    np.true_divide: {"c": C.divide},
    np.floor_divide: {"f": E.float_floor_divide}, np.remainder: {"f": E.float_remainder},
    np.divmod: {"i": E.signed_divmod, "u": E.unsigned_divmod, "f": E.float_divmod},
    np.fmod: {"i": E.signed_fmod, "u": E.unsigned_fmod, "f": E.float_fmod},
    np.power: {"iu": E.int_power, "f": E.float_power, "c": C.power},
    np.float_power: {"f": E.float_power, "c": C.power},
    np.absolute: {"c": C.absolute}, np.rint: {"c": C.complex_rint},
    np.sign: {"iu": E.int_sign, "f": E.float_sign, "c": C.sign},
    np.conjugate: {"biuf": E.identity, "c": C.conjugate},
    np.square: {"biuf": E.square, "c": C.square},
    np.reciprocal: {"f": E.float_reciprocal, "c": C.reciprocal},
    np.gcd: {"iu": E.gcd}, np.lcm: {"iu": E.lcm},
    np.deg2rad: {"f": E.deg2rad}, np.radians: {"f": E.deg2rad},
    np.rad2deg: {"f": E.rad2deg}, np.degrees: {"f": E.rad2deg},
    np.maximum: {"f": E.float_maximum, "c": C.maximum},
    np.minimum: {"f": E.float_minimum, "c": C.minimum},
    np.fmax: {"biuf": E.fmax, "c": C.fmax}, np.fmin: {"biuf": E.fmin, "c": C.fmin},
    np.isnan: {"biu": E.never, "f": E.float_isnan, "c": C.isnan},
    np.isinf: {"biu": E.never, "f": E.float_isinf, "c": C.isinf},
    np.isfinite: {"biu": E.always, "f": E.float_isfinite, "c": C.isfinite},
    np.signbit: {"f": E.float_signbit}, np.modf: {"f": E.modf}, np.frexp: {"f": E.frexp},
    np.ldexp: {"f": E.ldexp}, np.spacing: {"f": E.spacing}, np.heaviside: {"f": E.heaviside},
    np.floor: {"biu": E.identity}, np.ceil: {"biu": E.identity}, np.trunc: {"biu": E.identity},
    np.less: {"c": C.less}, np.less_equal: {"c": C.less_equal}, np.greater: {"c": C.greater},
    np.greater_equal: {"c": C.greater_equal},
    **{u: {"c": getattr(C, u.__name__)} for u in (
        np.exp, np.exp2, np.log, np.log2, np.log10, np.expm1, np.log1p, np.sqrt, np.sin, np.cos,
        np.tan, np.arcsin, np.arccos, np.arctan, np.sinh, np.cosh, np.tanh, np.arcsinh,
        np.arccosh, np.arctanh)},
}


def kind_of(ty) -> str:
    if isinstance(ty, types.Boolean):
        return "b"
    if isinstance(ty, types.Integer):
        return "i" if ty.signed else "u"
    return "c" if isinstance(ty, types.Complex) else "f"


def element_function(ufunc, in_types):
    """The Python element function for this loop, or None."""
    kind = kind_of(in_types[0])
    return next((fn for kinds, fn in ELEMENTS.get(ufunc, {}).items() if kind in kinds), None)


def scalar_kernel(context, ufunc, in_types, out_types):
    """fn(builder, values) -> [outputs] computing one element of `ufunc` for this loop."""
    if any(is_datetime_like(t) for t in (*in_types, *out_types)):
        return datetime_kernel(context, ufunc, in_types, out_types)
    fn = element_function(ufunc, in_types)
    if fn is not None:
        return python_kernel(context, fn, in_types, out_types)
    single = _single_output_kernel(context, ufunc, in_types, out_types[0])
    return lambda builder, values: [single(builder, values)]


def _single_output_kernel(context, ufunc, in_types, out_type):
    if ufunc in SHIFTS:
        return lambda builder, values: _shift(builder, values, SHIFTS[ufunc], in_types[0])
    if ufunc is np.reciprocal:
        return lambda builder, values: _int_reciprocal(builder, values[0], in_types[0])
    if ufunc in (np.minimum, np.maximum):
        signed = getattr(in_types[0], "signed", False)  # bools compare as unsigned i1
        return lambda builder, values: _min_max(builder, values, ufunc is np.minimum, signed)
    if ufunc in LOGICAL:
        return _logical_kernel(context, LOGICAL[ufunc], in_types)
    if ufunc in SCALAR_OF_UFUNC:
        return _operator_kernel(context, ufunc, in_types, out_type)
    return _float_kernel(context, ufunc, in_types, out_type)


# -- element functions in Python ------------------------------------------------------------------

def python_kernel(context, fn, in_types, out_types):
    """Call `fn` compiled for the loop's types; complex values travel as (real, imag) pairs."""
    flat = [p for t in in_types for p in _parts(t)]
    callee = COMPILE_HOOK["compile_internal"](context.typing_context, fn,
                                              types.signature(types.none, *flat))
    result_type = callee.signature.return_type

    def compute(builder, values):
        args = [a for v, t in zip(values, in_types) for a in _split(builder, v, t)]
        result = context.call_inline_callee(builder, callee, args)
        if isinstance(result_type, types.BaseTuple):
            parts = [(builder.extract_value(result, k), t) for k, t in enumerate(result_type)]
        else:
            parts = [(result, result_type)]
        return _assemble(context, builder, iter(parts), out_types)
    return compute


def _parts(ty):
    return [ty.underlying_float] * 2 if isinstance(ty, types.Complex) else [ty]


def _split(builder, value, ty):
    if isinstance(ty, types.Complex):
        return [builder.extract_value(value, 0), builder.extract_value(value, 1)]
    return [value]


def _assemble(context, builder, parts, out_types):
    outputs = []
    for ty in out_types:
        if isinstance(ty, types.Complex):
            (re, re_ty), (im, im_ty) = next(parts), next(parts)
            f = ty.underlying_float
            outputs.append(cgutils.pack_struct(builder, [context.cast(builder, re, re_ty, f),
                                                         context.cast(builder, im, im_ty, f)]))
        else:
            value, value_ty = next(parts)
            outputs.append(context.cast(builder, value, value_ty, ty))
    return outputs


# -- scalar operators -----------------------------------------------------------------------------

def _operator_kernel(context, ufunc, in_types, out_type):
    op = SCALAR_OF_UFUNC[ufunc]
    sig = context.typing_context.resolve_key(op, tuple(in_types), {})
    impl = context.get_function(types.Function(op), sig)

    def compute(builder, values):
        values = [context.cast(builder, v, t, f) for v, t, f in zip(values, in_types, sig.args)]
        return context.cast(builder, impl(builder, values), sig.return_type, out_type)
    if ufunc in ZERO_DIVISION and not isinstance(in_types[1], types.Complex):
        signed = isinstance(in_types[1], types.Integer) and in_types[1].signed
        return _numpy_zero_division(compute, ZERO_DIVISION[ufunc], signed)
    return compute


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


# -- LLVM kernels ---------------------------------------------------------------------------------

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
    compare = builder.icmp_signed if signed else builder.icmp_unsigned
    return builder.select(compare("<" if is_min else ">", a, b), a, b)


def _shift(builder, values, instruction, ty):
    """NumPy's shifts: a count of the bit width or more (or negative) shifts every bit out."""
    value, count = values
    width = ir.Constant(value.type, value.type.width)
    in_range = builder.icmp_unsigned("<", count, width)
    safe = builder.select(in_range, count, ir.Constant(value.type, 0))
    if instruction == "ashr" and not ty.signed:
        instruction = "lshr"
    shifted = getattr(builder, instruction)(value, safe)
    if instruction == "ashr":  # all sign bits
        out = builder.ashr(value, ir.Constant(value.type, value.type.width - 1))
    else:
        out = ir.Constant(value.type, 0)
    return builder.select(in_range, shifted, out)


def _int_reciprocal(builder, x, ty):
    """1.0 / x converted to the integer type as NumPy's loop does on x86-64: 1 and -1 are
    their own reciprocals, 0 gives the int32/int64 minimum (0 for other types), others 0."""
    zero = ir.Constant(x.type, 0)
    result = builder.select(builder.icmp_unsigned("==", x, ir.Constant(x.type, 1)), x, zero)
    if getattr(ty, "signed", False):
        result = builder.select(builder.icmp_signed("==", x, ir.Constant(x.type, -1)), x, result)
        if x.type.width >= 32:
            minimum = ir.Constant(x.type, -(1 << (x.type.width - 1)))
            result = builder.select(builder.icmp_signed("==", x, zero), minimum, result)
    return result
