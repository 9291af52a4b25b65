"""Builtin functions on scalars: bool, int, float, complex, abs, min, max, round, divmod, pow,
`not`, `is`; and the truth value of every builtin type."""
from __future__ import annotations

import math
import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ..extending import overload
from ..typing.unify import number_result
from ..lowering.registry import VarArg
from ._registries import AbstractTemplate, lower_builtin, register
from .numbers import ZERO_DIVISION, float_divmod, int_divmod, raise_if

Number = (types.Boolean, types.Number)


def _unary(key, accept, result):
    """Register `key(x)` for argument types `accept`, returning `result(x)`."""
    class Template(AbstractTemplate):
        def generic(self, args, kws):
            if len(args) == 1 and not kws and isinstance(args[0], accept):
                arg = types.unliteral(args[0])
                return types.signature(result(arg), arg)
            return None
    Template.key = key
    Template.__name__ = f"Builtin_{getattr(key, '__name__', key)}"
    register(Template)


# -- truth ---------------------------------------------------------------------------------------

class DecidedTruthTemplate(AbstractTemplate):
    """bool(c) and not c of a condition known at compile time (isinstance(), a constant)
    stay literals, so a branch on them is decided (typing/pruning.py)."""

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.BooleanLiteral):
            value = args[0].literal_value
            result = types.literal(not value if self.key is operator.not_ else value)
            return types.signature(result, args[0])
        return None


for _key in (bool, operator.not_):
    register(type(f"DecidedTruth_{_key.__name__}", (DecidedTruthTemplate,), {"key": _key}))
_unary(bool, (types.Boolean, types.Number, types.NoneType, types.BaseTuple, types.RangeType),
       lambda a: types.boolean)
_unary(operator.not_, (types.Boolean, types.Number, types.NoneType, types.BaseTuple),
       lambda a: types.boolean)


@lower_builtin(bool, types.BooleanLiteral)
@lower_builtin(operator.not_, types.BooleanLiteral)
def decided_truth_impl(context, builder, sig, args):
    return context.get_constant(types.boolean, sig.return_type.literal_value)


@lower_builtin(bool, types.Boolean)
def bool_bool_impl(context, builder, sig, args):
    return args[0]


@lower_builtin(bool, types.Integer)
def int_bool_impl(context, builder, sig, args):
    return cgutils.is_not_null(builder, args[0])


@lower_builtin(bool, types.Float)
def float_bool_impl(context, builder, sig, args):
    return builder.fcmp_unordered("!=", args[0], ir.Constant(args[0].type, 0.0))


@lower_builtin(bool, types.Complex)
def complex_bool_impl(context, builder, sig, args):
    parts = [builder.extract_value(args[0], i) for i in range(2)]
    zero = ir.Constant(parts[0].type, 0.0)
    return builder.or_(*(builder.fcmp_unordered("!=", p, zero) for p in parts))


@lower_builtin(bool, types.NoneType)
def none_bool_impl(context, builder, sig, args):
    return cgutils.false_bit


@lower_builtin(bool, types.BaseTuple)
def tuple_bool_impl(context, builder, sig, args):
    return ir.Constant(ir.IntType(1), int(len(sig.args[0]) > 0))


@lower_builtin(operator.not_, types.Any)
def not_impl(context, builder, sig, args):
    return builder.not_(context.is_true(builder, sig.args[0], args[0]))


# -- identity --------------------------------------------------------------------------------------

class IsTemplate(AbstractTemplate):
    """`x is None` / `x is not None` and identity of singletons (resolved statically)."""

    def generic(self, args, kws):
        if len(args) == 2 and any(isinstance(a, types.NoneType) for a in args):
            return types.signature(types.boolean, *args)
        if len(args) == 2 and all(isinstance(a, types.Boolean) for a in args):
            return types.signature(types.boolean, types.boolean, types.boolean)
        if len(args) == 2 and all(isinstance(types.unliteral(a), types.Integer) for a in args):
            return types.signature(types.boolean, types.int64, types.int64)  # by value, as Numba
        return None


for _key in (operator.is_, operator.is_not):
    register(type(f"Is_{_key.__name__}", (IsTemplate,), {"key": _key}))


@lower_builtin(operator.is_, types.Any, types.Any)
def is_impl(context, builder, sig, args):
    a, b = sig.args
    if isinstance(a, types.Boolean) and isinstance(b, types.Boolean) or a == b == types.int64:
        return builder.icmp_unsigned("==", *args)
    return ir.Constant(ir.IntType(1), int(a == b))


@lower_builtin(operator.is_not, types.Any, types.Any)
def is_not_impl(context, builder, sig, args):
    return builder.not_(is_impl(context, builder, sig, args))


# -- conversions -----------------------------------------------------------------------------------
_unary(int, (types.Boolean, types.Integer, types.Float),  # (an integer keeps its type: Numba's)
       lambda a: a if isinstance(a, types.Integer) else types.int64)
