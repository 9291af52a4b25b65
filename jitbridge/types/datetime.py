"""NumPy's datetime64 and timedelta64 scalars: `NPDatetime(unit)` and `NPTimedelta(unit)`.

Both are stored as an int64 count of `unit`s ('' is NumPy's generic unit); the int64 minimum is
NaT. Their `str` is Numba's ('datetime64[ns]', 'timedelta64[]'). The unit arithmetic here is
pure Python: it decides implicit conversions in typing; the calendar conversions run in lib.
"""
from __future__ import annotations

from fractions import Fraction

from .abstract import Hashable, Type

#: NumPy's units, coarsest first; '' (generic) converts into any of them unchanged
DATE_UNITS = ("Y", "M")
TIME_UNITS = ("W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as")
UNITS = DATE_UNITS + TIME_UNITS + ("",)
#: each time unit in the next (finer) one
_STEPS = {"W": 7, "D": 24, "h": 60, "m": 60, "s": 1000, "ms": 1000, "us": 1000, "ns": 1000,
          "ps": 1000, "fs": 1000}
#: NumPy's average year (400 Gregorian years are 146097 days) for linear conversions
DAYS_PER_YEAR = Fraction(97 + 400 * 365, 400)
#: typing's Conversion.safe (typing is a higher layer)
SAFE_CONVERSION = 2


def _in_days(unit: str) -> Fraction:
    """The length of `unit` in days (Y and M at the Gregorian average)."""
    if unit == "Y":
        return DAYS_PER_YEAR
    if unit == "M":
        return DAYS_PER_YEAR / 12
    length = Fraction(7)
    for step_unit in TIME_UNITS[:TIME_UNITS.index(unit)]:
        length /= _STEPS[step_unit]
    return length


def unit_ratio(src: str, dst: str) -> Fraction:
    """How many `dst` units one `src` unit holds (1 from or to the generic unit)."""
    if not src or not dst or src == dst:
        return Fraction(1)
    return _in_days(src) / _in_days(dst)


def is_date_unit(unit: str) -> bool:
    return unit in DATE_UNITS


def finer(a: str, b: str) -> str:
    """The finer of two units (the other one for a generic unit)."""
    if not a or not b:
        return a or b
    return a if UNITS.index(a) >= UNITS.index(b) else b


def can_cast_timedelta(src: str, dst: str) -> bool:
    """Whether a timedelta converts exactly (by an integer factor) from `src` to `dst`: never
    between the calendar units (Y, M) and the others, never into the generic unit."""
    if not src or src == dst:
        return True
    if not dst or is_date_unit(src) != is_date_unit(dst):
        return False
    return UNITS.index(src) <= UNITS.index(dst)


class _NPDatetimeBase(Hashable):
    kind_name = ""
    #: numpy.datetime64 / numpy.timedelta64, set by lib.datetimes (types never import NumPy)
    numpy_class = None

    def __init__(self, unit: str):
        if unit not in UNITS:
            raise ValueError(f"unsupported {self.kind_name} unit {unit!r} (use one of "
                             f"{', '.join(u for u in UNITS if u)} or '')")
        self.unit = unit
        super().__init__(f"{self.kind_name}[{unit}]")

    @property
    def key(self):
        return self.unit

    def __call__(self, *args):
        """A signature (`NPDatetime('us')(NPTimedelta('us'))`), or a NumPy value of this type,
        as Numba's types make: `NPDatetime('D')('NaT')`."""
        if not args or isinstance(args[0], Type) or self.numpy_class is None:
            return super().__call__(*args)
        return self.numpy_class(args[0], *([self.unit] if self.unit else []))

    def can_convert_to(self, typingctx, other):
        """To the same kind in a unit it converts to exactly (NumPy's safe casting)."""
        if type(other) is type(self) and can_cast_timedelta(self.unit, other.unit):
            return SAFE_CONVERSION
        return None

    def unify(self, typingctx, other):
        if type(other) is type(self):
            unit = finer(self.unit, other.unit)
            if can_cast_timedelta(self.unit, unit) and can_cast_timedelta(other.unit, unit):
                return type(self)(unit)
        return None


class NPDatetime(_NPDatetimeBase):
    """numpy.datetime64 in `unit` (a point in time since 1970-01-01)."""
    kind_name = "datetime64"


class NPTimedelta(_NPDatetimeBase):
    """numpy.timedelta64 in `unit` (a duration)."""
    kind_name = "timedelta64"


def is_datetime_like(ty) -> bool:
    return isinstance(ty, _NPDatetimeBase)
