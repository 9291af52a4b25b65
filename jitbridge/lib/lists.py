"""Lists: homogeneous, reference-counted, growable; reflected back into Python list arguments.

A list is {meminfo, parent}; the MemInfo's data is a payload {size, allocated, dirty, items*,
keepalive} whose destructor releases the items and the Python object `keepalive` (if any). A list
unboxed from a Python list remembers it as `parent`; when compiled code changed the list (dirty),
its contents are written back after the call, and returning it gives back the same Python list.
"""
from __future__ import annotations

import functools
import operator

import numpy as np
from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ..lowering.registry import VarArg
from ..runtime.boxing import (BoxContext, NativeValue, box, check_exact, type_error_unless,
                              unbox, unbox_once_per_object)
from ..typing.typeof import typeof, typeof_impl
from ._registries import (AbstractTemplate, AttributeTemplate, bound_function, lower_builtin,
                          lower_cast, register, register_attr)
from .iterators import iterator_next, new_iterator
from .lists_core import truncates, widened_list
from .lists_model import DIRTY, KEEPALIVE, SIZE, ListHelper, i8p, i64, new_list
from .slices import normalize_slice


@typeof_impl.register(list)
def typeof_list(value, c):
    if not list.__len__(value):  # the storage, as unboxing sees it (subclasses may override)
        return None
    item = typeof(list.__getitem__(value, 0), c.purpose)
    if item is None:
        return None
    return types.List(types.unliteral(item), reflected=True)


# -- typing -----------------------------------------------------------------------------------------

@register_attr
class ListAttributes(AttributeTemplate):
    key = types.List

    @bound_function("list.append")
    def resolve_append(self, ty, args, kws):
        if len(args) != 1 or kws:
            return None
        item = types.unliteral(args[0])
        if ty.dtype.name == "undefined":
            return types.signature(types.none, item, recvr=ty.copy(dtype=item))
        widened = widened_list(self.context, ty, item)
        if widened is not None:
            return types.signature(types.none, widened.dtype, recvr=widened)
        if self.context.can_convert(item, ty.dtype) is None:
            if isinstance(ty, types.ListType):  # (typed.List's words in Numba)
                raise TypingError(f"cannot safely cast {item} to {ty.dtype}: the typed.List "
                                  f"holds {ty.dtype}. Please cast explicitly.")
            return None
        return types.signature(types.none, ty.dtype)

    @bound_function("list.pop")
    def resolve_pop(self, ty, args, kws):
        if kws or len(args) > 1:
            return None
        return types.signature(ty.dtype, *([types.intp] if args else []))


class ListGetItem(AbstractTemplate):
    key = operator.getitem

    def generic(self, args, kws):
        lst, index = args
        if not isinstance(lst, types.List):
            return None
        if isinstance(index, types.SliceType):
            return types.signature(lst.copy(reflected=False), lst, index)
        if isinstance(types.unliteral(index), types.Integer):
            return types.signature(lst.dtype, lst, types.intp)
        return None


class ListSetItem(AbstractTemplate):
    key = operator.setitem

    def generic(self, args, kws):
        lst, index, value = args
        if isinstance(lst, types.List) and isinstance(types.unliteral(index), types.Integer):
            lossy = type(lst) is types.List and truncates(value, lst.dtype)
            if lossy and not lst.reflected:  # `l = [1]; l[0] = 2.5`: l's display widens
                widened = widened_list(self.context, lst, value)
                return types.signature(types.none, widened, types.intp, widened.dtype,
                                       recvr=widened)
            if self.context.can_convert(value, lst.dtype) is None or lossy:  # (Numba's words)
                raise TypingError(f"invalid setitem with value of {types.unliteral(value)} "
                                  f"to element of {lst.dtype}")
            return types.signature(types.none, lst, types.intp, lst.dtype)
        return None


class ListLen(AbstractTemplate):
    key = len

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.List):
            return types.signature(types.intp, args[0])
        return None


class ListIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.List):
            return types.signature(types.ListIterator(args[0]), args[0])
        return None


class ListContains(AbstractTemplate):
    key = operator.contains

    def generic(self, args, kws):
        lst, item = args
        if isinstance(lst, types.List) and self.context.resolve_key(
                operator.eq, (lst.dtype, item), {}) is not None:
            return types.signature(types.boolean, lst, item)
        return None


