"""jitbridge: a just-in-time compiler for numeric Python on llvmlite, Numba-compatible API.

    from jitbridge import njit

    @njit
    def f(n):
        s = 0
        for i in range(n):
            s += i * i
        return s
"""
from __future__ import annotations

from . import aliases  # noqa: F401  (first: Numba's module paths, e.g. jitbridge.core.types)
from . import config, errors, types  # noqa: F401
from .cfunc import carray, cfunc, cfunc_last_error, farray  # noqa: F401
from . import ctypes_functions  # noqa: F401  (ctypes functions callable from compiled code)
from .decorators import jit, njit  # noqa: F401
from .errors import TypingError  # noqa: F401  (Numba exports it at the top level)
from .types import deferred_type, optional  # noqa: F401  (Numba exports them at the top level)
from .objmode import objmode  # noqa: F401
from .np.numpy_support import from_dtype  # noqa: F401  (Numba exports it at the top level)
from .frontend.source import compile_source, register_source  # noqa: F401
from .frontend.unroll import literal_unroll  # noqa: F401  (Numba exports it at the top level)
from .ir.markers import literally  # noqa: F401  (Numba exports it at the top level)
from .ir.markers import pndindex, prange  # noqa: F401  (loops whose iterations run in parallel)
from .compiler import ensure_builtins as _ensure_builtins
from .typing import typeof as _typeof
from .typing.typeof import Purpose as _Purpose
import importlib as _importlib



#: names imported on first use: @vectorize/@guvectorize need NumPy, which `import jitbridge`
#: does not load
_LAZY = {"vectorize": "jitbridge.npyufunc", "guvectorize": "jitbridge.npyufunc",
         "jitclass": "jitbridge.experimental",  # its registrations cost import time
         "stencil": "jitbridge.stencils.stencil",
         "progress": "jitbridge.progressbar",  # a progress bar over loops, compiled or not
         # the threading layer of parallel loops (built on first use)
         **dict.fromkeys(("set_num_threads", "get_num_threads", "get_thread_id",
                          "threading_layer"), "jitbridge.runtime.threads")}


def __getattr__(name):
    if name == "typed":  # `numba.typed.List` after `import numba`: the module, on first use
        return _importlib.import_module("jitbridge.typed")
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'jitbridge' has no attribute {name!r}")


def typeof(value, purpose=_Purpose.argument):
    """The jitbridge type of `value` (None if it has none); loads the builtin types first."""
    _ensure_builtins()
    return _typeof(value, purpose)


#: the scalar type names Numba exports at its top level (`from numba import float64`)
_TYPE_NAMES = (
    "b1 bool_ boolean byte c16 c8 char complex128 complex64 double f4 f8 float32 float64 i1 i2 "
    "i4 i8 int16 int32 int64 int8 int_ intc intp long_ longlong none short size_t ssize_t u1 u2 "
    "u4 u8 uchar uint uint16 uint32 uint64 uint8 uintc uintp ulong ulonglong ushort void").split()
globals().update({name: getattr(types, name) for name in _TYPE_NAMES})
bool = types.boolean  # noqa: A001  (Numba's name; left out of __all__: it would hide bool)

__version__ = config.VERSION
__all__ = ["jit", "njit", "objmode", "cfunc", "carray", "farray", "cfunc_last_error", "types", "typeof",
           "errors", "TypingError", "config", "compile_source", "register_source", "progress",
           "from_dtype", "prange", "pndindex", "set_num_threads", "get_num_threads", "get_thread_id",
           "threading_layer", "vectorize", "guvectorize", "jitclass", "stencil", "deferred_type", "optional",
           *_TYPE_NAMES]
