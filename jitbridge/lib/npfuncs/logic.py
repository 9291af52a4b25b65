"""Comparisons and type tests of whole arrays: np.isclose, np.allclose, np.array_equal,
np.isscalar, np.iscomplexobj/isrealobj, np.iscomplex/isreal. isclose follows NumPy 2's formula
(|x - y| <= atol + rtol * |y|, with y made inexact first, and exact equality for infinities)."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .common import is_none
from .grids import _element_of

_SCALAR = (types.Number, types.Boolean)


def _is_array_like(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Array, types.Number, types.Boolean,
                                            types.List, types.BaseTuple))


def _is_real(ty, omitted_type=float) -> bool:
    """A real number argument (booleans are not), or an omitted one of `omitted_type`."""
    if isinstance(ty, types.Omitted):
        return isinstance(ty.value, omitted_type)
    return isinstance(types.unliteral(ty), (types.Float, types.Integer))


def _is_flag(ty) -> bool:
    if isinstance(ty, types.Omitted):
        return isinstance(ty.value, bool)
    return isinstance(types.unliteral(ty), types.Boolean)


def _check_close_args(a, b, rtol, atol, equal_nan, func):
    if not _is_array_like(a):
        raise TypingError(f'np.{func}(): The first argument "a" must be array-like')
    if not _is_array_like(b):
        raise TypingError(f'np.{func}(): The second argument "b" must be array-like')
    if not _is_real(rtol):
        raise TypingError(f'np.{func}(): The third argument "rtol" must be a floating point')
    if not _is_real(atol):
        raise TypingError(f'np.{func}(): The fourth argument "atol" must be a floating point')
    if not _is_flag(equal_nan):
        raise TypingError(f'np.{func}(): The fifth argument "equal_nan" must be a boolean')


def _inexact_class(b):
    """The class NumPy converts y to before comparing (np.result_type(y, 1.0))."""
    ty = types.unliteral(b)
    element = ty.dtype if isinstance(ty, types.Array) else ty
    if not isinstance(element, _SCALAR):  # lists and tuples: np.asarray decides
        return np.float64
    return np.result_type(as_dtype(element), 1.0).type


def _close_scalars(cls):
    def impl(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
        y = cls(b)
        if a == y:
            return True
        if equal_nan and a != a and y != y:
            return True
        return np.isfinite(y) and abs(a - y) <= atol + rtol * abs(y)
    return impl


def _close_arrays(cls):
    def impl(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
        x = np.asarray(a)
        y = np.asarray(b).astype(cls)
        close = (np.abs(x - y) <= atol + rtol * np.abs(y)) & np.isfinite(y) | (x == y)
        if equal_nan:
            close = close | (np.isnan(x) & np.isnan(y))
        return close
    return impl


def _both_scalars(a, b) -> bool:
    return all(isinstance(types.unliteral(t), _SCALAR) for t in (a, b))


@overload(np.isclose)
def np_isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    _check_close_args(a, b, rtol, atol, equal_nan, "isclose")
    cls = _inexact_class(b)
    return (_close_scalars if _both_scalars(a, b) else _close_arrays)(cls)


@overload(np.allclose)
def np_allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    _check_close_args(a, b, rtol, atol, equal_nan, "allclose")
    cls = _inexact_class(b)
    if _both_scalars(a, b):
        return _close_scalars(cls)
    close = register_jitable(_close_arrays(cls))

    def impl(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
        return bool(np.all(close(a, b, rtol, atol, equal_nan)))
    return impl


@overload(np.array_equal)
def np_array_equal(a1, a2, equal_nan=False):
    if not (_is_array_like(a1) and _is_array_like(a2)):
        raise TypingError('np.array_equal(): Both arguments to "array_equals" must be array-like')
    if not _is_flag(equal_nan):
        raise TypingError('np.array_equal(): "equal_nan" must be a boolean')

    def impl(a1, a2, equal_nan=False):
        x = np.asarray(a1)
        y = np.asarray(a2)
        if x.shape != y.shape:
            return False
        same = x == y
        if equal_nan:
            same = same | (np.isnan(x) & np.isnan(y))
        return bool(np.all(same))
    return impl


# -- type tests ---------------------------------------------------------------------------------

# strings and datetimes, where this version of jitbridge has them
_SCALAR_TYPES = _SCALAR + tuple(getattr(types, name) for name in (
    "UnicodeType", "StringLiteral", "UnicodeCharSeq", "NPDatetime", "NPTimedelta")
    if hasattr(types, name))


@overload(np.isscalar)
def np_isscalar(element):
    ty = types.unliteral(element)
    scalar = isinstance(ty, _SCALAR_TYPES)
    return lambda element: scalar


def _element(ty):
    ty = types.unliteral(ty)
    if isinstance(ty, types.Array):
        return ty.dtype
    return _element_of(ty) or ty


@overload(np.iscomplexobj)
def np_iscomplexobj(x):
    answer = isinstance(_element(x), types.Complex)
    return lambda x: answer


@overload(np.isrealobj)
def np_isrealobj(x):
    answer = not isinstance(_element(x), types.Complex)
    return lambda x: answer


@overload(np.iscomplex)
def np_iscomplex(x):
    if not _is_array_like(x) or is_none(x):
        return None
    if isinstance(types.unliteral(x), _SCALAR):  # a scalar answer, as NumPy's
        return lambda x: np.asarray(x).imag != 0 if np.iscomplexobj(x) else False
    if isinstance(_element(x), types.Complex):
        return lambda x: np.asarray(x).imag != 0
    return lambda x: np.zeros(np.asarray(x).shape, np.bool_)


@overload(np.isreal)
def np_isreal(x):
    if not _is_array_like(x) or is_none(x):
        return None
    if isinstance(types.unliteral(x), _SCALAR):
        return lambda x: np.asarray(x).imag == 0 if np.iscomplexobj(x) else True
    if isinstance(_element(x), types.Complex):
        return lambda x: np.asarray(x).imag == 0
    return lambda x: np.ones(np.asarray(x).shape, np.bool_)