for _template in (ListGetItem, ListSetItem, ListLen, ListIter, ListContains):
    register(_template)


# -- lowering ---------------------------------------------------------------------------------------

@lower_builtin("build_list", VarArg(types.Any))
def build_list_impl(context, builder, sig, args):
    if isinstance(sig.return_type, types.LiteralList):
        return lists_literal.build_literal_list(context, builder, sig, args)
    lst = new_list(context, builder, sig.return_type, ir.Constant(i64, len(args)))
    for value in args:
        lst.append(value)
    builder.store(ir.Constant(i64, 0), lst.field(DIRTY))
    return lst.value


@lower_builtin(bool, types.List)
def list_truth_impl(context, builder, sig, args):
    """(For `context.is_true`, which the truth of an Optional list calls: typing goes
    through lists_ops' overload.)"""
    size = ListHelper(context, builder, sig.args[0], args[0]).size
    return builder.icmp_signed("!=", size, ir.Constant(i64, 0))


@lower_builtin(len, types.List)
def list_len_impl(context, builder, sig, args):
    return ListHelper(context, builder, sig.args[0], args[0]).size


@lower_builtin(operator.getitem, types.List, types.Integer)
def list_getitem_impl(context, builder, sig, args):
    lst = ListHelper(context, builder, sig.args[0], args[0])
    item = lst.load(lst.checked_index(args[1]))
    context.incref(builder, sig.return_type, item)
    return item


@lower_builtin(operator.getitem, types.List, types.SliceType)
def list_getslice_impl(context, builder, sig, args):
    src = ListHelper(context, builder, sig.args[0], args[0])
    start, _, step, count = normalize_slice(context, builder, args[1], src.size)
    out = new_list(context, builder, sig.return_type, count)
    with cgutils.for_range(builder, count) as loop:
        out.append(src.load(builder.add(start, builder.mul(loop.index, step))))
    builder.store(ir.Constant(i64, 0), out.field(DIRTY))
    return out.value


@lower_builtin(operator.setitem, types.List, types.Integer, types.Any)
def list_setitem_impl(context, builder, sig, args):
    lst = ListHelper(context, builder, sig.args[0], args[0])
    lst.check_mutable()
    index = lst.checked_index(args[1], "list assignment index out of range")
    value = lst.new_reference(args[2])
    old = lst.load(index)
    lst.store(index, value)
    context.decref(builder, sig.args[2], old)
    lst.mark_dirty()
    return context.get_dummy_value()


@lower_builtin("list.append", types.List, types.Any)
def list_append_impl(context, builder, sig, args):
    list_ty = sig.recvr if sig.recvr.dtype.name != "undefined" else sig.recvr.copy(dtype=sig.args[0])
    ListHelper(context, builder, list_ty, args[0]).append(
        context.cast(builder, args[1], sig.args[0], list_ty.dtype))
    return context.get_dummy_value()


@lower_builtin("list.pop", types.List)
@lower_builtin("list.pop", types.List, types.Integer)
def list_pop_impl(context, builder, sig, args):
    """Remove and return an item (its reference moves to the caller)."""
    lst = ListHelper(context, builder, sig.recvr, args[0])
    lst.check_mutable()
    size = lst.size
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, size)):
        context.call_conv.return_user_exc(builder, IndexError, ("pop from empty list",))
    index = args[1] if len(args) > 1 else ir.Constant(i64, -1)
    index = lst.checked_index(index, "pop index out of range")
    item = lst.load(index)
    with cgutils.for_range(builder, builder.sub(size, ir.Constant(i64, 1)), start=index) as loop:
        builder.store(builder.load(lst.item_pointer(builder.add(loop.index, ir.Constant(i64, 1)))),
                      lst.item_pointer(loop.index))
    builder.store(builder.sub(size, ir.Constant(i64, 1)), lst.field(SIZE))
    lst.shrink(builder.sub(size, ir.Constant(i64, 1)))
    lst.mark_dirty()
    return item


