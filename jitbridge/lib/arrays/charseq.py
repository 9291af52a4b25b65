"""Fixed-size char fields of records (`S5`: CharSeq, `U5`: UnicodeCharSeq): values are their
NUL-padded code units; they read into Python as `bytes`/`str` with the padding stripped, and
strings assigned to them are truncated or padded, all exactly as NumPy does."""
from __future__ import annotations

import ctypes
import functools
import operator

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...extending import intrinsic, overload
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


# -- comparisons ------------------------------------------------------------------------------

@intrinsic
def _compare_chars(typingctx, a, b):
    """-1, 0 or 1 as NumPy orders two fixed-width strings of one kind: unit by unit, unsigned,
    the shorter NUL-padded (so trailing NULs, which NumPy strips, never count)."""
    if not (isinstance(a, types.CharSeq) and type(a) is type(b)):
        return None

    def codegen(context, builder, sig, args):
        count = max(sig.args[0].count, sig.args[1].count)
        if count == 0:
            return ir.Constant(ir.IntType(64), 0)
        slots = [_padded(context, builder, ty, value, count) for ty, value in zip(sig.args, args)]
        result = cgutils.alloca_once_value(builder, ir.Constant(ir.IntType(64), 0))
        zero = ir.Constant(ir.IntType(32), 0)
        with cgutils.for_range(builder, ir.Constant(ir.IntType(64), count)) as loop:
            x, y = (builder.load(builder.gep(slot, [zero, loop.index])) for slot in slots)
            decided = builder.icmp_signed("!=", builder.load(result), result.type.pointee(0))
            with builder.if_then(builder.and_(builder.not_(decided),
                                              builder.icmp_unsigned("!=", x, y))):
                order = builder.select(builder.icmp_unsigned("<", x, y),
                                       ir.Constant(ir.IntType(64), -1),
                                       ir.Constant(ir.IntType(64), 1))
                builder.store(order, result)
        return builder.load(result)
    return types.int64(a, b), codegen


def _padded(context, builder, ty, value, count):
    """A stack copy of the char sequence `value`, NUL-padded to `count` units."""
    slot = cgutils.alloca_once_value(
        builder, ir.Constant(ir.ArrayType(ir.IntType(ty.item_bits), count), None))
    builder.store(value, builder.bitcast(slot, context.get_value_type(ty).as_pointer()))
    return slot


def _chars_comparison(op):
    def ol_compare(a, b):
        if isinstance(a, types.CharSeq) and type(a) is type(b):
            return lambda a, b: op(_compare_chars(a, b), 0)
        return None
    overload(op)(ol_compare)


for _op in (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge):
    _chars_comparison(_op)
