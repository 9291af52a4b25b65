"""`bytes` values: arguments (read in place, zero-copy), constants, results, `len`, indexing
(an int, as CPython), iteration, `==`/`!=`, truth, `hash()` (CPython's), `isinstance(x, bytes)`.

A value is {data, length, meminfo, parent}: an argument points into the bytes object's own
buffer, `parent` is that object and `meminfo` NULL (the caller keeps it alive for the call); an
owned value (an item of a container that outlives the call) holds the object with a MemInfo;
a constant's data is a constant global. Boxing returns `parent` when there is one.
"""
from __future__ import annotations

import operator

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.datamodel import models, register_model
from ..extending import intrinsic, overload, register_jitable
from ..runtime import nrt
from ..runtime.boxing import (NativeValue, box, check_exact, is_exact_type, parent_or_new,
                              unbox)
from ..typing.typeof import typeof_impl
from ._registries import AbstractTemplate, lower_builtin, lower_constant, register
from .iterators import IndexedIteratorModel, iterator_next, new_iterator
from .slices import slice_span

i8p = cgutils.voidptr_t
i64 = cgutils.int64_t


@register_model(types.Bytes)
class BytesModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [
            ("data", types.voidptr), ("length", types.intp),
            ("meminfo", types.meminfo_pointer), ("parent", types.pyobject)])


@typeof_impl.register(bytes)
def _typeof_bytes(value, c):
    return types.bytes_type


def _make(context, builder, data, length, meminfo=None, parent=None):
    value = context.make_helper(builder, types.bytes_type)
    value.data, value.length = data, length
    value.meminfo = meminfo if meminfo is not None else ir.Constant(i8p, None)
    value.parent = parent if parent is not None else ir.Constant(i8p, None)
    return value._getvalue()


# -- Python <-> compiled ---------------------------------------------------------------------------

@check_exact(types.Bytes)
def check_bytes(typ, obj, c):
    return is_exact_type(c, obj, "PyBytes_Type")


@unbox(types.Bytes)
def unbox_bytes(typ, obj, c):
    b = c.builder
    is_bytes = c.pyapi._call("PyType_IsSubtype", c.pyapi.get_type(obj),
                             c.pyapi.get_type_object("PyBytes_Type"))
    failed = cgutils.is_null(b, is_bytes)
    slot = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    with b.if_else(failed, likely=False) as (bad, good):
        with bad:
            c.pyapi.err_set_string("PyExc_TypeError", "expected bytes")
        with good:
            data = c.pyapi._call("PyBytes_AsString", obj)
            size = b.call(cgutils.declare_c_function(b.module, "PyBytes_Size", i64, [i8p]),
                          [obj])
            meminfo = nrt.adopt_pyobject(b, data, obj) if c.owned else None
            b.store(_make(c.context, b, data, size, meminfo, obj), slot)
    return NativeValue(b.load(slot), is_error=failed)


@box(types.Bytes)
def box_bytes(typ, val, c):
    """The bytes object it came from if any, else a new one. Steals `val`."""
    value = c.context.make_helper(c.builder, typ, value=val)
    boxed = parent_or_new(c, value.parent, lambda: c.pyapi.bytes_from_string_and_size(
        value.data, value.length))
    c.context.decref(c.builder, typ, val)
    return boxed


@lower_constant(types.Bytes)
def bytes_constant(context, builder, ty, value):
    data = cgutils.global_constant(builder.module, "jb.bytes",
                                   cgutils.make_bytearray(bytes(value) + b"\0"))
    return _make(context, builder, builder.bitcast(data, i8p), ir.Constant(i64, len(value)))


# -- primitives ---------------------------------------------------------------------------------

@intrinsic
def bytes_length(typingctx, b):
    if not isinstance(b, types.Bytes):
        return None

    def codegen(context, builder, sig, args):
        return context.make_helper(builder, sig.args[0], value=args[0]).length
    return types.intp(b), codegen


def _load_byte(context, builder, value, index):
    data = context.make_helper(builder, types.bytes_type, value=value).data
    return builder.zext(builder.load(builder.gep(data, [index])), i64)