_unary(float, Number[:1] + (types.Integer, types.Float), lambda a: types.float64)
_unary(complex, (types.Boolean, types.Number), lambda a: types.complex128)


@lower_builtin(int, types.Any)
@lower_builtin(float, types.Any)
@lower_builtin(complex, types.Any)
def convert_impl(context, builder, sig, args):
    if isinstance(sig.args[0], types.Float) and isinstance(sig.return_type, types.Integer):
        check_integral(context, builder, args[0], sig.return_type)
    return context.cast(builder, args[0], sig.args[0], sig.return_type)


def check_integral(context, builder, x, ty):
    """CPython's errors where a float has no integer value of type `ty` (LLVM's conversion
    would give an undefined value): NaN, infinities, and values beyond the type's range. One
    test on the way through (ordered comparisons are false for NaN); which error, only when
    it fails."""
    # the bounds of the values that truncate into the type, exact in every float type
    low, high = (-2.0 ** (ty.bitwidth - 1), 2.0 ** (ty.bitwidth - 1)) if ty.signed else \
        (-1.0, 2.0 ** ty.bitwidth)
    inside = builder.and_(
        builder.fcmp_ordered(">=" if ty.signed else ">", x, ir.Constant(x.type, low)),
        builder.fcmp_ordered("<", x, ir.Constant(x.type, high)))
    with cgutils.if_unlikely(builder, builder.not_(inside)):
        raise_if(context, builder, builder.fcmp_unordered("uno", x, x), ValueError,
                 "cannot convert float NaN to integer")
        fabs = cgutils.call_intrinsic(builder, "llvm.fabs", [x])
        raise_if(context, builder, builder.fcmp_ordered("==", fabs, ir.Constant(x.type, math.inf)),
                 OverflowError, "cannot convert float infinity to integer")
        context.call_conv.return_user_exc(builder, OverflowError, (
            f"float too large to convert to {ty}",))


class ComplexTemplate(AbstractTemplate):
    key = complex

    def generic(self, args, kws):
        if len(args) == 2 and not kws and all(isinstance(a, (types.Integer, types.Float,
                                                               types.Boolean)) for a in args):
            return types.signature(types.complex128, types.float64, types.float64)
        return None


register(ComplexTemplate)


@lower_builtin(complex, types.Float, types.Float)
def complex2_impl(context, builder, sig, args):
    return cgutils.pack_struct(builder, list(args))


# -- abs, round ------------------------------------------------------------------------------------
_unary(abs, (types.Boolean, types.Integer, types.Float), lambda a: types.int64 if isinstance(
    a, types.Boolean) else a)
_unary(abs, (types.Complex,), lambda a: a.underlying_float)


@lower_builtin(abs, types.Boolean)
def abs_bool_impl(context, builder, sig, args):
    return builder.zext(args[0], ir.IntType(64))


@lower_builtin(abs, types.Integer)
def abs_int_impl(context, builder, sig, args):
    x = args[0]
    if not sig.args[0].signed:
        return x
    return builder.select(builder.icmp_signed("<", x, ir.Constant(x.type, 0)), builder.neg(x), x)


@lower_builtin(abs, types.Float)
def abs_float_impl(context, builder, sig, args):
    return cgutils.call_intrinsic(builder, "llvm.fabs", args[:1])


@lower_builtin(abs, types.Complex)
def abs_complex_impl(context, builder, sig, args):
    real, imag = (builder.extract_value(args[0], i) for i in range(2))
    name = "hypotf" if sig.return_type.bitwidth == 32 else "hypot"
    fnty = ir.FunctionType(real.type, [real.type, real.type])
    return builder.call(cgutils.get_or_insert_function(builder.module, fnty, name), [real, imag])


_unary(round, (types.Float,), lambda a: types.int64)
_unary(round, (types.Integer, types.Boolean), lambda a: types.int64)


@lower_builtin(round, types.Float)
def round_float_impl(context, builder, sig, args):
    """Round half to even, like Python's round(x)."""
    rounded = cgutils.call_intrinsic(builder, "llvm.roundeven", args[:1])
    check_integral(context, builder, rounded, types.int64)
    return builder.fptosi(rounded, ir.IntType(64))


@lower_builtin(round, types.Integer)
@lower_builtin(round, types.Boolean)
def round_int_impl(context, builder, sig, args):
    return context.cast(builder, args[0], sig.args[0], types.int64)


# -- min, max --------------------------------------------------------------------------------------

