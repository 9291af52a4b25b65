"""np.insert(arr, obj, values) on the flattened array (axis=None, as Numba): NumPy's
placement (indices counted in the input, ties kept in the order given, a one-item obj
inserting every value there), values cast to arr's dtype; Numba's TypingErrors and
IndexError wording."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .common import is_none

_SEQUENCES = (types.Array, types.List, types.BaseTuple)


def _check(arr, obj, values, axis):
    if not isinstance(arr, _SEQUENCES):
        raise TypingError("np.insert(): arr must be either an Array or a Sequence")
    if not isinstance(values, (types.Number, types.Boolean, *_SEQUENCES)):
        raise TypingError("np.insert(): values must be a scalar, an Array or a Sequence")
    if not is_none(axis):
        raise TypingError("np.insert(): The 'axis' argument is not supported (the array is "
                          "flattened)")
    if isinstance(obj, types.Integer):
        return
    if not isinstance(obj, _SEQUENCES):
        raise TypingError("np.insert(): obj should be an Integer, an Array or a Sequence")
    if isinstance(obj, types.BaseTuple):
        integers = all(isinstance(t, types.Integer) for t in obj.types)
    else:
        integers = isinstance(obj.dtype, types.Integer)
    if not integers:
        raise TypingError("np.insert(): obj should be of Integer dtype")


@register_jitable
def _position(pos, n):
    if pos < -n or pos > n:
        raise IndexError("index is out of bounds for the given array size")
    return pos + n if pos < 0 else pos


@register_jitable
def _insert_at(flat, pos, vals):
    """Every value of `vals` inserted before item `pos` of `flat`."""
    n = flat.size
    pos = _position(pos, n)
    out = np.empty(n + vals.size, flat.dtype)
    out[:pos] = flat[:pos]
    for i in range(vals.size):
        out[pos + i] = vals[i]
    out[pos + vals.size:] = flat[pos:]
    return out


@register_jitable
def _slots(where, n):
    """Each value's place in the result: its index, shifted by the values inserted before
    it (at smaller indices, or earlier in `where` at the same one): a counting sort."""
    before = np.zeros(n + 1, np.intp)
    for p in where:
        before[p] += 1
    running = 0
    for p in range(n + 1):
        running, before[p] = running + before[p], running
    slots = np.empty(where.size, np.intp)
    for k in range(where.size):
        slots[k] = where[k] + before[where[k]]
        before[where[k]] += 1
    return slots


@register_jitable
def _insert_each(flat, indices, vals):
    """Value k (or the single value) inserted before item indices[k] of `flat`."""
    n, count = flat.size, indices.size
    if vals.size != 1 and vals.size != count:
        raise ValueError("shape mismatch: value array could not be broadcast to indexing "
                         "result")
    where = np.empty(count, np.intp)
    for k in range(count):
        where[k] = _position(indices[k], n)
    out = np.empty(n + count, flat.dtype)
    taken = np.zeros(n + count, np.bool_)
    slots = _slots(where, n)
    for k in range(count):
        out[slots[k]] = vals[k if vals.size > 1 else 0]
        taken[slots[k]] = True
    j = 0
    for i in range(n + count):
        if not taken[i]:
            out[i] = flat[j]
            j += 1
    return out


@overload(np.insert)
def np_insert(arr, obj, values, axis=None):
    _check(arr, obj, values, axis)
    if isinstance(obj, types.Integer):
        def at_one(arr, obj, values, axis=None):
            flat = np.ravel(np.asarray(arr))
            return _insert_at(flat, obj, np.ravel(np.asarray(values)).astype(flat.dtype))
        return at_one

    def at_each(arr, obj, values, axis=None):
        flat = np.ravel(np.asarray(arr))
        indices = np.ravel(np.asarray(obj))
        vals = np.ravel(np.asarray(values)).astype(flat.dtype)
        if indices.size == 1:
            return _insert_at(flat, indices[0], vals)
        return _insert_each(flat, indices, vals)
    return at_each
