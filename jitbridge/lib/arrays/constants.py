"""Global and closure arrays: frozen, read-only constants baked into the compiled code.

As in Numba, an array read from a global or a closure variable is copied into the module when
the function compiles (later changes to the Python array are not seen) and typed read-only, so
compiled code cannot write into the constant.
"""
from __future__ import annotations

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from .._registries import lower_constant
from .model import fill_array

#: Enough for any element type and for vectorised loads.
_ALIGNMENT = 64


@lower_constant(types.Array)
def array_constant(context, builder, ty, value):
    """{meminfo NULL, parent NULL, data -> a private constant copy of the array's bytes}."""
    # the copy keeps the type's layout: C and F code derive strides from the shape
    frozen = np.asfortranarray(value) if ty.layout == "F" else np.ascontiguousarray(value)
    data = cgutils.global_constant(builder.module, "jb.const.array",
                                   cgutils.make_bytearray(frozen.tobytes(order="A")))
    data.align = _ALIGNMENT
    i64 = cgutils.int64_t
    shape = [ir.Constant(i64, extent) for extent in frozen.shape]
    strides = [ir.Constant(i64, step) for step in frozen.strides]
    ary = context.make_helper(builder, ty)
    fill_array(context, builder, ary, data.bitcast(cgutils.voidptr_t), shape, strides, ty,
               nitems=ir.Constant(i64, frozen.size))
    return ary._getvalue()
