"""The `math` functions with IEEE results (nan, inf) and no checks, for library code that
computes as NumPy does (ufunc kernels, NumPy functions, random distributions): `math.sqrt`
in compiled code raises CPython's errors under the default error_model='python', which a
NumPy kernel compiled into such a caller must not. Typed as `math`'s functions (float32 where
every argument is, else float64): `math_ieee.exp(x)`."""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..extending import intrinsic

#: function name -> LLVM intrinsic; the others are the C library's (with an `f` for float32)
LLVM_INTRINSICS = {"sqrt": "llvm.sqrt", "exp": "llvm.exp", "log": "llvm.log",
                   "sin": "llvm.sin", "cos": "llvm.cos", "fabs": "llvm.fabs",
                   "log10": "llvm.log10", "log2": "llvm.log2", "exp2": "llvm.exp2",
                   "pow": "llvm.pow", "copysign": "llvm.copysign", "floor": "llvm.floor",
                   "round": "llvm.round"}  # (round: half away from zero, as C's)


def emit(builder, name: str, args):
    """Call the float function `name` (an LLVM intrinsic where there is one, else libm's)."""
    if name in LLVM_INTRINSICS:
        return cgutils.call_intrinsic(builder, LLVM_INTRINSICS[name], args)
    ty = args[0].type
    symbol = name + "f" if isinstance(ty, ir.FloatType) else name
    fnty = ir.FunctionType(ty, [ty] * len(args))
    return builder.call(cgutils.get_or_insert_function(builder.module, fnty, symbol), list(args))


def _float_type(args):
    """The type computed in, as `math`'s typing picks it: float32 where every argument is,
    else float64 (integers convert); None for other arguments."""
    if not all(isinstance(a, (types.Integer, types.Boolean, types.Float)) for a in args):
        return None
    return types.float32 if all(a == types.float32 for a in args) else types.float64


def _function(name: str, arity: int):
    def typer(typingctx, *args):
        args = tuple(types.unliteral(a) for a in args)
        ty = _float_type(args) if len(args) == arity else None
        if ty is None:
            return None

        def codegen(context, builder, sig, values):
            values = [context.cast(builder, v, t, ty) for v, t in zip(values, sig.args)]
            return emit(builder, name, values)
        return ty(*args), codegen
    typer.__name__ = typer.__qualname__ = f"ieee_{name}"
    return intrinsic(typer)


sqrt, exp, exp2, expm1 = (_function(n, 1) for n in ("sqrt", "exp", "exp2", "expm1"))
log, log2, log10, log1p = (_function(n, 1) for n in ("log", "log2", "log10", "log1p"))
sin, cos, tan = (_function(n, 1) for n in ("sin", "cos", "tan"))
asin, acos, atan = (_function(n, 1) for n in ("asin", "acos", "atan"))
sinh, cosh, tanh = (_function(n, 1) for n in ("sinh", "cosh", "tanh"))
asinh, acosh, atanh = (_function(n, 1) for n in ("asinh", "acosh", "atanh"))
floor, round = _function("floor", 1), _function("round", 1)  # noqa: A001  (floats, as C's)
pow, fmod, atan2 = (_function(n, 2) for n in ("pow", "fmod", "atan2"))  # noqa: A001
copysign = _function("copysign", 2)
