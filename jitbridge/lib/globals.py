"""Types of frozen global values the builtins make callable: builtins and math functions."""
from __future__ import annotations

import builtins
import math

from .. import types
from ..ir.markers import unpack_sequence
from ._registries import register_global
from .math import INTEGER_RESULT, INTRINSIC_UNARY, LIBM_BINARY, LIBM_UNARY, PREDICATES

_BUILTINS = (bool, int, float, complex, abs, min, max, round, divmod, pow, len, range, iter)
_MATH = (*INTRINSIC_UNARY, *LIBM_UNARY, *LIBM_BINARY, *INTEGER_RESULT, *PREDICATES,
         math.degrees, math.radians)

for _value in (*_BUILTINS, *_MATH, unpack_sequence):
    register_global(_value, types.Function(_value))
del builtins
