"""Making sets and growing them: `set()` (item type refined by later inserts), `set(iterable)`
(set literals come from the frontend as `set((a, b, ...))`), `s.add(x)`, `s.update(it)`;
iteration, len, truth and `in`."""
from __future__ import annotations

import operator

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...errors import TypingError
from ...extending import overload, register_jitable
from .._registries import (AbstractTemplate, AttributeTemplate, bound_function, lower_builtin,
                           lower_cast, register, register_attr, register_global)
from ..iterators import iterator_next, new_iterator
from ..lists_core import truncates
from . import table
from .model import MASK, SetHelper, i64, new_set
from .prims import entry_hash, entry_key, key_cast, set_mask, set_used


def item_type(context, iterable):
    """The (unliteral) type of the items `iterable` yields, or None."""
    if isinstance(iterable, types.BaseTuple):
        items = [types.unliteral(t) for t in iterable.types]
        return context.unify_types(*items) if items else types.undefined
    sig = context.resolve_function_type(types.Function(iter), (iterable,), {})
    return None if sig is None else types.unliteral(sig.return_type.yield_type)


def _source_type(iterable, item):
    """A tuple is passed as a tuple of its unified item type (`{1, 2.5}` holds floats)."""
    if isinstance(iterable, types.BaseTuple) and len(iterable):
        return types.UniTuple(item, len(iterable))
    return iterable


def constructor_signature(context, kind, args, kws):
    """`set(...)` / `frozenset(...)` (`kind`: types.Set or types.FrozenSet): empty, or the
    items of one iterable."""
    if kws or len(args) > 1:
        return None
    if not args:
        return types.signature(kind(types.undefined))
    item = item_type(context, args[0])
    if item is None:
        name = "set" if kind is types.Set else "frozenset"
        raise TypingError(f"{name}() takes an iterable, not {args[0]}")
    return types.signature(kind(item), _source_type(args[0], item))


class SetConstructor(AbstractTemplate):
    key = set

    def generic(self, args, kws):
        return constructor_signature(self.context, types.Set, args, kws)


register(SetConstructor)
register_global(set, types.Function(set))


@lower_builtin(set)
def empty_set_impl(context, builder, sig, args):
    return new_set(context, builder, sig.return_type).value


@register_jitable
def _fill(s, iterable):
    for value in iterable:
        table.insert(s, key_cast(s, value))


@register_jitable
def _fill_sized(s, iterable):
    table.reserve(s, len(iterable))
    _fill(s, iterable)


SIZED = (types.List, types.Array, types.BaseTuple, types.RangeType, types.Set,
         types.UnicodeType)


def _filler(source):
    return _fill_sized if isinstance(source, SIZED) else _fill


@lower_builtin(set, types.Any)
def set_from_iterable_impl(context, builder, sig, args):
    out = new_set(context, builder, sig.return_type).value
    if sig.return_type.is_precise():
        context.compile_internal(builder, _filler(sig.args[0]),
                                 types.none(sig.return_type, sig.args[0]), [out, args[0]])
    return out


@lower_cast(types.Set, types.Set)
def set_to_set(context, builder, fromty, toty, val):
    """A reflected set stored where nothing reflects it (a dict value) outlives the call: it
    forgets its parent, a Python set only borrowed for the call."""
    if not getattr(fromty, "reflected", False) or getattr(toty, "reflected", False):
        return val
    helper = context.make_helper(builder, toty, val)
    helper.parent = ir.Constant(helper.parent.type, None)
    return helper._getvalue()


# -- add, update (they may give an empty set its item type) ----------------------------------

@register_attr
class SetAttributes(AttributeTemplate):
    key = types.Set

    @bound_function("set.add")
    def resolve_add(self, ty, args, kws):
        if len(args) != 1 or kws:
            return None
        return self._inserting(ty, types.unliteral(args[0]), args[0])

    @bound_function("set.update")
    def resolve_update(self, ty, args, kws):
        if len(args) != 1 or kws:
            return None
        item = item_type(self.context, args[0])
        if item is None:
            raise TypingError(f"set.update() takes an iterable, not {args[0]}")
        return self._inserting(ty, item, _source_type(args[0], item))

    def _inserting(self, ty, item, arg):
        if not ty.is_precise():
            return types.signature(types.none, arg, recvr=ty.copy(dtype=item))
        if item != types.undefined and (self.context.can_convert(item, ty.dtype) is None
                                        or truncates(item, ty.dtype)):  # ({1}.add(2.5))
            raise TypingError(f"cannot add {item} to {ty}")
        return types.signature(types.none, arg)


def _receiver(sig, item):
    return sig.recvr if sig.recvr.is_precise() else sig.recvr.copy(dtype=item)


@register_jitable
def _add(s, value):
    table.insert(s, key_cast(s, value))


@lower_builtin("set.add", types.Set, types.Any)
def set_add_impl(context, builder, sig, args):
    set_type = _receiver(sig, sig.args[0])
    context.compile_internal(builder, _add, types.none(set_type, sig.args[0]), args)
    return context.get_dummy_value()


