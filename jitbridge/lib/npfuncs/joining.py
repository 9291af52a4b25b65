"""NumPy joining and splitting written with `@overload` over manipulation.py's view
primitives: concatenate, stack, h/v/d/column_stack, split/array_split, repeat, tile, roll."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method, register_jitable
from ..arrays.model import as_dtype
from .common import is_none, normalize_axis
from .statistics import _lanes
from .manipulation import (_assign, _insert, _int_tuple, _is_array, _is_int, _remove,
                           _tuple_set, _view, _with_axis)


# -- joining ------------------------------------------------------------------------------------

def _sequence_of_arrays(arrays, func: str):
    """The element type of a homogeneous tuple/list of arrays, or None; TypingError where NumPy
    would refuse the call for every value."""
    if isinstance(arrays, types.UniTuple) and _is_array(arrays.dtype) or \
            isinstance(arrays, types.List) and _is_array(arrays.dtype):
        return arrays.dtype
    if isinstance(arrays, types.BaseTuple) and len(arrays) == 0:
        raise TypingError(f"np.{func}(): need at least one array to concatenate")
    if isinstance(arrays, types.Tuple) and all(_is_array(t) for t in arrays):
        if len({t.ndim for t in arrays}) > 1 or len(arrays) > 4:
            raise TypingError(f"np.{func}(): arrays of different types {arrays} are not "
                              "supported; give arrays of one dimension count (at most 4 of "
                              "different dtypes or layouts)")
        return _MIXED
    return None


_MIXED = object()  # a tuple of same-ndim arrays of different dtypes/layouts: see _uniform


def _uniform(arrays):
    """The arrays of a mixed tuple as one array type (result dtype, any layout)."""


@register_jitable
def _as_any(a):
    return _view(a, 0, a.shape, a.strides)


@overload(_uniform)
def _uniform_impl(arrays):
    dtype = np.result_type(*[as_dtype(t.dtype) for t in arrays])
    if not all(as_dtype(t.dtype) == dtype for t in arrays):
        cls = dtype.type
        conv = register_jitable(lambda a: _as_any(a.astype(cls)))
    else:
        conv = _as_any
    return {2: lambda t: (conv(t[0]), conv(t[1])),
            3: lambda t: (conv(t[0]), conv(t[1]), conv(t[2])),
            4: lambda t: (conv(t[0]), conv(t[1]), conv(t[2]), conv(t[3]))}[len(arrays)]



def _scalar_class(aryty):
    """What np.empty(shape, ...) takes for an array type's dtype in implementations: its scalar
    class, or the dtype itself for datetimes (the class would drop the unit)."""
    dtype = np.dtype(as_dtype(aryty.dtype))
    return dtype if dtype.kind in "mM" else dtype.type


@register_jitable
def _joined_shape(arrays, ax):
    first = arrays[0]
    total = 0
    for i in range(len(arrays)):
        arr = arrays[i]
        for d in range(first.ndim):
            if d != ax and arr.shape[d] != first.shape[d]:
                raise ValueError("all the input array dimensions except for the concatenation "
                                 "axis must match exactly")
        total += arr.shape[ax]
    return _tuple_set(first.shape, ax, total)


@register_jitable
def _fill_joined(out, arrays, ax):
    pos = 0
    for i in range(len(arrays)):
        arr = arrays[i]
        _assign(_view(out, pos * out.strides[ax], arr.shape, out.strides), arr)
        pos += arr.shape[ax]
    return out


@overload(np.concatenate)
def np_concatenate(arrays, axis=0):
    ty = _sequence_of_arrays(arrays, "concatenate")
    if ty is None or not (_is_int(axis) or is_none(axis)):
        return None
    if ty is _MIXED:
        return lambda arrays, axis=0: np.concatenate(_uniform(arrays), axis)
    if is_none(axis):  # NumPy joins the arrays flattened
        cls = _scalar_class(ty)
        return lambda arrays, axis=0: _joined_flat(arrays, cls)
    if ty.ndim == 0:
        raise TypingError("np.concatenate(): zero-dimensional arrays cannot be concatenated")
    cls = _scalar_class(ty)

    def impl(arrays, axis=0):
        if len(arrays) == 0:
            raise ValueError("need at least one array to concatenate")
        ax = normalize_axis(axis, arrays[0].ndim)
        return _fill_joined(np.empty(_joined_shape(arrays, ax), cls), arrays, ax)
    return impl


@register_jitable
def _joined_flat(arrays, cls):
    total = 0
    for i in range(len(arrays)):
        total += arrays[i].size
    out = np.empty(total, cls)
    start = 0
    for i in range(len(arrays)):
        out[start:start + arrays[i].size] = np.ravel(arrays[i])
        start += arrays[i].size
    return out


@register_jitable
def _stacked(arrays, axis, out):
    """Fill `out` (the stacked shape) with arrays[i] along axis `axis`."""
    inner = _remove(out.strides, axis)
    for i in range(len(arrays)):
        if arrays[i].shape != arrays[0].shape:
            raise ValueError("all input arrays must have the same shape")
        _assign(_view(out, i * out.strides[axis], arrays[i].shape, inner), arrays[i])
    return out


@overload(np.stack)
def np_stack(arrays, axis=0):
    ty = _sequence_of_arrays(arrays, "stack")
    if ty is None or not _is_int(axis):
        return None
    if ty is _MIXED:
        return lambda arrays, axis=0: np.stack(_uniform(arrays), axis)
    cls = _scalar_class(ty)

    def impl(arrays, axis=0):
        if len(arrays) == 0:
            raise ValueError("need at least one array to stack")
        ax = normalize_axis(axis, arrays[0].ndim + 1)
        shape = _insert(arrays[0].shape, ax, len(arrays))
        return _stacked(arrays, ax, np.empty(shape, cls))
    return impl


def _stack_along(arrays, func, choose):
    """h/v/d/column_stack: `choose(ndim)` gives the implementation for the arrays' ndim."""
    ty = _sequence_of_arrays(arrays, func)
    if ty is None:
        return None
    if ty is _MIXED:
        again = getattr(np, func)
        return lambda tup: again(_uniform(tup))
    return choose(ty.ndim)


