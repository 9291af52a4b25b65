"""Numba's `numba.np.ufunc`: @vectorize and @guvectorize (jitbridge.npyufunc)."""
from __future__ import annotations

from ...npyufunc import (DUFunc, GUFunc, GUVectorize, PyUFunc_None, PyUFunc_One,  # noqa: F401
                         PyUFunc_ReorderableNone, PyUFunc_Zero, guvectorize, vectorize)
