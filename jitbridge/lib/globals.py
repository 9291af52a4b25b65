"""Types of frozen global values the builtins make callable (math's functions: lib/math.py)."""
from __future__ import annotations

from .. import types
from ..ir.markers import unpack_sequence
from ._registries import register_global

_BUILTINS = (bool, int, float, complex, abs, min, max, round, divmod, pow, len, range, iter)

for _value in (*_BUILTINS, unpack_sequence):
    register_global(_value, types.Function(_value))
