"""`bytearray` arguments: writable bytes shared with the caller, as NumPy shares them.

A bytearray is held as a 1-d uint8 array over its buffer, owned by a MemInfo holding a
memoryview of it: the memoryview's buffer export keeps Python from resizing (and so moving)
the bytes while compiled code or an array made from them (np.frombuffer) still uses them.
`parent` stays NULL, so an array made from the bytes boxes as a view based on that MemInfo,
never as the bytearray itself. Supported: len(), indexing and item assignment (Python's
errors); np.frombuffer (a writable view, as NumPy's) is npfuncs/methods.py's."""
from __future__ import annotations

import operator

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import register_model
from ...core.pythonapi import capi_global
from ...errors import TypingError
from ...extending import intrinsic, overload, register_jitable
from ...runtime import nrt
from ...runtime.boxing import NativeValue, check_exact, unbox
from .helpers import make_array
from .model import ArrayModel, fill_array

i8p = cgutils.voidptr_t
BYTES = types.Array(types.uint8, 1, "C")

register_model(types.ByteArray)(ArrayModel)


def _capi(builder, name, restype, obj):
    """Call the C-API function `name` of one object argument."""
    return builder.call(cgutils.declare_c_function(builder.module, name, restype, [i8p]), [obj])


def _bytearray_type_object(c):
    return c.builder.bitcast(capi_global(c.builder.module, "PyByteArray_Type"), i8p)


@check_exact(types.ByteArray)
def check_bytearray(typ, obj, c):
    return c.builder.icmp_unsigned("==", c.pyapi.get_type(obj), _bytearray_type_object(c))


@unbox(types.ByteArray)
def unbox_bytearray(typ, obj, c):
    b = c.builder
    is_bytearray = c.pyapi._call("PyType_IsSubtype", c.pyapi.get_type(obj),
                                 _bytearray_type_object(c))
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
