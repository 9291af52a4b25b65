"""Sorting: np.sort / np.argsort / np.partition / np.argpartition and the array methods
sort / argsort, along any axis of arrays of any layout (kernels: sortkernels.py)."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method, register_jitable
from .._registries import AttributeTemplate, bound_function, register_attr
from .common import as_c, is_none, normalize_axis
from .sortkernels import STACK, _sort_1d

KINDS = {"quicksort": False, "mergesort": True, "stable": True}  # kind -> stable


@register_jitable
def _geometry(shape, axis):
    """(outer, n, inner) of a C-contiguous array: its lines along `axis` have n items, `inner`
    apart, and start at o * n * inner + i for o < outer, i < inner."""
    outer = 1
    inner = 1
    for d in range(len(shape)):
        if d < axis:
            outer *= shape[d]
        elif d > axis:
            inner *= shape[d]
    return outer, shape[axis], inner


@register_jitable
def _sort_lines(out, axis, stable):
    """Sort the C-contiguous array `out` in place along `axis`."""
    outer, n, inner = _geometry(out.shape, axis)
    if n <= 1:
        return
    flat = out.reshape(out.size)
    stack = np.empty(STACK, np.intp)
    kb = np.empty(n if stable else 0, out.dtype)
    line = np.empty(n if inner > 1 else 0, out.dtype)
    for o in range(outer):
        for i in range(inner):
            start = o * n * inner + i
            if inner == 1:
                _sort_1d(flat[start:start + n], None, stable, kb, None, stack)
                continue
            for j in range(n):
                line[j] = flat[start + j * inner]
            _sort_1d(line, None, stable, kb, None, stack)
            for j in range(n):
                flat[start + j * inner] = line[j]


@register_jitable
def _argsort_lines(src, axis, stable):
    """The indices sorting the C-contiguous array `src` along `axis`."""
    result = np.empty(src.shape, np.intp)
    outer, n, inner = _geometry(src.shape, axis)
    flat = src.reshape(src.size)
    rflat = result.reshape(result.size)
    stack = np.empty(STACK, np.intp)
    keys = np.empty(n, src.dtype)
    idx = np.empty(n, np.intp)
    kb = np.empty(n if stable else 0, src.dtype)
    pb = np.empty(n if stable else 0, np.intp)
    for o in range(outer):
        for i in range(inner):
            start = o * n * inner + i
            for j in range(n):
                keys[j] = flat[start + j * inner]
                idx[j] = j
            _sort_1d(keys, idx, stable, kb, pb, stack)
            for j in range(n):
                rflat[start + j * inner] = idx[j]
    return result


def _defaulted(ty) -> bool:
    """None, or left to its default (whatever the default is: -1, 'introselect', None)."""
    return isinstance(ty, types.Omitted) or is_none(ty)


def _stable(kind) -> bool:
    """Whether `kind` asks for a stable sort; TypingError for what Numba refuses."""
    if _defaulted(kind):
        return False
    if not isinstance(kind, types.StringLiteral):
        raise TypingError('"kind" must be a string literal')
    if kind.literal_value not in KINDS:
        raise TypingError(f'Unsupported "kind": {kind.literal_value!r}')
    return KINDS[kind.literal_value]


def _check_array(a, func):
    if not isinstance(a, types.Array):
        raise TypingError(f'np.{func}(): Argument "a" must be array-like, not {a}')
    if a.ndim == 0:
        raise TypingError(f"np.{func}(): cannot sort a 0-d array")
    if not isinstance(a.dtype, (types.Number, types.Boolean, types.NPDatetime, types.NPTimedelta)):
        raise TypingError(f"np.{func}(): cannot sort an array of {a.dtype}")


def _axis_kind(a, axis, kind, order, func) -> bool:
    """Check the arguments of a sort, return whether it is stable."""
    _check_array(a, func)
    if not _defaulted(order):
        raise TypingError(f"np.{func}(): the order argument is not supported")
    if not (_defaulted(axis) or isinstance(axis, types.Integer)):
        raise TypingError(f"np.{func}(): axis must be an integer or None, not {axis}")
    return _stable(kind)


# -- np.sort, np.argsort, ndarray.sort, ndarray.argsort ---------------------------------------

def _sequence_sort(a, kind, func):
    """np.sort/np.argsort of a (nested) list or tuple of numbers: of np.asarray(a), as NumPy;
    None for other arguments."""
    if not isinstance(a, (types.List, types.BaseTuple)) or not _nested_numbers(a):
        return None
    if _stable(kind):
        return lambda a, axis=-1, kind=None, order=None: func(np.asarray(a), axis, "stable")
    return lambda a, axis=-1, kind=None, order=None: func(np.asarray(a), axis)


def _nested_numbers(ty) -> bool:
    ty = types.unliteral(ty)
    if isinstance(ty, (types.Number, types.Boolean)):
        return True
    return isinstance(ty, (types.List, types.UniTuple)) and _nested_numbers(ty.dtype)


@overload(np.sort)
def np_sort(a, axis=-1, kind=None, order=None):
    impl = _sequence_sort(a, kind, np.sort)
    if impl is not None:
        return impl
    stable = _axis_kind(a, axis, kind, order, "sort")
    if isinstance(axis, types.NoneType):  # sort the flattened array
        def impl(a, axis=-1, kind=None, order=None):
            out = a.copy().reshape(a.size)
            _sort_lines(out, 0, stable)
            return out
        return impl

    def impl(a, axis=-1, kind=None, order=None):
        out = a.copy()
        _sort_lines(out, normalize_axis(axis, a.ndim), stable)
        return out
    return impl


@overload(np.argsort)
def np_argsort(a, axis=-1, kind=None, order=None):
    impl = _sequence_sort(a, kind, np.argsort)
    if impl is not None:
        return impl
    stable = _axis_kind(a, axis, kind, order, "argsort")
    if isinstance(axis, types.NoneType):
        def impl(a, axis=-1, kind=None, order=None):
            return _argsort_lines(a.copy().reshape(a.size), 0, stable)
        return impl

    def impl(a, axis=-1, kind=None, order=None):
        return _argsort_lines(as_c(a), normalize_axis(axis, a.ndim), stable)
    return impl


@overload_method(types.Array, "sort")
def array_sort(a, axis=-1, kind=None, order=None):
    stable = _axis_kind(a, axis, kind, order, "sort")
    if isinstance(axis, types.NoneType):
        raise TypingError("ndarray.sort(): axis=None is not allowed (NumPy sorts in place)")
    if a.readonly:
        raise TypingError("ndarray.sort(): the array is read-only")
    if a.layout == "C":
        def impl(a, axis=-1, kind=None, order=None):
            _sort_lines(a, normalize_axis(axis, a.ndim), stable)
        return impl

    def impl(a, axis=-1, kind=None, order=None):
        out = a.copy()
        _sort_lines(out, normalize_axis(axis, a.ndim), stable)
        a[:] = out
    return impl


overload_method(types.Array, "argsort")(np_argsort)  # the method is the function


def _unknown_keywords(method):
    """A call of ndarray.<method> that the overload above refused: name the keywords it does
    not take (Numba's message) rather than report the whole call as unmatched."""
    def resolve(self, a, args, kws):
        unknown = [name for name in kws if name not in ("axis", "kind", "order")]
        if unknown:
            raise TypingError(f"ndarray.{method}(): Unsupported keywords: {unknown}")
        return None
    return bound_function(f"array.{method}")(resolve)


@register_attr
class SortKeywords(AttributeTemplate):
    key = types.Array
    resolve_sort = _unknown_keywords("sort")
    resolve_argsort = _unknown_keywords("argsort")


# -- np.partition, np.argpartition ------------------------------------------------------------
# A sorted line is partitioned around every kth at once: the results satisfy NumPy's contract
# (its own element order on either side of kth is unspecified), at O(n log n) per line.

def _check_kth(kth, n):
    """ValueError unless every kth is a valid index into n items (no check when n == 0)."""


@register_jitable
def _kth_in_range(k, n):
    if n > 0 and (k < -n or k >= n):
        raise ValueError("kth out of bounds")


@overload(_check_kth)
def _ol_check_kth(kth, n):
    if isinstance(kth, (types.Integer, types.Boolean)):
        return lambda kth, n: _kth_in_range(kth, n)
    if isinstance(kth, types.Array) and kth.ndim > 1:
        def refuse(kth, n):
            raise ValueError("kth must be scalar or 1-D")
        return refuse
    element = getattr(kth, "dtype", None)
    if isinstance(kth, (types.Array, types.BaseTuple, types.List)) and \
            isinstance(element, (types.Integer, types.Boolean)):
        def each(kth, n):
            for i in range(len(kth)):  # a tuple allows no iteration, only indexing
                _kth_in_range(kth[i], n)
        return each
    if isinstance(kth, types.BaseTuple) and len(kth) == 0:
        return lambda kth, n: None
    raise TypingError("Partition index must be integer")


def _check_partition(a, axis, kind, order, func):
    if not isinstance(a, types.Array):
        raise TypingError(f"np.{func}(): The first argument must be an array-like")
    if a.ndim == 0:
        raise TypingError(f"np.{func}(): The first argument must be at least 1-D (found 0-D)")
    _check_partition_kind(kind, func)
    _axis_kind(a, axis, None, order, func)


def _check_partition_kind(kind, func):
    if not (_defaulted(kind) or isinstance(kind, types.StringLiteral) and
            kind.literal_value == "introselect"):
        raise TypingError(f"np.{func}(): kind must be 'introselect'")


def _as_array_first(func):
    """np.partition(sequence, ...) as np.partition(np.asarray(sequence), ...), as NumPy."""
    def impl(a, kth, axis=-1, kind="introselect", order=None):
        return func(np.asarray(a), kth, axis, order=order)  # kind: checked by the caller
    return impl


@overload(np.partition)
def np_partition(a, kth, axis=-1, kind="introselect", order=None):
    if isinstance(a, (types.List, types.BaseTuple)):
        _check_partition_kind(kind, "partition")
        return _as_array_first(np.partition)
    _check_partition(a, axis, kind, order, "partition")
    if isinstance(axis, types.NoneType):
        def impl(a, kth, axis=-1, kind="introselect", order=None):
            out = a.copy().reshape(a.size)
            _check_kth(kth, out.size)
            _sort_lines(out, 0, False)
            return out
        return impl

    def impl(a, kth, axis=-1, kind="introselect", order=None):
        ax = normalize_axis(axis, a.ndim)
        _check_kth(kth, a.shape[ax])
        out = a.copy()
        _sort_lines(out, ax, False)
        return out
    return impl


@overload(np.argpartition)
def np_argpartition(a, kth, axis=-1, kind="introselect", order=None):
    if isinstance(a, (types.List, types.BaseTuple)):
        _check_partition_kind(kind, "argpartition")
        return _as_array_first(np.argpartition)
    _check_partition(a, axis, kind, order, "argpartition")
    if isinstance(axis, types.NoneType):
        def impl(a, kth, axis=-1, kind="introselect", order=None):
            _check_kth(kth, a.size)
            return _argsort_lines(a.copy().reshape(a.size), 0, False)
        return impl

    def impl(a, kth, axis=-1, kind="introselect", order=None):
        ax = normalize_axis(axis, a.ndim)
        _check_kth(kth, a.shape[ax])
        return _argsort_lines(as_c(a), ax, False)
    return impl


@overload_method(types.Array, "partition")
def array_partition(a, kth, axis=-1, kind="introselect", order=None):
    """In place, as NumPy's method (which has no axis=None: that needs a flat copy)."""
    if isinstance(axis, types.NoneType) or a.readonly:
        return None
    _check_partition(a, axis, kind, order, "partition")

    def impl(a, kth, axis=-1, kind="introselect", order=None):
        a[...] = np.partition(a, kth, axis)
    return impl


@overload_method(types.Array, "argpartition")
def array_argpartition(a, kth, axis=-1, kind="introselect", order=None):
    _check_partition(a, axis, kind, order, "argpartition")
    return lambda a, kth, axis=-1, kind="introselect", order=None: np.argpartition(a, kth, axis)


# -- np.sort_complex ---------------------------------------------------------------------------

def _complex_result(dtype):
    """NumPy's complex type for sorted values: complex64 for small integers, else complex128."""
    if isinstance(dtype, types.Complex):
        return dtype
    small = isinstance(dtype, types.Integer) and dtype.bitwidth <= 16
    return types.complex64 if small else types.complex128


@overload(np.sort_complex)
def np_sort_complex(a):
    if isinstance(a, (types.List, types.BaseTuple)) and _nested_numbers(a):
        return lambda a: np.sort_complex(np.asarray(a))
    _check_array(a, "sort_complex")
    cls = np.dtype(str(_complex_result(a.dtype))).type
    return lambda a: np.sort(a).astype(cls)
