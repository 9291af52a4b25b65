"""@vectorize and @guvectorize: NumPy ufuncs and generalized ufuncs compiled from Python
(see docs/ufuncs.md)."""
from __future__ import annotations

from .capi import PyUFunc_None, PyUFunc_One, PyUFunc_ReorderableNone, PyUFunc_Zero
from .dufunc import DUFunc, vectorize
from .gufunc import GUFunc, GUFuncBuilder, GUVectorize, guvectorize
from . import gujit, jitcall  # noqa: F401  (called from compiled code)

__all__ = ["vectorize", "guvectorize", "DUFunc", "GUFunc", "GUFuncBuilder", "GUVectorize",
           "PyUFunc_Zero", "PyUFunc_One", "PyUFunc_None", "PyUFunc_ReorderableNone"]