@lower_builtin(operator.contains, types.List, types.Any)
def list_contains_impl(context, builder, sig, args):
    lst = ListHelper(context, builder, sig.args[0], args[0])
    eq_sig = context.typing_context.resolve_key(operator.eq, (sig.args[0].dtype, sig.args[1]), {})
    eq = context.get_function(types.Function(operator.eq), eq_sig)
    found = cgutils.alloca_once_value(builder, cgutils.false_bit)
    with cgutils.for_range(builder, lst.size) as loop:
        values = [context.cast(builder, v, t, f) for v, t, f in
                  zip((lst.load(loop.index), args[1]), (sig.args[0].dtype, sig.args[1]), eq_sig.args)]
        with builder.if_then(eq(builder, values)):
            builder.store(cgutils.true_bit, found)
    return builder.load(found)


lower_builtin(iter, types.List)(new_iterator)


@lower_builtin(iter, types.ListType)
def typed_list_iter_impl(context, builder, sig, args):
    """A typed list's iterator also keeps the size it started with, after its position: a
    typed list changed in size while iterated raises (Numba's typed.List), where a Python
    list's iteration would follow its growth."""
    it = context.make_helper(builder, sig.return_type)
    slots = cgutils.alloca_once(builder, ir.ArrayType(i64, 2))
    index = builder.gep(slots, [ir.Constant(ir.IntType(32), 0)] * 2)
    builder.store(ir.Constant(i64, 0), index)
    size = ListHelper(context, builder, sig.args[0], args[0]).size
    builder.store(size, _start_size(builder, index))
    it.index, it.source = index, args[0]
    context.incref(builder, sig.args[0], args[0])
    return it._getvalue()


def _start_size(builder, index):
    return builder.gep(index, [ir.Constant(i64, 1)])


def _check_not_resized(context, builder, list_ty, it):
    size = ListHelper(context, builder, list_ty, it.source).size
    resized = builder.icmp_signed("!=", size, builder.load(_start_size(builder, it.index)))
    with cgutils.if_unlikely(builder, resized):
        context.call_conv.return_user_exc(builder, RuntimeError,
                                          ("list was mutated during iteration",))


@lower_builtin("iternext", types.ListIterator)
def list_iternext_impl(context, builder, sig, args):
    list_ty = sig.args[0].list_type
    if isinstance(list_ty, types.ListType):
        _check_not_resized(context, builder, list_ty,
                           context.make_helper(builder, sig.args[0], value=args[0]))

    def item(source, index):
        value = ListHelper(context, builder, list_ty, source).load(index)
        context.incref(builder, list_ty.dtype, value)
        return value
    return iterator_next(context, builder, sig, args,
                         length=lambda source: ListHelper(context, builder, list_ty, source).size,
                         item=item)


@lower_cast(types.List, types.List)
def list_to_list(context, builder, fromty, toty, val):
    """A reflected list stored where nothing reflects it (a dict value, a typed list's item)
    outlives the call: it forgets its parent, a Python list only borrowed for the call."""
    if not fromty.reflected or toty.reflected:
        return val
    lst = context.make_helper(builder, toty, val)
    lst.parent = ir.Constant(i8p, None)
    return lst._getvalue()


# -- boxing -----------------------------------------------------------------------------------------
# A list is unboxed from a snapshot (a tuple) of its items, so Python code run meanwhile (the
# garbage collector, the type check) can neither shrink the list under the loop nor free an item.
# Every item is type-checked. Items must stay alive while compiled code uses them even if the
# Python list is emptied (objmode, another thread): an argument list keeps the snapshot (it lives
# for the whole call, so its items may borrow from it); other lists own each item.

MAX_SSIZE = ir.Constant(i64, (1 << 63) - 1)


def _is_list(c, obj):
    """i1: `obj` is a list or a list subclass instance (a C-level test: runs no Python code)."""
    subtype = c.pyapi._call("PyType_IsSubtype", c.pyapi.get_type(obj),
                            c.pyapi.get_type_object("PyList_Type"))
    return cgutils.is_not_null(c.builder, subtype)


@unbox(types.List)
def unbox_list(typ, obj, c):
    """A native list of the items, each type-checked; written back after the call if changed.

    On failure the partial list is already released (callers differ on calling `cleanup`)."""
    if _holds_reflected(typ.dtype) and not c.owned and not _reflectable(typ.dtype):
        # a list inside a tuple changed by compiled code could not be written back: refused
        failed = type_error_unless(c, cgutils.false_bit,
                                   f"cannot reflect element of reflected container: {typ}")
        return NativeValue(ir.Constant(c.context.get_value_type(typ), None), is_error=failed)
    if c.owned:
        return _unbox_list(typ, obj, c, reflecting=False)
    return _unbox_argument(typ, obj, c)