@intrinsic
def byte_at(typingctx, b, index):
    """The byte at `index` as an int (unchecked)."""
    if not isinstance(b, types.Bytes) or not isinstance(index, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        position = context.cast(builder, args[1], sig.args[1], types.intp)
        return _load_byte(context, builder, args[0], position)
    return types.int64(b, index), codegen


@register_jitable
def checked_index(n, i):
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise IndexError("index out of range")
    return i


@register_jitable
def bytes_equal(a, b):
    n = bytes_length(a)
    if n != bytes_length(b):
        return False
    for i in range(n):
        if byte_at(a, i) != byte_at(b, i):
            return False
    return True


# -- operations ---------------------------------------------------------------------------------

@overload(len)
def bytes_len(b):
    if isinstance(b, types.Bytes):
        return lambda b: bytes_length(b)


@intrinsic
def bytes_gather(typingctx, b, start, step, count):
    """New bytes: `count` bytes of `b` from `start` by `step` (a slice)."""
    if not isinstance(b, types.Bytes):
        return None

    def codegen(context, builder, sig, args):
        source, start, step, count = args
        data = context.make_helper(builder, types.bytes_type, value=source).data
        meminfo = nrt.allocate(builder, builder.add(count, ir.Constant(i64, 1)))
        out = builder.bitcast(nrt.meminfo_data(builder, meminfo), i8p)
        with cgutils.for_range(builder, count) as loop:
            at = builder.add(start, builder.mul(loop.index, step))
            builder.store(builder.load(builder.gep(data, [at])), builder.gep(out, [loop.index]))
        builder.store(ir.Constant(ir.IntType(8), 0), builder.gep(out, [count]))  # (as CPython)
        return _make(context, builder, out, count, meminfo)
    return types.bytes_type(b, types.intp, types.intp, types.intp), codegen


@overload(operator.getitem)
def bytes_getitem(b, index):
    if not isinstance(b, types.Bytes):
        return None
    if isinstance(index, types.Integer):
        return lambda b, index: byte_at(b, checked_index(bytes_length(b), index))
    if isinstance(index, types.SliceType):
        def impl(b, index):
            start, step, count = slice_span(index, bytes_length(b))
            return bytes_gather(b, start, step, count)
        return impl


@overload(operator.eq)
def bytes_eq(a, b):
    if isinstance(a, types.Bytes) and isinstance(b, types.Bytes):
        return lambda a, b: bytes_equal(a, b)


@overload(operator.ne)
def bytes_ne(a, b):
    if isinstance(a, types.Bytes) and isinstance(b, types.Bytes):
        return lambda a, b: not bytes_equal(a, b)


@intrinsic
def bytes_hash(typingctx, b):
    """CPython's hash(b): _Py_HashBytes of the data (the interpreter's siphash and its key)."""
    if not isinstance(b, types.Bytes):
        return None

    def codegen(context, builder, sig, args):
        value = context.make_helper(builder, types.bytes_type, value=args[0])
        hash_bytes = cgutils.declare_c_function(builder.module, "_Py_HashBytes", i64, [i8p, i64])
        return builder.call(hash_bytes, [value.data, value.length])
    return types.intp(b), codegen


@overload(hash)
def bytes_hash_impl(b):
    if isinstance(b, types.Bytes):
        return lambda b: bytes_hash(b)


@overload(bool)
def bytes_truth(b):
    if isinstance(b, types.Bytes):
        return lambda b: bytes_length(b) != 0


register_model(types.BytesIteratorType)(IndexedIteratorModel)


class BytesIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.Bytes) and not kws:
            return types.signature(types.BytesIteratorType(args[0], types.int64), args[0])
        return None


register(BytesIter)
lower_builtin(iter, types.Bytes)(new_iterator)


@lower_builtin("iternext", types.BytesIteratorType)
def bytes_iternext(context, builder, sig, args):
    def length(source):
        return context.make_helper(builder, types.bytes_type, value=source).length

    def item(source, index):
        return _load_byte(context, builder, source, index)
    return iterator_next(context, builder, sig, args, length=length, item=item)