@lower_builtin("set.update", types.Set, types.Any)
def set_update_impl(context, builder, sig, args):
    source = sig.args[0]
    if isinstance(source, types.BaseTuple) and not len(source):
        return context.get_dummy_value()
    set_type = _receiver(sig, item_type(context.typing_context, source))
    context.compile_internal(builder, _filler(source), types.none(set_type, source), args)
    return context.get_dummy_value()


# -- len, truth, in, iteration ---------------------------------------------------------------

class SetUnary(AbstractTemplate):
    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.Set):
            return types.signature(types.intp if self.key is len else types.boolean, args[0])
        return None


for _key in (len, bool, operator.not_):
    register(type(f"Set_{_key.__name__}", (SetUnary,), {"key": _key}))


def _len(s):
    return set_used(s)


def _bool(s):
    return set_used(s) != 0


def _not(s):
    return set_used(s) == 0


for _key, _impl in ((len, _len), (bool, _bool), (operator.not_, _not)):
    lower_builtin(_key, types.Set)(
        lambda context, builder, sig, args, impl=_impl:
        context.compile_internal(builder, impl, sig, args))


class SetContains(AbstractTemplate):
    key = operator.contains

    def generic(self, args, kws):
        container, value = args
        if isinstance(container, types.Set):
            return types.signature(types.boolean, container, types.unliteral(value))
        return None


register(SetContains)


def _contains(s, value):
    return table.contains(s, key_cast(s, value))


@lower_builtin(operator.contains, types.Set, types.Any)
def set_contains_impl(context, builder, sig, args):
    set_type, value_type = sig.args
    if not set_type.is_precise() or context.typing_context.can_convert(
            value_type, set_type.dtype) is None:
        return cgutils.false_bit  # a value of another type is never in the set
    return context.compile_internal(builder, _contains, sig, args)


class SetIterTemplate(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.Set):
            return types.signature(types.SetIter(args[0]), args[0])
        return None


register(SetIterTemplate)
lower_builtin(iter, types.Set)(new_iterator)


@lower_builtin("iternext", types.SetIter)
def set_iternext_impl(context, builder, sig, args):
    """The next live entry's key: skip dead entries, then step as over an indexed source."""
    set_type = sig.args[0].container
    it = context.make_helper(builder, sig.args[0], value=args[0])
    helper = SetHelper(context, builder, set_type, it.source)
    nslots = builder.add(helper.load(MASK), ir.Constant(i64, 1))
    _skip_dead(builder, helper, it.index, nslots)

    def item(source, index):
        key = SetHelper(context, builder, set_type, source).load_key(index)
        context.incref(builder, set_type.dtype, key)
        return key
    return iterator_next(context, builder, sig, args, length=lambda source: nslots, item=item)


def _skip_dead(builder, helper, index_ptr, nslots):
    """Advance *index_ptr to the first live entry at or after it (or to nslots)."""
    check = builder.append_basic_block("set.iter.check")
    step = builder.append_basic_block("set.iter.step")
    done = builder.append_basic_block("set.iter.done")
    builder.branch(check)
    builder.position_at_end(check)
    index = builder.load(index_ptr)
    inside = builder.icmp_signed("<", index, nslots)
    builder.cbranch(inside, step, done)
    builder.position_at_end(step)
    with builder.if_then(helper.is_live(index)):
        builder.branch(done)
    builder.store(builder.add(index, ir.Constant(i64, 1)), index_ptr)
    builder.branch(check)
    builder.position_at_end(done)


@register_jitable
def keys_list(s):
    """The keys of `s` as a new list, in table order."""
    out = []
    for slot in range(set_mask(s) + 1):
        if table.is_live(entry_hash(s, slot)):
            out.append(entry_key(s, slot))
    return out


@overload(list)
def list_of_set(iterable=None):
    if isinstance(iterable, types.Set) and iterable.is_precise():
        return lambda iterable=None: keys_list(iterable)
    return None


class SetIs(AbstractTemplate):
    key = operator.is_

    def generic(self, args, kws):
        if all(isinstance(a, types.Set) for a in args):
            return types.signature(types.boolean, *args)
        return None


register(SetIs)


@lower_builtin(operator.is_, types.Set, types.Set)
def set_is_impl(context, builder, sig, args):
    """The same Python set (two arguments), or the same native set."""
    a, b = (SetHelper(context, builder, t, v).proxy for t, v in zip(sig.args, args))
    same_parent = builder.and_(cgutils.is_not_null(builder, a.parent),
                               builder.icmp_unsigned("==", a.parent, b.parent))
    return builder.or_(same_parent, builder.icmp_unsigned("==", a.meminfo, b.meminfo))


@overload(sorted)
def sorted_set(iterable, key=None, reverse=False):
    if isinstance(iterable, types.Set) and iterable.is_precise():
        def impl(iterable, key=None, reverse=False):
            return sorted(keys_list(iterable), key=key, reverse=reverse)
        return impl
    return None
