"""CPython's errors for the `math` module's float functions, checked after the C library call.

CPython raises where the C result leaves the real numbers: a NaN from arguments without NaN
is ValueError("math domain error"); an infinite result from finite arguments is either
OverflowError("math range error") (exp(1000): too large) or ValueError (log(0.0): a pole),
depending on the function. Each check is one unlikely branch after the call.
error_model='numpy' (and fastmath) leaves IEEE results unchecked (inf, nan), as NumPy's
functions give them: loops without a possible exit vectorise. Library code that needs IEEE results whatever the
caller's error model calls `math_ieee`'s functions instead."""
from __future__ import annotations

import math

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..extending import intrinsic
from .numbers import python_errors, raise_if

DOMAIN = "math domain error"
RANGE = "math range error"

#: what an infinite result from finite arguments raises, per function (None: only the NaN
#: check applies); functions that can give neither are missing (no check at all)
INFINITE_RESULT = {
    math.sqrt: None, math.sin: None, math.cos: None, math.tan: None, math.asin: None,
    math.acos: None, math.acosh: None,
    math.log: ValueError, math.log2: ValueError, math.log10: ValueError,
    math.log1p: ValueError, math.atanh: ValueError,
    math.exp: OverflowError, math.expm1: OverflowError, math.sinh: OverflowError,
    math.cosh: OverflowError,
    math.fmod: None,
}
if hasattr(math, "exp2"):  # Python 3.11+
    INFINITE_RESULT[math.exp2] = OverflowError


#: functions whose only error is an infinite argument (ValueError): checked before the call,
#: so that sin(x) and cos(x) of one x stay one block, which LLVM turns into one sincos call
INFINITE_ARGUMENT = (math.sin, math.cos, math.tan)


def checking(context) -> bool:
    """Whether results are checked: error_model='python' without fastmath (whose 'nnan' and
    'ninf' let the code assume no NaN or infinity, which makes every check vacuous)."""
    return python_errors(context) and not context.flags.fastmath


def check_argument(context, builder, key, args) -> None:
    """The checks that the arguments alone decide, made before the call."""
    if key in INFINITE_ARGUMENT and checking(context):
        raise_if(context, builder, is_infinite(builder, args[0]), ValueError, DOMAIN)


def is_nan(builder, value):
    return builder.fcmp_unordered("uno", value, value)


def is_finite(builder, value):
    magnitude = cgutils.call_intrinsic(builder, "llvm.fabs", [value])
    return builder.fcmp_ordered("<", magnitude, ir.Constant(value.type, math.inf))


def is_infinite(builder, value):
    magnitude = cgutils.call_intrinsic(builder, "llvm.fabs", [value])
    return builder.fcmp_ordered("==", magnitude, ir.Constant(value.type, math.inf))


def _all(builder, predicate, values):
    result = cgutils.true_bit
    for value in values:
        result = builder.and_(result, predicate(builder, value))
    return result


def _none_nan(builder, values):
    return _all(builder, lambda b, v: b.fcmp_ordered("ord", v, v), values)


def check_result(context, builder, key, args, result) -> None:
    """Raise as CPython's `key` does for `result` computed from `args` (error_model='python')."""
    if key not in INFINITE_RESULT or key in INFINITE_ARGUMENT or not checking(context):
        return
    domain = builder.and_(is_nan(builder, result), _none_nan(builder, args))
    raise_if(context, builder, domain, ValueError, DOMAIN)
    exc = INFINITE_RESULT[key]
    if exc is not None:
        escaped = builder.and_(is_infinite(builder, result), _all(builder, is_finite, args))
        raise_if(context, builder, escaped, exc, RANGE if exc is OverflowError else DOMAIN)


def check_pow(context, builder, x, y, result) -> None:
    """math.pow: only finite arguments can fail; inf from a zero base is a pole (ValueError)."""
    if not checking(context):
        return
    finite = builder.and_(is_finite(builder, x), is_finite(builder, y))
    bad = builder.and_(finite, builder.not_(is_finite(builder, result)))
    with cgutils.if_unlikely(builder, bad):
        zero = builder.fcmp_ordered("==", x, ir.Constant(x.type, 0.0))
        raise_if(context, builder, builder.or_(zero, is_nan(builder, result)), ValueError,
                 DOMAIN)
        context.call_conv.return_user_exc(builder, OverflowError, (RANGE,))


def check_overflow(context, builder, x, result) -> None:
    """OverflowError where a finite `x` gave an infinite `result` (ldexp)."""
    if checking(context):
        escaped = builder.and_(is_infinite(builder, result), is_finite(builder, x))
        raise_if(context, builder, escaped, OverflowError, RANGE)


@intrinsic
def python_error_model(typingctx):
    """True where results are checked (`checking`: a constant, so the branch on it folds
    away), for implementations in Python that raise CPython's errors."""
    def codegen(context, builder, sig, args):
        return ir.Constant(ir.IntType(1), int(checking(context)))
    return types.boolean(), codegen
