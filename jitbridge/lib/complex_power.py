"""`a ** b` and pow(a, b) of complex numbers, as CPython computes them (complexobject.c): an
exponent with a small integer value (|n| <= 100) by binary squaring, any other through polar
form; its errors too (zero to a negative or complex power, an infinite result)."""
from __future__ import annotations

import math
import operator

from .. import types
from ..extending import register_jitable
from ._registries import lower_builtin
from . import math_ieee

#: beyond this, an integer exponent goes through the polar form (CPython's bound)
_SQUARING_LIMIT = 100.0


@register_jitable
def _power_by_squaring(x, n):
    result, square, mask = 1 + 0j, x, 1
    while n >= mask:
        if n & mask:
            result = result * square
        mask <<= 1
        square = square * square
    return result


@register_jitable
def _polar_power(a, b):
    if b.real == 0.0 and b.imag == 0.0:
        return 1 + 0j
    if a.real == 0.0 and a.imag == 0.0:
        if b.imag != 0.0 or b.real < 0.0:
            raise ZeroDivisionError("0.0 to a negative or complex power")
        return 0j
    modulus = abs(a)  # (the C library's hypot at a's width, as CPython and NumPy)
    length = math_ieee.pow(modulus, b.real)  # (overflow: checked at the end, as CPython)
    angle = math.atan2(a.imag, a.real)
    phase = angle * b.real
    if b.imag != 0.0:
        scale = math_ieee.exp(angle * b.imag)
        # (C's IEEE division: compiled `/` would raise ZeroDivisionError on an underflow)
        length = length / scale if scale != 0.0 else (math.inf if length > 0.0 else math.nan)
        phase += b.imag * math_ieee.log(modulus)
    return complex(length * math_ieee.cos(phase), length * math_ieee.sin(phase))


@register_jitable
def complex_power(a, b):
    if b.imag == 0.0 and b.real == math.floor(b.real) and abs(b.real) <= _SQUARING_LIMIT:
        n = int(b.real)
        p = _power_by_squaring(a, abs(n))
        if n < 0:
            if p.real == 0.0 and p.imag == 0.0:
                raise ZeroDivisionError("0.0 to a negative or complex power")
            p = (1 + 0j) / p
    else:
        p = _polar_power(a, b)
    if math.isinf(p.real) or math.isinf(p.imag):
        raise OverflowError("complex exponentiation")
    return p


@lower_builtin(operator.pow, types.Complex, types.Complex)
def complex_pow_impl(context, builder, sig, args):
    """Computed in complex128 (CPython's precision), then narrowed to the result type."""
    wide = types.complex128
    values = [context.cast(builder, v, t, wide) for v, t in zip(args, sig.args)]
    result = context.compile_internal(builder, complex_power, types.signature(wide, wide, wide),
                                      values)
    return context.cast(builder, result, wide, sig.return_type)
