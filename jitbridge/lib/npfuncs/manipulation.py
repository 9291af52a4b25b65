"""NumPy shape manipulation: views (transpose, swapaxes, moveaxis, expand_dims, squeeze,
atleast_*d, flip), np.reshape/ravel/flatten (ndarray.reshape is manip_reshape.py's), np.shape
and np.size. Views are made by small intrinsics (`_view`: a strided view of an array's memory;
`_assign`: elementwise copy into a view), so every function here is plain Python over shapes
and strides; the other areas build on them: joining.py (joining, splitting, repeat, tile,
roll), broadcasting.py, stride_tricks.py, manip_fill.py (resize, fill_diagonal)."""
from __future__ import annotations

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...errors import TypingError
from ...extending import intrinsic, overload, overload_method, register_jitable
from ..arrays.construction import copy_elements
from ..arrays.helpers import make_array, shape_of
from ..arrays.model import fill_array
from .common import is_none, normalize_axis
from .manip_arity import fixed_arity


# -- primitives ---------------------------------------------------------------------------------

def _make_view_intrinsic(layout: str, readonly: bool = False):
    """An intrinsic view(a, byte_offset, shape, strides) -> array of len(shape) dims sharing
    `a`'s memory. The caller guarantees `layout` matches the strides it passes."""
    @intrinsic
    def view(typingctx, a, offset, shape, strides):
        if not isinstance(a, types.Array) or not isinstance(shape, types.BaseTuple):
            return None
        ret = types.Array(a.dtype, len(shape), layout if len(shape) else "C",
                          readonly or a.readonly)
        return ret(a, offset, shape, strides), _view_codegen
    return view


def _view_codegen(context, builder, sig, args):
    aryty, offty, shapety, stridety = sig.args
    src = make_array(context, builder, aryty, args[0])
    out = make_array(context, builder, sig.return_type)
    offset = context.cast(builder, args[1], offty, types.intp)
    data = builder.gep(builder.bitcast(src.data, ir.IntType(8).as_pointer()), [offset])
    shape = _tuple_items(context, builder, shapety, args[2])
    strides = _tuple_items(context, builder, stridety, args[3])
    fill_array(context, builder, out, data, shape, strides, sig.return_type,
               meminfo=src.meminfo, parent=src.parent)
    context.incref(builder, aryty, args[0])
    return out._getvalue()


def _tuple_items(context, builder, tupty, value) -> list:
    return [context.cast(builder, builder.extract_value(value, i), t, types.intp)
            for i, t in enumerate(tupty.types)]


_view = _make_view_intrinsic("A")
_view_c = _make_view_intrinsic("C")
_view_f = _make_view_intrinsic("F")
_view_readonly = _make_view_intrinsic("A", readonly=True)


@intrinsic
def _assign(typingctx, dst, src):
    """dst[...] = src elementwise (same shape, checked by the caller; the dtype is cast)."""
    if not (isinstance(dst, types.Array) and isinstance(src, types.Array)
            and dst.ndim == src.ndim):
        return None

    def codegen(context, builder, sig, args):
        dstty, srcty = sig.args
        dst_ary = make_array(context, builder, dstty, args[0])
        src_ary = make_array(context, builder, srcty, args[1])
        copy_elements(context, builder, dstty, dst_ary, srcty, src_ary,
                      shape_of(builder, dst_ary, dstty.ndim))
        return context.get_dummy_value()
    return types.none(dst, src), codegen


