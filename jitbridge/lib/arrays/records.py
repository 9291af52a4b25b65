"""Structured (record) dtypes: `rec.field`, `rec['field']` and `rec[i]` read and write
through a view; `arr['field']` is a strided view of one field; `arr[i] = rec` copies a record.

A record value is the address of its bytes (inside an array, or behind a C pointer), so
assigning to a field changes the underlying memory, as in NumPy and Numba.
"""
from __future__ import annotations

import operator

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...errors import TypingError
from .._registries import (AbstractTemplate, AttributeTemplate, lower_builtin,
                           lower_getattr_generic, lower_setattr, register, register_attr)
from .helpers import make_array, shape_of, strides_of
from .indexing import index_items, result_type
from .model import fill_array


@register_model(types.Record)
class RecordModel(models.PrimitiveModel):
    """A view: i8* to the record's bytes; in memory the record is its bytes."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, cgutils.voidptr_t)

    def get_data_type(self):
        return ir.ArrayType(ir.IntType(8), self.fe_type.size)


@register_attr
class RecordAttributes(AttributeTemplate):
    key = types.Record

    def generic_resolve(self, ty, attr):
        field = ty.field(attr)
        if field is None:
            raise TypingError(f"record has no field {attr!r} (fields: "
                              f"{', '.join(f[0] for f in ty.members)})")
        return field[0]


def literal_field(record: types.Record, index) -> str | None:
    """The field a literal index names: `rec['name']`, or `rec[i]` by position as in NumPy
    (None: not a literal index; a TypingError: no such field)."""
    if isinstance(index, types.StringLiteral):
        name = index.literal_value
    elif isinstance(index, types.IntegerLiteral):
        if not -len(record.members) <= index.literal_value < len(record.members):
            raise TypingError(f"record field index {index.literal_value} out of range "
                              f"({len(record.members)} fields)")
        name = record.members[index.literal_value][0]
    else:
        return None
    RecordAttributes.generic_resolve(None, record, name)  # raises for a missing field
    return name


def _field_pointer(context, builder, ty, record, attr):
    field_ty, offset = ty.field(attr)
    address = builder.gep(record, [ir.Constant(cgutils.int64_t, offset)])
    if isinstance(field_ty, types.Record):  # a nested record is a view too: its address
        return field_ty, address
    return field_ty, builder.bitcast(address, context.get_data_type(field_ty).as_pointer())


@lower_getattr_generic(types.Record)
def record_getattr_impl(context, builder, ty, value, attr):
    field_ty, ptr = _field_pointer(context, builder, ty, value, attr)
    if isinstance(field_ty, types.Record):
        return ptr
    return context.data_model_manager.lookup(field_ty).from_data(builder, builder.load(ptr))


@lower_setattr(types.Record, None)
def record_setattr_impl(context, builder, sig, args, attr):
    _store_field(context, builder, sig.args[0], args[0], attr, sig.args[1], args[1])
    return context.get_dummy_value()


def _store_field(context, builder, record_ty, record, attr, value_ty, value):
    field_ty, ptr = _field_pointer(context, builder, record_ty, record, attr)
    value = context.cast(builder, value, value_ty, field_ty)
    if isinstance(field_ty, types.Record):  # copy the bytes of the record `value` points to
        cgutils.memcpy(builder, ptr, value, ir.Constant(cgutils.int64_t, field_ty.size))
        return
    builder.store(context.data_model_manager.lookup(field_ty).as_data(builder, value), ptr)


# -- rec['field'], rec[i] -------------------------------------------------------------------

def _indexed_field_type(record, index):
    """The type of the field `record[index]` names, or None (not a record, not a literal)."""
    name = literal_field(record, index) if isinstance(record, types.Record) else None
    return None if name is None else record.field(name)[0]


class RecordGetItem(AbstractTemplate):
    key = operator.getitem

    def generic(self, args, kws):
        field_ty = _indexed_field_type(*args)
        return None if field_ty is None else types.signature(field_ty, *args)


class RecordSetItem(AbstractTemplate):
    key = operator.setitem

    def generic(self, args, kws):
        record, index, value = args
        field_ty = _indexed_field_type(record, index)
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
        field_ty = aryty.dtype.field(literal_field(aryty.dtype, index))[0]
        return types.signature(types.Array(field_ty, aryty.ndim, "A", aryty.readonly),
                               aryty, index)


class RecordArraySetItem(AbstractTemplate):
    """arr[i] = rec, arr[i:j] = rec: copies of a record of exactly the array's dtype."""

    key = operator.setitem

    def generic(self, args, kws):
        aryty, index, value = args
        if not _is_record_array(aryty) or aryty.readonly or value != aryty.dtype:
            return None
        items = index_items(index)
        if not items or result_type(aryty, items) is None:
            return None
        return types.signature(types.none, aryty, index, value)


register(FieldView)
register(RecordArraySetItem)


@lower_builtin(operator.getitem, types.Array, types.StringLiteral)
def field_view_impl(context, builder, sig, args):
    aryty, viewty = sig.args[0], sig.return_type
    offset = aryty.dtype.field(sig.args[1].literal_value)[1]
    ary = make_array(context, builder, aryty, args[0])
    data = builder.gep(builder.bitcast(ary.data, cgutils.voidptr_t),
                       [ir.Constant(cgutils.int64_t, offset)])
    view = make_array(context, builder, viewty)
    fill_array(context, builder, view, data, shape_of(builder, ary, aryty.ndim),
               strides_of(builder, ary, aryty.ndim), viewty, meminfo=ary.meminfo,
               parent=ary.parent, nitems=ary.nitems)
    context.incref(builder, aryty, args[0])  # the view's reference to the memory
    return view._getvalue()
