"""NumPy's legacy polynomial functions on coefficient sequences, highest power first:
np.polyval (Horner's rule, as NumPy), np.polyder, np.polyint, with NumPy's result dtypes (the
derivative multiplies by an int64 range, the integral divides by one)."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .gradients import _div, _mul
from .grids import _element_of


def _coefficients_dtype(p, func: str):
    """The dtype of np.asarray(p) for a 1-d coefficient sequence; TypingError otherwise."""
    ty = types.unliteral(p)
    if isinstance(ty, types.Array) and ty.ndim == 1:
        element = ty.dtype
    elif isinstance(ty, (types.List, types.BaseTuple)):
        element = _element_of(ty)
    else:
        element = None
    if not isinstance(element, (types.Integer, types.Float, types.Complex, types.Boolean)):
        raise TypingError(f"np.{func}(): the coefficients must be a 1-d sequence of numbers, "
                          f"not {p}")
    return as_dtype(element)


@register_jitable
def _horner(p, x, cls):
    y = _mul(cls(0), cls(x))  # (NumPy starts from zeros_like(x): 0 * x, NaN for x infinite)
    for i in range(p.shape[0]):
        y = _mul(y, cls(x)) + cls(p[i])
    return y


@overload(np.polyval)
def np_polyval(p, x):
    p_dtype = _coefficients_dtype(p, "polyval")
    ty = types.unliteral(x)
    if isinstance(ty, (types.Integer, types.Float, types.Complex, types.Boolean)):
        cls = np.result_type(as_dtype(ty), p_dtype).type
        return lambda p, x: _horner(np.asarray(p), x, cls)
    if not (isinstance(ty, types.Array) and
            isinstance(ty.dtype, (types.Integer, types.Float, types.Complex, types.Boolean))):
        raise TypingError(f"np.polyval(): x must be a number or an array of numbers, not {x}")
    cls = np.result_type(as_dtype(ty.dtype), p_dtype).type

    def impl(p, x):
        coefficients = np.asarray(p)
        xs = np.ascontiguousarray(x).reshape(-1)
        out = np.empty(xs.shape[0], cls)
        for i in range(xs.shape[0]):
            out[i] = _horner(coefficients, xs[i], cls)
        return out.reshape(x.shape)
    return impl


def _check_order(m, func: str):
    if not isinstance(types.unliteral(m), (types.Integer, types.Omitted)):
        raise TypingError(f"np.{func}(): m must be an integer, not {m}")


@overload(np.polyder)
def np_polyder(p, m=1):
    p_dtype = _coefficients_dtype(p, "polyder")
    _check_order(m, "polyder")
    cls = np.result_type(p_dtype, np.int64).type

    def impl(p, m=1):
        if m < 0:
            raise ValueError("Order of derivative must be positive (see polyint)")
        c = np.asarray(p).astype(cls)
        if m == 0:
            return c
        for _ in range(m):
            n = c.shape[0] - 1
            d = np.empty(max(n, 0), cls)
            for i in range(n):
                d[i] = c[i] * cls(n - i)
            c = d
        return c
    return impl


def _constants_class(k):
    """The class of polyint's integration constants (float64 unless complex)."""
    if k is None or isinstance(k, (types.NoneType, types.Omitted)):
        return np.float64
    ty = types.unliteral(k)
    element = ty if isinstance(ty, types.Number) else _element_of(ty) \
        if isinstance(ty, (types.List, types.BaseTuple)) else \
        ty.dtype if isinstance(ty, types.Array) and ty.ndim <= 1 else None
    if not isinstance(element, (types.Integer, types.Float, types.Complex, types.Boolean)):
        raise TypingError(f"np.polyint(): k must be a number or a 1-d sequence of numbers, "
                          f"not {k}")
    return np.result_type(as_dtype(element), np.float64).type


def _constants(k, m, cls):
    """polyint's k as an array of m constants."""


@overload(_constants)
def _ol_constants(k, m, cls):
    if k is None or isinstance(k, (types.NoneType, types.Omitted)):
        return lambda k, m, cls: np.zeros(m, cls)

    def impl(k, m, cls):
        given = np.atleast_1d(np.asarray(k))
        if given.shape[0] == 1 and m > 1:
            return np.full(m, cls(given[0]))
        if given.shape[0] < m:
            raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")
        return given.astype(cls)
    return impl


