"""Numba's `numba.np.numpy_support`: between NumPy dtypes and jitbridge types.

    from jitbridge.np.numpy_support import as_dtype, from_dtype
    from_dtype(np.dtype("f8"))      # float64
    as_dtype(types.int32)           # dtype('int32')
"""
from __future__ import annotations

import sys

from .. import providers
from ..compiler import ensure_builtins

__all__ = ["as_dtype", "from_dtype"]
_ARRAYS = "jitbridge.lib.arrays"


def from_dtype(dtype):
    """The jitbridge type of a NumPy dtype's elements (`float64`, a `Record`...); TypeError
    for a dtype jitbridge cannot represent."""
    return _arrays_model().from_dtype(dtype)


def as_dtype(ty):
    """The NumPy dtype of a jitbridge scalar or record type; TypeError if it has none."""
    return _arrays_model().as_dtype(ty)


def _arrays_model():
    """The array area's data model module, loaded as any compilation would load it."""
    ensure_builtins()
    providers.load(_ARRAYS)
    return sys.modules[_ARRAYS + ".model"]
