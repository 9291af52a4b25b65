"""Array indexing as NumPy defines it: basic indices (integers, slices, None, `...`) select a
view; one advanced index (an integer array, or a boolean mask over one or more axes) selects a
copy. Reading, and assignment of scalars or broadcast arrays, through every form."""
from __future__ import annotations

import operator
from dataclasses import dataclass

import numpy as np

from llvmlite import ir

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .._registries import AbstractTemplate, lower_builtin, register
from ..slices import normalize_slice
from .assignment import assign_view
from .fancy import gather, scatter
from .helpers import (boundscheck_enabled, const, element_pointer, layout_strides, load_item,
                      owned_item, make_array, shape_of, store_item, wrap_index)
from .model import fill_array

INT, SLICE, NEWAXIS, ELLIPSIS, AXIS, ARRAY, MASK = (
    "int", "slice", "newaxis", "ellipsis", "axis", "array", "mask")
ADVANCED = (ARRAY, MASK)


@dataclass(frozen=True)
class Entry:
    """One item of an index: its kind, type, and position in the index tuple (None for the
    whole axes that `...` or a short index leave implicit)."""

    kind: str
    ty: types.Type | None = None
    position: int | None = None

    @property
    def axes(self) -> int:
        """How many axes of the indexed array it consumes."""
        if self.kind == MASK:
            return self.ty.ndim
        return 0 if self.kind in (NEWAXIS, ELLIPSIS) else 1

    @property
    def dims(self) -> int:
        """How many dimensions it contributes to the result."""
        if self.kind == ARRAY:
            return self.ty.ndim
        return 0 if self.kind in (INT, ELLIPSIS) else 1


def _entry(ty, position: int) -> Entry | None:
    plain = types.unliteral(ty)
    if isinstance(plain, (types.Integer, types.IntEnumMember)):
        return Entry(INT, plain, position)
    if isinstance(ty, types.SliceType):
        return Entry(SLICE, ty, position)
    if isinstance(ty, (types.NoneType, types.EllipsisType)):
        return Entry(NEWAXIS if isinstance(ty, types.NoneType) else ELLIPSIS, ty, position)
    if isinstance(ty, types.Array) and isinstance(ty.dtype, types.Integer):
        return Entry(ARRAY if ty.ndim else INT, ty, position)  # a 0-d array acts as its value
    if isinstance(ty, types.Array) and isinstance(ty.dtype, types.Boolean) and ty.ndim:
        return Entry(MASK, ty, position)
    if isinstance(plain, (types.Float, types.BaseTuple)):  # (Numba's words, then why)
        raise TypingError(f"Unsupported array index type {plain}: only integers, slices, None, "
                          "'...' and integer or boolean arrays are valid indices")
    return None


def index_entries(aryty: types.Array, index_ty) -> list[Entry] | None:
    """The index as one entry per consumed or created axis (`...` expanded), or None when
    it is not an array index at all (another template may take it)."""
    items = list(index_ty.types) if isinstance(index_ty, types.BaseTuple) else [index_ty]
    entries = [_entry(ty, i) for i, ty in enumerate(items)]
    if any(e is None for e in entries):
        return None
    ellipses = [i for i, e in enumerate(entries) if e.kind == ELLIPSIS]
    if len(ellipses) > 1:
        raise TypingError("an index can only have a single ellipsis ('...')")
    used = sum(e.axes for e in entries)
    if used > aryty.ndim:
        raise TypingError(f"too many indices for array: array is {aryty.ndim}-dimensional, "
                          f"but {used} were indexed")
    fill = [Entry(AXIS)] * (aryty.ndim - used)
    at = ellipses[0] + 1 if ellipses else len(entries)  # `...` stays: it separates indices
    return entries[:at] + fill + entries[at:]


def index_result(aryty: types.Array, index_ty):
    """What `aryty[index_ty]` gives: an element, a view, or (advanced) a new array."""
    entries = index_entries(aryty, index_ty)
    if entries is None:
        return None
    ndim = sum(e.dims for e in entries if e.kind not in ADVANCED)
    advanced = [e.dims for e in entries if e.kind in ADVANCED]
    if advanced:  # the index arrays broadcast together to max(ndim) dimensions
        return types.Array(aryty.dtype, ndim + max(advanced), "C")
    if ndim == 0 and not _has_ellipsis(index_ty):  # `a[..., 0]` is a 0-d view, not an element
        return aryty.dtype
    return types.Array(aryty.dtype, ndim, _view_layout(aryty, entries), aryty.readonly)


def _has_ellipsis(index_ty) -> bool:
    items = index_ty.types if isinstance(index_ty, types.BaseTuple) else (index_ty,)
    return any(isinstance(t, types.EllipsisType) for t in items)


