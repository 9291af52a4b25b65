"""ctypes function pointers called from compiled code (Numba's ctypes support): a global or
closure variable holding a ctypes function with `restype` and `argtypes` set (a C library's
function, `CFUNCTYPE(...)(address)` of a Cython or SciPy routine) types as a C function
pointer of that signature and is called natively, without the interpreter.
"""
from __future__ import annotations

import ctypes

from . import types
from .cfunc import CTYPES
from .errors import TypingError
from .extending import typeof_impl
from .typing.typeof import Purpose

_FROM_CTYPES = {ctypes_type: getattr(types, "boolean" if name == "bool" else name)
                for name, ctypes_type in CTYPES.items()}


def from_ctypes(ctypes_type):
    """The jitbridge type of a ctypes type (None: void)."""
    if ctypes_type is None:
        return types.none
    if ctypes_type in _FROM_CTYPES:
        return _FROM_CTYPES[ctypes_type]
    if ctypes_type in (ctypes.c_void_p, ctypes.c_char_p):
        return types.voidptr
    if issubclass(ctypes_type, ctypes._Pointer):
        return types.CPointer(from_ctypes(ctypes_type._type_))
    raise TypingError(f"ctypes type {ctypes_type.__name__} has no jitbridge equivalent")


@typeof_impl.register(ctypes._CFuncPtr)
def typeof_ctypes_function(value, c):
    """A frozen ctypes function (its address is fixed): a direct native call. As an
    argument it is not accepted (nothing could check what its address points to)."""
    if c.purpose is not Purpose.constant or value.argtypes is None:
        return None  # (no argtypes: the C signature is unknown)
    signature = types.signature(from_ctypes(value.restype),
                                *(from_ctypes(a) for a in value.argtypes))
    return frozen_function_type(signature, ctypes.cast(value, ctypes.c_void_p).value, value)


def frozen_function_type(signature, address: int, owner):
    """The type of the native function at the constant `address` (called directly, shared
    with cffi_support.py). `owner`, which keeps that code loaded (a callback's thunk dies with
    its object), is kept for the process: compiled code may call it at any time."""
    _alive[address] = owner
    return types.ExternalFunctionPointer(signature, address)


#: address -> the ctypes function compiled code calls there (kept for the process)
_alive: dict = {}
