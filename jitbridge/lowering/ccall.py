"""Calls to C functions through a pointer, from compiled code: a cfunc passed as an argument,
a function value holding one (lib/function_values.py). C booleans are bytes."""
from __future__ import annotations

from llvmlite import ir

from .. import types


def c_type(context, ty):
    """The C ABI's LLVM type for a value of `ty` (void for None, a byte for a boolean)."""
    if isinstance(ty, types.NoneType):
        return ir.VoidType()
    if isinstance(ty, types.Boolean):
        return ir.IntType(8)
    return context.get_value_type(ty)


def call_c_pointer(context, builder, c_sig, address, values):
    """Call the C function at `address` (an i8*) of signature `c_sig` with `values` (already
    of its argument types); its result as a value of the return type."""
    ftype = ir.FunctionType(c_type(context, c_sig.return_type),
                            [c_type(context, a) for a in c_sig.args])
    values = [builder.zext(v, ir.IntType(8)) if isinstance(t, types.Boolean) else v
              for v, t in zip(values, c_sig.args)]
    result = builder.call(builder.bitcast(address, ftype.as_pointer()), values)
    if isinstance(ftype.return_type, ir.VoidType):
        return context.get_dummy_value()
    if isinstance(c_sig.return_type, types.Boolean):
        return builder.trunc(result, ir.IntType(1))
    return result