def _view_layout(aryty: types.Array, entries: list[Entry]) -> str:
    kept = [e for e in entries if e.axes]  # new length-1 axes take any stride
    if aryty.layout == "C" and _one_block(kept):
        return "C"
    if aryty.layout == "F" and _one_block(kept[::-1]):
        return "C" if sum(e.dims for e in entries) <= 1 else "F"
    return "A"


def _one_block(entries: list[Entry]) -> bool:
    """Integers, then at most one step-less slice, then whole axes: one block of memory."""
    i = 0
    while i < len(entries) and entries[i].kind == INT:
        i += 1
    if i < len(entries) and entries[i].kind == SLICE and entries[i].ty.members == 2:
        i += 1
    return all(e.kind == AXIS for e in entries[i:])


class ArrayGetItem(AbstractTemplate):
    key = operator.getitem

    def generic(self, args, kws):
        aryty, index = args
        if not isinstance(aryty, types.Array):
            return None
        result = index_result(aryty, index)
        return types.signature(result, aryty, index) if result is not None else None


class ArraySetItem(AbstractTemplate):
    key = operator.setitem

    def generic(self, args, kws):
        aryty, index, value = args
        if not isinstance(aryty, types.Array):
            return None
        target = index_result(aryty, index)
        if target is None:
            return None
        if aryty.readonly:
            raise TypingError(f"Cannot modify readonly array of type: {aryty}")
        if isinstance(value, types.Array) and (isinstance(target, types.Array) or not value.ndim):
            _check_assignable(aryty, value.dtype, value)
            return types.signature(types.none, aryty, index, value)
        if isinstance(target, types.Array) and sequence_array(self.context, value) is not None:
            return types.signature(types.none, aryty, index, value)
        if isinstance(types.unliteral(value), (types.Number, types.Boolean)):
            _check_assignable(aryty, types.unliteral(value), types.unliteral(value))
            return types.signature(types.none, aryty, index, aryty.dtype)
        return None


def sequence_array(typing_context, value):
    """The signature of np.array(value) for a tuple or list of numbers assigned to a
    selection (`a[1:3] = (1, 2)`), or None."""
    if not isinstance(value, (types.BaseTuple, types.List)):
        return None
    sig = typing_context.resolve_function_type(types.Function(np.array), (value,), {})
    ok = sig is not None and isinstance(sig.return_type.dtype, (types.Number, types.Boolean))
    return sig if ok else None


def _check_assignable(aryty: types.Array, element, value) -> None:
    """Numbers convert to any numeric element (as NumPy casts on assignment); a record element
    takes only the same record, element for element."""
    scalars = (types.Number, types.Boolean)
    if isinstance(aryty.dtype, scalars) and isinstance(element, scalars):
        return
    if isinstance(element, types.CharSeq) and type(element) is type(aryty.dtype):
        return  # truncated or NUL-padded, as NumPy stores strings
    if aryty.dtype != element:
        what = "elements" if isinstance(value, types.Array) else "an element"
        raise TypingError(f"cannot assign {value} to {what} of {aryty}: "
                          f"no conversion from {element} to {aryty.dtype}")


register(ArrayGetItem)
register(ArraySetItem)


# -- lists of integers or booleans as indices: the integer array or mask they make -------------

def _index_list(ty) -> bool:
    return isinstance(ty, types.List) and isinstance(ty.dtype, (types.Integer, types.Boolean))


def _list_index_converter(index):
    """A jitable making an array index of `index` (a list, or a tuple holding lists), or
    None when no list is involved."""
    if _index_list(index):
        return _list_as_array
    if not isinstance(index, types.BaseTuple) or not any(map(_index_list, index)):
        return None
    from ..npfuncs.generated import jitable  # (npfuncs loads after the array core)
    items = ", ".join(f"as_array(index[{i}])" if _index_list(t) else f"index[{i}]"
                      for i, t in enumerate(index))
    return jitable("index", f"return ({items},)", {"as_array": _list_as_array})


@register_jitable
def _list_as_array(items):
    return np.array(items)


@overload(operator.getitem)
def array_getitem_list(a, index):
    convert = _list_index_converter(index) if isinstance(a, types.Array) else None
    if convert is not None:
        return lambda a, index: a[convert(index)]
    return None


@overload(operator.setitem)
def array_setitem_list(a, index, value):
    convert = _list_index_converter(index) if isinstance(a, types.Array) else None
    if convert is None:
        return None

    def impl(a, index, value):
        a[convert(index)] = value
    return impl


@dataclass
class Dim:
    extent: ir.Value
    stride: ir.Value


@dataclass
class Advanced:
    """An integer array or boolean mask of an index, and the axes it selects along."""

    ty: types.Array
    value: ir.Value
    axes: list


@dataclass
class Selection:
    """What an index selects: a base pointer and the result's basic dimensions, with the
    advanced indices' broadcast dimensions (if any) between dims[:at] and dims[at:]."""

    data: ir.Value
    dims: list
    advanced: list
    at: int = 0