@overload(np.polyint)
def np_polyint(p, m=1, k=None):
    p_dtype = _coefficients_dtype(p, "polyint")
    _check_order(m, "polyint")
    k_cls = _constants_class(k)
    q_cls = np.result_type(p_dtype, np.float64).type  # p / int64 range
    cls = np.result_type(q_cls, k_cls).type

    def impl(p, m=1, k=None):
        if m < 0:
            raise ValueError("Order of integral must be positive (see polyder)")
        constants = _constants(k, m, k_cls)
        src = np.asarray(p)
        c = src.astype(cls)
        if m == 0:
            return c
        n = src.shape[0]
        c = np.empty(n + 1, cls)
        for i in range(n):  # the first division in p's own precision, as NumPy's
            c[i] = cls(_div(q_cls(src[i]), q_cls(n - i)))
        c[n] = cls(constants[0])
        for j in range(1, m):
            n = c.shape[0]
            out = np.empty(n + 1, cls)
            for i in range(n):
                out[i] = _div(c[i], cls(n - i))
            out[n] = cls(constants[j])
            c = out
        return c
    return impl


# -- polyfit -----------------------------------------------------------------------------------

def _only_default(ty, name: str):
    if not (isinstance(ty, (types.Omitted, types.NoneType)) or ty is None or
            isinstance(ty, types.BooleanLiteral) and not ty.literal_value):
        raise TypingError(f"np.polyfit(): {name}= is not supported in compiled code")


@register_jitable
def _check_fit(x, y, deg):
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if x.size == 0:
        raise TypeError("expected non-empty vector for x")
    if x.shape[0] != y.shape[0]:
        raise TypeError("expected x and y to have same length")


@overload(np.polyfit)
def np_polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    for name, ty in (("x", x), ("y", y)):
        if not (isinstance(ty, types.Array) and isinstance(ty.dtype, (types.Integer,
                                                                        types.Float))):
            raise TypingError(f"np.polyfit(): {name} must be an array of real numbers, not {ty}")
    if x.ndim != 1:
        raise TypingError("np.polyfit(): expected 1D vector for x")
    if y.ndim not in (1, 2):
        raise TypingError("np.polyfit(): expected 1D or 2D array for y")
    if not isinstance(types.unliteral(deg), types.Integer):
        raise TypingError(f"np.polyfit(): deg must be an integer, not {deg}")
    for name, ty in (("full", full), ("w", w), ("cov", cov)):
        _only_default(ty, name)
    default_rcond = isinstance(rcond, (types.Omitted, types.NoneType)) or rcond is None
    # (NumPy's `x + 0.0`: integers become float64, float32 stays)
    x_cls, y_cls = (np.float64 if isinstance(t.dtype, types.Integer) else as_dtype(t.dtype).type
                    for t in (x, y))
    eps = float(np.finfo(x_cls).eps)
    y_cls = np.float64  # (np.vander's matrix is float64 for any real x: lstsq solves in it)

    def impl(x, y, deg, rcond=None, full=False, w=None, cov=False):
        _check_fit(x, y, deg)
        xs, ys = x.astype(x_cls), y.astype(y_cls)
        limit = len(xs) * eps if default_rcond else rcond
        lhs = np.vander(xs, deg + 1)
        scale = np.sqrt((lhs * lhs).sum(axis=0))
        lhs /= scale
        c = np.linalg.lstsq(lhs, ys, rcond=limit)[0]
        return (c.T / scale).T
    return impl


# -- roots ---------------------------------------------------------------------------------------

@register_jitable
def _roots(p, cls):
    """The eigenvalues of the companion matrix of p without its leading and trailing zeros,
    then one zero per trailing zero (NumPy's steps; a real p must have real roots, as for
    np.linalg.eigvals in compiled code)."""
    nonzero = np.flatnonzero(p)
    if len(nonzero) == 0:
        return np.empty(0, cls)
    trailing = len(p) - nonzero[-1] - 1
    q = p[nonzero[0]:nonzero[-1] + 1].astype(cls)
    if len(q) > 1:
        companion = np.zeros((len(q) - 1, len(q) - 1), cls)
        for i in range(1, len(q) - 1):
            companion[i, i - 1] = 1
        companion[0, :] = -q[1:] / q[0]
        found = np.linalg.eigvals(companion)
    else:
        found = np.empty(0, cls)
    return np.concatenate((found, np.zeros(trailing, cls)))


@overload(np.roots)
def np_roots(p):
    if not (isinstance(p, types.Array) and
            isinstance(p.dtype, (types.Integer, types.Float, types.Complex, types.Boolean))):
        raise TypingError(f"np.roots(): p must be an array of numbers, not {p}")
    cls = as_dtype(p.dtype).type if isinstance(p.dtype, (types.Float, types.Complex)) else \
        np.float64
    if p.ndim != 1:
        def refuse(p):  # (NumPy's ValueError, in Numba's words)
            raise ValueError("Input must be a 1d array.")
            return np.empty(0, cls)
        return refuse
    return lambda p: _roots(p, cls)
