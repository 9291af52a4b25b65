"""The primitive intrinsics the set's table (table.py) is written with: payload fields,
entries, and making and swapping tables. Unchecked: the table's code keeps slots in range."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...extending import intrinsic
from ..payloads import payload_field_getter
from .model import DELETED, ENTRIES, FILL, HASH, MASK, USED, SetHelper, i64, new_set


def _is_set(ty) -> bool:
    return isinstance(ty, types.Set)


set_used = payload_field_getter(types.Set, SetHelper, USED, "set_used")
set_fill = payload_field_getter(types.Set, SetHelper, FILL, "set_fill")
set_mask = payload_field_getter(types.Set, SetHelper, MASK, "set_mask")


@intrinsic
def set_counts(typingctx, s, used, fill):
    """Store the live and filled entry counts."""
    def codegen(context, builder, sig, args):
        helper = SetHelper(context, builder, sig.args[0], args[0])
        helper.store(USED, args[1])
        helper.store(FILL, args[2])
        return context.get_dummy_value()
    return types.none(s, types.intp, types.intp), codegen


@intrinsic
def entry_hash(typingctx, s, slot):
    def codegen(context, builder, sig, args):
        return builder.load(SetHelper(context, builder, sig.args[0], args[0]).entry(args[1], HASH))
    return types.intp(s, types.intp), codegen


@intrinsic
def entry_key(typingctx, s, slot):
    """The key of a live entry (a new reference)."""
    if not _is_set(s):
        return None

    def codegen(context, builder, sig, args):
        key = SetHelper(context, builder, sig.args[0], args[0]).load_key(args[1])
        context.incref(builder, sig.return_type, key)
        return key
    return s.dtype(s, types.intp), codegen


@intrinsic
def entry_put(typingctx, s, slot, h, key):
    """Make entry `slot` hold `key` (of the set's item type) under stored hash `h`."""
    if not _is_set(s):
        return None

    def codegen(context, builder, sig, args):
        helper = SetHelper(context, builder, sig.args[0], args[0])
        context.incref(builder, sig.args[3], args[3])
        helper.store_key(args[1], args[3])
        builder.store(args[2], helper.entry(args[1], HASH))
        helper.mark_dirty()
        return context.get_dummy_value()
    return types.none(s, types.intp, types.intp, s.dtype), codegen


@intrinsic
def entry_delete(typingctx, s, slot):
    """Release the key of live entry `slot` and leave a tombstone."""
    def codegen(context, builder, sig, args):
        helper = SetHelper(context, builder, sig.args[0], args[0])
        context.decref(builder, sig.args[0].dtype, helper.load_key(args[1]))
        builder.store(ir.Constant(i64, DELETED), helper.entry(args[1], HASH))
        helper.mark_dirty()
        return context.get_dummy_value()
    return types.none(s, types.intp), codegen


@intrinsic
def key_cast(typingctx, s, value):
    """`value` converted to the set's item type."""
    if not _is_set(s) or typingctx.can_convert(value, s.dtype) is None:
        return None

    def codegen(context, builder, sig, args):
        converted = context.cast(builder, args[1], sig.args[1], sig.return_type)
        context.incref(builder, sig.return_type, converted)
        return converted
    return s.dtype(s, value), codegen


@intrinsic
def new_like(typingctx, s, nslots):
    """A new set of `s`'s item type with `nslots` EMPTY entries (0: none yet)."""
    if not _is_set(s):
        return None
    result = s.copy(reflected=False)

    def codegen(context, builder, sig, args):
        return new_set(context, builder, result, args[1]).value
    return result(s, types.intp), codegen


@intrinsic
def table_swap(typingctx, s, other):
    """Exchange the tables (entries and counts) of two sets of one item type; `other` then
    releases `s`'s old table when it dies (how the table grows, shrinks and clears)."""
    def codegen(context, builder, sig, args):
        mine, theirs = (SetHelper(context, builder, t, v) for t, v in zip(sig.args, args))
        for index in (ENTRIES, MASK, USED, FILL):
            a, b = mine.load(index), theirs.load(index)
            mine.store(index, b)
            theirs.store(index, a)
        mine.install_destructor()  # `s` may have been made before its item type was known
        mine.mark_dirty()
        return context.get_dummy_value()
    return types.none(s, other), codegen

