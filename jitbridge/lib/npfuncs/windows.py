"""Window functions and the Bessel function they need: np.bartlett, np.blackman, np.hamming,
np.hanning, np.kaiser, np.i0. Each evaluates NumPy's formula in NumPy's order of operations;
i0 uses the Chebyshev expansions NumPy evaluates (its coefficient tables are read from NumPy
at import, with the power series as a fallback should NumPy ever move them)."""
from __future__ import annotations

import math

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .. import math_ieee

try:  # where NumPy keeps i0's Chebyshev coefficients (private: a fallback follows)
    from numpy.lib import _function_base_impl as _numpy_impl
except ImportError:  # pragma: no cover
    _numpy_impl = None


def _check_m(M, func):
    if not isinstance(types.unliteral(M), types.Integer):
        raise TypingError(f"np.{func}(): M must be an integer")


def _window(point):
    """np.<window>(M): point(n, m) at n = 1 - M, 3 - M, ..., M - 1 (empty below 1, [1.] at 1)."""
    @register_jitable
    def window(M):
        if M < 1:
            return np.empty(0)
        if M == 1:
            return np.ones(1)
        m = float(M)
        out = np.empty(M)
        for i in range(M):
            out[i] = point(1 - m + 2 * i, m)
        return out
    return window


def _cosine_window(func, a0, a1, a2):
    """np.<func>(M): a0 + a1 cos(pi n / (M - 1)) [+ a2 cos(2 pi n / (M - 1))]."""
    @register_jitable
    def point(n, m):
        value = a0 + a1 * math_ieee.cos(math.pi * n / (m - 1))
        if a2:
            value = value + a2 * math_ieee.cos(2.0 * math.pi * n / (m - 1))
        return value
    window = _window(point)

    @overload(getattr(np, func))
    def typer(M):
        _check_m(M, func)
        return lambda M: window(M)
    return typer


_cosine_window("blackman", 0.42, 0.5, 0.08)
_cosine_window("hamming", 0.54, 0.46, 0.0)
_cosine_window("hanning", 0.5, 0.5, 0.0)
_bartlett = _window(register_jitable(lambda n, m: 1 + n / (m - 1) if n <= 0 else 1 - n / (m - 1)))


@overload(np.bartlett)
def np_bartlett(M):
    _check_m(M, "bartlett")
    return lambda M: _bartlett(M)


# -- np.i0 and np.kaiser ------------------------------------------------------------------------

def _tables():
    low, high = (getattr(_numpy_impl, name, None) for name in ("_i0A", "_i0B"))
    if low is None or high is None:
        return None
    return np.array(low, np.float64), np.array(high, np.float64)


_TABLES = _tables()


@register_jitable
def _chebyshev(x, coeffs):
    b0, b1, b2 = coeffs[0], 0.0, 0.0
    for i in range(1, coeffs.size):
        b2 = b1
        b1 = b0
        b0 = x * b1 - b2 + coeffs[i]
    return 0.5 * (b0 - b2)


if _TABLES is not None:
    _LOW, _HIGH = _TABLES

    @register_jitable
    def _bessel_i0(x):
        x = abs(x)
        if x <= 8.0:
            return math_ieee.exp(x) * _chebyshev(x / 2.0 - 2, _LOW)
        return math_ieee.exp(x) * _chebyshev(32.0 / x - 2.0, _HIGH) / math_ieee.sqrt(x)
else:
    @register_jitable
    def _bessel_i0(x):
        term, total, k = 1.0, 1.0, 1
        half = (x / 2.0) ** 2
        while term > total * 1e-17:
            term *= half / (k * k)
            total += term
            k += 1
        return total


@overload(np.i0)
def np_i0(x):
    ty = types.unliteral(x)
    element = ty.dtype if isinstance(ty, types.Array) else ty
    if isinstance(element, types.Complex):
        raise TypingError("np.i0(): i0 not supported for complex values")
    if not isinstance(element, (types.Integer, types.Float, types.Boolean)):
        return None
    if not isinstance(ty, types.Array):
        return lambda x: _bessel_i0(float(x))
    cls = np.float32 if element == types.float32 else np.float64

    def impl(x):
        values = x.ravel()
        out = np.empty(values.size, cls)
        for i in range(values.size):
            out[i] = _bessel_i0(float(values[i]))
        return out.reshape(x.shape)
    return impl


@overload(np.kaiser)
def np_kaiser(M, beta):
    _check_m(M, "kaiser")
    if not isinstance(types.unliteral(beta), (types.Integer, types.Float)):
        raise TypingError("np.kaiser(): beta must be an integer or float")

    def impl(M, beta):
        if M == 1:
            return np.ones(1)
        m = float(M)
        b = float(beta)
        alpha = (m - 1) / 2.0
        scale = _bessel_i0(b)
        out = np.empty(max(M, 0))
        for i in range(max(M, 0)):
            ratio = (i - alpha) / alpha
            out[i] = _bessel_i0(b * math_ieee.sqrt(1 - ratio ** 2.0)) / scale
        return out
    return impl
