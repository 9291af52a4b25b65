"""cffi declarations as jitbridge types (Numba's `numba.core.typing.cffi_utils`).

A cffi function (`lib.func` of an in-line `ffi.dlopen` library, or of an out-of-line module
registered with `register_module`) types as a C function pointer of its declared signature,
called natively (`jitbridge/cffi_support.py`). This module is imported only on demand: by a
program that names it, or when `typeof` first meets a cffi object; never by `import jitbridge`.
"""
from __future__ import annotations

import types as pytypes

from .. import providers, types
from ..errors import TypingError

try:
    import _cffi_backend
    import cffi
except ImportError:  # cffi is optional: everything here then reports it is missing
    cffi = _cffi_backend = None

#: whether cffi is installed (Numba's name)
SUPPORTED = cffi is not None

#: the module that types cffi objects in compiled code (loaded by register_module)
BRIDGE = "jitbridge.cffi_support"

_ffi = cffi.FFI() if SUPPORTED else None
_FLOATS = {"float": types.float32, "double": types.float64}
_NOT_INTEGERS = ("wchar_t", "char16_t", "char32_t", "long double", "_Complex", "complex")

#: cffi type -> the jitbridge type given by register_type (structs, opaque handles...)
_registered: dict = {}
#: out-of-line function (a builtin function of a compiled lib) -> its function-pointer cdata
_ool_pointers: dict = {}


def _require_cffi() -> None:
    if not SUPPORTED:
        raise ImportError("cffi is not installed (pip install cffi): jitbridge's cffi support "
                          "needs it")


def is_ffi_instance(obj) -> bool:
    """Whether `obj` is an `ffi` object (in-line `cffi.FFI()` or an out-of-line module's)."""
    return SUPPORTED and isinstance(obj, (cffi.FFI, _cffi_backend.FFI))


def is_cffi_func(obj) -> bool:
    """Whether `obj` is a cffi function compiled code can call."""
    if isinstance(obj, pytypes.BuiltinFunctionType):
        return obj in _ool_pointers
    return SUPPORTED and isinstance(obj, _cffi_backend._CDataBase) and \
        _ffi.typeof(obj).kind == "function"


def function_pointer_of(obj):
    """The function-pointer cdata of a cffi function (out-of-line ones: once registered)."""
    if isinstance(obj, pytypes.BuiltinFunctionType):
        return _ool_pointers.get(obj)
    return obj if is_cffi_func(obj) else None


def get_pointer(cffi_func) -> int:
    """The address of a cffi function's machine code."""
    pointer = function_pointer_of(cffi_func)
    if pointer is None:
        raise TypeError(f"{cffi_func!r} is not a cffi function (an out-of-line module's "
                        "functions need register_module first)")
    return int(_ffi.cast("uintptr_t", pointer))


def map_type(cffi_type):
    """The jitbridge type of a cffi type (a CType or a C declaration string)."""
    _require_cffi()
    if isinstance(cffi_type, str):
        cffi_type = _ffi.typeof(cffi_type)
    if cffi_type in _registered:
        return _registered[cffi_type]
    kind = cffi_type.kind
    if kind in ("primitive", "enum"):
        return _primitive(cffi_type)
    if kind == "void":
        return types.none
    if kind == "pointer":
        return _pointer(cffi_type.item)
    if kind == "function":
        return types.ExternalFunctionPointer(_signature(cffi_type))
    raise _unsupported(cffi_type)


def _unsupported(cffi_type, why: str = "") -> TypingError:
    hint = why or ("register its jitbridge equivalent with "
                   "jitbridge.core.typing.cffi_utils.register_type")
    return TypingError(f"cffi type '{cffi_type.cname}' has no jitbridge equivalent ({hint})")