@overload(np.hstack)
def np_hstack(tup):
    return _stack_along(tup, "hstack", lambda nd: (
        (lambda tup: np.concatenate(tup, 0)) if nd == 1 else
        (lambda tup: np.concatenate(tup, 1)) if nd > 1 else None))


@overload(np.vstack)
def np_vstack(tup):
    return _stack_along(tup, "vstack", lambda nd: (
        (lambda tup: np.stack(tup, 0)) if nd == 1 else
        (lambda tup: np.concatenate(tup, 0)) if nd > 1 else None))


@overload(np.dstack)
def np_dstack(tup):
    return _stack_along(tup, "dstack", lambda nd: (
        (lambda tup: _with_axis(np.stack(tup, 1), 0).copy()) if nd == 1 else
        (lambda tup: np.stack(tup, 2)) if nd == 2 else
        (lambda tup: np.concatenate(tup, 2)) if nd > 2 else None))


@overload(np.column_stack)
def np_column_stack(tup):
    return _stack_along(tup, "column_stack", lambda nd: (
        (lambda tup: np.stack(tup, 1)) if nd == 1 else
        (lambda tup: np.concatenate(tup, 1)) if nd > 1 else None))


# -- splitting ----------------------------------------------------------------------------------

@register_jitable
def _part(a, ax, start, stop):
    """a[..., start:stop, ...] along axis `ax` (slice bounds clipped as slicing does)."""
    n = a.shape[ax]
    start = min(max(start + n if start < 0 else start, 0), n)
    stop = min(max(stop + n if stop < 0 else stop, 0), n)
    return _view(a, start * a.strides[ax] if stop > start else 0,
                 _tuple_set(a.shape, ax, max(stop - start, 0)), a.strides)


@register_jitable
def _split_sections(a, sections, ax, equal):
    if sections <= 0:
        raise ValueError("number sections must be larger than 0.")
    n = a.shape[ax]
    each, extra = n // sections, n % sections
    if equal and extra:
        raise ValueError("array split does not result in an equal division")
    parts = [_part(a, ax, 0, each + (1 if extra > 0 else 0))]
    start = parts[0].shape[ax]
    for i in range(1, sections):
        stop = start + each + (1 if i < extra else 0)
        parts.append(_part(a, ax, start, stop))
        start = stop
    return parts


@register_jitable
def _split_indices(a, indices, ax):
    parts = [_part(a, ax, 0, indices[0] if len(indices) else a.shape[ax])]
    for i in range(len(indices)):
        stop = indices[i + 1] if i + 1 < len(indices) else a.shape[ax]
        parts.append(_part(a, ax, indices[i], stop))
    return parts


