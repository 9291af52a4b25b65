"""Operators and builtins on datetime64/timedelta64 scalars.

Operators resolve their units with NumPy (`datetimes_kernels.resolve_loop`), convert each
operand to its loop unit, and run the same element function as the ufunc on arrays, so scalars
and arrays agree: `DT('2014') + TD(4, 'D')` is `DT('2014-01-05')`, NaT compares unequal to
everything, and units NumPy refuses to mix (months with days) are a TypingError.
"""
from __future__ import annotations

import numpy as np

from .. import types
from ..errors import TypingError
from ..extending import intrinsic, overload
from ..types.datetime import is_datetime_like
from ..types.functions import Signature
from ._registries import AbstractTemplate, lower_builtin, register
from .arrays.ufunc_kernels import BINARY_OPERATORS, UNARY_OPERATORS
from .arrays.ufuncs import INPLACE_OPERATORS
from .datetimes_kernels import (datetime_kernel, dtype_of_scalar, has_loop, resolve_loop,
                                type_of_dtype)

#: every operator on scalars, computed by its ufunc's loop (NumPy refuses the meaningless ones)
OPERATORS = {**BINARY_OPERATORS, **UNARY_OPERATORS, abs: np.absolute, divmod: np.divmod,
             **{inplace: BINARY_OPERATORS[op] for inplace, op in INPLACE_OPERATORS.items()}}
#: units whose values Python's int() converts (coarser ones become datetime.datetime objects)
INT_UNITS = ("", "ns", "ps", "fs", "as")


def numpy_operand(ty):
    """What NumPy's resolution sees: a dtype, or the Python type of a weak literal."""
    if isinstance(ty, types.IntegerLiteral):
        return int
    if isinstance(ty, types.Literal) and isinstance(types.unliteral(ty), types.Float):
        return float
    return dtype_of_scalar(ty)


def _scalar_operands(args) -> bool:
    scalar = (types.Number, types.Boolean, types.NPDatetime, types.NPTimedelta)
    return any(is_datetime_like(a) for a in args) and all(isinstance(a, scalar) for a in args)


def lower_scalar_ufunc(ufunc):
    """The lowering of `ufunc` on datetime scalars: operands converted to the loop's units."""
    def impl(context, builder, sig, args):
        loop_in, loop_out = resolve_loop(ufunc, [numpy_operand(t) for t in sig.args])
        values = [context.cast(builder, v, t, f) for v, t, f in zip(args, sig.args, loop_in)]
        results = datetime_kernel(context, ufunc, loop_in, loop_out)(builder, values)
        if len(results) == 1:
            return results[0]
        return context.make_tuple(builder, sig.return_type, results)
    return impl


def _constant_answer(value: bool):
    """== (False) and != (True) between kinds NumPy never compares."""
    return lambda context, builder, sig, args: context.get_constant(types.boolean, value)


class DatetimeOperator(AbstractTemplate):
    ufunc = None

    def generic(self, args, kws):
        if kws or len(args) != self.ufunc.nin or not _scalar_operands(args):
            return None
        operands = [numpy_operand(t) for t in args]
        if self.ufunc in (np.equal, np.not_equal) and not has_loop(self.ufunc, operands):
            answer = _constant_answer(self.ufunc is np.not_equal)
            return Signature(types.boolean, tuple(args), impl=answer)
        _, loop_out = resolve_loop(self.ufunc, operands)
        result = loop_out[0] if len(loop_out) == 1 else types.Tuple(tuple(loop_out))
        return Signature(result, tuple(args), impl=lower_scalar_ufunc(self.ufunc))


for _op, _ufunc in OPERATORS.items():
    register(type(f"Datetime_{_op.__name__}", (DatetimeOperator,),
                  {"key": _op, "ufunc": _ufunc}))


# -- the int64 count behind a value ---------------------------------------------------------------

