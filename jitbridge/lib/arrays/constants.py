"""Global and closure arrays: read-only constants of the compiled code.

As in Numba, an array read from a global or a closure variable is typed read-only, so compiled
code cannot write into it. A small array is copied into the module when the function compiles
(later changes to the Python array are not seen). A large one (over FREEZE_LIMIT bytes) is not
copied, which would bloat the code and its memory: the code points at the array itself, which
the compiled library keeps alive, and returning it gives back the same object.
"""
from __future__ import annotations

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from .._registries import lower_constant
from .model import fill_array

FREEZE_LIMIT = 1 << 20


@lower_constant(types.Array)
def array_constant(context, builder, ty, value):
    if value.nbytes > FREEZE_LIMIT and context.library is not None:
        return _referenced_array(context, builder, ty, value)
    return _frozen_array(context, builder, ty, value)


def _referenced_array(context, builder, ty, value):
    """{meminfo NULL, parent -> the ndarray, data -> its buffer}, the ndarray kept alive."""
    i64 = cgutils.int64_t
    address = context.embed_address(value.ctypes.data, "array data",
                                    f"the data of a global array {ty}", keep=value)
    parent = context.embed_address(id(value), "array object", f"a global array {ty}")
    ary = context.make_helper(builder, ty)
    fill_array(context, builder, ary, address, [ir.Constant(i64, e) for e in value.shape],
               [ir.Constant(i64, s) for s in value.strides], ty, parent=parent,
               nitems=ir.Constant(i64, value.size))
    return ary._getvalue()


def _frozen_array(context, builder, ty, value):
    """{meminfo NULL, parent NULL, data -> a private constant copy of the array's bytes}."""
    # the copy keeps the type's layout: C and F code derive strides from the shape
    frozen = value.copy(order="F" if ty.layout == "F" else "C")  # (ascontiguousarray adds a
    # dimension to a 0-d array)
    data = cgutils.global_constant(builder.module, "jb.const.array",
                                   cgutils.make_bytearray(frozen.tobytes(order="A")))
    data.align = max(frozen.dtype.alignment, 1)  # the element's ABI alignment, as Numba
    i64 = cgutils.int64_t
    shape = [ir.Constant(i64, extent) for extent in frozen.shape]
    strides = [ir.Constant(i64, step) for step in frozen.strides]
    ary = context.make_helper(builder, ty)
    fill_array(context, builder, ary, data.bitcast(cgutils.voidptr_t), shape, strides, ty,
               nitems=ir.Constant(i64, frozen.size))
    return ary._getvalue()
