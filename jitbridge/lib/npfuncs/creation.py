"""NumPy array creation written with `@overload`: np.array/asarray from (nested) lists and
tuples, linspace, eye/identity, diag, tri/tril/triu, ascontiguousarray, asfortranarray."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import intrinsic, overload, register_jitable
from ...ir.markers import literally
from ..arrays.construction import parse_dtype
from ..arrays.model import as_dtype, from_dtype
from .common import is_none
from .generated import jitable
from .manipulation import _assign, _is_array, _is_int, _view_c

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


def _uniform_type(ty):
    """The homogeneous (UniTuple) form of a tuple of numbers or of such tuples whose items
    differ in type, with NumPy's common dtype; None when there is none."""
    ty = types.unliteral(ty)
    if isinstance(ty, _SCALARS):
        return ty
    if isinstance(ty, types.List):
        return ty if _nesting(ty) else None
    if not isinstance(ty, types.BaseTuple) or len(ty) == 0:
        return None
    items = [_uniform_type(t) for t in ty]
    if any(t is None for t in items):
        return None
    depths = {_nesting(t)[0] if _nesting(t) else -1 for t in items}
    if len(depths) != 1 or -1 in depths:
        return None
    if depths == {0}:
        return types.UniTuple(from_dtype(np.result_type(*(as_dtype(t) for t in items))),
                              len(items))
    if not all(isinstance(t, types.UniTuple) and len(t) == len(items[0]) for t in items):
        return None
    inner = _uniform_type(types.Tuple([t.dtype for t in items]))
    if inner is None or not isinstance(inner, types.UniTuple):
        return None
    return types.UniTuple(types.UniTuple(inner.dtype, len(items[0])), len(items))


@intrinsic
def _as_uniform(typingctx, tup):
    """A heterogeneous tuple of numbers (or of tuples) cast item by item to its common type,
    so that it can be indexed at run time."""
    target = _uniform_type(tup)
    if target is None or target == tup:
        return None

    def codegen(context, builder, sig, args):
        return _cast_tuple(context, builder, args[0], sig.args[0], target)
    return target(tup), codegen


def _cast_tuple(context, builder, value, fromty, toty):
    if not isinstance(toty, types.BaseTuple):
        return context.cast(builder, value, fromty, toty)
    items = [_cast_tuple(context, builder, builder.extract_value(value, i), fromty.types[i],
                         toty.dtype) for i in range(len(toty))]
    return context.make_tuple(builder, toty, items)


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
    if isinstance(obj, types.UnicodeType) and is_none(dtype):
        # the '<Un' dtype is part of the array's type: compile for the string's value
        return lambda obj, dtype=None: np.asarray(literally(obj))
    if isinstance(obj, types.StringLiteral) and is_none(dtype):
        frozen = np.asarray(obj.literal_value)  # a 0-d '<Un' array, as NumPy makes it
        return lambda obj, dtype=None: frozen.copy()
    if _is_array(obj):
        if is_none(dtype):
            return (lambda obj, dtype=None: np.copy(obj)) if copy_array else \
                (lambda obj, dtype=None: obj)
        cls = _dtype_class(dtype, obj.dtype)
        return lambda obj, dtype=None: obj.astype(cls)
    if isinstance(obj, types.BaseTuple) and len(obj) == 0:
        cls = _dtype_class(dtype, types.float64)
        return lambda obj, dtype=None: np.empty(0, cls)
    stacked = _stacking(obj, dtype)
    if stacked is not None:
        return stacked
    nesting = _nesting(obj)
    if nesting is None and _uniform_type(obj) is not None:
        return lambda obj, dtype=None: np.asarray(_as_uniform(obj), dtype)
    if nesting is None or nesting[0] > 3:
        return None
    depth, element = nesting
    cls = _dtype_class(dtype, element)
    if depth == 0:
        return lambda obj, dtype=None: _view_c(np.full(1, obj, cls), 0, (), ())
    fill = _FILLS[depth]
    return lambda obj, dtype=None: fill(obj, cls)


# -- sequences of arrays, or of nested lists whose items' types differ: stacked -------------

