"""Set routines on 1-D views of arrays and sequences: np.union1d, np.intersect1d,
np.setdiff1d, np.setxor1d. They sort (NaNs last, one NaN kept by np.unique as in NumPy 2) and
compare neighbours, as NumPy does, so results and dtypes are NumPy's."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .common import constant_flag
from .grids import _element_of
from .numeric import _sorted_copy

_SEQUENCE = (types.Array, types.List, types.BaseTuple, types.Number, types.Boolean)


def _element(ty):
    return ty.dtype if isinstance(ty, types.Array) else _element_of(ty)


def _common_class(func, *tys):
    """NumPy's dtype (as a scalar class) of the concatenated arguments."""
    for name, ty in zip(("ar1", "ar2"), tys):
        if not isinstance(types.unliteral(ty), _SEQUENCE) or _element(ty) is None:
            raise TypingError(f"np.{func}(): The arguments to np.{func} must be array-like "
                              f"({name} is {ty})")
    return np.result_type(*(as_dtype(_element(t)) for t in tys)).type


def _is_flag(ty) -> bool:
    if isinstance(ty, types.Omitted):
        return isinstance(ty.value, bool)
    return isinstance(types.unliteral(ty), types.Boolean)


@register_jitable
def _joined(ar1, ar2, cls):
    a = np.ravel(np.asarray(ar1))
    b = np.ravel(np.asarray(ar2))
    out = np.empty(a.size + b.size, cls)
    for i in range(a.size):
        out[i] = a[i]
    for i in range(b.size):
        out[a.size + i] = b[i]
    return out


@register_jitable
def _flat_as(ar, cls):
    a = np.ravel(np.asarray(ar))
    out = np.empty(a.size, cls)
    for i in range(a.size):
        out[i] = a[i]
    return out


@register_jitable
def _unique_of(ar, cls):
    return np.unique(_flat_as(ar, cls))


@register_jitable
def _indexed_unique(ar, assume_unique, cls):
    """(values, where each is in ar): np.unique's first occurrences, or ar as it is."""
    a = _flat_as(ar, cls)
    if assume_unique:
        return a, np.arange(a.size)
    return np.unique(a, return_index=True)


@register_jitable
def _intersect_indexed(ar1, ar2, assume_unique, cls):
    """NumPy's way: a stable sort of both (unique) arrays, equal neighbours are common items,
    the sort's permutation tells where each came from."""
    a, index1 = _indexed_unique(ar1, assume_unique, cls)
    b, index2 = _indexed_unique(ar2, assume_unique, cls)
    aux = _joined(a, b, cls)
    order = np.argsort(aux, kind="mergesort")
    aux = aux[order]
    mask = aux[1:] == aux[:-1]
    return aux[:-1][mask], index1[order[:-1][mask]], index2[order[1:][mask] - a.size]


@overload(np.union1d)
def np_union1d(ar1, ar2):
    cls = _common_class("union1d", ar1, ar2)
    return lambda ar1, ar2: np.unique(_joined(ar1, ar2, cls))


@overload(np.intersect1d, prefer_literal=True)
def np_intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    cls = _common_class("intersect1d", ar1, ar2)
    if not _is_flag(assume_unique):
        raise TypingError("np.intersect1d(): assume_unique must be a boolean")
    if constant_flag("np.intersect1d", "return_indices", return_indices):
        return lambda ar1, ar2, assume_unique=False, return_indices=False: \
            _intersect_indexed(ar1, ar2, assume_unique, cls)

    def impl(ar1, ar2, assume_unique=False, return_indices=False):
        if assume_unique:
            aux = _sorted_copy(_joined(ar1, ar2, cls))
        else:
            aux = _sorted_copy(_joined(_unique_of(ar1, cls), _unique_of(ar2, cls), cls))
        count = 0
        for i in range(aux.size - 1):
            if aux[i + 1] == aux[i]:
                aux[count] = aux[i]
                count += 1
        return aux[:count].copy()
    return impl


@overload(np.setdiff1d)
def np_setdiff1d(ar1, ar2, assume_unique=False):
    _common_class("setdiff1d", ar1, ar2)
    if not _is_flag(assume_unique):
        raise TypingError("np.setdiff1d(): assume_unique must be a boolean")
    cls, other_cls = (as_dtype(_element(t)).type for t in (ar1, ar2))  # ar1's dtype is kept

    def impl(ar1, ar2, assume_unique=False):
        if assume_unique:
            first = _joined(ar1, np.empty(0, cls), cls)
        else:
            first = _unique_of(ar1, cls)
        other = _unique_of(ar2, other_cls)
        keep = np.isin(first, other, invert=True)
        return first[keep]
    return impl


@overload(np.setxor1d)
def np_setxor1d(ar1, ar2, assume_unique=False):
    cls = _common_class("setxor1d", ar1, ar2)
    if not _is_flag(assume_unique):
        raise TypingError("np.setxor1d(): assume_unique must be a boolean")

    def impl(ar1, ar2, assume_unique=False):
        if assume_unique:
            aux = _sorted_copy(_joined(ar1, ar2, cls))
        else:
            aux = _sorted_copy(_joined(_unique_of(ar1, cls), _unique_of(ar2, cls), cls))
        n = aux.size
        count = 0
        for i in range(n):  # items equal to neither neighbour
            if (i == 0 or aux[i] != aux[i - 1]) and (i == n - 1 or aux[i] != aux[i + 1]):
                aux[count] = aux[i]
                count += 1
        return aux[:count].copy()
    return impl
