"""The set's representation: its data model, payload and entry layout, and `SetHelper`, which
emits the field and entry accesses the primitives (prims.py) are made of.

A set value is {meminfo, parent}: `parent` is the Python set it was unboxed from (NULL for
sets made in compiled code). The MemInfo's data is a payload {used, fill, mask, dirty,
entries*}: `mask + 1` entries {hash, key}, a power of two (no entries at all, mask -1, until
the first insert, so `set()` needs no item type yet). An entry's hash is EMPTY or DELETED
(a tombstone) or the key's hash, never one of those (DELETED, a possible hash, is stored as
DELETED_STAND_IN; -1 never is a hash). `used` counts live keys, `fill` live and deleted.
The destructor releases the live keys and frees both blocks."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...codegen import abi_size
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...runtime import nrt
from ..iterators import IndexedIteratorModel

i64, i8p = cgutils.int64_t, cgutils.voidptr_t
payload_t = ir.LiteralStructType([i64, i64, i64, i64, i8p])
USED, FILL, MASK, DIRTY, ENTRIES = range(5)
PAYLOAD_SIZE = 40
EMPTY, DELETED, DELETED_STAND_IN = -1, -2, -3
HASH, KEY = 0, 1


@register_model(types.Set)
class SetModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("meminfo", types.meminfo_pointer),
                                        ("parent", types.pyobject)])


register_model(types.SetIter)(IndexedIteratorModel)


def is_live_hash(builder, h):
    """i1: an entry of hash `h` holds a key."""
    return builder.and_(builder.icmp_signed("!=", h, ir.Constant(i64, EMPTY)),
                        builder.icmp_signed("!=", h, ir.Constant(i64, DELETED)))


def key_data_type(context, set_type):
    """The LLVM type a key is stored as (a byte for a set whose item type is still unknown)."""
    return context.get_data_type(set_type.dtype) if set_type.is_precise() else ir.IntType(8)


def entry_type(context, set_type):
    return ir.LiteralStructType([i64, key_data_type(context, set_type)])


class SetHelper:
    """Emits accesses to one set value's payload and entries."""

    def __init__(self, context, builder, set_type, value=None):
        self.context, self.builder, self.ty = context, builder, set_type
        self.proxy = context.make_helper(builder, set_type, value=value)
        self.entry_t = entry_type(context, set_type)

    @property
    def value(self):
        return self.proxy._getvalue()

    def field(self, index):
        payload = nrt.meminfo_data(self.builder, self.proxy.meminfo)
        return cgutils.gep_inbounds(self.builder, self.builder.bitcast(
            payload, payload_t.as_pointer()), 0, index)

    def load(self, index):
        return self.builder.load(self.field(index))

    def store(self, index, value):
        self.builder.store(value, self.field(index))

    def mark_dirty(self):
        self.store(DIRTY, ir.Constant(i64, 1))

    def entry(self, slot, part):
        """Pointer to the hash (HASH) or key data (KEY) of entry `slot`."""
        entries = self.builder.bitcast(self.load(ENTRIES), self.entry_t.as_pointer())
        return cgutils.gep_inbounds(self.builder, entries, slot, part)

    def load_key(self, slot):
        """The key of entry `slot` (borrowed)."""
        model = self.context.data_model_manager.lookup(self.ty.dtype)
        return model.from_data(self.builder, self.builder.load(self.entry(slot, KEY)))

    def store_key(self, slot, value):
        """Store `value` as the key of entry `slot` (taking over a reference already held)."""
        model = self.context.data_model_manager.lookup(self.ty.dtype)
        self.builder.store(model.as_data(self.builder, value), self.entry(slot, KEY))

    def is_live(self, slot):
        """i1: entry `slot` holds a key (its hash is neither EMPTY nor DELETED)."""
        return is_live_hash(self.builder, self.builder.load(self.entry(slot, HASH)))

    def allocate_entries(self, nslots):
        """A fresh block of `nslots` EMPTY entries (the old block is the caller's to free)."""
        b = self.builder
        malloc = cgutils.declare_c_function(b.module, "malloc", i8p, [i64])
        entry_size = ir.Constant(i64, abi_size(self.entry_t))
        block = b.call(malloc, [b.mul(nslots, entry_size)])
        self.store(ENTRIES, block)
        self.store(MASK, b.sub(nslots, ir.Constant(i64, 1)))
        with cgutils.for_range(b, nslots) as loop:
            b.store(ir.Constant(i64, EMPTY), self.entry(loop.index, HASH))

    def install_destructor(self):
        """(Re)install the typed destructor: a set made with an unknown item type learns it
        on its first insert."""
        nrt.install_destructor(self.builder, self.proxy.meminfo,
                               _destructor(self.context, self.builder.module, self.ty))


def _destructor(context, module, set_type):
    """void dtor(payload, size, info): release the live keys, free the blocks."""
    def release(b, raw):
        payload = b.bitcast(raw, payload_t.as_pointer())
        entries = b.load(cgutils.gep_inbounds(b, payload, 0, ENTRIES))
        with b.if_then(cgutils.is_not_null(b, entries)):
            if set_type.is_precise() and context.contains_nrt(set_type.dtype):
                _release_keys(context, b, set_type, payload)
            b.call(nrt.declare_free(module), [entries])
    return nrt.container_destructor(module, f"jb.set.dtor.{set_type.dtype}", release)


def _release_keys(context, b, set_type, payload):
    entries = b.bitcast(b.load(cgutils.gep_inbounds(b, payload, 0, ENTRIES)),
                        entry_type(context, set_type).as_pointer())
    nslots = b.add(b.load(cgutils.gep_inbounds(b, payload, 0, MASK)), ir.Constant(i64, 1))
    model = context.data_model_manager.lookup(set_type.dtype)
    with cgutils.for_range(b, nslots) as loop:
        with b.if_then(is_live_hash(b, b.load(cgutils.gep_inbounds(b, entries, loop.index,
                                                                   HASH)))):
            key = model.from_data(b, b.load(cgutils.gep_inbounds(b, entries, loop.index, KEY)))
            context.decref(b, set_type.dtype, key)


def new_set(context, builder, set_type, nslots=None):
    """A new empty set (a new reference) with `nslots` entries (a power of two), or none yet."""
    malloc = cgutils.declare_c_function(builder.module, "malloc", i8p, [i64])
    payload = builder.call(malloc, [ir.Constant(i64, PAYLOAD_SIZE)])
    typed = builder.bitcast(payload, payload_t.as_pointer())
    for index, value in ((USED, 0), (FILL, 0), (MASK, -1), (DIRTY, 0)):
        builder.store(ir.Constant(i64, value), cgutils.gep_inbounds(builder, typed, 0, index))
    builder.store(ir.Constant(i8p, None), cgutils.gep_inbounds(builder, typed, 0, ENTRIES))
    mi = builder.call(nrt.declare(builder.module, "jb_nrt_meminfo_new"), [
        payload, ir.Constant(i64, PAYLOAD_SIZE), _destructor(context, builder.module, set_type),
        ir.Constant(i8p, None)])
    helper = SetHelper(context, builder, set_type)
    helper.proxy.meminfo = mi
    helper.proxy.parent = ir.Constant(i8p, None)
    if nslots is not None:
        helper.allocate_entries(nslots)
    return helper
