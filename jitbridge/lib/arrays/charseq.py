"""Fixed-size char fields of records (`S5`: CharSeq, `U5`: UnicodeCharSeq): values are their
NUL-padded code units; they read into Python as `bytes`/`str` with the padding stripped, and
strings assigned to them are truncated or padded, all exactly as NumPy does."""
from __future__ import annotations

import ctypes
import functools

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...runtime.boxing import NativeValue, box, unbox
from .._registries import lower_cast
from .model import as_dtype


@register_model(types.CharSeq)
class CharSeqModel(models.PrimitiveModel):
    """[count x i8] (or i32 code points for text): the field's bytes, by value."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, ir.ArrayType(ir.IntType(fe_type.item_bits), fe_type.count))


def _encoded(dtype: np.dtype, value) -> bytes:
    """`value` stored in a field of `dtype`, as NumPy stores it (TypeError for a non-string)."""
    if not isinstance(value, (str, bytes)):
        raise TypeError(f"expected a str or bytes for a {dtype} field, got "
                        f"{type(value).__name__}")
    return np.array(value, dtype).tobytes()


def _decoded(dtype: np.dtype, address: int):
    """The bytes or str a field of `dtype` at `address` holds, as NumPy reads it."""
    return np.frombuffer(ctypes.string_at(address, dtype.itemsize), dtype)[0].item()


@box(types.CharSeq)
def box_charseq(typ, val, c):
    slot = cgutils.alloca_once_value(c.builder, val)
    return from_address(c, functools.partial(_decoded, as_dtype(typ)), slot)


def from_address(c, reader, ptr):
    """reader(address of ptr's memory) (a new reference, or NULL with an exception set)."""
    address = c.pyapi.long_from_ulonglong(c.builder.ptrtoint(ptr, cgutils.int64_t))
    result = c.pyapi.call_function_objargs(c.pyapi.constant_object(reader, "from_address"),
                                           [address])
    c.pyapi.decref(address)
    return result


@unbox(types.CharSeq)
def unbox_charseq(typ, obj, c):
    b = c.builder
    slot = cgutils.alloca_once_value(b, ir.Constant(c.context.get_value_type(typ), None))
    encode = functools.partial(_encoded, as_dtype(typ))
    data = c.pyapi.call_function_objargs(c.pyapi.constant_object(encode, "charseq"), [obj])
    failed = cgutils.is_null(b, data)
    with b.if_then(b.not_(failed), likely=True):
        raw = c.pyapi._call("PyBytes_AsString", data)
        cgutils.memcpy(b, slot, raw, ir.Constant(cgutils.int64_t, as_dtype(typ).itemsize))
        c.pyapi.decref(data)
    return NativeValue(b.load(slot), is_error=failed)


@lower_cast(types.CharSeq, types.CharSeq)
def charseq_to_charseq(context, builder, fromty, toty, val):
    """Truncated or NUL-padded to the target's length."""
    out = ir.Constant(context.get_value_type(toty), None)
    for i in range(min(fromty.count, toty.count)):
        out = builder.insert_value(out, builder.extract_value(val, i), i)
    return out


@lower_cast(types.StringLiteral, types.CharSeq)
def literal_to_charseq(context, builder, fromty, toty, val):
    units = np.frombuffer(_encoded(as_dtype(toty), fromty.literal_value),
                          np.uint8 if toty.item_bits == 8 else np.uint32)
    return ir.Constant(context.get_value_type(toty), [int(u) for u in units])
