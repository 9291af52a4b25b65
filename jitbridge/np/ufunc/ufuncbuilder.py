"""Numba's `numba.np.ufunc.ufuncbuilder`: building (generalized) ufuncs signature by signature."""
from __future__ import annotations

from ...npyufunc.builder import UFuncBuilder  # noqa: F401
from ...npyufunc.gufunc import GUFuncBuilder  # noqa: F401
