"""SciPy's BLAS and LAPACK routines called from compiled code. Importing this module imports
SciPy (0.15 s) and binds every routine of `scipy.linalg.cython_blas`/`cython_lapack` as the
symbol `jb.lapack.<name>`, as reductions.py binds BLAS dot: linalg.py imports it only when a
linear algebra function is compiled, and a process loading cached code imports it again (the
symbols' recipe). Routines take Fortran-style pointers to every argument."""
from __future__ import annotations

from llvmlite import ir

from scipy.linalg import cython_blas, cython_lapack

from ... import types
from ...codegen import add_symbol
from ...core import cgutils
from ...extending import intrinsic
from ...utils import capsule_address
from ..arrays.helpers import make_array

for _table in (cython_blas.__pyx_capi__, cython_lapack.__pyx_capi__):
    for _name, _capsule in _table.items():
        add_symbol(f"jb.lapack.{_name}", capsule_address(_capsule))

I32 = ir.IntType(32)
I8P = ir.IntType(8).as_pointer()
_ROUTINES: dict = {}


def routine(name: str, chars: str = "", info: bool = True):
    """An intrinsic calling routine `name`: `chars` are its leading character arguments (fixed
    per intrinsic), then each argument of the call (arrays pass their data, integers a 32-bit
    copy, floats and complex numbers a copy), then `&info` when `info`; it returns info."""
    key = (name, chars, info)
    if key not in _ROUTINES:
        _ROUTINES[key] = _make_routine(name, chars, info)
    return _ROUTINES[key]


def _argument_pointer(context, builder, ty, value):
    if isinstance(ty, types.Array):
        return builder.bitcast(make_array(context, builder, ty, value).data, I8P)
    if isinstance(ty, (types.Integer, types.Boolean)):
        value = context.cast(builder, value, ty, types.intp)
        return builder.bitcast(cgutils.alloca_once_value(builder, builder.trunc(value, I32)), I8P)
    return builder.bitcast(cgutils.alloca_once_value(builder, value), I8P)


def _make_routine(name, chars, info):
    def define(typingctx, *args):
        if not all(isinstance(a, (types.Array, types.Number, types.Boolean)) for a in args):
            return None

        def codegen(context, builder, sig, values):
            pointers = [builder.bitcast(cgutils.alloca_once_value(
                builder, ir.Constant(ir.IntType(8), ord(c))), I8P) for c in chars]
            pointers += [_argument_pointer(context, builder, t, v) for t, v in zip(sig.args, values)]
            status = cgutils.alloca_once_value(builder, ir.Constant(I32, 0))
            if info:
                pointers.append(builder.bitcast(status, I8P))
            fnty = ir.FunctionType(ir.VoidType(), [I8P] * len(pointers))
            fn = cgutils.get_or_insert_function(builder.module, fnty, f"jb.lapack.{name}")
            builder.call(fn, pointers)
            return builder.sext(builder.load(status), context.get_value_type(types.intp))
        return types.signature(types.intp, *args), codegen
    define.__name__ = f"lapack_{name}{'_' + chars if chars else ''}"
    return intrinsic(define)