@intrinsic
def _tuple_set(typingctx, tup, index, value):
    """A copy of the homogeneous tuple `tup` with item `index` (a runtime int) replaced."""
    if not isinstance(tup, types.UniTuple) or not isinstance(index, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        tupty = sig.args[0]
        slot = cgutils.alloca_once_value(builder, args[0])
        item = context.cast(builder, args[2], sig.args[2], tupty.dtype)
        index = context.cast(builder, args[1], sig.args[1], types.intp)
        ptr = builder.gep(slot, [ir.Constant(ir.IntType(32), 0), index])
        builder.store(item, ptr)
        return builder.load(slot)
    return tup(tup, index, value), codegen


@intrinsic
def _tuple_head(typingctx, tup):
    """`tup` without its last item (tuple slicing is static-only)."""
    if not isinstance(tup, types.UniTuple) or tup.count == 0:
        return None
    ret = types.UniTuple(tup.dtype, tup.count - 1) if tup.count > 1 else types.Tuple(())

    def codegen(context, builder, sig, args):
        items = [builder.extract_value(args[0], i) for i in range(tup.count - 1)]
        return context.make_tuple(builder, ret, items)
    return ret(tup), codegen


def _is_array(ty) -> bool:
    return isinstance(ty, types.Array)


def _is_int(ty) -> bool:
    """An integer argument, or an omitted one whose default is an int."""
    if isinstance(ty, types.Omitted):
        return isinstance(ty.value, int)
    return isinstance(types.unliteral(ty), (types.Integer, types.Boolean))


def _int_tuple(ty) -> bool:
    return isinstance(ty, types.UniTuple) and _is_int(ty.dtype) or \
        isinstance(ty, types.BaseTuple) and len(ty) == 0


@register_jitable
def _c_strides(shape, itemsize):
    strides = shape
    step = itemsize
    for i in range(len(shape) - 1, -1, -1):
        strides = _tuple_set(strides, i, step)
        step *= shape[i]
    return strides


@register_jitable
def _insert(tup, pos, value):
    """tup with `value` inserted before index `pos` (one item longer)."""
    out = tup + (value,)
    for i in range(len(tup), pos, -1):
        out = _tuple_set(out, i, out[i - 1])
    return _tuple_set(out, pos, value)


@register_jitable
def _remove(tup, pos):
    """tup without item `pos` (one item shorter)."""
    out = _tuple_head(tup)
    for i in range(pos, len(tup) - 1):
        out = _tuple_set(out, i, tup[i + 1])
    return out


# -- transposition --------------------------------------------------------------------------------

@register_jitable
def _permuted(a, axes):
    n = a.ndim
    shape, strides = a.shape, a.strides
    seen = 0
    for i in range(n):
        if axes[i] < -n or axes[i] >= n:
            raise ValueError("axis is out of bounds for array of given dimension")
        ax = axes[i] + n if axes[i] < 0 else axes[i]
        if (seen >> ax) & 1:
            raise ValueError("repeated axis in transpose")
        seen |= 1 << ax
        shape = _tuple_set(shape, i, a.shape[ax])
        strides = _tuple_set(strides, i, a.strides[ax])
    return _view(a, 0, shape, strides)


def _transpose_impl(a, axes):
    """The implementation of transpose(a, axes) for these types, or None."""
    if isinstance(a, types.BaseTuple):
        raise TypingError(f"np.transpose does not accept tuples (got {a})")
    if not _is_array(a):
        return None
    if is_none(axes):
        return lambda a, axes: a.T
    if _int_tuple(axes) or isinstance(axes, types.Array) and axes.ndim == 1 or \
            isinstance(axes, types.List) and _is_int(axes.dtype):
        if len(axes) != a.ndim if isinstance(axes, types.BaseTuple) else False:
            raise TypingError("np.transpose(): axes don't match array")
        if a.ndim == 0:
            return lambda a, axes: a
        return lambda a, axes: _permuted(a, axes)
    return None


@overload(np.transpose)
def np_transpose(a, axes=None):
    return _transpose_impl(a, axes)


@overload_method(types.Array, "transpose")
def array_transpose(a, *axes):
    if not axes:
        return lambda a: a.T
    if len(axes) == 1 and not _is_int(axes[0]):
        impl = _transpose_impl(a, axes[0])
        return impl
    if all(_is_int(t) for t in axes):
        return _star_transpose(len(axes), a.ndim)
    return None


def _star_transpose(count, ndim):
    if count != ndim:
        raise TypingError("transpose(): axes don't match array")
    return fixed_arity("return _permuted(a, EACH(@))", ("a",), count, {"_permuted": _permuted})


@overload(np.swapaxes)
@overload_method(types.Array, "swapaxes")
def np_swapaxes(a, axis1, axis2):
    if not (_is_array(a) and _is_int(axis1) and _is_int(axis2)):
        return None

    def impl(a, axis1, axis2):
        i, j = normalize_axis(axis1, a.ndim), normalize_axis(axis2, a.ndim)
        shape = _tuple_set(_tuple_set(a.shape, i, a.shape[j]), j, a.shape[i])
        strides = _tuple_set(_tuple_set(a.strides, i, a.strides[j]), j, a.strides[i])
        return _view(a, 0, shape, strides)
    return impl


@overload(np.moveaxis)
def np_moveaxis(a, source, destination):
    if not (_is_array(a) and _is_int(source) and _is_int(destination)):
        return None

    def impl(a, source, destination):
        src, dst = normalize_axis(source, a.ndim), normalize_axis(destination, a.ndim)
        shape = _insert(_remove(a.shape, src), dst, a.shape[src])
        strides = _insert(_remove(a.strides, src), dst, a.strides[src])
        return _view(a, 0, shape, strides)
    return impl


# -- adding and removing axes -----------------------------------------------------------------

@register_jitable
def _with_axis(a, axis):
    """A view of `a` with a new length-1 axis at position `axis` (already normalised)."""
    return _view(a, 0, _insert(a.shape, axis, 1), _insert(a.strides, axis, 0))


@overload(np.expand_dims)
def np_expand_dims(a, axis):
    if not _is_array(a):
        raise TypingError(f'np.expand_dims(): First argument "a" must be an array, not {a}')
    if isinstance(axis, types.BaseTuple) and len(axis) == 0:
        return lambda a, axis: _view(a, 0, a.shape, a.strides)
    if isinstance(axis, types.BaseTuple) and all(_is_int(t) for t in axis):
        template = (0,) * (a.ndim + len(axis))  # the result's shape, as a typed tuple
        return lambda a, axis: _with_axes(a, axis, template)
    if not _is_int(axis):
        raise TypingError(f'np.expand_dims(): Argument "axis" must be an integer or a tuple of '
                          f'integers, not {axis}')
    return lambda a, axis: _with_axis(a, normalize_axis(axis, a.ndim + 1))


@register_jitable
def _with_axes(a, axes, template):
    """A view of `a` with new length-1 axes at the positions `axes` of the result."""
    ndim, added = len(template), 0
    for axis in axes:
        ax = normalize_axis(axis, ndim)
        if (added >> ax) & 1:
            raise ValueError("repeated axis")
        added |= 1 << ax
    shape, strides, j = template, template, 0
    for i in range(ndim):
        if (added >> i) & 1:
            shape, strides = _tuple_set(shape, i, 1), _tuple_set(strides, i, 0)
        else:
            shape, strides = _tuple_set(shape, i, a.shape[j]), _tuple_set(strides, i, a.strides[j])
            j += 1
    return _view(a, 0, shape, strides)


@register_jitable
def _squeezed(a, axis):
    ax = normalize_axis(axis, a.ndim)
    if a.shape[ax] != 1:
        raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    return _view(a, 0, _remove(a.shape, ax), _remove(a.strides, ax))


@register_jitable
def _squeeze_mask(a, axes):
    """The bit mask of the axes `axes` (a tuple) of `a`, which must have length 1."""
    removed = 0
    for axis in axes:
        ax = normalize_axis(axis, a.ndim)
        if a.shape[ax] != 1:
            raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
        if (removed >> ax) & 1:
            raise ValueError("repeated axis")
        removed |= 1 << ax
    return removed


@register_jitable
def _squeezed_axes(a, axes, kept):
    """`a` without its length-1 axes `axes`; `kept` is a tuple as long as the result's shape."""
    removed = _squeeze_mask(a, axes)
    shape, strides, j = kept, kept, 0
    for i in range(a.ndim):
        if not (removed >> i) & 1:
            shape, strides = _tuple_set(shape, j, a.shape[i]), _tuple_set(strides, j, a.strides[i])
            j += 1
    return _view(a, 0, shape, strides)


@register_jitable
def _squeezed_all(a, axes):
    _squeeze_mask(a, axes)
    return _view(a, 0, (), ())


def _squeeze_tuple(a, axes):
    if len(axes) == 0:
        return lambda a, axis=None: _view(a, 0, a.shape, a.strides)
    if len(axes) == a.ndim:
        return lambda a, axis=None: _squeezed_all(a, axis)
    kept = (0,) * (a.ndim - len(axes))
    return lambda a, axis=None: _squeezed_axes(a, axis, kept)


@overload(np.squeeze)
@overload_method(types.Array, "squeeze")
def np_squeeze(a, axis=None):
    if not _is_array(a):
        return None
    if _is_int(axis) and a.ndim > 0:
        return lambda a, axis=None: _squeezed(a, axis)
    if _int_tuple(axis) and len(axis) <= a.ndim:
        return _squeeze_tuple(a, axis)
    if is_none(axis) and a.ndim == 0:
        return lambda a, axis=None: a
    if is_none(axis):
        raise TypingError(f"squeeze() of {a} needs axis=: without it the result's number of "
                          "dimensions would depend on the values of the shape")
    return None


@register_jitable
def _same(a):
    return a


@register_jitable
def _to_1x1(a):
    return _view_c(a, 0, (1, 1), (0, 0))


@register_jitable
def _to_1x1x1(a):
    return _view_c(a, 0, (1, 1, 1), (0, 0, 0))


@register_jitable
def _to_1xn(a):
    return _with_axis(a, 0)


@register_jitable
def _to_1xnx1(a):
    return _with_axis(_with_axis(a, 0), 2)


@register_jitable
def _to_mxnx1(a):
    return _with_axis(a, 2)


@register_jitable
def _to_n(a):
    return _view_c(a, 0, (1,), (0,))


_PROMOTE = {1: (_to_n,), 2: (_to_1x1, _to_1xn), 3: (_to_1x1x1, _to_1xnx1, _to_mxnx1)}


def _is_scalar(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Number, types.Boolean))


