"""`bytearray` arguments: writable bytes shared with the caller, as NumPy shares them.

A bytearray is held as a 1-d uint8 array over its buffer, owned by a MemInfo holding a
memoryview of it: the memoryview's buffer export keeps Python from resizing (and so moving)
the bytes while compiled code or an array made from them (np.frombuffer) still uses them.
`parent` stays NULL, so an array made from the bytes boxes as a view based on that MemInfo,
never as the bytearray itself. Supported: len(), indexing and item assignment (Python's
errors). np.frombuffer of bytes, a bytearray, an array or a memoryview is a view of their
bytes (read-only where the buffer is), keeping the buffer's owner alive, as NumPy's."""
from __future__ import annotations

import functools
import operator

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import register_model
from ...core.pythonapi import PythonAPI
from ...errors import TypingError
from ...extending import intrinsic, overload, register_jitable
from ...runtime import nrt
from ...runtime.boxing import NativeValue, check_exact, is_exact_type, unbox
from .construction import parse_dtype
from .helpers import make_array
from .model import ArrayModel, as_dtype, fill_array, from_dtype

i8p = cgutils.voidptr_t
BYTES = types.Array(types.uint8, 1, "C")

register_model(types.ByteArray)(ArrayModel)


def _capi(builder, name, restype, obj):
    """Call the C-API function `name` of one object argument."""
    return builder.call(cgutils.declare_c_function(builder.module, name, restype, [i8p]), [obj])


@check_exact(types.ByteArray)
def check_bytearray(typ, obj, c):
    return is_exact_type(c, obj, "PyByteArray_Type")


@unbox(types.ByteArray)
def unbox_bytearray(typ, obj, c):
    b = c.builder
    is_bytearray = c.pyapi._call("PyType_IsSubtype", c.pyapi.get_type(obj),
                                 c.pyapi.get_type_object("PyByteArray_Type"))
    view = _capi(b, "PyMemoryView_FromObject", i8p, obj)  # NULL (an error set) if no buffer
    failed = b.or_(cgutils.is_null(b, is_bytearray), cgutils.is_null(b, view))
    slot = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    with b.if_else(failed, likely=False) as (bad, good):
        with bad:
            with b.if_then(cgutils.is_not_null(b, view)):
                c.pyapi.decref(view)
            with b.if_then(cgutils.is_null(b, is_bytearray)):
                c.pyapi.err_set_string("PyExc_TypeError", "expected a bytearray")
        with good:
            b.store(_bytes_over(c, typ, obj, view), slot)
    return NativeValue(b.load(slot), is_error=failed)


def _bytes_over(c, typ, obj, view):
    """The array value over obj's bytes, owning `view` (its reference is taken over)."""
    b = c.builder
    data = _capi(b, "PyByteArray_AsString", i8p, obj)
    size = _capi(b, "PyByteArray_Size", cgutils.int64_t, obj)
    meminfo = nrt.adopt_pyobject(b, data, view)  # (its own reference)
    c.pyapi.decref(view)
    out = c.context.make_helper(b, typ)
    one = ir.Constant(cgutils.int64_t, 1)
    fill_array(c.context, b, out, data, [size], [one], typ, meminfo=meminfo,
               parent=ir.Constant(i8p, None))
    return out._getvalue()


@intrinsic
def as_bytes_array(typingctx, buf):
    """The bytearray as a uint8 array sharing its bytes (a new reference to them)."""
    if not isinstance(buf, types.ByteArray):
        return None

    def codegen(context, builder, sig, args):
        context.incref(builder, sig.args[0], args[0])
        src = make_array(context, builder, sig.args[0], args[0])
        return make_array(context, builder, sig.return_type, src._getvalue())._getvalue()
    return BYTES(buf), codegen


# -- len, b[i], b[i] = v -------------------------------------------------------------------------

@overload(len)
def bytearray_len(buf):
    if isinstance(buf, types.ByteArray):
        return lambda buf: as_bytes_array(buf).size


@register_jitable
def _checked_index(size, i):
    if i < -size or i >= size:
        raise IndexError("bytearray index out of range")
    return i + size if i < 0 else i


@overload(operator.getitem)
def bytearray_getitem(buf, index):
    if not isinstance(buf, types.ByteArray):
        return None
    if not isinstance(types.unliteral(index), types.Integer):
        raise TypingError(f"bytearray indices must be integers here, not {index} (slices, "
                          "which copy in Python, are not supported in compiled code)")

    def impl(buf, index):
        items = as_bytes_array(buf)
        return np.intp(items[_checked_index(items.size, index)])
    return impl


@overload(operator.setitem)
def bytearray_setitem(buf, index, value):
    if not isinstance(buf, types.ByteArray):
        return None
    if not isinstance(types.unliteral(index), types.Integer) or \
            not isinstance(types.unliteral(value), (types.Integer, types.Boolean)):
        raise TypingError(f"bytearray item assignment takes an integer index and an integer "
                          f"value, not {index} and {value}")

    def impl(buf, index, value):
        items = as_bytes_array(buf)
        if value < 0 or value > 255:
            raise ValueError("byte must be in range(0, 256)")
        items[_checked_index(items.size, index)] = value
    return impl


# -- np.frombuffer: a view of the buffer's bytes -------------------------------------------------

BUFFERS = (types.Bytes, types.ByteArray, types.Array, types.MemoryView)


