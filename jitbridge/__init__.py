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

from . import config, errors, types  # noqa: F401
from .cfunc import carray, cfunc, cfunc_last_error, farray  # noqa: F401
from .decorators import jit, njit  # noqa: F401
from .objmode import objmode  # noqa: F401
from .frontend.source import compile_source, register_source  # noqa: F401
from .compiler import ensure_builtins as _ensure_builtins
from .typing import typeof as _typeof
from .typing.typeof import Purpose as _Purpose



def typeof(value, purpose=_Purpose.argument):
    """The jitbridge type of `value` (None if it has none); loads the builtin types first."""
    _ensure_builtins()
    return _typeof(value, purpose)


__version__ = config.VERSION
__all__ = ["jit", "njit", "objmode", "cfunc", "carray", "farray", "cfunc_last_error", "types", "typeof",
           "errors", "config", "compile_source", "register_source"]