def _promoter(ty, ndim):
    """The function giving `ty` at least `ndim` dimensions (a scalar: as a 0-d array)."""
    if _is_scalar(ty):
        first = _PROMOTE[ndim][0]
        return register_jitable(lambda a: first(np.asarray(a)))
    return _PROMOTE[ndim][ty.ndim] if ty.ndim < ndim else _same


def _atleast(arys, ndim):
    """atleast_<ndim>d of one array (an array) or of several (a tuple), as NumPy returns."""
    if not arys or not all(_is_array(t) or _is_scalar(t) for t in arys) or len(arys) > 4:
        return None
    f = [_promoter(t, ndim) for t in arys] + [_same] * 3
    f0, f1, f2, f3 = f[:4]
    impls = {1: lambda a: f0(a), 2: lambda a, b: (f0(a), f1(b)),
             3: lambda a, b, c: (f0(a), f1(b), f2(c)),
             4: lambda a, b, c, d: (f0(a), f1(b), f2(c), f3(d))}
    return impls[len(arys)]


@overload(np.atleast_1d)
def np_atleast_1d(*arys):
    return _atleast(arys, 1)


@overload(np.atleast_2d)
def np_atleast_2d(*arys):
    return _atleast(arys, 2)


@overload(np.atleast_3d)
def np_atleast_3d(*arys):
    return _atleast(arys, 3)