def _unbox_argument(typ, obj, c):
    """A reflected list argument; the same Python list passed again (`f(a, a)`) is the same
    native list."""
    return unbox_once_per_object(c, "reflected lists", typ, obj, _unbox_reflected, _release)


def _unbox_reflected(typ, obj, c):
    return _unbox_list(typ, obj, c, reflecting=True)


def _unbox_list(typ, obj, c, reflecting):
    """unbox_list; `reflecting`: the list remembers `obj` as its parent, to write back."""
    b = c.builder
    is_list = _is_list(c, obj)
    not_list = type_error_unless(c, is_list, f"expected a list for {typ}")
    failed = cgutils.alloca_once_value(b, not_list)
    slot = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    with b.if_then(is_list, likely=True):
        snapshot = c.pyapi._call("PyList_AsTuple", obj)
        b.store(cgutils.is_null(b, snapshot), failed)
        with b.if_then(cgutils.is_not_null(b, snapshot), likely=True):
            lst, ok = _unbox_items(typ, snapshot, c, reflecting)
            # an owned copy (objmode outputs) must not point back at a list that may die
            lst.proxy.parent = obj if reflecting else ir.Constant(i8p, None)
            _keep_if(c, typ, lst.value, ok, slot)
            b.store(b.not_(ok), failed)
    value = b.load(slot)
    return NativeValue(value, is_error=b.load(failed), cleanup=lambda: _release(c, typ, value))


def _keep_if(c, typ, value, ok, slot):
    """Store the list in `slot` if `ok`, else release it (the slot keeps a NULL MemInfo)."""
    with c.builder.if_else(ok, likely=True) as (keep, drop):
        with keep:
            c.builder.store(value, slot)
        with drop:
            c.context.decref(c.builder, typ, value)


def _release(c, typ, value):
    """Argument cleanup after the call: reflect, then drop the native list."""
    helper = ListHelper(c.context, c.builder, typ, value)
    with c.builder.if_then(cgutils.is_not_null(c.builder, helper.proxy.meminfo), likely=True):
        _reflect(c, typ, helper, helper.proxy.parent)
        c.context.decref(c.builder, typ, value)


def _lends_items(c, dtype) -> bool:
    """Whether items may borrow from the snapshot: only an argument list lives all the call, and
    nested lists must own their items (an outer list does not run its items' cleanups)."""
    return not c.owned and not _contains_list(dtype)


def _holds_reflected(ty) -> bool:
    inner = ty.types if isinstance(ty, types.BaseTuple) else ()
    return (isinstance(ty, types.List) and ty.reflected) or any(map(_holds_reflected, inner))


def _reflectable(ty) -> bool:
    """A list of lists (any depth, no tuple between): the inner lists are reflected too."""
    return isinstance(ty, types.List) and ty.reflected and (
        not _holds_reflected(ty.dtype) or _reflectable(ty.dtype))


def _contains_list(ty) -> bool:
    inner = ty.types if isinstance(ty, types.BaseTuple) else ()
    return isinstance(ty, types.List) or any(map(_contains_list, inner))


def _unbox_items(typ, snapshot, c, reflecting):
    """(a native list of the snapshot's items, i1 ok); stops at the first bad item. Takes over
    the snapshot: kept by the list (released by its destructor) if items borrow from it."""
    b = c.builder
    members_reflect = reflecting and _reflectable(typ.dtype)
    owning = c if _lends_items(c, typ.dtype) else BoxContext(c.context, b, owned=True)
    lst = new_list(c.context, b, typ, c.pyapi.tuple_size(snapshot))
    ok = cgutils.alloca_once_value(b, cgutils.true_bit)
    with cgutils.for_range(b, c.pyapi.tuple_size(snapshot)) as loop:
        with b.if_then(b.load(ok), likely=True):
            item = c.pyapi._call("PyTuple_GetItem", snapshot, loop.index)
            checked, converted = _checked_item(owning, typ.dtype, item, loop.index)
            b.store(cgutils.is_not_null(b, checked), ok)
            with b.if_then(b.load(ok), likely=True):
                native = _unbox_member(typ.dtype, checked, c) if members_reflect else \
                    owning.unbox(typ.dtype, checked)
                b.store(b.not_(native.is_error), ok)
                with b.if_then(b.not_(native.is_error), likely=True):
                    lst.store(loop.index, native.value)
                    b.store(b.add(loop.index, ir.Constant(i64, 1)), lst.field(SIZE))
            c.pyapi.decref(converted)  # Py_DecRef ignores NULL
    if owning is c:
        b.store(snapshot, lst.field(KEEPALIVE))
    else:
        c.pyapi.decref(snapshot)
    return lst, b.load(ok)


