"""NumPy array creation written with `@overload`: np.array/asarray from (nested) lists and
tuples, linspace, eye/identity, diag, tri/tril/triu, ascontiguousarray, asfortranarray."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.construction import parse_dtype
from ..arrays.model import as_dtype
from .common import is_none
from .manipulation import _is_array, _is_int, _view_c

_SCALARS = (types.Number, types.Boolean)


def _nesting(ty):
    """(depth, element type) of a number or a nested homogeneous list/tuple of numbers, or
    None (heterogeneous tuples cannot be indexed at run time)."""
    ty = types.unliteral(ty)
    if isinstance(ty, _SCALARS):
        return 0, ty
    if isinstance(ty, (types.List, types.UniTuple)):
        inner = _nesting(ty.dtype)
        return None if inner is None else (inner[0] + 1, inner[1])
    return None


def _dtype_class(dtype_ty, default):
    """The NumPy scalar class for a dtype= argument (None/omitted: `default` type)."""
    if is_none(dtype_ty):
        element = default
    else:
        element = parse_dtype(dtype_ty)
        if element is None:
            raise TypingError(f"np.array(): unsupported dtype {dtype_ty}")
    return np.dtype(as_dtype(element)).type


@register_jitable
def _fill1(obj, cls):
    out = np.empty(len(obj), cls)
    for i in range(len(obj)):
        out[i] = obj[i]
    return out


@register_jitable
def _ragged():
    raise ValueError("setting an array element with a sequence. The requested array has an "
                     "inhomogeneous shape")


@register_jitable
def _fill2(obj, cls):
    n = len(obj)
    m = len(obj[0]) if n else 0
    out = np.empty((n, m), cls)
    for i in range(n):
        if len(obj[i]) != m:
            _ragged()
        for j in range(m):
            out[i, j] = obj[i][j]
    return out


@register_jitable
def _fill3(obj, cls):
    n = len(obj)
    m = len(obj[0]) if n else 0
    p = len(obj[0][0]) if n and m else 0
    out = np.empty((n, m, p), cls)
    for i in range(n):
        if len(obj[i]) != m:
            _ragged()
        for j in range(m):
            if len(obj[i][j]) != p:
                _ragged()
            for k in range(p):
                out[i, j, k] = obj[i][j][k]
    return out


_FILLS = {1: _fill1, 2: _fill2, 3: _fill3}


def _array_from(obj, dtype, copy_array):
    if _is_array(obj):
        if is_none(dtype):
            return (lambda obj, dtype=None: np.copy(obj)) if copy_array else \
                (lambda obj, dtype=None: obj)
        cls = _dtype_class(dtype, obj.dtype)
        return lambda obj, dtype=None: obj.astype(cls)
    nesting = _nesting(obj)
    if nesting is None or nesting[0] > 3:
        return None
    depth, element = nesting
    cls = _dtype_class(dtype, element)
    if depth == 0:
        return lambda obj, dtype=None: _view_c(np.full(1, obj, cls), 0, (), ())
    fill = _FILLS[depth]
    return lambda obj, dtype=None: fill(obj, cls)


@overload(np.array)
def np_array(object, dtype=None):
    return _array_from(object, dtype, True)


@overload(np.asarray)
def np_asarray(a, dtype=None):
    return _array_from(a, dtype, False)


@overload(np.ascontiguousarray)
def np_ascontiguousarray(a):
    if isinstance(types.unliteral(a), _SCALARS):
        return lambda a: np.full(1, a)
    if not _is_array(a):
        return None
    if a.ndim == 0:  # NumPy gives at least one dimension
        return lambda a: np.copy(a).reshape(1)
    return (lambda a: a) if a.layout == "C" else (lambda a: np.copy(a))


@overload(np.asfortranarray)
def np_asfortranarray(a):
    if not _is_array(a) or a.ndim == 0:
        return None
    if a.layout == "F" or a.ndim == 1 and a.layout == "C":
        return lambda a: a
    return lambda a: np.copy(a.T).T


# -- ranges and matrices ------------------------------------------------------------------------

@overload(np.linspace)
def np_linspace(start, stop, num=50):
    scalar = (types.Integer, types.Float, types.Boolean, types.Complex)
    if not all(isinstance(types.unliteral(t), scalar) for t in (start, stop)) or \
            not _is_int(num):
        return None
    is_complex = any(isinstance(types.unliteral(t), types.Complex) for t in (start, stop))
    cls = np.complex128 if is_complex else np.float64

    def impl(start, stop, num=50):
        if num < 0:
            raise ValueError("Number of samples must be non-negative.")
        out = np.empty(num, cls)
        div = num - 1 if num > 1 else 1
        delta = cls(stop) - cls(start)
        step = delta / div
        for i in range(num):
            out[i] = (i / div) * delta + start if step == 0 else i * step + start
        if num > 1:
            out[num - 1] = stop
        return out
    return impl


@register_jitable
def _band(n, m, k, cls, lower):
    """An n×m array of ones where j - i <= k (lower) or j - i == k (the diagonal)."""
    out = np.zeros((n, m), cls)
    for i in range(n):
        for j in range(m):
            if (j - i <= k) if lower else (j - i == k):
                out[i, j] = 1
    return out


def _matrix_dtype(dtype):
    if isinstance(dtype, types.Omitted) and dtype.value is float:
        return np.float64
    return _dtype_class(dtype, types.float64)


@overload(np.eye)
def np_eye(N, M=None, k=0, dtype=float):
    if not _is_int(N) or not (is_none(M) or _is_int(M)) or not _is_int(k):
        return None
    cls = _matrix_dtype(dtype)
    if is_none(M):
        return lambda N, M=None, k=0, dtype=float: _band(N, N, k, cls, False)
    return lambda N, M=None, k=0, dtype=float: _band(N, M, k, cls, False)


@overload(np.identity)
def np_identity(n, dtype=None):
    if not _is_int(n):
        return None
    cls = _matrix_dtype(dtype)
    return lambda n, dtype=None: _band(n, n, 0, cls, False)


@overload(np.tri)
def np_tri(N, M=None, k=0, dtype=float):
    if not _is_int(N) or not (is_none(M) or _is_int(M)) or not _is_int(k):
        return None
    cls = _matrix_dtype(dtype)
    if is_none(M):
        return lambda N, M=None, k=0, dtype=float: _band(N, N, k, cls, True)
    return lambda N, M=None, k=0, dtype=float: _band(N, M, k, cls, True)


@register_jitable
def _masked_tri(m, k, keep_lower):
    """tril (keep_lower) / triu of a 2-D array: a copy with the other triangle zeroed."""
    out = np.copy(m)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            if (j - i > k) if keep_lower else (j - i < k):
                out[i, j] = 0
    return out


def _tri_mask(m, k, keep_lower):
    if not _is_array(m) or not _is_int(k) or m.ndim not in (1, 2):
        return None
    if m.ndim == 1:  # NumPy masks the row repeated len(m) times
        return lambda m, k=0: _masked_tri(np.broadcast_to(m, (m.size, m.size)), k, keep_lower)
    return lambda m, k=0: _masked_tri(m, k, keep_lower)


@overload(np.tril)
def np_tril(m, k=0):
    return _tri_mask(m, k, True)


@overload(np.triu)
def np_triu(m, k=0):
    return _tri_mask(m, k, False)


@overload(np.diag)
def np_diag(v, k=0):
    if not _is_array(v) or not _is_int(k) or v.ndim not in (1, 2):
        return None
    if v.ndim == 1:
        def impl(v, k=0):
            n = v.size + abs(k)
            out = np.zeros((n, n), v.dtype)
            for i in range(v.size):
                out[i - min(k, 0), i + max(k, 0)] = v[i]
            return out
        return impl

    def impl2(v, k=0):
        rows, cols = v.shape
        n = max(0, min(rows + min(k, 0), cols - max(k, 0)))
        out = np.empty(n, v.dtype)
        for i in range(n):
            out[i] = v[i - min(k, 0), i + max(k, 0)]
        return out
    return impl2
