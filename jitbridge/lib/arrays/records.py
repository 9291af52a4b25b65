"""Structured (record) dtypes: `rec.field`, `rec['field']` and `rec[i]` read and write
through a view; `arr['field']` is a strided view of one field; `arr[i] = rec` copies a record;
a sub-array field reads as an array view of the record's memory.

A record value views its bytes (inside an array, a record scalar, or behind a C pointer), so
assigning to a field changes the underlying memory, as in NumPy and Numba; it holds the
MemInfo of the array it came from, so the array lives as long as any view of it.
"""
from __future__ import annotations

import ctypes
import functools
import operator

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core import layout
from ...core.datamodel import models, register_model
from ...runtime import nrt
from ...runtime.boxing import NativeValue, box, unbox
from ...typing.typeof import typeof_impl
from ...errors import TypingError
from .._registries import (AbstractTemplate, AttributeTemplate, lower_builtin, lower_cast,
                           lower_getattr_generic, lower_setattr, register, register_attr)
from .helpers import make_array, shape_of, strides_of
from .assignment import assign_view
from .indexing import index_result
from .charseq import from_address
from .model import as_dtype, describe_value, fill_array, from_dtype


@register_model(types.Record)
class RecordModel(models.StructModel):
    """A view: the address of the record's bytes and the MemInfo keeping them alive (that of
    the array it was taken from; NULL when the caller owns them: a record argument, C memory).
    In memory (an array's element) a record is its bytes."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("meminfo", types.meminfo_pointer),
                                        ("data", types.voidptr)])

    def get_data_type(self):
        return ir.ArrayType(ir.IntType(8), self.fe_type.size)

    def as_data(self, builder, value):
        return builder.load(builder.bitcast(record_data(builder, value),
                                            self.get_data_type().as_pointer()))

    def from_data(self, builder, value):
        raise NotImplementedError(
            f"a record ({self.fe_type}) cannot be stored in a list or another container: it "
            "is a view of an array element; keep records in a record array (np.empty(n, dtype))")

    def load_from_pointer(self, builder, ptr):
        return record_view(builder, self, ir.Constant(cgutils.voidptr_t, None), ptr)

    def store_to_pointer(self, builder, value, ptr):
        cgutils.memcpy(builder, ptr, record_data(builder, value),
                       ir.Constant(cgutils.int64_t, self.fe_type.size))


def record_view(builder, model, meminfo, data):
    """The record value viewing `data`, kept alive by `meminfo` (borrowed: not incref'd)."""
    value = ir.Constant(model.get_value_type(), ir.Undefined)
    value = builder.insert_value(value, meminfo, 0)
    return builder.insert_value(value, builder.bitcast(data, cgutils.voidptr_t), 1)


def record_data(builder, value):
    """The address of the bytes a record value views."""
    return builder.extract_value(value, 1)


@register_attr
class RecordAttributes(AttributeTemplate):
    key = types.Record

    def generic_resolve(self, ty, attr):
        field = ty.field(attr)
        if field is None:
            raise TypingError(f"Field {attr!r} was not found in record with fields "
                              f"{tuple(f[0] for f in ty.members)}")
        return value_type(field[0])

    def resolve_setattr(self, ty, attr, value):
        field = ty.field(attr)
        if field is None or not isinstance(field[0], types.NestedArray):
            return None
        return value if fills(self.context, field[0].as_array, value) else None


def fills(typingctx, target: types.Array, value) -> bool:
    """Whether `target[...] = value` is allowed: a scalar or an array that converts to the
    target's elements and broadcasts to its shape (checked when it runs)."""
    source = value.dtype if isinstance(value, types.Array) else value
    return typingctx.can_convert(source, target.dtype) is not None and \
        getattr(value, "ndim", 0) <= target.ndim


def value_type(field_ty):
    """What reading a field gives: a sub-array field is read as an array view."""
    return field_ty.as_array if isinstance(field_ty, types.NestedArray) else field_ty


def literal_field(record: types.Record, index) -> str | None:
    """The field a literal index names: `rec['name']`, or `rec[i]` by position as in NumPy
    (None: not a literal index; a TypingError: no such field)."""
    if isinstance(index, types.StringLiteral):
        name = index.literal_value
    elif isinstance(index, types.IntegerLiteral):
        if not -len(record.members) <= index.literal_value < len(record.members):
            raise TypingError(f"Requested index {index.literal_value} is out of range: the "
                              f"record has {len(record.members)} fields")
        name = record.members[index.literal_value][0]
    else:
        return None
    RecordAttributes.generic_resolve(None, record, name)  # raises for a missing field
    return name


def _field_address(builder, ty, record, attr):
    field_ty, offset = ty.field(attr)
    return field_ty, builder.gep(record_data(builder, record), [ir.Constant(cgutils.int64_t, offset)])


@lower_getattr_generic(types.Record)
def record_getattr_impl(context, builder, ty, value, attr):
    field_ty, address = _field_address(builder, ty, value, attr)
    if isinstance(field_ty, types.NestedArray):
        return _nested_array_view(context, builder, field_ty, value, address)
    model = context.data_model_manager.lookup(field_ty)
    field = model.load_from_pointer(builder, builder.bitcast(
        address, model.get_data_type().as_pointer()))
    if isinstance(field_ty, types.Record):  # a view too, sharing the outer record's memory
        field = builder.insert_value(field, builder.extract_value(value, 0), 0)
        context.incref(builder, field_ty, field)
    return field


def _nested_array_view(context, builder, field_ty, record, address):
    """A C-contiguous array view of a sub-array field, keeping the record's memory alive."""
    aryty = field_ty.as_array
    view = make_array(context, builder, aryty)
    meminfo = builder.extract_value(record, 0)
    fill_array(context, builder, view, address, _consts(field_ty.shape),
               _nested_strides(field_ty), aryty, meminfo=meminfo)
    context.incref(builder, aryty, view._getvalue())
    return view._getvalue()


def _consts(values) -> list:
    return [ir.Constant(cgutils.int64_t, v) for v in values]


def _nested_strides(field_ty) -> list:
    """The byte strides of a sub-array field's elements (C order, as NumPy stores them)."""
    itemsize = as_dtype(field_ty.dtype).itemsize
    return _consts(np.empty(field_ty.shape, np.dtype((np.void, itemsize))).strides)


@lower_setattr(types.Record, None)
def record_setattr_impl(context, builder, sig, args, attr):
    _store_field(context, builder, sig.args[0], args[0], attr, sig.args[1], args[1])
    return context.get_dummy_value()


def _store_field(context, builder, record_ty, record, attr, value_ty, value):
    field_ty, address = _field_address(builder, record_ty, record, attr)
    if isinstance(field_ty, types.NestedArray):  # rec.f = array or scalar: copied in
        aryty = field_ty.as_array
        view = _nested_array_view(context, builder, field_ty, record, address)
        assign_view(context, builder, aryty, make_array(context, builder, aryty, view),
                    value_ty, value)
        context.decref(builder, aryty, view)
        return
    model = context.data_model_manager.lookup(field_ty)
    model.store_to_pointer(builder, context.cast(builder, value, value_ty, field_ty),
                           builder.bitcast(address, model.get_data_type().as_pointer()))


# -- rec['field'], rec[i] -------------------------------------------------------------------

def _indexed_field_type(record, index):
    """The type of the field `record[index]` names, or None (not a record, not a literal)."""
    name = literal_field(record, index) if isinstance(record, types.Record) else None
    return None if name is None else record.field(name)[0]


class RecordGetItem(AbstractTemplate):
    key = operator.getitem

    def generic(self, args, kws):
        field_ty = _indexed_field_type(*args)
        return None if field_ty is None else types.signature(value_type(field_ty), *args)


class RecordSetItem(AbstractTemplate):
    key = operator.setitem

    def generic(self, args, kws):
        record, index, value = args
        field_ty = _indexed_field_type(record, index)
        if isinstance(field_ty, types.NestedArray):  # rec['v'] = array or scalar: copied in
            ok = fills(self.context, field_ty.as_array, value)
            return types.signature(types.none, record, index, value) if ok else None
        return None if field_ty is None else types.signature(types.none, record, index, field_ty)


register(RecordGetItem)
register(RecordSetItem)


@lower_builtin(operator.getitem, types.Record, types.Any)
def record_getitem_impl(context, builder, sig, args):
    name = literal_field(*sig.args)
    return record_getattr_impl(context, builder, sig.args[0], args[0], name)


@lower_builtin(operator.setitem, types.Record, types.Any, types.Any)
def record_setitem_impl(context, builder, sig, args):
    name = literal_field(sig.args[0], sig.args[1])
    _store_field(context, builder, sig.args[0], args[0], name, sig.args[2], args[2])
    return context.get_dummy_value()


# -- arr['field'], arr[i] = rec -------------------------------------------------------------

def _is_record_array(ty) -> bool:
    return isinstance(ty, types.Array) and isinstance(ty.dtype, types.Record)


class FieldView(AbstractTemplate):
    """arr['field']: the field of every element, a strided view sharing arr's memory."""

    key = operator.getitem

    def generic(self, args, kws):
        aryty, index = args
        if not _is_record_array(aryty) or not isinstance(index, types.StringLiteral):
            return None
        return types.signature(field_view_type(aryty, literal_field(aryty.dtype, index)),
                               aryty, index)


def field_view_type(aryty, name):
    field_ty = aryty.dtype.field(name)[0]
    dtype, ndim = field_ty, aryty.ndim
    if isinstance(field_ty, types.NestedArray):  # its axes follow the array's
        dtype, ndim = field_ty.dtype, ndim + field_ty.ndim
    return types.Array(dtype, ndim, "A", aryty.readonly)


@register_attr
class RecordArrayFields(AttributeTemplate):
    """arr.field: the same view as arr['field'] (NumPy's recarray spelling, which Numba
    accepts on every record array)."""

    key = types.Array

    def generic_resolve(self, ty, attr):
        if not _is_record_array(ty) or ty.dtype.field(attr) is None:
            return None
        return field_view_type(ty, attr)


class RecordArraySetItem(AbstractTemplate):
    """arr[i] = rec, arr[i:j] = rec: copies of a record of exactly the array's dtype."""

    key = operator.setitem

    def generic(self, args, kws):
        aryty, index, value = args
        if not _is_record_array(aryty) or aryty.readonly or value != aryty.dtype:
            return None
        if index_result(aryty, index) is None:
            return None
        return types.signature(types.none, aryty, index, value)


class FieldAssign(AbstractTemplate):
    """arr['field'] = value: every element's field set, broadcast as NumPy assigns it."""

    key = operator.setitem

    def generic(self, args, kws):
        aryty, index, value = args
        if not _is_record_array(aryty) or aryty.readonly or \
                not isinstance(index, types.StringLiteral):
            return None
        view = field_view_type(aryty, literal_field(aryty.dtype, index))
        return types.signature(types.none, aryty, index, value) \
            if fills(self.context, view, value) else None


register(FieldView)
register(RecordArraySetItem)
register(FieldAssign)


@lower_builtin(operator.getitem, types.Array, types.StringLiteral)
def field_view_impl(context, builder, sig, args):
    return _field_view(context, builder, sig.args[0], args[0], sig.args[1].literal_value)


@lower_builtin(operator.setitem, types.Array, types.StringLiteral, types.Any)
def field_assign_impl(context, builder, sig, args):
    aryty, name = sig.args[0], sig.args[1].literal_value
    viewty = field_view_type(aryty, name)
    view = _field_view(context, builder, aryty, args[0], name)
    assign_view(context, builder, viewty, make_array(context, builder, viewty, view),
                sig.args[2], args[2])
    context.decref(builder, viewty, view)
    return context.get_dummy_value()


@lower_getattr_generic(types.Array)
def field_attribute_impl(context, builder, ty, value, attr):
    return _field_view(context, builder, ty, value, attr)


def _field_view(context, builder, aryty, value, name):
    viewty = field_view_type(aryty, name)
    field_ty, offset = aryty.dtype.field(name)
    ary = make_array(context, builder, aryty, value)
    data = builder.gep(builder.bitcast(ary.data, cgutils.voidptr_t),
                       [ir.Constant(cgutils.int64_t, offset)])
    shape, strides = shape_of(builder, ary, aryty.ndim), strides_of(builder, ary, aryty.ndim)
    if isinstance(field_ty, types.NestedArray):
        shape, strides = shape + _consts(field_ty.shape), strides + _nested_strides(field_ty)
    view = make_array(context, builder, viewty)
    fill_array(context, builder, view, data, shape, strides, viewty, meminfo=ary.meminfo,
               parent=ary.parent)
    context.incref(builder, aryty, value)  # the view's reference to the memory
    return view._getvalue()


# -- record scalars (np.void) in and out of compiled code ----------------------------------------

#: offset of a NumPy void scalar's data pointer (PyVoidScalarObject.obval, after the var header)
VOID_DATA = layout.VAR_SIZE + layout.POINTER


def _void_data_address(value: np.void) -> int:
    return ctypes.c_void_p.from_address(id(value) + VOID_DATA).value or 0


def _check_void_layout():
    """The offset is read off the running NumPy: a scalar taken from an array views it."""
    probe = np.zeros(2, np.dtype([("x", "i8")]))
    if _void_data_address(probe[1]) != probe.ctypes.data + 8:
        raise ImportError("this NumPy's void scalars have an unexpected layout")


_check_void_layout()


#: dtype -> its record type (from_dtype builds one in ~0.4 ms: too slow per call); the dtype
#: object first typed as a record type is model.SEEN_DESCRS's (record_checks.py compares with it)
_RECORD_TYPES: dict = {}


@typeof_impl.register(np.void)
def typeof_record(value, c):
    """A record scalar (`arr[0]` of a structured array) is its record type."""
    dtype = value.dtype
    if dtype.names is None:
        return None
    try:
        return record_type_of(dtype)
    except TypeError:
        return None


def record_type_of(dtype):
    """from_dtype(dtype), remembered (TypeError if it has no record type)."""
    typ = _RECORD_TYPES.get(dtype)
    if typ is None:
        typ = _RECORD_TYPES[dtype] = from_dtype(dtype)
    return typ


def _record_address(expected: types.Record, value) -> int:
    """The address of the bytes of the record scalar `value` (TypeError unless its layout is
    `expected` or one that converts to it: the fields read are where `expected` says)."""
    if not isinstance(value, np.void) or not _is_layout_of(expected, value.dtype):
        raise TypeError(f"expected a record scalar of type {expected}, got "
                        f"{describe_value(value)}")
    return _void_data_address(value)


def _is_layout_of(expected: types.Record, dtype) -> bool:
    try:
        actual = record_type_of(dtype)
    except TypeError:
        return False
    return actual == expected or actual.can_convert_to(None, expected) is not None


@lower_cast(types.Record, types.Record)
def record_to_record(context, builder, fromty, toty, val):
    """A record as one of the fields it has: the same view."""
    return val


@unbox(types.Record)
def unbox_record(typ, obj, c):
    """A view of the scalar's own bytes (fields written in compiled code show in Python, as
    for a NumPy record); kept alive by the caller's reference, or by a MemInfo when owned."""
    b = c.builder
    check = c.pyapi.constant_object(functools.partial(_record_address, typ), "record")
    address = c.pyapi.call_function_objargs(check, [obj])
    failed = cgutils.is_null(b, address)
    slot = cgutils.alloca_once(b, cgutils.voidptr_t)
    with b.if_then(b.not_(failed), likely=True):
        b.store(b.inttoptr(c.pyapi.long_as_ulonglong(address), cgutils.voidptr_t), slot)
        c.pyapi.decref(address)
    data = b.load(slot)
    meminfo = nrt.adopt_pyobject(b, data, obj) if c.owned else \
        ir.Constant(cgutils.voidptr_t, None)
    model = c.context.data_model_manager.lookup(typ)
    return NativeValue(record_view(b, model, meminfo, data), is_error=failed)


def _record_copy(dtype: np.dtype, address: int) -> np.record:
    data = bytearray(ctypes.string_at(address, dtype.itemsize))
    return np.frombuffer(data, dtype).view(np.recarray)[0]


@box(types.Record)
def box_record(typ, val, c):
    """A new record scalar (np.record: fields readable as attributes) holding a copy of the
    bytes, as Numba returns records."""
    reader = functools.partial(_record_copy, as_dtype(typ))
    obj = from_address(c, reader, record_data(c.builder, val))
    c.context.decref(c.builder, typ, val)
    return obj