def _item_dims(ty):
    """(ndim, element type) of an array, a nested list/tuple of numbers, or a list/tuple of
    such arrays; else None."""
    if _is_array(ty):
        return ty.ndim, ty.dtype
    if isinstance(ty, (types.List, types.UniTuple)) and _holds_arrays(ty):
        inner = _item_dims(ty.dtype)
        return inner[0] + 1, inner[1]
    nesting = _nesting(ty)
    return nesting if nesting and nesting[0] else None


def _holds_arrays(ty) -> bool:
    if isinstance(ty, (types.List, types.UniTuple)):
        return _holds_arrays(ty.dtype)
    return _is_array(ty)


def _stacking(obj, dtype):
    """np.array of a list/tuple of arrays (`[a, b]`), or of a display whose nested lists
    differ in element type (`[[1, 2.5], [3, 4]]`): the items stacked on a new first axis,
    in NumPy's common dtype; None for other objects."""
    if isinstance(obj, (types.List, types.UniTuple)) and _holds_arrays(obj.dtype):
        ndim, element = _item_dims(obj.dtype)
        cls, nothing = _dtype_class(dtype, element), (0,) * ndim
        return lambda obj, dtype=None: _stack_same(obj, cls, nothing)
    if not isinstance(obj, (types.BaseTuple, types.LiteralList)) or len(obj) == 0:
        return None
    dims = [_item_dims(t) for t in obj]
    if any(d is None for d in dims):
        return None
    if len({d[0] for d in dims}) != 1:
        raise TypingError(f"np.array(): the items of {obj} have different numbers of "
                          "dimensions (an inhomogeneous shape)")
    common = from_dtype(np.result_type(*(as_dtype(d[1]) for d in dims)))
    cls = _dtype_class(dtype, common)
    body = "first = np.asarray(obj[0])\nout = np.empty((n,) + first.shape, cls)\n" + "".join(
        f"put(out, {i}, np.asarray(obj[{i}]))\n" for i in range(len(obj))) + "return out"
    stack = jitable("obj, cls", body, {"np": np, "n": len(obj), "put": _put_item})
    return lambda obj, dtype=None: stack(obj, cls)


@register_jitable
def _put_item(out, i, item):
    if item.shape != out.shape[1:]:
        _ragged()
    out[i] = item


@register_jitable
def _stack_same(obj, cls, nothing):
    n = len(obj)
    shape = np.asarray(obj[0]).shape if n else nothing
    out = np.empty((n,) + shape, cls)
    for i in range(n):
        _put_item(out, i, np.asarray(obj[i]))
    return out


@overload(np.array)
def np_array(object, dtype=None):
    return _array_from(object, dtype, True)


@overload(np.asarray)
def np_asarray(a, dtype=None):
    return _array_from(a, dtype, False)


def _at_least_1d(a, func):
    """The implementation for a scalar or 0-d `a` (NumPy gives one dimension), or None."""
    if isinstance(types.unliteral(a), _SCALARS):
        return lambda a: np.full(1, a)
    if not _is_array(a):
        raise TypingError(f'np.{func}(): The argument "a" must be array-like, not {a}')
    if a.ndim == 0:  # a view, as in NumPy
        return lambda a: a.reshape(1)
    return None


@overload(np.full)
def np_full_broadcast(shape, fill_value, dtype=None):
    """np.full with an array-like fill value broadcast to `shape` (scalars: ShapeTemplate)."""
    if not (_is_array(fill_value) or _nesting(fill_value)):
        return None
    cls = _dtype_class(dtype, _element_of(fill_value))

    def impl(shape, fill_value, dtype=None):
        out = np.empty(shape, cls)
        out[...] = np.broadcast_to(np.asarray(fill_value), out.shape)
        return out
    return impl


def _element_of(ty):
    return ty.dtype if _is_array(ty) else _nesting(ty)[1]


@overload(np.copy)
def np_copy_array_like(a):
    """np.copy of a scalar or a (nested) sequence: a new array (arrays: CopyTemplate)."""
    if not _is_array(a) and (_nesting(a) is not None or _uniform_type(a) is not None):
        return lambda a: np.array(a)
    return None


