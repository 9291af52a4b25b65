"""numpy.datetime64 and numpy.timedelta64 scalars: data model, typeof, boxing, constants and
conversions between units.

A value is its int64 count of units (NaT is the int64 minimum), so arrays of M8/m8 dtypes
hold exactly the native values. Conversions between units follow NumPy's casts: linear units
scale exactly (flooring towards fewer, coarser units), datetimes cross between years/months and
day-based units through the Gregorian calendar, timedeltas through NumPy's average year.
Operators are in `datetimes_ops`, array functions in `datetimes_arrays`.
"""
from __future__ import annotations

import ctypes
import functools

import numpy as np
from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.datamodel import models, register_model
from ..runtime.boxing import NativeValue, box, check_exact, unbox
from ..types.datetime import DATE_UNITS, unit_ratio
from ..extending import register_jitable
from ..typing.typeof import typeof_impl
from ._registries import lower_cast, lower_constant
from .datetimes_kernels import NAT, dtype_of_scalar, type_of_dtype

types.NPDatetime.numpy_class = np.datetime64
types.NPTimedelta.numpy_class = np.timedelta64


@register_model(types.NPDatetime)
@register_model(types.NPTimedelta)
class DatetimeModel(models.PrimitiveModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, ir.IntType(64))


@typeof_impl.register(np.datetime64)
@typeof_impl.register(np.timedelta64)
def typeof_datetime(value, c):
    try:
        return type_of_dtype(value.dtype)
    except TypeError:
        return None  # a unit with a multiplier ('10Y') has no type


@lower_constant(types.NPDatetime)
@lower_constant(types.NPTimedelta)
def datetime_constant(context, builder, ty, value):
    return ir.Constant(ir.IntType(64), int(np.asarray(value).view(np.int64)))


# -- boxing: through small Python helpers (the unit is part of the dtype, not the class) -------

def count_of_value(value, dtype) -> int:
    """The int64 count of a datetime64/timedelta64 `value` of exactly `dtype`."""
    if not isinstance(value, (np.datetime64, np.timedelta64)) or value.dtype != dtype:
        raise TypeError(f"expected a numpy scalar of dtype {dtype}, got {value!r}")
    return int(np.asarray(value).view(np.int64))


def scalar_of(count: int, dtype):
    return np.asarray(count, np.int64).view(dtype)[()]


#: NumPy's datetime scalars (PyDatetimeScalarObject, public C API): the int64 count, then the
#: unit metadata (an int32 unit code and an int32 multiplier), read in place when they match
VALUE_OFFSET, META_OFFSET = 16, 24
_i64 = ir.IntType(64)


@functools.lru_cache(maxsize=None)
def _meta_word(dtype) -> int | None:
    """The 8 bytes of unit metadata a scalar of `dtype` holds, read from a sample; None when
    this NumPy's scalars are not laid out as VALUE_OFFSET and META_OFFSET say."""
    sample = scalar_of(12345, dtype)
    if ctypes.c_int64.from_address(id(sample) + VALUE_OFFSET).value != 12345:
        return None
    return ctypes.c_int64.from_address(id(sample) + META_OFFSET).value


def _field(c, obj, offset):
    return c.builder.load(c.builder.bitcast(
        c.builder.gep(obj, [ir.Constant(_i64, offset)]), _i64.as_pointer()))


@check_exact(types.NPDatetime)
@check_exact(types.NPTimedelta)
def is_scalar_of(typ, obj, c):
    """i1: `obj` is exactly a datetime64/timedelta64 scalar of the type's unit (what typeof
    gives it): the native dispatcher's test, and the unboxing's fast path."""
    dtype = dtype_of_scalar(typ)
    word = _meta_word(dtype)
    if word is None:
        return cgutils.false_bit
    b = c.builder
    result = cgutils.alloca_once_value(b, cgutils.false_bit)
    cls = b.bitcast(c.context.embed_object(b, dtype.type, dtype.type.__name__), obj.type)
    with b.if_then(b.icmp_unsigned("==", c.pyapi.get_type(obj), cls)):
        b.store(b.icmp_signed("==", _field(c, obj, META_OFFSET), ir.Constant(_i64, word)), result)
    return b.load(result)


