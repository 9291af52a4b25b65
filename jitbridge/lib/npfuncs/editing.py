"""Functions making edited copies or views of arrays: np.append, np.delete, np.rot90,
np.diagflat, np.select, np.asarray_chkfinite, np.isposinf/np.isneginf. Inputs may be arrays,
lists or tuples (np.asarray), as NumPy takes them."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .common import is_none
from .manipulation import _array_like, _flipped, _view

_SEQUENCE = (types.Array, types.List, types.BaseTuple)


def _is_int(ty) -> bool:
    if isinstance(ty, types.Omitted):
        return isinstance(ty.value, int)
    return isinstance(types.unliteral(ty), (types.Integer, types.Boolean))


# -- np.append ----------------------------------------------------------------------------------

@overload(np.append)
def np_append(arr, values, axis=None):
    if not _array_like(arr):
        raise TypingError('np.append(): The first argument "arr" must be array-like')
    if not _array_like(values):
        raise TypingError('np.append(): The second argument "values" must be array-like')
    if is_none(axis):
        return lambda arr, values, axis=None: np.concatenate(
            (np.ravel(np.asarray(arr)), np.ravel(np.asarray(values))))
    if not _is_int(axis):
        raise TypingError('np.append(): The third argument "axis" must be an integer')
    return lambda arr, values, axis=None: np.concatenate(
        (np.asarray(arr), np.asarray(values)), axis=axis)


# -- np.delete ----------------------------------------------------------------------------------

@register_jitable
def _kept(values, keep):
    out = np.empty(np.count_nonzero(keep), values.dtype)
    j = 0
    for i in range(values.size):
        if keep[i]:
            out[j] = values[i]
            j += 1
    return out


@register_jitable
def _drop_index(keep, i):
    n = keep.size
    if i < -n or i >= n:
        raise IndexError("obj must be less than the len(arr)")
    keep[i + n if i < 0 else i] = False


@overload(np.delete)
def np_delete(arr, obj):
    if not isinstance(types.unliteral(arr), _SEQUENCE):
        raise TypingError("np.delete(): arr must be either an Array or a Sequence")
    obj_ty = types.unliteral(obj)
    if isinstance(obj_ty, types.SliceType):
        def delete_slice(arr, obj):
            values = np.ravel(np.asarray(arr))
            keep = np.ones(values.size, np.bool_)
            keep[obj] = False
            return _kept(values, keep)
        return delete_slice
    element = obj_ty.dtype if isinstance(obj_ty, (types.Array, types.List, types.UniTuple)) \
        else obj_ty
    if not isinstance(element, (types.Integer, types.Boolean)):
        raise TypingError("np.delete(): obj should be of Integer dtype")

    def impl(arr, obj):
        values = np.ravel(np.asarray(arr))
        keep = np.ones(values.size, np.bool_)
        drop = np.ravel(np.asarray(obj))
        for i in range(drop.size):
            _drop_index(keep, drop[i])
        return _kept(values, keep)
    return impl


# -- np.rot90, np.diagflat ----------------------------------------------------------------------

@register_jitable
def _rotated(m, k):
    k %= 4
    if k == 0:
        return _view(m, 0, m.shape, m.strides)
    if k == 2:
        return _flipped(_flipped(m, 0), 1)
    if k == 1:
        return np.swapaxes(_flipped(m, 1), 0, 1)
    return _flipped(np.swapaxes(m, 0, 1), 1)


@overload(np.rot90)
def np_rot90(m, k=1):
    if not isinstance(m, types.Array):
        return None
    if m.ndim < 2:
        raise TypingError("np.rot90(): Axes must be different (the array must be at least 2-D)")
    if not _is_int(k):
        raise TypingError("np.rot90(): k must be an integer")
    return lambda m, k=1: _rotated(m, k)


@overload(np.diagflat)
def np_diagflat(v, k=0):
    if not _array_like(v):
        raise TypingError('np.diagflat(): The argument "v" must be array-like')
    if not _is_int(k):
        raise TypingError('np.diagflat(): The argument "k" must be an integer')
    return lambda v, k=0: np.diag(np.ravel(np.asarray(v)), k)


# -- np.select ----------------------------------------------------------------------------------

def _select_types(condlist, choicelist):
    for name, ty in (("condlist", condlist), ("choicelist", choicelist)):
        if not isinstance(ty, (types.List, types.UniTuple)) or \
                not isinstance(ty.dtype, types.Array):
            raise TypingError(f"np.select(): {name} must be a list or tuple of arrays")
    if not isinstance(condlist.dtype.dtype, types.Boolean):
        raise TypingError("np.select(): condlist arrays must contain booleans")
    if condlist.dtype.ndim != choicelist.dtype.ndim:
        raise TypingError("np.select(): condlist and choicelist arrays must have the same "
                          "number of dimensions")


@overload(np.select)
def np_select(condlist, choicelist, default=0):
    _select_types(condlist, choicelist)
    if not isinstance(types.unliteral(default), (types.Number, types.Boolean)) and \
            not isinstance(default, types.Omitted):
        raise TypingError("np.select(): default must be a scalar")

    def impl(condlist, choicelist, default=0):
        if len(condlist) != len(choicelist):
            raise ValueError("list of cases must be same length as list of conditions")
        if len(choicelist) == 0:
            raise ValueError("select with an empty condition list is not possible")
        shape = choicelist[0].shape
        out = np.full(shape, default, choicelist[0].dtype)
        for n in range(len(condlist) - 1, -1, -1):
            if condlist[n].shape != shape or choicelist[n].shape != shape:
                raise ValueError("condlist and choicelist arrays must all have one shape")
            out = np.where(condlist[n], choicelist[n], out)
        return out
    return impl


# -- np.asarray_chkfinite, np.isposinf, np.isneginf ---------------------------------------------

@overload(np.asarray_chkfinite)
def np_asarray_chkfinite(a, dtype=None):
    if not _array_like(a) or isinstance(types.unliteral(a), (types.Number, types.Boolean)):
        raise TypingError("np.asarray_chkfinite(): The argument to np.asarray_chkfinite must "
                          "be array-like")
    if not (is_none(dtype) or isinstance(dtype, (types.DType, types.NumberClass))):
        raise TypingError(f"np.asarray_chkfinite(): dtype must be a valid Numpy dtype, not "
                          f"{dtype}")

    def impl(a, dtype=None):
        out = np.asarray(a, dtype)
        if not np.all(np.isfinite(out)):
            raise ValueError("array must not contain infs or NaNs")
        return out
    return impl


def _signed_inf(x, out, negative):
    ty = types.unliteral(x)
    element = ty.dtype if isinstance(ty, types.Array) else ty
    if isinstance(element, types.Complex):
        raise TypingError("This operation is not supported for complex values because it "
                          "would be ambiguous.")
    if not isinstance(element, (types.Number, types.Boolean)):
        return None
    if not is_none(out):
        return _signed_inf_into(negative) if isinstance(out, types.Array) else None
    if negative:
        return lambda x, out=None: np.isinf(x) & np.signbit(x)
    return lambda x, out=None: np.isinf(x) & ~np.signbit(x)


def _signed_inf_into(negative):
    def impl(x, out=None):
        found = np.isinf(x) & (np.signbit(x) if negative else ~np.signbit(x))
        out[...] = found  # broadcast into out, cast to its dtype, as NumPy's ufunc does
        return out
    return impl


@overload(np.isposinf)
def np_isposinf(x, out=None):
    return _signed_inf(x, out, False)


@overload(np.isneginf)
def np_isneginf(x, out=None):
    return _signed_inf(x, out, True)
