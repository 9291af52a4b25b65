"""The primitive intrinsics the dict's Python-level table (table.py) is written with: payload
fields, index slots, entries. Unchecked: the table's code guarantees indices are in range."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...codegen import abi_size
from ...core import cgutils
from ...extending import intrinsic
from ..payloads import payload_field_getter
from .model import (ECAP, EMPTY, ENTRIES, HASH, INDICES, ISIZE, KEY, LIVE, NENTRIES, USED,
                    VALUE, DictHelper, entry_type, i8, i8p, i64, new_dict)
from .owning import owned


def _is_dict(ty) -> bool:
    return isinstance(ty, types.DictType)


def _field_setter(index, name):
    def definition(typingctx, d, value):
        if not _is_dict(d):
            return None

        def codegen(context, builder, sig, args):
            value = context.cast(builder, args[1], sig.args[1], types.intp)
            DictHelper(context, builder, sig.args[0], args[0]).store(index, value)
            return context.get_dummy_value()
        return types.none(d, value), codegen
    definition.__name__ = f"dict_set_{name}"
    return intrinsic(definition)


dict_used = payload_field_getter(types.DictType, DictHelper, USED, "dict_used")
dict_nentries = payload_field_getter(types.DictType, DictHelper, NENTRIES, "dict_nentries")
dict_isize = payload_field_getter(types.DictType, DictHelper, ISIZE, "dict_isize")
set_used = _field_setter(USED, "used")
set_nentries = _field_setter(NENTRIES, "nentries")


@intrinsic
def index_get(typingctx, d, slot):
    """The entry number (or EMPTY/DUMMY) in index slot `slot`."""
    def codegen(context, builder, sig, args):
        return builder.load(DictHelper(context, builder, sig.args[0], args[0]).index_slot(args[1]))
    return types.intp(d, types.intp), codegen


@intrinsic
def index_set(typingctx, d, slot, number):
    def codegen(context, builder, sig, args):
        builder.store(args[2], DictHelper(context, builder, sig.args[0], args[0]).index_slot(args[1]))
        return context.get_dummy_value()
    return types.none(d, types.intp, types.intp), codegen


@intrinsic
def entry_hash(typingctx, d, number):
    def codegen(context, builder, sig, args):
        return builder.load(DictHelper(context, builder, sig.args[0], args[0]).entry(args[1], HASH))
    return types.intp(d, types.intp), codegen


@intrinsic
def entry_live(typingctx, d, number):
    def codegen(context, builder, sig, args):
        live = builder.load(DictHelper(context, builder, sig.args[0], args[0]).entry(args[1], LIVE))
        return builder.icmp_unsigned("!=", live, ir.Constant(i8, 0))
    return types.boolean(d, types.intp), codegen


def _reader(part, name):
    def definition(typingctx, d, number):
        if not _is_dict(d):
            return None
        result = d.key_type if part == KEY else d.value_type

        def codegen(context, builder, sig, args):
            value = DictHelper(context, builder, sig.args[0], args[0]).read(args[1], part)
            context.incref(builder, result, value)
            return value
        return result(d, types.intp), codegen
    definition.__name__ = f"entry_{name}"
    return intrinsic(definition)


entry_key = _reader(KEY, "key")
entry_value = _reader(VALUE, "value")


@intrinsic
def entry_write(typingctx, d, number, hash_value, key, value):
    """Fill entry `number` with a new live item (taking references to key and value)."""
    def codegen(context, builder, sig, args):
        dct = DictHelper(context, builder, sig.args[0], args[0])
        number = args[1]
        builder.store(args[2], dct.entry(number, HASH))
        builder.store(ir.Constant(i8, 1), dct.entry(number, LIVE))
        dct.write(number, KEY, owned(context, builder, sig.args[3], args[3]))
        dct.write(number, VALUE, owned(context, builder, sig.args[4], args[4]))
        return context.get_dummy_value()
    return types.none(d, types.intp, types.intp, d.key_type, d.value_type), codegen


@intrinsic
def entry_replace_value(typingctx, d, number, value):
    """Replace a live entry's value (the old one is released)."""
    def codegen(context, builder, sig, args):
        dct = DictHelper(context, builder, sig.args[0], args[0])
        old = dct.read(args[1], VALUE)
        dct.write(args[1], VALUE, owned(context, builder, sig.args[2], args[2]))
        context.decref(builder, sig.args[2], old)
        return context.get_dummy_value()
    return types.none(d, types.intp, d.value_type), codegen


@intrinsic
def entry_kill(typingctx, d, number):
    def codegen(context, builder, sig, args):
        DictHelper(context, builder, sig.args[0], args[0]).release(args[1])
        return context.get_dummy_value()
    return types.none(d, types.intp), codegen


@intrinsic
def entry_move(typingctx, d, source, target):
    """Move an entry's bytes (and its references) to an earlier free place."""
    def codegen(context, builder, sig, args):
        dct = DictHelper(context, builder, sig.args[0], args[0])
        builder.store(builder.load(dct.entry(args[1])), dct.entry(args[2]))
        return context.get_dummy_value()
    return types.none(d, types.intp, types.intp), codegen


@intrinsic
def alloc_tables(typingctx, d, isize, capacity):
    """A fresh index table of `isize` EMPTY slots; entries resized to `capacity` (kept)."""
    def codegen(context, builder, sig, args):
        dct = DictHelper(context, builder, sig.args[0], args[0])
        isize, capacity = args[1], args[2]
        module = builder.module
        free = cgutils.declare_c_function(module, "free", ir.VoidType(), [i8p])
        malloc = cgutils.declare_c_function(module, "malloc", i8p, [i64])
        realloc = cgutils.declare_c_function(module, "realloc", i8p, [i8p, i64])
        builder.call(free, [dct.load(INDICES)])
        indices = builder.call(malloc, [builder.mul(isize, ir.Constant(i64, 8))])
        memset = cgutils.declare_c_function(module, "memset", i8p, [i8p, ir.IntType(32), i64])
        builder.call(memset, [indices, ir.Constant(ir.IntType(32), EMPTY & 0xFF),
                              builder.mul(isize, ir.Constant(i64, 8))])
        entry_size = abi_size(entry_type(context, sig.args[0]))
        entries = builder.call(realloc, [dct.load(ENTRIES),
                                         builder.mul(capacity, ir.Constant(i64, entry_size))])
        for index, value in ((INDICES, indices), (ENTRIES, entries), (ISIZE, isize),
                             (ECAP, capacity)):
            dct.store(index, value)
        return context.get_dummy_value()
    return types.none(d, types.intp, types.intp), codegen


@intrinsic
def new_like(typingctx, d):
    """A new empty dict of the type of `d`."""
    def codegen(context, builder, sig, args):
        return new_dict(context, builder, sig.return_type)
    return d(d), codegen


def _caster(part):
    def definition(typingctx, d, item):
        """`item` converted to the dict's key or value type (a new reference)."""
        if not _is_dict(d):
            return None
        result = d.key_type if part == KEY else d.value_type

        def codegen(context, builder, sig, args):
            value = context.cast(builder, args[1], sig.args[1], result)
            context.incref(builder, result, value)
            return value
        return result(d, item), codegen
    definition.__name__ = f"cast_{'key' if part == KEY else 'value'}"
    return intrinsic(definition)


cast_key = _caster(KEY)
cast_value = _caster(VALUE)