# -- reshaping ----------------------------------------------------------------------------------

@overload(np.reshape)
def np_reshape(a, newshape):
    if not _is_array(a) or not (_is_int(newshape) or _int_tuple(newshape)):
        return None
    return lambda a, newshape: a.reshape(newshape)


@overload(np.ravel)
@overload_method(types.Array, "ravel")
def np_ravel(a):
    if not _is_array(a):
        return None
    if a.layout == "C":
        return lambda a: a.reshape(a.size)
    return lambda a: a.copy().reshape(a.size)


@overload_method(types.Array, "flatten")
def array_flatten(a):
    return lambda a: a.copy().reshape(a.size)


# -- flipping ---------------------------------------------------------------------------------

@register_jitable
def _flipped(a, axis):
    """A view of `a` reversed along `axis` (-1 for the... every axis: see _flip_all)."""
    ax = normalize_axis(axis, a.ndim)
    offset = (a.shape[ax] - 1) * a.strides[ax] if a.shape[ax] > 0 else 0
    return _view(a, offset, a.shape, _tuple_set(a.strides, ax, -a.strides[ax]))


@register_jitable
def _flip_all(a):
    offset = 0
    strides = a.strides
    for i in range(a.ndim):
        if a.shape[i] > 0:
            offset += (a.shape[i] - 1) * a.strides[i]
        strides = _tuple_set(strides, i, -a.strides[i])
    return _view(a, offset if a.size else 0, a.shape, strides)


