"""cffi functions called from compiled code (Numba's cffi support).

A frozen cffi function (a global or closure variable holding `lib.func` of an in-line
`ffi.dlopen` library, or of an out-of-line module registered with
`jitbridge.core.typing.cffi_utils.register_module`) types as a C function pointer of its
declared signature and is called natively, exactly as a ctypes function is
(`ctypes_functions.py`, whose call lowering this shares). `ffi.from_buffer(array)` passes an
array's data as a typed pointer. An out-of-line module's `lib` passes for a module (cffi makes
it one), so `lib.func(x)` freezes `lib.func` as any module attribute is frozen.

This module is a lazy provider (providers.py): it loads when `typeof` first meets a cffi object
or when a module is registered, so `import jitbridge` never imports cffi.
"""
from __future__ import annotations

import types as pytypes

from . import types
from .ctypes_functions import frozen_function_type
from .errors import TypingError
from .extending import (AttributeTemplate, bound_function, lower_builtin, register_attr,
                        typeof_impl)
from .typing import cffi_utils
from .typing.typeof import Purpose

_default_typeof = typeof_impl.dispatch(object)


# -- cffi functions ------------------------------------------------------------------------------

def typeof_cffi_function(value, c):
    """A frozen cffi function: a direct native call to its constant address. As an argument it
    is not accepted (nothing could check what its address points to at each call)."""
    if c.purpose is not Purpose.constant or not cffi_utils.is_cffi_func(value):
        return None
    fnty = cffi_utils.make_function_type(value)
    return frozen_function_type(fnty.sig, fnty.address, value)


def typeof_builtin_function(value, c):
    """An out-of-line module's function is a plain builtin function: registered ones type as
    cffi functions, every other builtin as before."""
    if cffi_utils.function_pointer_of(value) is None:
        return _default_typeof(value, c)
    return typeof_cffi_function(value, c)


# -- the ffi object: ffi.from_buffer(array) ------------------------------------------------------

class FFIType(types.Dummy):
    """The `ffi` object of a cffi module (Numba's `types.ffi`); `ffi.from_buffer` is its one
    method usable in compiled code."""


ffi_type = FFIType("ffi")


def typeof_ffi(value, c):
    return ffi_type


@register_attr
class FFIAttributes(AttributeTemplate):
    key = FFIType

    @bound_function("ffi.from_buffer")
    def resolve_from_buffer(self, ty, args, kws):
        if kws or len(args) != 1:
            raise TypingError("ffi.from_buffer() takes one argument (an array) in compiled "
                              "code")
        array = args[0]
        if not isinstance(array, types.Array):
            raise TypingError(f"ffi.from_buffer() expects an array, got {array}")
        if array.layout not in ("C", "F"):
            raise TypingError(f"ffi.from_buffer() needs a contiguous array, got {array} "
                              "(copy it first: np.ascontiguousarray)")
        return types.signature(types.CPointer(array.dtype), array)


@lower_builtin("ffi.from_buffer", FFIType, types.Array)
def from_buffer_impl(context, builder, sig, args):
    """The array's data pointer, as cffi gives it: valid while the array lives."""
    data = context.make_helper(builder, sig.args[0], value=args[1]).data
    return builder.bitcast(data, context.get_value_type(sig.return_type))


if cffi_utils.SUPPORTED:  # (else no cffi object exists to type, but load_all() imports this)
    typeof_impl.register(cffi_utils._cffi_backend._CDataBase)(typeof_cffi_function)
    typeof_impl.register(pytypes.BuiltinFunctionType)(typeof_builtin_function)
    typeof_impl.register(cffi_utils.cffi.FFI)(typeof_ffi)
    typeof_impl.register(cffi_utils._cffi_backend.FFI)(typeof_ffi)
