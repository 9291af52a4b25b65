"""Typed lists (`types.ListType`, Numba's `typed.List`): the compiled list's representation and
operations, made in compiled code by `List()`, `List(iterable)`, `List.empty_list(item_type)`,
and crossing the boundary without copying: a native typed list boxes as a
`jitbridge.typed.List` wrapping the very same MemInfo, and unboxes to it."""
from __future__ import annotations

import importlib
import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ..extending import intrinsic, overload, overload_attribute, overload_method
from ..runtime.boxing import NativeValue, box, check_exact, unbox
from ..runtime.capsules import box_meminfo, holds_type, unbox_meminfo
from ._registries import AbstractTemplate, register
from .lists_core import check_size
from .lists_methods import extend_iterable, yield_type
from .lists_model import ALLOCATED, IMMUTABLE, ListHelper, i8p, i64, new_list

#: the attribute of a typed.List holding the capsule that owns its MemInfo
OPAQUE = "_opaque"


def _type_of(ty):
    """The type a type argument names (`int64`, `types.unicode_type`, a TypeRef)."""
    if isinstance(ty, (types.NumberClass, types.TypeRef)):
        return ty.instance_type
    return None


# -- making typed lists in compiled code ------------------------------------------------------

def _new_typed_list(context, builder, list_ty, capacity):
    """A new empty typed list with room for `capacity` (intp, clamped to at least 0) items."""
    count = builder.select(builder.icmp_signed("<", capacity, ir.Constant(i64, 0)),
                           ir.Constant(i64, 0), capacity)
    check_size(context, builder, list_ty, count)
    return new_list(context, builder, list_ty, count).value


@intrinsic
def new_typed_list(typingctx, item_type, allocated):
    """An empty typed list of `item_type` with room for `allocated` items."""
    item = _type_of(item_type)
    if item is None or not isinstance(types.unliteral(allocated), types.Integer):
        return None

    def codegen(context, builder, sig, args):
        capacity = context.cast(builder, args[1], sig.args[1], types.intp)
        return _new_typed_list(context, builder, sig.return_type, capacity)
    return types.ListType(item)(item_type, allocated), codegen


def _lower_empty(context, builder, sig, args):
    return _new_typed_list(context, builder, sig.return_type, ir.Constant(i64, 0))


def _lower_from_iterable(context, builder, sig, args):
    out = _new_typed_list(context, builder, sig.return_type, ir.Constant(i64, 0))
    fill = types.signature(types.none, sig.return_type, sig.args[1])
    context.compile_internal(builder, extend_iterable, fill, [out, args[1]])
    return out


def _append_0d(lst, a):
    lst.append(a.item())


def _lower_from_0d(context, builder, sig, args):
    out = _new_typed_list(context, builder, sig.return_type, ir.Constant(i64, 1))
    fill = types.signature(types.none, sig.return_type, sig.args[1])
    context.compile_internal(builder, _append_0d, fill, [out, args[1]])
    return out


def _mixed_tuple(ty) -> bool:
    """A tuple of items of different types: no list of one item type holds it (Numba)."""
    return isinstance(ty, types.BaseTuple) and len({types.unliteral(t) for t in ty.types}) > 1


class TypedListCall(AbstractTemplate):
    """`List()` / `List(iterable)`: the typed.List class (or a list type) called in compiled
    code; Numba's messages for what it refuses."""
    key = types.TypeRef

    def generic(self, args, kws):
        ref, *rest = args
        if not isinstance(ref.instance_type, types.ListType):
            return None
        if kws:
            raise TypingError("List() takes no keyword arguments")
        if len(rest) > 1:
            raise TypingError(f"List() expected at most 1 argument, got {len(rest)}")
        if not rest:
            return types.Signature(ref.instance_type, [ref], impl=_lower_empty)
        source = rest[0]
        if isinstance(source, types.Array) and source.ndim == 0:  # its one item (Numba's)
            return types.Signature(types.ListType(source.dtype), [ref, source],
                                   impl=_lower_from_0d)
        item = None if _mixed_tuple(source) else yield_type(self.context, source)
        if item is None:
            raise TypingError("List() argument must be iterable")
        return types.Signature(types.ListType(item), [ref, source],
                               impl=_lower_from_iterable)


register(TypedListCall)