def _split(ary, indices_or_sections, axis, equal):
    if not _is_array(ary) or ary.ndim == 0 or not _is_int(axis):
        return None
    ios = indices_or_sections
    if _is_int(ios):
        return lambda ary, indices_or_sections, axis=0: _split_sections(
            ary, indices_or_sections, normalize_axis(axis, ary.ndim), equal)
    if isinstance(ios, types.BaseTuple) and len(ios) == 0:
        return lambda ary, indices_or_sections, axis=0: [
            _part(ary, normalize_axis(axis, ary.ndim), 0, ary.shape[normalize_axis(axis, ary.ndim)])]
    if isinstance(ios, (types.UniTuple, types.List)) and _is_int(ios.dtype) or \
            isinstance(ios, types.Array) and ios.ndim == 1 and _is_int(ios.dtype):
        return lambda ary, indices_or_sections, axis=0: _split_indices(
            ary, indices_or_sections, normalize_axis(axis, ary.ndim))
    return None


@overload(np.split)
def np_split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, True)


@overload(np.array_split)
def np_array_split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, False)


# -- repeat, tile, roll -------------------------------------------------------------------------

@register_jitable
def _repeat_total(counts, n):
    """The length `counts` (one per item, or one for all) repeats n items to; NumPy's errors."""
    if counts.size != 1 and counts.size != n:
        raise ValueError("operands could not be broadcast together")
    total = 0
    for i in range(counts.size):
        if counts[i] < 0:
            raise ValueError("negative dimensions are not allowed")
        total += counts[i]
    return counts[0] * n if counts.size == 1 else total


@register_jitable
def _repeat_counts(flat, counts):
    out = np.empty(_repeat_total(counts, flat.size), flat.dtype)
    k = 0
    for i in range(flat.size):
        c = counts[0] if counts.size == 1 else counts[i]
        for _ in range(c):
            out[k] = flat[i]
            k += 1
    return out


@register_jitable
def _repeat_along(a, counts, axis):
    """np.repeat(a, counts, axis): each (outer, n, inner) lane's rows repeated."""
    ax = normalize_axis(axis, a.ndim)
    view = _lanes(a, ax)
    total = _repeat_total(counts, view.shape[1])
    out = np.empty((view.shape[0], total, view.shape[2]), a.dtype)
    k = 0
    for j in range(view.shape[1]):
        for _ in range(counts[0] if counts.size == 1 else counts[j]):
            out[:, k, :] = view[:, j, :]
            k += 1
    return out.reshape(_tuple_set(a.shape, ax, total))


def _repeat_counts_of(repeats):
    """A function giving `repeats` as a 1-d array of counts, or None for other types."""
    if _is_int(repeats):
        return register_jitable(lambda repeats: np.full(1, repeats))
    if _is_array(repeats) and repeats.ndim <= 1 and _is_int(repeats.dtype):
        return register_jitable(lambda repeats: np.ravel(repeats))
    return None


@overload(np.repeat)
@overload_method(types.Array, "repeat")
def np_repeat(a, repeats, axis=None):
    counts = _repeat_counts_of(repeats)
    if isinstance(types.unliteral(a), (types.Number, types.Boolean)) and counts is not None:
        return lambda a, repeats, axis=None: np.repeat(np.asarray(a), repeats, axis)
    if not _is_array(a) or counts is None:
        return None
    if is_none(axis):
        return lambda a, repeats, axis=None: _repeat_counts(np.ravel(a), counts(repeats))
    if not _is_int(axis):
        raise TypingError(f"np.repeat(): axis must be an integer or None, not {axis}")
    return lambda a, repeats, axis=None: _repeat_along(a, counts(repeats), axis)


@register_jitable
def _rolled(a, shift):
    flat = np.ravel(a)
    n = flat.size
    out = np.empty(n, flat.dtype)
    for i in range(n):  # n == 0 never reaches the modulo
        out[(i + shift) % n] = flat[i]
    return out.reshape(a.shape)


@register_jitable
def _rolled_along(a, shift, axis):
    """np.roll along one axis: each (outer, n, inner) lane's rows moved by `shift`."""
    ax = normalize_axis(axis, a.ndim)
    view = _lanes(a, ax)
    out = np.empty_like(view)
    n = view.shape[1]
    for j in range(n):  # n == 0 never reaches the modulo
        out[:, (j + shift) % n, :] = view[:, j, :]
    return out.reshape(a.shape)