class MinMaxTemplate(AbstractTemplate):
    """min/max over two or more numbers, or over one homogeneous tuple."""

    def generic(self, args, kws):
        if kws or not args:
            return None
        _refuse_unordered_dates(self.key.__name__, args)
        if len(args) == 1 and isinstance(args[0], types.UniTuple) and len(args[0]) > 0:
            elem = args[0].dtype
            return types.signature(elem, args[0]) if isinstance(elem, Number) else None
        if len(args) < 2 or not all(isinstance(a, Number) for a in args):
            return None
        common = args[0]
        for a in args[1:]:
            common = number_result(common, a)
        if isinstance(common, types.Complex):
            return None
        if all(isinstance(types.unliteral(a), types.Boolean) for a in args):
            common = types.boolean
        return types.signature(common, *([common] * len(args)))


def _refuse_unordered_dates(name: str, args) -> None:
    """A datetime64 among other scalars (bool, numbers, timedelta64) has no ordering with
    them: NumPy's comparison raises, so min/max of them is a TypingError."""
    dates = [isinstance(a, types.NPDatetime) for a in args]
    if len(args) < 2 or all(dates) or not any(dates):
        return
    if all(isinstance(a, (*Number, types.NPTimedelta, types.NPDatetime)) for a in args):
        shown = ", ".join(str(types.unliteral(a)) for a in args)
        raise TypingError(f"{name}(): Given types cannot be unified: [{shown}] (a datetime64 "
                          "has no ordering with the others: CPython raises TypeError)")


for _key in (min, max):
    register(type(f"MinMax_{_key.__name__}", (MinMaxTemplate,), {"key": _key}))


def _minmax(operator_fn):
    """Python's rule: keep the first extreme; replace only when strictly better."""
    def impl(context, builder, sig, args):
        if len(sig.args) == 1:
            ty = sig.args[0]
            values = [builder.extract_value(args[0], i) for i in range(len(ty))]
            elem = ty.dtype
        else:
            values, elem = list(args), sig.return_type
        cmp_sig = types.signature(types.boolean, elem, elem)
        better = context.get_function(types.Function(operator_fn), cmp_sig)
        result = values[0]
        for v in values[1:]:
            result = builder.select(better(builder, [v, result]), v, result)
        return result
    return impl


for _key, _cmp in ((min, operator.lt), (max, operator.gt)):
    lower_builtin(_key, VarArg(types.Any))(_minmax(_cmp))


# -- divmod, pow -----------------------------------------------------------------------------------

class DivmodTemplate(AbstractTemplate):
    key = divmod

    def generic(self, args, kws):
        if len(args) != 2 or kws or not all(isinstance(a, Number) for a in args):
            return None
        common = number_result(*args)
        if isinstance(common, types.Complex):
            return None
        return types.signature(types.UniTuple(common, 2), common, common)


register(DivmodTemplate)


@lower_builtin(divmod, types.Integer, types.Integer)
def divmod_int_impl(context, builder, sig, args):
    q, r = int_divmod(context, builder, sig.args[0], *args)
    return context.make_tuple(builder, sig.return_type, [q, r])


@lower_builtin(divmod, types.Float, types.Float)
def divmod_float_impl(context, builder, sig, args):
    q, r = float_divmod(context, builder, *args, ZERO_DIVISION["float divmod"])
    return context.make_tuple(builder, sig.return_type, [q, r])


class PowTemplate(AbstractTemplate):
    key = pow

    def generic(self, args, kws):
        """`pow(a, b)`, also as `pow(base=a, exp=b)` (three arguments: number_methods.py)."""
        named = ("base", "exp")[len(args):]
        if set(kws) - set(named) or len(args) + len(kws) != 2:
            return None
        sig = self.context.resolve_key(operator.pow, (*args, *(kws[k] for k in named)), {})
        if sig is None or not kws:
            return sig
        at = {name: len(args) + i for i, name in enumerate(kws)}  # call order -> parameters
        return sig.replace(order=[*range(len(args)), *(at[name] for name in named)])


register(PowTemplate)


@lower_builtin(pow, types.Any, types.Any)
def pow_impl(context, builder, sig, args):
    return context.get_function(types.Function(operator.pow), sig)(builder, args)


# -- operator module functions with no statement form ----------------------------------------------

@overload(operator.abs)
def operator_abs(a):
    return lambda a: abs(a)


@overload(operator.inv)
def operator_inv(a):
    return lambda a: ~a


@overload(operator.index)
def operator_index(a):
    """An integer (or bool, an int in CPython) as itself; anything else is a TypingError."""
    if isinstance(types.unliteral(a), (types.Integer, types.Boolean)):
        return lambda a: int(a)
    return None


@overload(operator.concat)
def operator_concat(a, b):
    """Sequences only: CPython's TypeError for numbers becomes a TypingError."""
    if isinstance(a, (types.List, types.BaseTuple, types.UnicodeType)):
        return lambda a, b: a + b
    return None


@overload(operator.countOf)
def operator_count_of(a, b):
    def impl(a, b):
        count = 0
        for item in a:
            count += item == b  # (identity aside: compiled values have none to compare)
        return count
    return impl
