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
from .typing import typeof  # noqa: F401

__version__ = "0.1.0"
__all__ = ["jit", "njit", "objmode", "cfunc", "carray", "farray", "cfunc_last_error", "types", "typeof",
           "errors", "config"]
