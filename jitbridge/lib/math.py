"""The `math` module: functions on floats (ints convert), through LLVM intrinsics or libm,
with CPython's errors (math_errors.py)."""
from __future__ import annotations

import math

from llvmlite import ir

from .. import types
from ..core import cgutils
from ._registries import (AbstractTemplate, ConcreteTemplate, lower_builtin, register,
                          register_global)
from . import math_errors, math_ieee
from .builtins import check_integral
from .numbers import ZERO_DIVISION, is_zero, python_errors, raise_if

F32, F64 = types.float32, types.float64

#: math function -> the float function computing it (math_ieee.emit: an LLVM intrinsic or
#: the C library's); CPython's errors are checked after the call (math_errors.py)
UNARY = {math.sqrt: "sqrt", math.exp: "exp", math.log: "log", math.sin: "sin",
         math.cos: "cos", math.fabs: "fabs", math.log10: "log10", math.log2: "log2",
         math.tan: "tan", math.asin: "asin", math.acos: "acos", math.atan: "atan",
         math.sinh: "sinh", math.cosh: "cosh", math.tanh: "tanh", math.asinh: "asinh",
         math.acosh: "acosh", math.atanh: "atanh", math.log1p: "log1p", math.expm1: "expm1",
         math.erf: "erf", math.erfc: "erfc"}
if hasattr(math, "exp2"):  # Python 3.11+
    UNARY[math.exp2] = "exp2"
# (math.gamma and lgamma are CPython's own Lanczos algorithm, math_gamma.py; math.hypot is
# CPython's vector norm, math_sums.py: the C library's differ from them in the last bit)
BINARY = {math.atan2: "atan2", math.copysign: "copysign", math.fmod: "fmod", math.pow: "pow"}
INTEGER_RESULT = {math.floor: "llvm.floor", math.ceil: "llvm.ceil", math.trunc: "llvm.trunc"}
PREDICATES = (math.isnan, math.isinf, math.isfinite)


def _concrete(key, cases):
    register(type(f"Math_{key.__name__}", (ConcreteTemplate,), {"key": key, "cases": cases}))


def _register_float_function(key, name, arity):
    _concrete(key, [types.signature(F64, *([F64] * arity)), types.signature(F32, *([F32] * arity))])

    def impl(context, builder, sig, args):
        math_errors.check_argument(context, builder, key, args)
        result = math_ieee.emit(builder, name, args)
        if key is math.pow:
            math_errors.check_pow(context, builder, *args, result)
        else:
            math_errors.check_result(context, builder, key, args, result)
        return result
    for ty in (F32, F64):
        lower_builtin(key, *([ty] * arity))(impl)


for _key, _name in UNARY.items():
    _register_float_function(_key, _name, 1)
for _key, _name in BINARY.items():
    _register_float_function(_key, _name, 2)


class IntegerRounding(AbstractTemplate):
    """math.floor/ceil/trunc return int64 (Python returns int)."""

    def generic(self, args, kws):
        if len(args) != 1 or kws:
            return None
        arg = types.unliteral(args[0])
        if isinstance(arg, (types.Integer, types.Boolean)):
            return types.signature(types.int64, types.int64)
        if isinstance(arg, types.Float):
            return types.signature(types.int64, arg)
        return None


for _key, _name in INTEGER_RESULT.items():
    register(type(f"Math_{_key.__name__}", (IntegerRounding,), {"key": _key}))

    def _rounding_impl(context, builder, sig, args, _name=_name):
        if isinstance(sig.args[0], types.Integer):
            return args[0]
        rounded = cgutils.call_intrinsic(builder, _name, args)
        check_integral(context, builder, rounded, types.int64)  # (NaN, inf: CPython's errors)
        return builder.fptosi(rounded, ir.IntType(64))
    lower_builtin(_key, types.Float)(_rounding_impl)
    lower_builtin(_key, types.Integer)(_rounding_impl)


def _predicate_impl(key):
    def impl(context, builder, sig, args):
        x = args[0]
        if isinstance(sig.args[0], types.Integer):
            return ir.Constant(ir.IntType(1), int(key is math.isfinite))
        if key is math.isnan:
            return builder.fcmp_unordered("uno", x, x)
        inf = ir.Constant(x.type, float("inf"))
        fabs = cgutils.call_intrinsic(builder, "llvm.fabs", [x])
        if key is math.isinf:
            return builder.fcmp_ordered("==", fabs, inf)
        return builder.fcmp_ordered("<", fabs, inf)
    return impl


for _key in PREDICATES:
    _concrete(_key, [types.signature(types.boolean, t) for t in (types.int64, F32, F64)])
    for _ty in (types.Integer, types.Float):
        lower_builtin(_key, _ty)(_predicate_impl(_key))


class LogWithBase(AbstractTemplate):
    key = math.log

    def generic(self, args, kws):
        real = (types.Integer, types.Float, types.Boolean)  # (bool is an int; complex: refused)
        if len(args) == 2 and all(isinstance(types.unliteral(a), real) for a in args):
            return types.signature(F64, F64, F64)
        return None


register(LogWithBase)


@lower_builtin(math.log, F64, F64)
def log_base_impl(context, builder, sig, args):
    """log(x) / log(base), each checked as math.log(x) is; a base of 1 divides by zero."""
    logs = []
    for value in args:
        logs.append(cgutils.call_intrinsic(builder, "llvm.log", [value]))
        math_errors.check_result(context, builder, math.log, [value], logs[-1])
    if python_errors(context):
        raise_if(context, builder, is_zero(builder, logs[1]), ZeroDivisionError,
                 ZERO_DIVISION["float /"])
    return builder.fdiv(*logs)


_concrete(math.degrees, [types.signature(F64, F64)])
_concrete(math.radians, [types.signature(F64, F64)])


@lower_builtin(math.degrees, F64)
def degrees_impl(context, builder, sig, args):
    return builder.fmul(args[0], ir.Constant(args[0].type, 180.0 / math.pi))


@lower_builtin(math.radians, F64)
def radians_impl(context, builder, sig, args):
    return builder.fmul(args[0], ir.Constant(args[0].type, math.pi / 180.0))


for _value in (*UNARY, *BINARY, *INTEGER_RESULT, *PREDICATES,
               math.degrees, math.radians):
    register_global(_value, types.Function(_value))
from . import math_gamma, math_int, math_more, math_sums  # noqa: E402,F401  (the rest)