def _primitive(cffi_type):
    """Scalars by size and signedness, as the C compiler that built the library laid them out
    (so `long` is right on every platform)."""
    name = cffi_type.cname
    if name in _FLOATS:
        return _FLOATS[name]
    if name in ("_Bool", "bool"):
        return types.boolean
    if name == "char":
        return types.char
    if any(word in name for word in _NOT_INTEGERS):
        raise _unsupported(cffi_type, "no C calls of this type from compiled code")
    signed = int(_ffi.cast(cffi_type, -1)) < 0
    return getattr(types, f"{'' if signed else 'u'}int{8 * _ffi.sizeof(cffi_type)}")


def _pointer(item):
    if item.kind == "void" and item not in _registered:
        return types.voidptr
    return types.CPointer(map_type(item))


def _signature(cffi_type) -> types.Signature:
    if cffi_type.ellipsis:
        raise _unsupported(cffi_type, "variadic functions cannot be called from compiled code")
    return types.signature(map_type(cffi_type.result), *map(map_type, cffi_type.args))


def make_function_type(cffi_func):
    """The type of a cffi function: a pointer to native code of its declared signature, at
    its (constant) address."""
    pointer = function_pointer_of(cffi_func)
    if pointer is None:
        raise TypeError(f"{cffi_func!r} is not a cffi function")
    return types.ExternalFunctionPointer(_signature(_ffi.typeof(pointer)), get_pointer(pointer))


def register_type(cffi_type, numba_type) -> None:
    """Make the cffi type `cffi_type` (a CType or a declaration such as "struct point") map to
    the jitbridge type `numba_type` in function signatures."""
    _require_cffi()
    if isinstance(cffi_type, str):
        cffi_type = _ffi.typeof(cffi_type)
    if not isinstance(numba_type, types.Type):
        raise TypeError(f"register_type expects a jitbridge type, got {numba_type!r}")
    _registered[cffi_type] = numba_type


def register_module(mod) -> None:
    """Make the functions of an out-of-line (compiled, API-mode) cffi module callable from
    compiled code: `mod` is the module `ffi.compile()` built (with its `ffi` and `lib`)."""
    _require_cffi()
    ffi, lib = getattr(mod, "ffi", None), getattr(mod, "lib", None)
    if not is_ffi_instance(ffi) or lib is None:
        raise TypeError(f"register_module expects an out-of-line cffi module (with .ffi and "
                        f".lib), got {mod!r}")
    for name in dir(lib):
        func = getattr(lib, name)
        if isinstance(func, pytypes.BuiltinFunctionType):
            _ool_pointers[func] = ffi.addressof(lib, name)
    providers.load(BRIDGE)  # types these functions from now on


# -- the other direction: a C signature as a cffi declaration (cfunc.cffi) --------------------

_C_NAMES = {"float64": "double", "float32": "float", "boolean": "_Bool", "none": "void"}
#: C's own integer names, in the order they are preferred: cffi tells `int` from `int32_t`
#: (a callback passed where C code declared `int` must say `int`)
_C_INTEGERS = ("int", "long", "long long", "short", "signed char")


def c_declaration(ty) -> str:
    """The C spelling of a C-compatible jitbridge type."""
    if isinstance(ty, types.CPointer):
        return f"{c_declaration(ty.dtype)} *"
    if isinstance(ty, types.RawPointer):
        return "void *"
    if ty.name in _C_NAMES:
        return _C_NAMES[ty.name]
    if isinstance(ty, types.Integer):
        return _c_integer(ty)
    raise TypeError(f"type {ty} has no C declaration for cffi")


def _c_integer(ty) -> str:
    name = next(n for n in _C_INTEGERS if 8 * _ffi.sizeof(n) == ty.bitwidth)
    return name if ty.signed else "unsigned " + name.replace("signed ", "")


def function_pointer(address: int, sig: types.Signature):
    """A cffi function pointer of C signature `sig` to the code at `address`."""
    _require_cffi()
    args = ", ".join(map(c_declaration, sig.args)) or "void"
    return _ffi.cast(f"{c_declaration(sig.return_type)}(*)({args})", address)