@unbox(types.NPDatetime)
@unbox(types.NPTimedelta)
def unbox_datetime(typ, obj, c):
    b = c.builder
    out = cgutils.alloca_once_value(b, ir.Constant(_i64, 0))
    failed = cgutils.alloca_once_value(b, cgutils.false_bit)
    with b.if_else(is_scalar_of(typ, obj, c), likely=True) as (exact, other):
        with exact:
            b.store(_field(c, obj, VALUE_OFFSET), out)
        with other:  # (another unit or class: converted or refused by NumPy's rules)
            reader = functools.partial(count_of_value, dtype=dtype_of_scalar(typ))
            count = c.pyapi.call_function_objargs(
                c.pyapi.constant_object(reader, "datetime_count"), [obj])
            b.store(cgutils.is_null(b, count), failed)
            with b.if_then(cgutils.is_not_null(b, count)):
                b.store(c.pyapi.long_as_longlong(count), out)
                c.pyapi.decref(count)
    return NativeValue(b.load(out), is_error=b.load(failed))


@box(types.NPDatetime)
@box(types.NPTimedelta)
def box_datetime(typ, val, c):
    helper = c.pyapi.constant_object(functools.partial(scalar_of, dtype=dtype_of_scalar(typ)),
                                     "datetime_scalar")
    count = c.pyapi.long_from_longlong(val)
    result = c.pyapi.call_function_objargs(helper, [count])
    c.pyapi.decref(count)
    return result


# -- conversions between units ------------------------------------------------------------------

@register_jitable
def days_from_civil(year, month):
    """Days from 1970-01-01 to the first of `month` (1-12) of `year` (proleptic Gregorian)."""
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + 9 if month <= 2 else month - 3) + 2) // 5
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@register_jitable
def months_from_days(days):
    """Whole months from 1970-01 to the month holding day `days` (floored)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    mp = (5 * (doe - (365 * yoe + yoe // 4 - yoe // 100)) + 2) // 153
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    return (year - 1970) * 12 + month - 1


def _scaler(num: int, den: int):
    """count -> floor(count * num / den), NaT kept."""
    def scale(count):
        return NAT if count == NAT else (count * num) // den
    return scale


@functools.lru_cache(maxsize=None)
def timedelta_converter(src: str, dst: str):
    ratio = unit_ratio(src, dst)
    return _scaler(ratio.numerator, ratio.denominator)


@functools.lru_cache(maxsize=None)
def datetime_converter(src: str, dst: str):
    """Dates: linear within years/months and within day-based units; through the calendar
    between the two."""
    if not src or not dst or (src in DATE_UNITS) == (dst in DATE_UNITS):
        return timedelta_converter(src, dst)
    if src in DATE_UNITS:
        ratio, in_months = unit_ratio("D", dst), 12 if src == "Y" else 1
        num, den = ratio.numerator, ratio.denominator

        def from_calendar(count):
            if count == NAT:
                return NAT
            months = count * in_months
            return days_from_civil(1970 + months // 12, months % 12 + 1) * num // den
        return from_calendar
    ratio, per_unit = unit_ratio(src, "D"), 12 if dst == "Y" else 1
    num, den = ratio.numerator, ratio.denominator

    def to_calendar(count):
        return NAT if count == NAT else months_from_days(count * num // den) // per_unit
    return to_calendar


@lower_cast(types.NPTimedelta, types.NPTimedelta)
@lower_cast(types.NPDatetime, types.NPDatetime)
def datetime_unit_cast(context, builder, fromty, toty, val):
    if fromty.unit == toty.unit or not fromty.unit:
        return val
    pick = datetime_converter if isinstance(fromty, types.NPDatetime) else timedelta_converter
    return context.compile_internal(builder, pick(fromty.unit, toty.unit),
                                    types.signature(types.int64, types.int64), [val])


@lower_cast(types.Integer, types.NPTimedelta)
@lower_cast(types.Integer, types.NPDatetime)
@lower_cast(types.Boolean, types.NPTimedelta)
def int_to_datetime(context, builder, fromty, toty, val):
    """NumPy's loops take integers as counts of the loop's unit."""
    return context.cast(builder, val, fromty, types.int64)


@lower_cast(types.NPTimedelta, types.Integer)
@lower_cast(types.NPDatetime, types.Integer)
def datetime_to_int(context, builder, fromty, toty, val):
    return context.cast(builder, val, types.int64, toty)


from . import datetimes_ops, datetimes_arrays  # noqa: E402,F401  (they use the model above)
