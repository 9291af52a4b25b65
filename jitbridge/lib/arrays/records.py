"""Structured (record) dtypes: `rec.field` reads and `rec.field = v` writes through a view.

A record value is the address of its bytes (inside an array, or behind a C pointer), so
assigning to a field changes the underlying memory, as in NumPy and Numba.
"""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...errors import TypingError
from .._registries import AttributeTemplate, lower_getattr_generic, lower_setattr, register_attr


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
                              f"{', '.join(f[0] for f in ty.fields)})")
        return field[0]


def _field_pointer(context, builder, ty, record, attr):
    field_ty, offset = ty.field(attr)
    address = builder.gep(record, [ir.Constant(cgutils.int64_t, offset)])
    return field_ty, builder.bitcast(address, context.get_data_type(field_ty).as_pointer())


@lower_getattr_generic(types.Record)
def record_getattr_impl(context, builder, ty, value, attr):
    field_ty, ptr = _field_pointer(context, builder, ty, value, attr)
    return context.data_model_manager.lookup(field_ty).from_data(builder, builder.load(ptr))


@lower_setattr(types.Record, None)
def record_setattr_impl(context, builder, sig, args, attr):
    record_ty = sig.args[0]
    field_ty, ptr = _field_pointer(context, builder, record_ty, args[0], attr)
    value = context.cast(builder, args[1], sig.args[1], field_ty)
    builder.store(context.data_model_manager.lookup(field_ty).as_data(builder, value), ptr)
    return context.get_dummy_value()