@register_jitable
def _rolled_axes(a, shifts, axes):
    """np.roll with sequences of shifts and axes (broadcast against each other): one roll
    per pair, which adds the shifts of a repeated axis as NumPy does."""
    count = max(len(shifts), len(axes))
    if len(shifts) != len(axes) and min(len(shifts), len(axes)) != 1:
        raise ValueError("'shift' and 'axis' should be scalars or 1D sequences of one "
                         "length (shape mismatch: objects cannot be broadcast)")
    out = a.copy()
    for i in range(count):
        out = _rolled_along(out, shifts[min(i, len(shifts) - 1)], axes[min(i, len(axes) - 1)])
    return out


def _int_sequence(ty):
    return isinstance(ty, types.UniTuple) and _is_int(ty.dtype)


@overload(np.roll)
def np_roll(a, shift, axis=None):
    if isinstance(types.unliteral(a), (types.Number, types.Boolean, types.List,
                                       types.BaseTuple)):
        return lambda a, shift, axis=None: np.roll(np.asarray(a), shift, axis)
    if not _is_array(a):
        return None
    if _is_int(shift) and is_none(axis):
        return lambda a, shift, axis=None: _rolled(a, shift)
    if _int_sequence(shift) and is_none(axis):  # the flattened array, by the total shift
        return lambda a, shift, axis=None: _rolled(a, sum(shift))
    if _is_int(shift) and _is_int(axis):
        return lambda a, shift, axis=None: _rolled_along(a, shift, axis)
    if (_is_int(shift) or _int_sequence(shift)) and (_is_int(axis) or _int_sequence(axis)):
        return lambda a, shift, axis=None: _rolled_axes(a, _one_tuple(shift), _one_tuple(axis))
    raise TypingError(f"np.roll(): shift must be an integer, or a tuple of integers with "
                      f"an axis; got shift={shift}, axis={axis}")


def _one_tuple(x):
    """(x,) for an integer, a tuple as it is."""


@overload(_one_tuple)
def _ol_one_tuple(x):
    if isinstance(x, types.BaseTuple):
        return lambda x: x
    return lambda x: (x,)


@register_jitable
def _tiled(a, reps):
    """np.tile with len(reps) == a.ndim: assign a broadcast view of `a` into a view of the
    output as (rep0, n0, rep1, n1, ...)."""
    shape = a.shape
    for i in range(a.ndim):
        if reps[i] < 0:
            raise ValueError("negative dimensions are not allowed")
        shape = _tuple_set(shape, i, a.shape[i] * reps[i])
    out = np.empty(shape, a.dtype)
    split_shape, out_strides, src_strides = a.shape + a.shape, a.shape + a.shape, a.shape + a.shape
    for i in range(a.ndim):
        split_shape = _tuple_set(_tuple_set(split_shape, 2 * i, reps[i]), 2 * i + 1, a.shape[i])
        out_strides = _tuple_set(_tuple_set(out_strides, 2 * i, a.shape[i] * out.strides[i]),
                                 2 * i + 1, out.strides[i])
        src_strides = _tuple_set(_tuple_set(src_strides, 2 * i, 0), 2 * i + 1, a.strides[i])
    if out.size:
        _assign(_view(out, 0, split_shape, out_strides), _view(a, 0, split_shape, src_strides))
    return out


@register_jitable
def _pad1(tup, fill):
    return _insert(tup, 0, fill)


@register_jitable
def _pad2(tup, fill):
    return _pad1(_pad1(tup, fill), fill)


@register_jitable
def _pad3(tup, fill):
    return _pad1(_pad2(tup, fill), fill)


_PADS = {1: _pad1, 2: _pad2, 3: _pad3}


@overload(np.tile)
def np_tile(A, reps):
    if isinstance(types.unliteral(A), (types.Number, types.Boolean)) or \
            _is_array(A) and A.ndim == 0:  # its one item as a 1-d array: the shape is reps
        return lambda A, reps: np.tile(np.asarray(A).reshape(1), reps)
    if not _is_array(A):
        return None
    if _is_int(reps):
        return lambda A, reps: np.tile(A, (reps,))
    if not _int_tuple(reps) or len(reps) == 0 or abs(len(reps) - A.ndim) > 3:
        return None
    if len(reps) < A.ndim:
        pad = _PADS[A.ndim - len(reps)]
        return lambda A, reps: _tiled(A, pad(reps, 1))
    if len(reps) > A.ndim:
        pad = _PADS[len(reps) - A.ndim]
        return lambda A, reps: _tiled(_view(A, 0, pad(A.shape, 1), pad(A.strides, 0)), reps)
    return lambda A, reps: _tiled(A, reps)
