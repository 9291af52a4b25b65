"""The unit arithmetic of datetime64/timedelta64 under Numba's names
(`numba.np.npdatetime_helpers`), for programs and extensions that use them. Pure Python."""
from __future__ import annotations

from ..types.datetime import (DATE_UNITS, TIME_UNITS, UNITS, can_cast_timedelta, finer,
                              is_date_unit, unit_ratio)

#: unit -> NumPy's unit code (NPY_FR_Y ... NPY_FR_as, generic)
DATETIME_UNITS = {"Y": 0, "M": 1, "W": 2, "D": 4, "h": 5, "m": 6, "s": 7, "ms": 8, "us": 9,
                  "ns": 10, "ps": 11, "fs": 12, "as": 13, "": 14}
#: Numba's grouping for same_kind: calendar-like units, then units within a day
_DAY_OR_LONGER = ("Y", "M", "W", "D")


def can_cast_timedelta_units(src: str, dst: str) -> bool:
    """Whether timedelta64[src] converts exactly into timedelta64[dst]."""
    return can_cast_timedelta(src, dst)


def same_kind(src: str, dst: str) -> bool:
    """Whether both units are at least a day long, or both shorter."""
    return (src in _DAY_OR_LONGER) == (dst in _DAY_OR_LONGER)


def get_timedelta_conversion_factor(src: str, dst: str):
    """The integer factor turning a timedelta64[src] count into timedelta64[dst], or None
    where no exact factor exists (towards coarser units, across years/months and days)."""
    if not can_cast_timedelta(src, dst):
        return None
    ratio = unit_ratio(src, dst)
    return ratio.numerator if ratio.denominator == 1 else None


def get_datetime_timedelta_conversion(dt_unit: str, td_unit: str):
    """(unit, datetime factor, timedelta factor) of datetime64[dt_unit] + timedelta64[td_unit]:
    the result's unit and the integer ratio of the operands' unit lengths; RuntimeError when
    a year/month timedelta meets a day-based datetime."""
    if not dt_unit or not td_unit:
        return dt_unit, 1, 1
    if is_date_unit(td_unit) and not is_date_unit(dt_unit):
        raise RuntimeError(f"cannot combine datetime64[{dt_unit}] and timedelta64[{td_unit}]")
    if is_date_unit(dt_unit) and not is_date_unit(td_unit):
        # unreduced, as Numba gives it: 400 Gregorian years are 146097 days
        per_year = 400 * (12 if dt_unit == "M" else 1)
        in_td = unit_ratio("D", td_unit)
        return td_unit, 146097 * in_td.numerator, per_year * in_td.denominator
    ratio = unit_ratio(dt_unit, td_unit)
    return finer(dt_unit, td_unit), ratio.numerator, ratio.denominator


def combine_datetime_timedelta_units(dt_unit: str, td_unit: str):
    """The unit of datetime64[dt_unit] + timedelta64[td_unit], None if they cannot combine."""
    if not dt_unit or not td_unit:
        return dt_unit or td_unit
    if is_date_unit(td_unit) and not is_date_unit(dt_unit):
        return None
    return finer(dt_unit, td_unit)


def get_best_unit(a: str, b: str) -> str:
    """The finer of two units."""
    return finer(a, b)


__all__ = ["DATETIME_UNITS", "DATE_UNITS", "TIME_UNITS", "UNITS", "can_cast_timedelta_units",
           "same_kind", "get_timedelta_conversion_factor", "get_datetime_timedelta_conversion",
           "combine_datetime_timedelta_units", "get_best_unit"]
