"""The dict's representation: a compact hash table as CPython's (an entries array in
insertion order plus an index table of slots pointing into it).

A dict value is {meminfo}; the MemInfo's data is a payload {used, nentries, entry capacity,
index size, indices*, entries*}. Each entry is {hash, live, key, value}; an index slot holds an
entry number, EMPTY or DUMMY (a deleted entry's slot, which keeps probe chains intact). A dict
made empty before its item types are known has no tables: the first insert allocates them, and
the cast that gives it its types installs the destructor that releases its items."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...runtime import nrt
from .._registries import lower_builtin, lower_cast
from ..iterators import IndexedIteratorModel

i8, i64, i8p = ir.IntType(8), cgutils.int64_t, cgutils.voidptr_t
payload_t = ir.LiteralStructType([i64, i64, i64, i64, i8p, i8p])
USED, NENTRIES, ECAP, ISIZE, INDICES, ENTRIES = range(6)
PAYLOAD_SIZE = 48
EMPTY, DUMMY = -1, -2
HASH, LIVE, KEY, VALUE = range(4)


@register_model(types.DictType)
class DictModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("meminfo", types.meminfo_pointer)])


@register_model(types.DictViewType)
class DictViewModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("parent", fe_type.parent)])


register_model(types.DictIteratorType)(IndexedIteratorModel)


def _data_type(context, ty):
    return context.get_data_type(ty) if ty.name != "undefined" else i8


def entry_type(context, dict_ty):
    return ir.LiteralStructType([i64, i8, _data_type(context, dict_ty.key_type),
                                 _data_type(context, dict_ty.value_type)])


class DictHelper:
    """Emits operations on one dict value."""

    def __init__(self, context, builder, dict_ty, value):
        self.context, self.builder, self.ty = context, builder, dict_ty
        self.meminfo = context.make_helper(builder, dict_ty, value=value).meminfo
        self.entry_t = entry_type(context, dict_ty)

    def field(self, index):
        payload = self.builder.bitcast(nrt.meminfo_data(self.builder, self.meminfo),
                                       payload_t.as_pointer())
        return cgutils.gep_inbounds(self.builder, payload, 0, index)

    def load(self, index):
        return self.builder.load(self.field(index))

    def store(self, index, value):
        self.builder.store(value, self.field(index))

    def index_slot(self, slot):
        indices = self.builder.bitcast(self.load(INDICES), i64.as_pointer())
        return self.builder.gep(indices, [slot])

    def entry(self, number, part=None):
        entries = self.builder.bitcast(self.load(ENTRIES), self.entry_t.as_pointer())
        ptr = self.builder.gep(entries, [number])
        return ptr if part is None else cgutils.gep_inbounds(self.builder, ptr, 0, part)

    def read(self, number, part):
        """The key or value of an entry (borrowed)."""
        ty = self.ty.key_type if part == KEY else self.ty.value_type
        model = self.context.data_model_manager.lookup(ty)
        return model.from_data(self.builder, self.builder.load(self.entry(number, part)))

    def write(self, number, part, value):
        """Store a key or value, taking over a reference the caller holds."""
        ty = self.ty.key_type if part == KEY else self.ty.value_type
        model = self.context.data_model_manager.lookup(ty)
        self.builder.store(model.as_data(self.builder, value), self.entry(number, part))

    def release(self, number):
        """Drop an entry's key and value and mark it dead."""
        for part, ty in ((KEY, self.ty.key_type), (VALUE, self.ty.value_type)):
            self.context.decref(self.builder, ty, self.read(number, part))
        self.builder.store(ir.Constant(i8, 0), self.entry(number, LIVE))

    def install_destructor(self):
        nrt.install_destructor(self.builder, self.meminfo,
                               _destructor(self.context, self.builder.module, self.ty))


def _destructor(context, module, dict_ty):
    """void dtor(payload, size, info): release the live entries, free the tables."""
    def release(b, raw):
        payload = b.bitcast(raw, payload_t.as_pointer())
        if dict_ty.is_precise() and context.contains_nrt(dict_ty):
            _release_entries(context, b, dict_ty, payload)
        for index in (INDICES, ENTRIES):
            b.call(nrt.declare_free(module), [b.load(cgutils.gep_inbounds(b, payload, 0, index))])
    return nrt.container_destructor(module, f"jb.dict.dtor.{dict_ty}", release)


def _release_entries(context, b, dict_ty, payload):
    entries = b.bitcast(b.load(cgutils.gep_inbounds(b, payload, 0, ENTRIES)),
                        entry_type(context, dict_ty).as_pointer())
    count = b.load(cgutils.gep_inbounds(b, payload, 0, NENTRIES))
    with cgutils.for_range(b, count) as loop:
        entry = b.gep(entries, [loop.index])
        live = b.load(cgutils.gep_inbounds(b, entry, 0, LIVE))
        with b.if_then(b.icmp_unsigned("!=", live, ir.Constant(i8, 0))):
            for part, ty in ((KEY, dict_ty.key_type), (VALUE, dict_ty.value_type)):
                model = context.data_model_manager.lookup(ty)
                item = model.from_data(b, b.load(cgutils.gep_inbounds(b, entry, 0, part)))
                context.decref(b, ty, item)


def new_dict(context, builder, dict_ty):
    """An empty dict without tables (a new reference)."""
    malloc = cgutils.declare_c_function(builder.module, "malloc", i8p, [i64])
    payload = builder.call(malloc, [ir.Constant(i64, PAYLOAD_SIZE)])
    builder.store(ir.Constant(payload_t, [0, 0, 0, 0, None, None]),
                  builder.bitcast(payload, payload_t.as_pointer()))
    mi = builder.call(nrt.declare(builder.module, "jb_nrt_meminfo_new"), [
        payload, ir.Constant(i64, PAYLOAD_SIZE), _destructor(context, builder.module, dict_ty),
        ir.Constant(i8p, None)])
    proxy = context.make_helper(builder, dict_ty)
    proxy.meminfo = mi
    return proxy._getvalue()


@lower_cast(types.DictType, types.DictType)
def dict_to_dict(context, builder, fromty, toty, val):
    """A dict created before its item types were known gets the destructor of its types."""
    if not fromty.is_precise() and toty.is_precise():
        DictHelper(context, builder, toty, val).install_destructor()
    return val


@lower_builtin(bool, types.DictType)
def dict_truth(context, builder, sig, args):
    """(For `context.is_true`, which the truth of an Optional dict calls: typing goes through
    ops.py's overload.)"""
    used = DictHelper(context, builder, sig.args[0], args[0]).load(USED)
    return builder.icmp_signed("!=", used, ir.Constant(i64, 0))