@overload_method(types.TypeRef, "empty_list")
def typed_list_empty(cls, item_type, allocated=0):
    """typed.List.empty_list(item_type, allocated=0) in compiled code."""
    if isinstance(cls.instance_type, types.ListType):
        return lambda cls, item_type, allocated=0: new_typed_list(item_type, allocated)
    return None


@intrinsic
def list_allocated(typingctx, lst):
    """How many items the list has room for."""
    if not isinstance(lst, types.List):
        return None

    def codegen(context, builder, sig, args):
        return builder.load(ListHelper(context, builder, sig.args[0], args[0]).field(ALLOCATED))
    return types.intp(lst), codegen


@intrinsic
def _set_immutable(typingctx, lst):
    if not isinstance(lst, types.ListType):
        return None

    def codegen(context, builder, sig, args):
        helper = ListHelper(context, builder, sig.args[0], args[0])
        builder.store(ir.Constant(i64, 1), helper.field(IMMUTABLE))
        return context.get_dummy_value()
    return types.none(lst), codegen


@intrinsic
def _mutable(typingctx, lst):
    if not isinstance(lst, types.ListType):
        return None

    def codegen(context, builder, sig, args):
        helper = ListHelper(context, builder, sig.args[0], args[0])
        return cgutils.is_null(builder, builder.load(helper.field(IMMUTABLE)))
    return types.boolean(lst), codegen


@overload_method(types.ListType, "_make_immutable")
def typed_list_make_immutable(lst):
    """Numba's `typed.List._make_immutable()`: later changes raise ValueError."""
    return lambda lst: _set_immutable(lst)


@overload_method(types.ListType, "_is_mutable")
def typed_list_is_mutable(lst):
    return lambda lst: _mutable(lst)


@overload_method(types.ListType, "_allocated")
def typed_list_allocated(lst):
    """Numba's `typed.List._allocated()`."""
    return lambda lst: list_allocated(lst)


@intrinsic
def _item_dtype(typingctx, lst):
    """The NumPy dtype of a typed list of NumPy scalars (a compile-time value)."""
    if not isinstance(lst, types.ListType) or not isinstance(lst.dtype, types.Number):
        return None

    def codegen(context, builder, sig, args):
        return context.get_dummy_value()
    return types.DType(lst.dtype)(lst), codegen


@overload_attribute(types.ListType, "_dtype")
def typed_list_dtype(lst):
    """Numba's `typed.List._dtype` in compiled code: the items' NumPy dtype."""
    if isinstance(lst.dtype, types.Number):
        return lambda lst: _item_dtype(lst)
    return None


def _compared_to_other(op):
    def typer(a, b):
        if isinstance(a, types.ListType) and not isinstance(b, types.List):
            return lambda a, b: False
        return None
    return typer


for _op in (operator.lt, operator.le, operator.eq, operator.ne, operator.ge, operator.gt):
    # a typed list compared with anything but a list: every comparison is False (Numba's)
    overload(_op)(_compared_to_other(_op))


# -- boxing -------------------------------------------------------------------------------------

def _typed_list_class():
    """jitbridge.typed.List (imported by name: lib never imports the typed package, which
    sits above it)."""
    return importlib.import_module("jitbridge.typed.typedlist").List


@box(types.ListType)
def box_typed_list(typ, val, c):
    """Steals the native reference (the capsule owns it)."""
    if not typ.is_precise():
        raise TypingError(f"Cannot infer the type of a typed list returned to Python: it has "
                          f"imprecise type {typ} (no item is ever stored in it); use "
                          f"typed.List.empty_list(item_type)")
    meminfo = c.context.make_helper(c.builder, typ, value=val).meminfo
    # (the class's own maker, embedded: an import_module per call cost more than the rest)
    return box_meminfo(c, meminfo, _typed_list_class()._from_capsule, "typed.List", typ)


@unbox(types.ListType)
def unbox_typed_list(typ, obj, c):
    """A new reference to the typed.List's MemInfo (released after the call); no parent:
    compiled code changes the shared list itself, there is nothing to reflect."""
    meminfo, failed = unbox_meminfo(c, obj, OPAQUE)
    proxy = c.context.make_helper(c.builder, typ)
    proxy.meminfo = meminfo
    proxy.parent = ir.Constant(i8p, None)
    return NativeValue(proxy._getvalue(), is_error=failed)


@check_exact(types.ListType)
def check_typed_list(typ, obj, c):
    """A typed.List whose list type is `typ`."""
    return holds_type(c, obj, _typed_list_class(), "_list_type", typ)

