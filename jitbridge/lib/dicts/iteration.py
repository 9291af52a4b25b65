"""Views (`d.keys()`, `d.values()`, `d.items()`: live, as CPython's) and iteration over a dict
in insertion order, skipping the entries deleted in place."""
from __future__ import annotations

import operator

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...extending import intrinsic, overload, overload_method
from .._registries import AbstractTemplate, lower_builtin, register
from .model import KEY, LIVE, NENTRIES, VALUE, DictHelper, i64
from .prims import dict_used

VIEWS = {"keys": types.DictKeysIterableType, "values": types.DictValuesIterableType,
         "items": types.DictItemsIterableType}


def _view_maker(view_class):
    @intrinsic
    def make_view(typingctx, d):
        if not isinstance(d, types.DictType):
            return None

        def codegen(context, builder, sig, args):
            out = context.make_helper(builder, sig.return_type)
            out.parent = args[0]
            context.incref(builder, sig.args[0], args[0])
            return out._getvalue()
        return view_class(d)(d), codegen
    return make_view


def _view_method(name, view_class):
    maker = _view_maker(view_class)

    @overload_method(types.DictType, name)
    def method(d):
        if isinstance(d, types.DictType):
            return lambda d: maker(d)
        return None
    return method


for _name, _class in VIEWS.items():
    _view_method(_name, _class)


@intrinsic
def _parent(typingctx, view):
    """The dict a view shows (a new reference)."""
    if not isinstance(view, types.DictViewType):
        return None

    def codegen(context, builder, sig, args):
        parent = context.make_helper(builder, sig.args[0], value=args[0]).parent
        context.incref(builder, sig.return_type, parent)
        return parent
    return view.parent(view), codegen


class DictIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) != 1 or kws:
            return None
        source = args[0]
        if isinstance(source, types.DictType):
            source = types.DictKeysIterableType(source)
        if isinstance(source, types.DictViewType) and source.parent.is_precise():
            # (none while the item types are unknown: the loop is typed once they are)
            return types.signature(types.DictIteratorType(source), args[0])
        return None


register(DictIter)


@lower_builtin(iter, types.DictType)
@lower_builtin(iter, types.DictViewType)
def dict_iter_impl(context, builder, sig, args):
    """The iterator holds a reference to the dict."""
    source = args[0]
    if isinstance(sig.args[0], types.DictViewType):
        source = context.make_helper(builder, sig.args[0], value=source).parent
    it = context.make_helper(builder, sig.return_type)
    it.index = cgutils.alloca_once_value(builder, ir.Constant(i64, 0))
    it.source = source
    context.incref(builder, sig.return_type.parent, source)
    return it._getvalue()


@lower_builtin("iternext", types.DictIteratorType)
def dict_iternext_impl(context, builder, sig, args):
    """(item, valid) of the next live entry."""
    itty = sig.args[0]
    it = context.make_helper(builder, itty, value=args[0])
    dct = DictHelper(context, builder, itty.parent, it.source)
    end = dct.load(NENTRIES)
    index = _skip_dead(builder, dct, builder.load(it.index), end)
    valid = builder.icmp_signed("<", index, end)
    out = cgutils.alloca_once(builder, context.get_value_type(itty.yield_type), zfill=True)
    with builder.if_then(valid, likely=True):
        builder.store(_item(context, builder, dct, itty, index), out)
        builder.store(builder.add(index, ir.Constant(i64, 1)), it.index)
    return context.make_tuple(builder, sig.return_type, [builder.load(out), valid])


def _skip_dead(builder, dct, start, end):
    position = cgutils.alloca_once_value(builder, start)
    check = builder.append_basic_block("dict.skip.check")
    step = builder.append_basic_block("dict.skip.step")
    done = builder.append_basic_block("dict.skip.done")
    builder.branch(check)
    builder.position_at_end(check)
    index = builder.load(position)
    test = builder.append_basic_block("dict.skip.test")
    builder.cbranch(builder.icmp_signed("<", index, end), test, done)
    builder.position_at_end(test)
    live = builder.load(dct.entry(index, LIVE))
    builder.cbranch(builder.icmp_unsigned("==", live, ir.Constant(live.type, 0)), step, done)
    builder.position_at_end(step)
    builder.store(builder.add(index, ir.Constant(i64, 1)), position)
    builder.branch(check)
    builder.position_at_end(done)
    return builder.load(position)


def _item(context, builder, dct, itty, index):
    """A new reference to the key, value or (key, value) of entry `index`."""
    kind = itty.iterable.kind
    parts = {"keys": (KEY,), "values": (VALUE,), "items": (KEY, VALUE)}[kind]
    values = []
    for part in parts:
        ty = dct.ty.key_type if part == KEY else dct.ty.value_type
        value = dct.read(index, part)
        context.incref(builder, ty, value)
        values.append(value)
    if kind != "items":
        return values[0]
    return context.make_tuple(builder, itty.yield_type, values)


@overload(len)
def view_len(view):
    if isinstance(view, types.DictViewType):
        return lambda view: dict_used(_parent(view))
    return None


@overload(operator.contains)
def keys_contains(view, key):
    if isinstance(view, types.DictKeysIterableType):
        return lambda view, key: key in _parent(view)
    return None
