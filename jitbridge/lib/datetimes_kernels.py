"""datetime64/timedelta64 loops: NumPy's type resolution and one element of each loop.

Shared by the scalar operators (`datetimes`) and the ufunc layer (`arrays.ufunc_kernels`), so
`td1 + td2` and `np.add(arr, td)` agree exactly. Which units a loop runs in comes from NumPy
itself (`ufunc.resolve_dtypes`): unit promotion and the Y/M-versus-day refusals are NumPy's.
Elements are int64 counts (NaT is the int64 minimum), computed by the Python functions below
as NumPy's C loops compute them. This module registers nothing.
"""
from __future__ import annotations

import math

import numpy as np

from .. import types
from ..core.base import COMPILE_HOOK
from ..errors import TypingError
from ..extending import register_jitable
from ..types.datetime import is_datetime_like

NAT = -(1 << 63)
INT64_LIMIT = 2.0 ** 63


def dtype_of_scalar(ty) -> np.dtype:
    """The NumPy dtype of a datetime, timedelta or number type."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.NPDatetime):
        return np.dtype(f"M8[{ty.unit}]" if ty.unit else "M8")
    if isinstance(ty, types.NPTimedelta):
        return np.dtype(f"m8[{ty.unit}]" if ty.unit else "m8")
    return np.dtype("bool" if isinstance(ty, types.Boolean) else ty.name)


def type_of_dtype(dtype: np.dtype):
    """The element type of a builtin or datetime dtype (TypeError if neither)."""
    if dtype.kind in "mM":
        unit, count = np.datetime_data(dtype)
        if count != 1:
            raise TypeError(f"unsupported array dtype {dtype} (a unit with a multiplier)")
        cls = types.NPDatetime if dtype.kind == "M" else types.NPTimedelta
        return cls("" if unit == "generic" else unit)
    ty = getattr(types, "boolean" if dtype.name == "bool" else dtype.name, None)
    if not isinstance(ty, (types.Number, types.Boolean)):
        raise TypeError(f"unsupported dtype {dtype}")
    return ty


def resolve_loop(ufunc, operands):
    """([loop input types], [loop output types]) of `ufunc` on these operands (numbers,
    datetimes or NumPy's weak Python scalars `int`/`float`), as NumPy resolves them; a
    TypingError naming the operands when NumPy refuses them."""
    try:
        dtypes = ufunc.resolve_dtypes(tuple(operands) + (None,) * ufunc.nout)
    except (TypeError, ValueError):  # NumPy's UFuncTypeError and DTypePromotionError
        names = " and ".join(_operand_name(o) for o in operands)
        raise TypingError(f"ufunc '{ufunc.__name__}' is not supported between {names}") from None
    loop = [type_of_dtype(d) for d in dtypes]
    return loop[:ufunc.nin], loop[ufunc.nin:]


def has_loop(ufunc, operands) -> bool:
    """False where NumPy has no loop at all for these kinds of operands (a timedelta and a
    float, a datetime and an int): scalar == and != then answer False and True, as NumPy's
    scalars do. Units that cannot be reconciled (years and days) are not such a case."""
    try:
        ufunc.resolve_dtypes(tuple(operands) + (None,) * ufunc.nout)
    except TypeError as exc:  # no loop: a subclass (UFuncTypeError); bad units: TypeError
        return type(exc) is TypeError
    return True


def _operand_name(operand) -> str:
    return operand.__name__ if isinstance(operand, type) else str(operand)


def value_type(ty):
    """The type the element functions see: a datetime as its int64 count."""
    return types.int64 if is_datetime_like(ty) else ty


# -- elements (a, b: int64 counts; NaT in, NaT out) ---------------------------------------------

def add(a, b):
    return NAT if a == NAT or b == NAT else a + b


def subtract(a, b):
    return NAT if a == NAT or b == NAT else a - b


def td_times_int(td, n):
    return NAT if td == NAT else td * n


def int_times_td(n, td):
    return NAT if td == NAT else n * td


@register_jitable
def float_to_td(x):
    """A float result as a count: NaT where NumPy's conversion has no int64 (nan, overflow)."""
    if x != x or not (-INT64_LIMIT <= x < INT64_LIMIT):
        return NAT
    return int(x)


@register_jitable
def td_times_float(td, x):
    return NAT if td == NAT else float_to_td(td * x)


def float_times_td(x, td):
    return td_times_float(td, x)


@register_jitable
def truncated_div(a, b):
    """C's integer division (towards zero), as NumPy's timedelta loops divide."""
    q = a // b
    return q + 1 if q < 0 and q * b != a else q


def td_div_int(td, n):
    return NAT if td == NAT or n == 0 else truncated_div(td, n)


def td_div_float(td, x):
    if td == NAT or x == 0.0 or x != x:
        return NAT
    return float_to_td(td / x)


def td_div_td(a, b):
    if a == NAT or b == NAT:
        return math.nan
    if b == 0:  # IEEE, where Python would raise
        return math.nan if a == 0 else math.copysign(math.inf, a)
    return float(a) / float(b)


@register_jitable
def td_floordiv_td(a, b):
    return 0 if a == NAT or b == NAT or b == 0 else a // b


@register_jitable
def td_remainder(a, b):
    return NAT if a == NAT or b == NAT or b == 0 else a % b


def td_divmod(a, b):
    return td_floordiv_td(a, b), td_remainder(a, b)


def negative(a):
    return NAT if a == NAT else -a


def positive(a):
    return a


def absolute(a):
    return a if a >= 0 or a == NAT else -a


def sign(a):
    return 1 if a > 0 else (-1 if a < 0 else 0)


def equal(a, b):
    return a != NAT and b != NAT and a == b


def not_equal(a, b):
    return a == NAT or b == NAT or a != b


def less(a, b):
    return a != NAT and b != NAT and a < b


def less_equal(a, b):
    return a != NAT and b != NAT and a <= b


def greater(a, b):
    return a != NAT and b != NAT and a > b


def greater_equal(a, b):
    return a != NAT and b != NAT and a >= b


def maximum(a, b):
    return NAT if a == NAT or b == NAT else max(a, b)


def minimum(a, b):
    return NAT if a == NAT or b == NAT else min(a, b)


def fmax(a, b):
    return b if a == NAT else (a if b == NAT else max(a, b))


def fmin(a, b):
    return b if a == NAT else (a if b == NAT else min(a, b))


def isnat(a):
    return a == NAT


def isfinite(a):
    return a != NAT


def never(a):
    return False


#: ufunc -> {loop input kinds: element}; kinds are dtype kind letters (M, m, i, f, b)
ELEMENTS = {
    np.add: {"mm": add, "Mm": add, "mM": add},
    np.subtract: {"mm": subtract, "Mm": subtract, "MM": subtract},
    np.multiply: {"mi": td_times_int, "im": int_times_td, "mf": td_times_float,
                  "fm": float_times_td},
    np.true_divide: {"mi": td_div_int, "mf": td_div_float, "mm": td_div_td},
    np.floor_divide: {"mi": td_div_int, "mf": td_div_float, "mm": td_floordiv_td},
    np.remainder: {"mm": td_remainder}, np.fmod: {"mm": td_remainder},
    np.divmod: {"mm": td_divmod},
    np.negative: {"m": negative}, np.positive: {"m": positive}, np.absolute: {"m": absolute},
    np.sign: {"m": sign},
    np.maximum: {"mm": maximum, "MM": maximum}, np.minimum: {"mm": minimum, "MM": minimum},
    np.fmax: {"mm": fmax, "MM": fmax}, np.fmin: {"mm": fmin, "MM": fmin},
    np.isnat: {"m": isnat, "M": isnat}, np.isnan: {"m": isnat, "M": isnat},
    np.isfinite: {"m": isfinite, "M": isfinite}, np.isinf: {"m": never, "M": never},
    **{u: {"mm": fn, "MM": fn} for u, fn in (
        (np.equal, equal), (np.not_equal, not_equal), (np.less, less),
        (np.less_equal, less_equal), (np.greater, greater), (np.greater_equal, greater_equal))},
}


def element_function(ufunc, in_types):
    kinds = "".join(dtype_of_scalar(t).kind.replace("u", "i") for t in in_types)
    fn = ELEMENTS.get(ufunc, {}).get(kinds)
    if fn is None:
        raise TypingError(f"ufunc '{ufunc.__name__}' has no loop for "
                          f"{', '.join(map(str, in_types))} in compiled code")
    return fn


def datetime_kernel(context, ufunc, in_types, out_types):
    """fn(builder, values) -> [outputs] for a loop with datetime operands or results: the
    element function on int64 counts, its results converted to the loop's output types."""
    fn = element_function(ufunc, in_types)
    callee = COMPILE_HOOK["compile_internal"](
        context.typing_context, fn, types.signature(types.none, *map(value_type, in_types)))
    made = callee.signature.return_type
    made = list(made) if len(out_types) > 1 else [made]

    def compute(builder, values):
        result = context.call_inline_callee(builder, callee, values)
        parts = [builder.extract_value(result, k) for k in range(len(made))] \
            if len(out_types) > 1 else [result]
        return [context.cast(builder, v, f, t) for v, f, t in zip(parts, made, out_types)]
    return compute
