"""carray/farray in compiled code: array views of memory behind C pointers (for cfuncs)."""
from __future__ import annotations

import ctypes

import numpy as np

from ... import types
from ...cfunc import PYTHON_VIEWS, carray, farray
from ...errors import TypingError
from .._registries import AbstractTemplate, lower_builtin, register, register_global
from .construction import parse_dtype, parse_shape, shape_values
from .helpers import contiguous_strides, make_array
from .model import as_dtype, fill_array


def pointer_view(ptr, shape, dtype, order):
    """Python-level carray/farray: a NumPy view of memory at a ctypes pointer or address."""
    if isinstance(shape, int):
        shape = (shape,)
    if isinstance(ptr, int) or isinstance(ptr, ctypes.c_void_p):
        if dtype is None:
            raise TypeError("carray/farray of a void pointer needs an explicit dtype")
        address = ptr if isinstance(ptr, int) else ptr.value
        ctype = np.ctypeslib.as_ctypes_type(np.dtype(dtype))
        ptr = ctypes.cast(address, ctypes.POINTER(ctype))
    array = np.ctypeslib.as_array(ptr, shape=tuple(reversed(shape)) if order == "F" else shape)
    if dtype is not None and np.dtype(dtype) != array.dtype:
        raise TypeError(f"dtype {np.dtype(dtype)} does not match the pointer's {array.dtype}")
    return array.T if order == "F" else array


PYTHON_VIEWS["view"] = pointer_view


class PointerArrayTemplate(AbstractTemplate):
    layout = "C"

    def generic(self, args, kws):
        args, kws = list(args), dict(kws)
        if len(args) == 3:
            kws["dtype"] = args.pop()
        if len(args) != 2 or set(kws) - {"dtype"}:
            return None
        ptr, shape = args
        ndim = parse_shape(shape)
        if ndim is None:
            return None
        if isinstance(ptr, types.CPointer):
            dtype = ptr.dtype
            if "dtype" in kws and parse_dtype(kws["dtype"]) != dtype:
                raise TypingError(f"dtype {kws['dtype']} does not match pointer type {ptr}")
        elif isinstance(ptr, types.RawPointer):
            if "dtype" not in kws:
                raise TypingError("carray/farray of a voidptr needs an explicit dtype=")
            dtype = parse_dtype(kws["dtype"])
        else:
            return None
        formal = [ptr, shape] + ([kws["dtype"]] if "dtype" in kws else [])
        return types.signature(types.Array(dtype, ndim, self.layout), *formal)


for _func, _layout in ((carray, "C"), (farray, "F")):
    register(type(f"Pointer_{_func.__name__}", (PointerArrayTemplate,), {
        "key": _func, "layout": _layout}))
    register_global(_func, types.Function(_func))


@lower_builtin(carray, types.Any, types.Any)
@lower_builtin(carray, types.Any, types.Any, types.Any)
@lower_builtin(farray, types.Any, types.Any)
@lower_builtin(farray, types.Any, types.Any, types.Any)
def pointer_array_impl(context, builder, sig, args):
    """A borrowed view: no MemInfo, no parent (the C caller owns the memory)."""
    aryty = sig.return_type
    shape = shape_values(context, builder, sig.args[1], args[1])
    strides = contiguous_strides(builder, shape, as_dtype(aryty.dtype).itemsize, aryty.layout)
    ary = make_array(context, builder, aryty)
    fill_array(context, builder, ary, args[0], shape, strides, aryty)
    return ary._getvalue()


