"""Conversion ranks, at Numba's import path (`numba.core.typeconv.Conversion`): what an extension
type's `can_convert_to(context, other)` returns."""
from __future__ import annotations

from ..typing.unify import Conversion

__all__ = ["Conversion"]
