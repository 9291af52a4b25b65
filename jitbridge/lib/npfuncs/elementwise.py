"""NumPy functions applied item by item that are not ufuncs: np.angle, np.sinc,
np.nan_to_num. Each keeps NumPy's result dtype (float32 stays float32, integers give
float64) and takes scalars as well as arrays, lists and tuples."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .manipulation import _assign
from .numeric import given

_NUMBER = (types.Number, types.Boolean)


def _element(ty):
    ty = types.unliteral(ty)
    if isinstance(ty, types.Array):
        return ty.dtype
    if isinstance(ty, (types.List, types.UniTuple)):
        return _element(ty.dtype)
    return ty


def _is_numeric_like(ty) -> bool:
    ty = types.unliteral(ty)
    return isinstance(ty, (types.Array, types.List, types.UniTuple) + _NUMBER) and \
        isinstance(_element(ty), _NUMBER)


def _is_flag(ty) -> bool:
    if isinstance(ty, types.Omitted):
        return isinstance(ty.value, bool)
    return isinstance(types.unliteral(ty), types.Boolean)


# -- np.angle -----------------------------------------------------------------------------------

_DEGREES = 180 / np.pi


@overload(np.angle)
def np_angle(z, deg=False):
    if not _is_numeric_like(z):
        raise TypingError('np.angle(): Argument "z" must be a complex or Array[complex]')
    if not _is_flag(deg):
        raise TypingError('np.angle(): Argument "deg" must be a boolean')
    real_cls = np.result_type(as_dtype(_element(z)).type(0).real, np.float16).type
    if isinstance(_element(z), types.Complex):
        parts = register_jitable(lambda z: (z.imag, z.real))
    else:
        parts = register_jitable(lambda z: (real_cls(0), z))
    if isinstance(types.unliteral(z), _NUMBER):
        def scalar(z, deg=False):
            imag, real = parts(z)
            a = real_cls(np.arctan2(real_cls(imag), real_cls(real)))
            return real_cls(a * real_cls(_DEGREES)) if deg else a
        return scalar

    def impl(z, deg=False):
        imag, real = parts(np.asarray(z))
        a = np.arctan2(imag, real).astype(real_cls)
        return a * real_cls(_DEGREES) if deg else a
    return impl


# -- np.sinc ------------------------------------------------------------------------------------

def _sinc_kernel(cls, eps):
    @register_jitable
    def kernel(x):
        y = cls(np.pi) * cls(x)
        if y == 0:
            y = cls(eps)
        return np.sin(y) / y
    return kernel


@overload(np.sinc)
def np_sinc(x):
    if not _is_numeric_like(x):
        raise TypingError('np.sinc(): Argument "x" must be a Number or array-like')
    dtype = np.result_type(as_dtype(_element(x)), np.float16)
    eps = np.finfo(dtype).eps if dtype.kind == "f" else 1e-20
    kernel = _sinc_kernel(dtype.type, eps)
    if isinstance(types.unliteral(x), _NUMBER):
        return lambda x: kernel(x)

    def impl(x):
        a = np.asarray(x)
        out = np.empty(a.shape, dtype)
        flat_in = a.ravel()
        flat_out = out.reshape(out.size)
        for i in range(flat_in.size):
            flat_out[i] = kernel(flat_in[i])
        return out
    return impl


# -- np.nan_to_num ------------------------------------------------------------------------------

def _replacer(cls, nan, posinf, neginf):
    """A kernel replacing NaN and infinities of the real type `cls` as nan_to_num does."""
    info = np.finfo(cls)
    big, small = cls(info.max), cls(info.min)

    @register_jitable
    def replace(v, nan, posinf, neginf):
        if v != v:
            return cls(nan)
        if v == np.inf:
            return cls(given(posinf, big))
        if v == -np.inf:
            return cls(given(neginf, small))
        return v
    return replace


@overload(np.nan_to_num)
def np_nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    if not _is_numeric_like(x):
        raise TypingError("np.nan_to_num(): The first argument must be a scalar or an "
                          "array-like")
    element = _element(x)
    if not isinstance(element, (types.Float, types.Complex)):
        if isinstance(types.unliteral(x), _NUMBER):
            return lambda x, copy=True, nan=0.0, posinf=None, neginf=None: x
        return lambda x, copy=True, nan=0.0, posinf=None, neginf=None: \
            np.copy(np.asarray(x)) if copy else np.asarray(x)
    real = as_dtype(element).type(0).real.dtype.type
    fix = _replacer(real, nan, posinf, neginf)
    if isinstance(element, types.Complex):
        item = register_jitable(lambda v, nan, p, n: complex(
            fix(v.real, nan, p, n), fix(v.imag, nan, p, n)))
    else:
        item = fix
    if isinstance(types.unliteral(x), _NUMBER):
        return lambda x, copy=True, nan=0.0, posinf=None, neginf=None: \
            item(x, nan, posinf, neginf)
    in_place = isinstance(types.unliteral(x), types.Array)  # copy=False can only act on arrays

    def impl(x, copy=True, nan=0.0, posinf=None, neginf=None):
        a = np.asarray(x)
        values = a.ravel()  # a C-ordered copy unless `a` is C-contiguous
        out = np.empty(values.size, a.dtype)
        for i in range(values.size):
            out[i] = item(values[i], nan, posinf, neginf)
        result = out.reshape(a.shape)
        if copy or not in_place:
            return result
        _assign(a, result)
        return a
    return impl
