"""Sets at the boundary. A Python set argument is typed by its first item (reflected: changes
compiled code makes are written back to it after the call, an exception included, as Numba
does); its items are checked to share that type. Unboxing goes through a list of the items
(a snapshot, so Python code run meanwhile cannot change what is read), boxing through a list
of the keys: both reuse the list boundary's checks and conversions."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...runtime.boxing import BoxContext, NativeValue, box, unbox, unbox_once_per_object
from ...typing.typeof import typeof, typeof_impl
from .construct import keys_list
from .model import DIRTY, SetHelper, i8p


@typeof_impl.register(set)
def typeof_set(value, c):
    if not set.__len__(value):
        return None
    item = typeof(next(iter(value)), c.purpose)
    return None if item is None else types.Set(types.unliteral(item), reflected=True)


#: Python classes whose instances all have one type of each of these classes
_PLAIN = {int: types.Integer, float: types.Float, complex: types.Complex,
          bool: types.Boolean, str: types.UnicodeType}


def set_items(dtype, obj):
    """The items of Python set `obj` as a list, each of type `dtype` (as typeof decides)."""
    if not isinstance(obj, (set, frozenset)):
        raise TypeError(f"expected a set for {types.Set(dtype, reflected=True)}")
    items = list(obj)
    classes = set(map(type, items))
    if len(classes) == 1 and isinstance(dtype, _PLAIN.get(classes.pop(), ())):
        return items  # one plain class: the list's unboxing checks ranges
    for item in items:
        _check_item(dtype, item)
    return items


def _check_item(dtype, item):
    actual = typeof(item)
    fits = (type(item) is int and isinstance(dtype, types.Integer)) or (
        actual is not None and types.unliteral(actual) == dtype)
    if not fits and not (isinstance(dtype, types.BaseTuple) and isinstance(item, tuple)):
        raise TypeError(f"can't unbox heterogeneous set: {dtype} != "
                        f"{actual if actual is not None else type(item).__name__}")


def reflect_into(parent, fresh):
    """Make Python set `parent` hold the items of `fresh`."""
    parent.clear()
    parent.update(fresh)


def _call(c, func, label, *objs):
    return c.pyapi.call_function_objargs(c.pyapi.constant_object(func, label), list(objs))


def _from_list(lst):
    return set(lst)


@unbox(types.Set)
def unbox_set(typ, obj, c):
    """A native set of the items; a reflected argument passed twice (`f(s, s)`) is one native
    set, so `a is b` holds and its changes are written back once."""
    if c.owned:
        return _unbox_set(typ, obj, c)
    return unbox_once_per_object(c, "reflected sets", typ, obj, _unbox_set, _release_set)


def _unbox_set(typ, obj, c):
    b = c.builder
    slot = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    failed = cgutils.alloca_once_value(b, cgutils.true_bit)
    dtype_obj = c.pyapi.constant_object(typ.dtype, "set_dtype")
    items = _call(c, set_items, "set_items", dtype_obj, obj)
    with b.if_then(cgutils.is_not_null(b, items), likely=True):
        list_type = types.List(typ.dtype)
        native = BoxContext(c.context, b, owned=True).unbox(list_type, items)
        c.pyapi.decref(items)
        with b.if_then(b.not_(native.is_error), likely=True):
            is_error, value = c.context.call_jit_code(b, _from_list, typ(list_type),
                                                      [native.value])
            c.context.decref(b, list_type, native.value)
            with b.if_then(b.not_(is_error), likely=True):
                helper = SetHelper(c.context, b, typ, value)
                helper.proxy.parent = ir.Constant(i8p, None) if c.owned else obj
                helper.store(DIRTY, ir.Constant(cgutils.int64_t, 0))
                b.store(helper.value, slot)
                b.store(cgutils.false_bit, failed)
    value = b.load(slot)
    is_error = b.load(failed)
    return NativeValue(value, is_error=is_error,
                       cleanup=lambda: _release(c, typ, value, is_error))


def _release_set(c, typ, value):
    """The own cleanup of an argument (its slot holds a NULL MemInfo if unboxing failed)."""
    meminfo = SetHelper(c.context, c.builder, typ, value).proxy.meminfo
    _release(c, typ, value, cgutils.is_null(c.builder, meminfo))


def _release(c, typ, value, is_error):
    with c.builder.if_then(c.builder.not_(is_error), likely=True):
        helper = SetHelper(c.context, c.builder, typ, value)
        _reflect(c, typ, helper)
        c.context.decref(c.builder, typ, value)


def _reflect(c, typ, helper):
    """Write the keys back into the parent Python set if compiled code changed the set."""
    b = c.builder
    parent = helper.proxy.parent
    dirty = cgutils.is_not_null(b, helper.load(DIRTY))
    with b.if_then(b.and_(dirty, cgutils.is_not_null(b, parent))):
        c.context.incref(b, typ, helper.value)
        fresh = _python_set(c, typ, helper.value)
        with b.if_then(cgutils.is_not_null(b, fresh), likely=True):
            done = _call(c, reflect_into, "reflect_set", parent, fresh)
            c.pyapi.decref(done)
            c.pyapi.decref(fresh)
        helper.store(DIRTY, ir.Constant(cgutils.int64_t, 0))


def _python_set(c, typ, value):
    """A new Python set of the keys (NULL with an exception set); consumes `value`."""
    b = c.builder
    list_type = types.List(typ.dtype)
    out = cgutils.alloca_once_value(b, ir.Constant(i8p, None))
    is_error, lst = c.context.call_jit_code(b, keys_list, list_type(typ), [value])
    c.context.decref(b, typ, value)
    with b.if_then(b.not_(is_error), likely=True):
        pylist = BoxContext(c.context, b).box(list_type, lst)
        with b.if_then(cgutils.is_not_null(b, pylist), likely=True):
            cls = frozenset if typ.frozen else set
            b.store(_call(c, cls, f"{cls.__name__}_type", pylist), out)
            c.pyapi.decref(pylist)
    return b.load(out)


@box(types.Set)
def box_set(typ, val, c):
    """The original Python set (reflected) if there is one, else a new set. Steals `val`."""
    b = c.builder
    if not typ.is_precise():  # `set()` never given an item: necessarily empty
        c.context.decref(b, typ, val)
        cls = frozenset if typ.frozen else set
        return _call(c, cls, f"{cls.__name__}_type")
    helper = SetHelper(c.context, b, typ, val)
    parent = helper.proxy.parent
    out = cgutils.alloca_once(b, i8p)
    with b.if_else(cgutils.is_not_null(b, parent)) as (has_parent, fresh):
        with has_parent:
            _reflect(c, typ, helper)
            c.pyapi.incref(parent)
            b.store(parent, out)
            c.context.decref(b, typ, val)
        with fresh:
            b.store(_python_set(c, typ, val), out)
    return b.load(out)