def _unbox_member(typ, obj, c):
    """An inner list of a list of lists: owns its items and a reference to `obj`, its parent
    (in the payload's keepalive), so that it can be written back even after the outer Python
    list dropped it; released with the outer list."""
    owning = BoxContext(c.context, c.builder, owned=True)
    native = _unbox_list(typ, obj, owning, reflecting=True)
    with c.builder.if_then(c.builder.not_(native.is_error), likely=True):
        helper = ListHelper(c.context, c.builder, typ, native.value)
        c.pyapi.incref(obj)
        c.builder.store(obj, helper.field(KEEPALIVE))
    return NativeValue(native.value, is_error=native.is_error)


def _checked_item(c, dtype, item, index):
    """(the object to unbox, NULL if `item` lacks the list's item type; a new reference to
    release after unboxing, or NULL): the exact-class test inline, else `check_list_item`."""
    b = c.builder
    fast = c.check_exact(dtype, item)
    checked = cgutils.alloca_once_value(b, item)
    converted = cgutils.alloca_once_value(b, ir.Constant(i8p, None))
    with b.if_then(b.not_(cgutils.false_bit if fast is None else fast), likely=False):
        checker = c.pyapi.constant_object(functools.partial(check_list_item, dtype), "list_item")
        position = c.pyapi.long_from_longlong(index)
        result = c.pyapi.call_function_objargs(checker, [item, position])
        c.pyapi.decref(position)
        b.store(result, checked)
        b.store(result, converted)
    return b.load(checked), b.load(converted)


def check_list_item(dtype, item, index):
    """Slow path of the per-item check (as typeof would type the item): the object to unbox,
    NumPy scalars as Python scalars (the scalar unboxers take those); TypeError if it differs."""
    if _has_item_type(item, dtype):
        return _python_scalars(item)
    actual = typeof(item)
    raise _heterogeneous(dtype, actual if actual is not None else type(item).__name__, index)


def _heterogeneous(expected, actual, index: int) -> TypeError:
    """Numba's text, and a note (PEP 678; shown by tracebacks from Python 3.11) naming the item.
    Built here, not in the raising frame, so the exception forms no cycle with that frame."""
    error = TypeError(f"can't unbox heterogeneous list: {expected} != {actual}")
    error.__notes__ = [f"(item {index} of the list)"]
    return error


def _python_scalars(value):
    if isinstance(value, np.generic):
        return value.item()
    if type(value) is tuple:
        return tuple(_python_scalars(v) for v in value)
    return value


def _has_item_type(item, dtype):
    if isinstance(dtype, types.List) and not isinstance(dtype, types.ListType):
        # an inner list of another item type is named as such (the nested list checks the
        # rest of its items when unboxed)
        return isinstance(item, list) and (not item or typeof(item) in (None, dtype))
    if type(item) is int and isinstance(dtype, types.Integer):  # the range is checked later
        return True
    actual = typeof(item)
    if isinstance(dtype, types.Array) and isinstance(actual, types.Array):
        return _array_fits(item, actual, dtype)
    return actual is not None and types.unliteral(actual) == dtype


def _array_fits(item, actual, dtype):
    """The array's own type fits a list of `dtype` arrays (layout A takes any layout)."""
    flags = item.flags
    layout_ok = {"C": flags.c_contiguous, "F": flags.f_contiguous}.get(dtype.layout, True)
    return (actual.dtype == dtype.dtype and actual.ndim == dtype.ndim and layout_ok
            and (flags.writeable or dtype.readonly))