def _raw_owner(context, builder, bufty, value):
    """(data, byte length, a new reference to what keeps the data alive or NULL) of a buffer."""
    if isinstance(bufty, types.Bytes):
        parts = context.make_helper(builder, bufty, value=value)
        data, length = parts.data, parts.length
    else:
        parts = make_array(context, builder, bufty, value)
        data, length = parts.data, builder.mul(parts.nitems, parts.itemsize)
    context.incref(builder, bufty, value)  # (nothing without a MemInfo)
    owner = cgutils.alloca_once_value(builder, parts.meminfo)
    borrowed = builder.and_(cgutils.is_null(builder, parts.meminfo),
                            cgutils.is_not_null(builder, parts.parent))
    with builder.if_then(borrowed):  # an argument: its object is held as long as the view
        api = PythonAPI(context, builder)
        state = api.gil_ensure()  # (a nogil=True function runs without it)
        builder.store(nrt.adopt_pyobject(builder, data, parts.parent), owner)
        api.gil_release(state)
    return builder.bitcast(data, i8p), length, builder.load(owner)


def _readonly(bufty) -> bool:
    return isinstance(bufty, types.Bytes) or bufty.readonly


@intrinsic
def raw_bytes(typingctx, buf):
    """The buffer's memory as a uint8 array that keeps its owner alive (NumPy's readonly flag);
    a constant's bytes are no one's: boxing copies them."""
    if not isinstance(buf, BUFFERS):
        return None
    ret = types.Array(types.uint8, 1, "C", readonly=_readonly(buf))

    def codegen(context, builder, sig, args):
        data, length, owner = _raw_owner(context, builder, sig.args[0], args[0])
        out = make_array(context, builder, ret)
        one = ir.Constant(cgutils.int64_t, 1)
        fill_array(context, builder, out, data, [length], [one], ret, meminfo=owner,
                   parent=ir.Constant(i8p, None))
        return out._getvalue()
    return ret(buf), codegen


@functools.lru_cache(maxsize=None)
def _typed_view(element, readonly):
    @intrinsic
    def typed_view(typingctx, raw, offset, count):
        """`count` items of type `element` over the uint8 array from byte `offset`."""
        ret = types.Array(element, 1, "C", readonly=readonly)

        def codegen(context, builder, sig, args):
            src = make_array(context, builder, sig.args[0], args[0])
            out = make_array(context, builder, ret)
            data = builder.gep(builder.bitcast(src.data, i8p), [args[1]])
            itemsize = ir.Constant(cgutils.int64_t, as_dtype(element).itemsize)
            fill_array(context, builder, out, data, [args[2]], [itemsize], ret,
                       meminfo=src.meminfo, parent=src.parent)
            context.incref(builder, sig.args[0], args[0])
            return out._getvalue()
        return ret(raw, types.intp, types.intp), codegen
    return typed_view


def _buffer_dtype(dtype):
    """The element type a dtype= argument names, or None."""
    if isinstance(dtype, types.Omitted):
        try:
            return from_dtype(np.dtype(dtype.value))
        except (TypeError, NotImplementedError):
            return None
    if isinstance(dtype, types.StringLiteral):
        return from_dtype(np.dtype(dtype.literal_value))
    if isinstance(dtype, types.UnicodeType):
        raise TypingError("If np.frombuffer dtype is a string it must be a string constant.")
    return parse_dtype(dtype)


@register_jitable
def _buffer_count(length, size, count, offset):
    """The number of items NumPy reads, with its errors."""
    if offset < 0 or offset > length:
        raise ValueError("offset must be non-negative and no greater than buffer length")
    available = length - offset
    if count < 0:
        if available % size != 0:
            raise ValueError("buffer size must be a multiple of element size")
        return available // size
    if available < count * size:
        raise ValueError("buffer is smaller than requested size")
    return count


def _contiguity_check(buffer):
    """check(buffer): NumPy's error for a buffer whose items are not in C order."""
    if isinstance(buffer, (types.Bytes, types.ByteArray)) or buffer.layout == "C":
        return register_jitable(lambda buffer: None)

    if isinstance(buffer, types.MemoryView):
        def check_view(buffer):
            if not np.asarray(buffer).flags.c_contiguous:
                raise BufferError("memoryview: underlying buffer is not C-contiguous")
        return register_jitable(check_view)

    def check(buffer):
        if not np.asarray(buffer).flags.c_contiguous:
            raise ValueError("ndarray is not C-contiguous")
    return register_jitable(check)


@overload(np.frombuffer, prefer_literal=True)
def np_frombuffer(buffer, dtype=float, count=-1, offset=0):
    if isinstance(buffer, (types.NoneType, types.Number, types.Boolean)):
        raise TypingError('np.frombuffer(): Argument "buffer" must be buffer-like')
    if not isinstance(buffer, BUFFERS):
        return None
    element = _buffer_dtype(dtype)
    if element is None:
        raise TypingError(f"np.frombuffer(): the dtype must be a NumPy scalar type, not {dtype}")
    size = as_dtype(element).itemsize
    typed, check = _typed_view(element, _readonly(buffer)), _contiguity_check(buffer)

    def impl(buffer, dtype=float, count=-1, offset=0):
        check(buffer)
        raw = raw_bytes(buffer)
        count = _buffer_count(raw.size, size, count, offset)
        return typed(raw, np.intp(offset), np.intp(count))
    return impl
