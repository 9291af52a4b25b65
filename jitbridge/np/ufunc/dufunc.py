"""Numba's `numba.np.ufunc.dufunc`: the dynamic ufunc."""
from __future__ import annotations

from ...npyufunc.dufunc import DUFunc  # noqa: F401