@intrinsic
def count_of(typingctx, value):
    """The int64 count of units of a datetime64/timedelta64 (NaT: the int64 minimum)."""
    if not is_datetime_like(value):
        return None
    return types.int64(value), lambda context, builder, sig, args: args[0]


@intrinsic
def with_count(typingctx, count, like):
    """A value of `like`'s type (a datetime type, or an array of them) holding `count` units."""
    ty = like.dtype if isinstance(like, types.Array) else like
    if not (isinstance(count, types.Integer) and is_datetime_like(ty)):
        return None

    def codegen(context, builder, sig, args):
        return context.cast(builder, args[0], sig.args[0], types.int64)
    return ty(count, like), codegen


# -- builtins -------------------------------------------------------------------------------------

def _both_datetimes(a, b) -> bool:
    return is_datetime_like(a) and is_datetime_like(b)


@overload(min)
def datetime_min(a, b):
    if _both_datetimes(a, b):
        return lambda a, b: b if b < a else a  # Python's min keeps the first of equals


@overload(max)
def datetime_max(a, b):
    if _both_datetimes(a, b):
        return lambda a, b: b if b > a else a


@overload(hash)
def datetime_hash(value):
    if isinstance(value, types.NPTimedelta) and not value.unit:
        def generic_hash(value):
            raise ValueError("Can't hash generic timedelta64")
        return generic_hash
    if is_datetime_like(value):
        return lambda value: count_of(value)


@overload(int)
def datetime_int(value):
    if not is_datetime_like(value):
        return None
    if value.unit not in INT_UNITS:
        raise TypingError(f"Only {value.kind_name}[ns] can be converted to int, but got {value} "
                          f"(NumPy gives a datetime.datetime or datetime.timedelta)")
    return lambda value: count_of(value)


# -- np.datetime64(...) and np.timedelta64(...) ----------------------------------------------------

def _construction(cls, rest):
    """(result type, constant count or None) of np.datetime64/np.timedelta64(*rest), or None:
    constant strings are parsed by NumPy when compiling, an integer counts a constant unit."""
    if not is_datetime_like(cls.instance_type) or len(rest) not in (1, 2) or \
            not all(isinstance(a, types.StringLiteral) for a in rest[1:]):
        return None
    unit = [a.literal_value for a in rest[1:]]
    make = np.datetime64 if isinstance(cls.instance_type, types.NPDatetime) else np.timedelta64
    if isinstance(rest[0], types.StringLiteral):
        value = _parsed(make, rest[0].literal_value, unit)
        return type_of_dtype(value.dtype), int(np.asarray(value).view(np.int64))
    if unit and isinstance(types.unliteral(rest[0]), types.Integer):
        return type_of_dtype(_parsed(make, 0, unit).dtype), None
    return None


def _parsed(make, value, unit):
    try:
        return make(value, *unit)
    except (TypeError, ValueError) as exc:
        raise TypingError(f"np.{make.__name__}({value!r}{''.join(', ' + repr(u) for u in unit)})"
                          f": {exc}") from None


class DatetimeConstruction(AbstractTemplate):
    """`np.datetime64('2014-01', 'D')`, `np.timedelta64('NaT')`, `np.timedelta64(n, 'ms')`."""
    key = types.NumberClass

    def generic(self, args, kws):
        made = None if kws else _construction(args[0], args[1:])
        return None if made is None else types.signature(made[0], *args)


register(DatetimeConstruction)


@lower_builtin(types.NumberClass, types.NumberClass, types.StringLiteral)
@lower_builtin(types.NumberClass, types.NumberClass, types.StringLiteral, types.StringLiteral)
@lower_builtin(types.NumberClass, types.NumberClass, types.Integer, types.StringLiteral)
def datetime_construction_impl(context, builder, sig, args):
    _, constant = _construction(sig.args[0], sig.args[1:])
    if constant is not None:
        return context.get_constant(types.int64, constant)
    return context.cast(builder, args[1], sig.args[1], types.int64)
