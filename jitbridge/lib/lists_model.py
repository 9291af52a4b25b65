"""The list's representation: its data model, payload layout and `ListHelper`, which emits
the operations on one list value. Everything else about lists builds on these."""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..codegen import abi_size
from ..core import cgutils
from ..core.datamodel import models, register_model
from ..runtime import nrt
from .dicts.owning import owned
from .iterators import IndexedIteratorModel

i64, i8p = cgutils.int64_t, cgutils.voidptr_t
payload_t = ir.LiteralStructType([i64, i64, i64, i8p, i8p, i64])
SIZE, ALLOCATED, DIRTY, ITEMS, KEEPALIVE, IMMUTABLE = range(6)
PAYLOAD_SIZE = 48


@register_model(types.List)
class ListModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("meminfo", types.meminfo_pointer),
                                        ("parent", types.pyobject)])


register_model(types.ListIterator)(IndexedIteratorModel)


class ListHelper:
    """Emits operations on one list value."""

    def __init__(self, context, builder, list_ty, value=None):
        self.context, self.builder, self.ty = context, builder, list_ty
        self.proxy = context.make_helper(builder, list_ty, value=value)
        dtype = list_ty.dtype
        known = dtype.name != "undefined"
        self.data_type = context.get_data_type(dtype) if known else ir.IntType(8)
        self.itemsize = abi_size(self.data_type)

    @property
    def value(self):
        return self.proxy._getvalue()

    def _payload(self):
        return self.builder.bitcast(nrt.meminfo_data(self.builder, self.proxy.meminfo),
                                    payload_t.as_pointer())

    def field(self, index):
        return cgutils.gep_inbounds(self.builder, self._payload(), 0, index)

    @property
    def size(self):
        return self.builder.load(self.field(SIZE))

    def mark_dirty(self):
        self.builder.store(ir.Constant(i64, 1), self.field(DIRTY))

    def item_pointer(self, index):
        items = self.builder.bitcast(self.builder.load(self.field(ITEMS)), self.data_type.as_pointer())
        return self.builder.gep(items, [index])

    def load(self, index):
        """The item at `index` (borrowed)."""
        model = self.context.data_model_manager.lookup(self.ty.dtype)
        return model.from_data(self.builder, self.builder.load(self.item_pointer(index)))

    def store(self, index, value):
        """Store `value` at `index`, taking over a reference the caller already holds."""
        model = self.context.data_model_manager.lookup(self.ty.dtype)
        self.builder.store(model.as_data(self.builder, value), self.item_pointer(index))

    def check_mutable(self):
        """Raise ValueError if a typed list was made immutable (Numba's `_make_immutable`)."""
        if not isinstance(self.ty, types.ListType):
            return
        frozen = cgutils.is_not_null(self.builder, self.builder.load(self.field(IMMUTABLE)))
        with cgutils.if_unlikely(self.builder, frozen):
            self.context.call_conv.return_user_exc(self.builder, ValueError,
                                                   ("list is immutable",))

    def new_reference(self, value):
        """A reference to `value` for the list to keep. A typed list may outlive the call
        (returned to Python), so its items must not borrow from the arguments' objects."""
        if isinstance(self.ty, types.ListType):
            return owned(self.context, self.builder, self.ty.dtype, value)
        self.context.incref(self.builder, self.ty.dtype, value)
        return value

    def checked_index(self, index, message="list index out of range"):
        b = self.builder
        size = self.size
        index = b.select(b.icmp_signed("<", index, ir.Constant(i64, 0)), b.add(index, size), index)
        with cgutils.if_unlikely(b, b.icmp_unsigned(">=", index, size)):
            self.context.call_conv.return_user_exc(b, IndexError, (message,))
        return index

    def reserve(self, needed):
        """Grow the items buffer to hold `needed` items, over-allocating as CPython's lists
        (and Numba's typed lists) do: amortised constant appends."""
        b = self.builder
        allocated = b.load(self.field(ALLOCATED))
        with b.if_then(b.icmp_signed(">", needed, allocated), likely=False):
            new = _over_allocation(b, needed)
            items = b.call(_realloc(b.module), [b.load(self.field(ITEMS)),
                                                b.mul(new, ir.Constant(i64, self.itemsize))])
            b.store(items, self.field(ITEMS))
            b.store(new, self.field(ALLOCATED))

    def shrink(self, size):
        """After items were removed (`size` left): a buffer less than half used is cut down
        (to nothing for an empty list), as CPython's lists do; kept if that fails."""
        b = self.builder
        allocated = b.load(self.field(ALLOCATED))
        with b.if_then(b.icmp_signed("<", size, b.ashr(allocated, ir.Constant(i64, 1))),
                       likely=False):
            empty = b.icmp_signed("==", size, ir.Constant(i64, 0))
            new = b.select(empty, ir.Constant(i64, 0), _over_allocation(b, size))
            nbytes = b.mul(b.select(empty, ir.Constant(i64, 1), new),
                           ir.Constant(i64, self.itemsize))  # (realloc to 0 bytes may free)
            items = b.call(_realloc(b.module), [b.load(self.field(ITEMS)), nbytes])
            with b.if_then(cgutils.is_not_null(b, items), likely=True):
                b.store(items, self.field(ITEMS))
                b.store(new, self.field(ALLOCATED))

    def append(self, value):
        """Append, taking a new reference to `value`."""
        b = self.builder
        self.check_mutable()
        size = self.size
        self.reserve(b.add(size, ir.Constant(i64, 1)))
        self.store(size, self.new_reference(value))
        b.store(b.add(size, ir.Constant(i64, 1)), self.field(SIZE))
        self.mark_dirty()
        self._set_destructor()

    def _set_destructor(self):
        """Lists created empty learn their item type on first use: (re)install the dtor."""
        if self.context.contains_nrt(self.ty.dtype):
            nrt.install_destructor(self.builder, self.proxy.meminfo,
                                   _destructor(self.context, self.builder.module, self.ty))