@overload(np.flip)
def np_flip(m, axis=None):
    if not _is_array(m) or m.ndim == 0:
        return None
    if is_none(axis):
        return lambda m, axis=None: _flip_all(m)
    if _int_tuple(axis) and len(axis):
        return lambda m, axis=None: _flipped_axes(m, axis)
    return (lambda m, axis=None: _flipped(m, axis)) if _is_int(axis) else None


@register_jitable
def _flipped_axes(m, axes):
    """np.flip over a tuple of axes: one flip each (NumPy's error for a repeated axis)."""
    for i in range(len(axes)):
        for j in range(i):
            if normalize_axis(axes[i], m.ndim) == normalize_axis(axes[j], m.ndim):
                raise ValueError("repeated axis")
    out = _flipped(m, axes[0])
    for i in range(1, len(axes)):
        out = _flipped(out, axes[i])
    return out


def _array_like(ty) -> bool:
    """Arrays, and the numbers, lists and tuples NumPy's functions take through np.asarray."""
    return isinstance(types.unliteral(ty), (types.Array, types.Number, types.Boolean,
                                            types.List, types.BaseTuple))


def _flip_edge(m, func, axis):
    """The implementation flipping np.asarray(m) along `axis`, for np.fliplr/np.flipud."""
    if not _array_like(m):
        raise TypingError(f"Cannot np.{func} on {m} type")
    ndim = m.ndim if _is_array(m) else _depth(m)
    if ndim <= axis:
        raise TypingError(f"np.{func}(): cannot index array of {ndim} dimensions with "
                          f"{axis + 1} indices (the input must be >= {axis + 1}-d)")
    if _is_array(m):
        return lambda m: _flipped(m, axis)
    return lambda m: _flipped(np.asarray(m), axis)


def _depth(ty) -> int:
    """How many dimensions np.asarray gives a number or a nested list/tuple."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.List):
        return 1 + _depth(ty.dtype)
    if isinstance(ty, types.BaseTuple):
        return 1 + (_depth(ty.types[0]) if len(ty) else 0)
    return 0


@overload(np.fliplr)
def np_fliplr(m):
    return _flip_edge(m, "fliplr", 1)


@overload(np.flipud)
def np_flipud(m):
    return _flip_edge(m, "flipud", 0)


# -- np.shape, np.size ---------------------------------------------------------------------------

def _require_array_like(func, ty):
    if not _array_like(ty):
        raise TypingError(f"The argument to np.{func} must be array-like, not {ty}")


def _attribute_function(name, of_array, of_array_like):
    """np.shape/np.size: the array's attribute, of np.asarray(a) for other array-likes."""
    def typer(a):
        _require_array_like(name, a)
        return of_array if isinstance(a, types.Array) else of_array_like
    overload(getattr(np, name))(typer)


_attribute_function("shape", lambda a: a.shape, lambda a: np.asarray(a).shape)
_attribute_function("size", lambda a: a.size, lambda a: np.asarray(a).size)