def select(context, builder, aryty, ary, index_ty, index_value) -> Selection:
    entries = index_entries(aryty, index_ty)
    values = ([builder.extract_value(index_value, i) for i in range(len(index_ty))]
              if isinstance(index_ty, types.BaseTuple) else [index_value])
    shape, strides = shape_of(builder, ary, aryty.ndim), layout_strides(builder, aryty, ary)
    offset, axis, sel = const(0), 0, Selection(ary.data, [], [])
    for e in entries:
        value = values[e.position] if e.position is not None else None
        if e.kind == INT:
            index = wrap_index(context, builder, _integer(context, builder, e.ty, value),
                               shape[axis], boundscheck_enabled(context))
            offset = builder.add(offset, builder.mul(index, strides[axis]))
        elif e.kind == SLICE:
            start, _, step, count = normalize_slice(context, builder, value, shape[axis])
            offset = builder.add(offset, builder.mul(start, strides[axis]))
            sel.dims.append(Dim(count, builder.mul(strides[axis], step)))
        elif e.kind == NEWAXIS:
            sel.dims.append(Dim(const(1), const(0)))
        elif e.kind == AXIS:
            sel.dims.append(Dim(shape[axis], strides[axis]))
        elif e.kind in ADVANCED:
            sel.at = sel.at if sel.advanced else len(sel.dims)
            sel.advanced.append(Advanced(e.ty, value, [
                Dim(shape[axis + k], strides[axis + k]) for k in range(e.axes)]))
        axis += e.axes
    sel.data = element_pointer(builder, ary, [offset], [const(1)])
    if sel.advanced and _separated(entries):
        sel.at = 0
    return sel


def _separated(entries: list[Entry]) -> bool:
    """Integers beside an array index are advanced indices too; when something stands
    between them (a slice, None, `...`), NumPy puts the advanced dimensions first."""
    group = [i for i, e in enumerate(entries) if e.kind in (INT, *ADVANCED)]
    return group != list(range(group[0], group[-1] + 1))


def _integer(context, builder, ty, value):
    """An integer index as intp (a 0-d integer array gives its element)."""
    if isinstance(ty, types.Array):
        index = make_array(context, builder, ty, value)
        value, ty = load_item(context, builder, ty, index.data), ty.dtype
    return context.cast(builder, value, ty, types.intp)


@lower_builtin(operator.getitem, types.Array, types.Any)
def getitem_impl(context, builder, sig, args):
    aryty, index_ty = sig.args
    ary = make_array(context, builder, aryty, args[0])
    sel = select(context, builder, aryty, ary, index_ty, args[1])
    result = sig.return_type
    if sel.advanced:
        return gather(context, builder, aryty, sel, result)
    if not isinstance(result, types.Array):
        return owned_item(context, builder, aryty, ary, sel.data)
    view = make_array(context, builder, result)
    fill_array(context, builder, view, sel.data, [d.extent for d in sel.dims],
               [d.stride for d in sel.dims], result, meminfo=ary.meminfo, parent=ary.parent)
    context.incref(builder, aryty, args[0])
    return view._getvalue()


@lower_builtin(operator.setitem, types.Array, types.Any, types.Any)
def setitem_impl(context, builder, sig, args):
    aryty, index_ty, value_ty = sig.args
    ary = make_array(context, builder, aryty, args[0])
    sel = select(context, builder, aryty, ary, index_ty, args[1])
    value, convert = args[2], sequence_array(context.typing_context, value_ty)
    if convert is not None:  # a tuple or list of numbers: assigned as the array it makes
        value = context.get_function(types.Function(np.array), convert)(builder, [value])
        value_ty = convert.return_type
    if sel.advanced:
        scatter(context, builder, (aryty, ary), sel, value_ty, value, convert is not None)
    elif not sel.dims and not isinstance(index_result(aryty, index_ty), types.Array):
        _store_element(context, builder, aryty, sel.data, value_ty, value)
    else:
        target_ty = types.Array(aryty.dtype, len(sel.dims), "A")
        target = make_array(context, builder, target_ty)
        fill_array(context, builder, target, sel.data, [d.extent for d in sel.dims],
                   [d.stride for d in sel.dims], target_ty)
        assign_view(context, builder, target_ty, target, value_ty, value, convert is not None)
    if convert is not None:
        context.decref(builder, value_ty, value)
    return context.get_dummy_value()


def _store_element(context, builder, aryty, pointer, value_ty, value):
    """a[i] = x; a 0-d array x gives its element."""
    if isinstance(value_ty, types.Array):
        value = load_item(context, builder, value_ty, make_array(context, builder, value_ty, value).data)
        value_ty = value_ty.dtype
    store_item(context, builder, aryty, pointer, context.cast(builder, value, value_ty, aryty.dtype))