def _over_allocation(b, size):
    """CPython's (3.8) list growth: size + size // 8 + (3 if size < 9 else 6)."""
    small = b.icmp_signed("<", size, ir.Constant(i64, 9))
    extra = b.select(small, ir.Constant(i64, 3), ir.Constant(i64, 6))
    return b.add(b.add(size, b.ashr(size, ir.Constant(i64, 3))), extra)


def _realloc(module):
    return cgutils.declare_c_function(module, "realloc", i8p, [i8p, i64])


def _destructor(context, module, list_ty):
    """void dtor(payload, size, info): release the items, free the buffers."""
    def release(b, raw):
        payload = b.bitcast(raw, payload_t.as_pointer())
        items = b.load(cgutils.gep_inbounds(b, payload, 0, ITEMS))
        if context.contains_nrt(list_ty.dtype):
            data_ptr = b.bitcast(items, context.get_data_type(list_ty.dtype).as_pointer())
            model = context.data_model_manager.lookup(list_ty.dtype)
            with cgutils.for_range(b, b.load(cgutils.gep_inbounds(b, payload, 0, SIZE))) as loop:
                item = model.from_data(b, b.load(b.gep(data_ptr, [loop.index])))
                context.decref(b, list_ty.dtype, item)
        _release_keepalive(b, b.load(cgutils.gep_inbounds(b, payload, 0, KEEPALIVE)))
        b.call(nrt.declare_free(module), [items])
    return nrt.container_destructor(module, f"jb.list.dtor.{list_ty.dtype}", release)


def _release_keepalive(b, obj):
    """Drop the payload's Python reference; the last decref of a list may run without the GIL."""
    with b.if_then(cgutils.is_not_null(b, obj)):
        b.call(nrt.declare(b.module, "jb_nrt_pyobject_dtor"),
               [ir.Constant(i8p, None), ir.Constant(i64, 0), obj])


def new_list(context, builder, list_ty, capacity):
    """An empty list with room for `capacity` items (a new reference)."""
    malloc = cgutils.declare_c_function(builder.module, "malloc", i8p, [i64])
    payload = builder.call(malloc, [ir.Constant(i64, PAYLOAD_SIZE)])
    helper_size = ListHelper(context, builder, list_ty).itemsize
    items = builder.call(malloc, [builder.mul(capacity, ir.Constant(i64, helper_size))])
    typed = builder.bitcast(payload, payload_t.as_pointer())
    for index, value in ((SIZE, ir.Constant(i64, 0)), (ALLOCATED, capacity),
                         (DIRTY, ir.Constant(i64, 0)), (ITEMS, items),
                         (KEEPALIVE, ir.Constant(i8p, None)),
                         (IMMUTABLE, ir.Constant(i64, 0))):
        builder.store(value, cgutils.gep_inbounds(builder, typed, 0, index))
    mi = builder.call(nrt.declare(builder.module, "jb_nrt_meminfo_new"), [
        payload, ir.Constant(i64, PAYLOAD_SIZE), _destructor(context, builder.module, list_ty),
        ir.Constant(i8p, None)])
    lst = ListHelper(context, builder, list_ty)
    lst.proxy.meminfo = mi
    lst.proxy.parent = ir.Constant(i8p, None)
    return lst