def _reflect(c, typ, lst, parent):
    """Replace `parent`'s contents by the native items when compiled code changed the list.

    The new contents are built first and swapped in with one slice assignment, so the Python
    list is never seen half-written and nothing is freed before it is boxed."""
    b = c.builder
    if _reflectable(typ.dtype):
        _reflect_members(c, typ.dtype, lst)
    dirty = cgutils.is_not_null(b, b.load(lst.field(DIRTY)))
    with b.if_then(b.and_(dirty, cgutils.is_not_null(b, parent))):
        fresh = _python_list(c, typ, lst)
        with b.if_then(cgutils.is_not_null(b, fresh), likely=True):
            c.pyapi._call("PyList_SetSlice", parent, ir.Constant(i64, 0), MAX_SSIZE, fresh)
            c.pyapi.decref(fresh)
        b.store(ir.Constant(i64, 0), lst.field(DIRTY))


def _reflect_members(c, member_ty, lst):
    """Write back each inner list that compiled code changed (the outer one may be clean)."""
    with cgutils.for_range(c.builder, lst.size) as loop:
        inner = ListHelper(c.context, c.builder, member_ty, lst.load(loop.index))
        _reflect(c, member_ty, inner, inner.proxy.parent)


def _python_list(c, typ, lst):
    """A new Python list of the boxed items (NULL with an exception set on failure)."""
    b = c.builder
    result = cgutils.alloca_once_value(b, c.pyapi._call("PyList_New", lst.size))
    with b.if_then(cgutils.is_not_null(b, b.load(result)), likely=True):
        failed = cgutils.alloca_once_value(b, cgutils.false_bit)
        with cgutils.for_range(b, lst.size) as loop:
            item = lst.load(loop.index)
            c.context.incref(b, typ.dtype, item)  # boxing steals a reference
            obj = c.box(typ.dtype, item)
            b.store(b.or_(b.load(failed), cgutils.is_null(b, obj)), failed)
            c.pyapi._call("PyList_SetItem", b.load(result), loop.index, obj)  # NULL is allowed
        with b.if_then(b.load(failed), likely=False):
            c.pyapi.decref(b.load(result))
            b.store(ir.Constant(i8p, None), result)
    return b.load(result)


@box(types.List)
def box_list(typ, val, c):
    """The original Python list (reflected) if there is one, else a new list. Steals `val`."""
    if typ.dtype == types.undefined:
        raise TypingError(
            f"Cannot infer the type of variable returned to Python, have imprecise type: "
            f"{typ}. For Numba to be able to compile a list, the list must have a known and "
            "precise type that can be inferred from the other variables: give it items, or "
            "make it with typed.List.empty_list(item_type)")
    b = c.builder
    lst = ListHelper(c.context, b, typ, val)
    parent = lst.proxy.parent
    out = cgutils.alloca_once(b, i8p)
    with b.if_else(cgutils.is_not_null(b, parent)) as (has_parent, fresh):
        with has_parent:
            _reflect(c, typ, lst, parent)
            c.pyapi.incref(parent)
            b.store(parent, out)
        with fresh:
            b.store(_python_list(c, typ, lst), out)
    c.context.decref(b, typ, val)
    return b.load(out)


@check_exact(types.List)
def check_list(typ, obj, c):
    """A non-empty list whose first item has the element type exactly (as typeof decides)."""
    if not typ.reflected or not c.has_exact_check(typ.dtype):
        return cgutils.false_bit
    b = c.builder
    result = cgutils.alloca_once_value(b, cgutils.false_bit)
    is_list = b.icmp_unsigned("==", c.pyapi.get_type(obj), c.pyapi.get_type_object("PyList_Type"))
    with b.if_then(is_list):
        size = c.pyapi._call("PyList_Size", obj)
        with b.if_then(b.icmp_signed(">", size, ir.Constant(i64, 0))):
            b.store(c.check_exact(typ.dtype, c.pyapi._call("PyList_GetItem", obj, ir.Constant(i64, 0))),
                    result)
    return b.load(result)

# the methods and operators, in Python over this module's primitives
from . import lists_literal, lists_methods, lists_ops, lists_typed  # noqa: E402,F401