def _sequence_as_array(a):
    """An implementation converting a (nested) list or tuple of numbers first, or None."""
    if isinstance(a, (types.List, types.BaseTuple)) and \
            (_nesting(a) is not None or _uniform_type(a) is not None):
        return lambda a: np.asarray(a)
    return None


@overload(np.ascontiguousarray)
def np_ascontiguousarray(a):
    if _sequence_as_array(a) is not None:
        return lambda a: np.ascontiguousarray(np.asarray(a))
    impl = _at_least_1d(a, "ascontiguousarray")
    if impl is not None:
        return impl
    return (lambda a: a) if a.layout == "C" else (lambda a: a.copy())


@overload(np.asfortranarray)
def np_asfortranarray(a):
    if _sequence_as_array(a) is not None:
        return lambda a: np.asfortranarray(np.asarray(a))
    impl = _at_least_1d(a, "asfortranarray")
    if impl is not None:
        return impl
    if a.layout == "F" or a.ndim == 1 and a.layout == "C":
        return lambda a: a
    return lambda a: a.T.copy().T


# (np.frombuffer: lib/arrays/buffers.py)


# -- ranges and matrices ------------------------------------------------------------------------

@overload(np.linspace)
def np_linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None):
    scalar = (types.Integer, types.Float, types.Boolean, types.Complex)
    if not all(isinstance(types.unliteral(t), scalar) for t in (start, stop)) or \
            not _is_int(num):
        return None
    if not isinstance(retstep, (types.Omitted, types.BooleanLiteral)):
        raise TypingError("np.linspace(): retstep must be a constant True or False")
    is_complex = any(isinstance(types.unliteral(t), types.Complex) for t in (start, stop))
    cls = np.complex128 if is_complex else np.float64
    out_cls = _dtype_class(dtype, types.complex128 if is_complex else types.float64)
    floor = np.dtype(out_cls).kind in "iub"  # NumPy rounds down before an integer cast
    with_step = getattr(retstep, "literal_value", False)

    def impl(start, stop, num=50, endpoint=True, retstep=False, dtype=None):
        values, step = _linspace(cls(start), cls(stop), num, endpoint)
        out = (np.floor(values) if floor else values).astype(out_cls)
        return (out, step) if with_step else out
    return impl


@register_jitable
def _linspace(start, stop, num, endpoint):
    """NumPy's linspace values (float64 or complex128) and step (NaN when undefined)."""
    if num < 0:
        raise ValueError("Number of samples must be non-negative.")
    div = num - 1 if endpoint else num
    delta = stop - start
    out = np.empty(num, type(start))
    step = delta / div if div > 0 else delta * np.nan
    for i in range(num):
        if div <= 0:
            out[i] = i * delta + start
        elif step == 0:
            out[i] = (i / div) * delta + start
        else:
            out[i] = i * step + start
    if endpoint and num > 1:
        out[num - 1] = stop
    return out, step


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
    if not _is_int(N) or not (is_none(M) or _is_int(M)):
        return None
    if not _is_int(k):
        raise TypingError("np.tri(): k must be an integer")
    cls = _matrix_dtype(dtype)
    if is_none(M):
        return lambda N, M=None, k=0, dtype=float: _band(max(N, 0), max(N, 0), k, cls, True)
    return lambda N, M=None, k=0, dtype=float: _band(max(N, 0), max(M, 0), k, cls, True)


@register_jitable
def _masked_tri(m, k, keep_lower):
    """tril (keep_lower) / triu of an array of >= 2 dimensions: a copy with the other triangle
    of each matrix (the last two axes) zeroed."""
    out = np.empty(m.shape, m.dtype)  # C order, whatever m's layout, for the reshape below
    _assign(out, m)
    rows, cols = m.shape[-2], m.shape[-1]
    stack = out.reshape((-1, rows, cols)) if out.size else out.reshape((0, rows, cols))
    for s in range(stack.shape[0]):
        for i in range(rows):
            for j in range(cols):
                if (j - i > k) if keep_lower else (j - i < k):
                    stack[s, i, j] = 0
    return out


def _tri_mask(m, k, keep_lower):
    if not _is_array(m) or m.ndim == 0:
        return None
    if not _is_int(k):
        raise TypingError(f"np.{'tril' if keep_lower else 'triu'}(): k must be an integer")
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
