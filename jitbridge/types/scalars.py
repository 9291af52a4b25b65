"""Scalar types: booleans, integers, floats, complex numbers, None and their literals.

Number literals are NumPy 2's "weak" Python scalars (NEP 50): in arithmetic with a typed value
they adopt its type. An int literal keeps its exact value, whatever its size, so constant
expressions such as `2**64 - 1` fold exactly; one that fits neither int64 nor uint64 is an error
as soon as it is used as a runtime value.
"""
from __future__ import annotations

from ..errors import TypingError
from .abstract import Dummy, Hashable, Literal, Number, Type

INT64_RANGE = range(-(1 << 63), 1 << 63)
UINT64_RANGE = range(0, 1 << 64)


class Boolean(Hashable):
    """The `bool` type."""


class _OrderedByWidth:
    """Number types of one class (and signedness) order by width, as in Numba
    (`sorted(types.signed_domain)`); others do not compare."""

    def _width_order(self, other, compare):
        if type(other) is not type(self) or \
                getattr(other, "signed", None) != getattr(self, "signed", None):
            return NotImplemented
        return compare(self.bitwidth, other.bitwidth)

    def __lt__(self, other):
        return self._width_order(other, int.__lt__)

    def __le__(self, other):
        return self._width_order(other, int.__le__)

    def __gt__(self, other):
        return self._width_order(other, int.__gt__)

    def __ge__(self, other):
        return self._width_order(other, int.__ge__)


class Integer(_OrderedByWidth, Number):
    """A fixed-width integer; `signed` and `bitwidth` describe it."""

    def __init__(self, name: str, bitwidth: int | None = None, signed: bool | None = None):
        super().__init__(name)
        if bitwidth is None:
            bitwidth = int(name.lstrip("uint"))
            signed = not name.startswith("u")
        self.bitwidth = bitwidth
        self.signed = signed

    def can_convert_to(self, typingctx, other):
        """An integer converts unsafely to `void*` (an address, as ctypes' c_void_p takes)."""
        return 3 if type(other).__name__ == "RawPointer" else None


class Float(_OrderedByWidth, Number):
    """An IEEE float of `bitwidth` bits."""

    def __init__(self, name: str):
        super().__init__(name)
        self.bitwidth = int(name[len("float"):])


class Complex(_OrderedByWidth, Number):
    """A complex number made of two floats of `underlying_float` type."""

    def __init__(self, name: str, underlying_float: Float):
        super().__init__(name)
        self.underlying_float = underlying_float
        self.bitwidth = 2 * underlying_float.bitwidth


class NoneType(Dummy):
    """The type of `None`."""


class EllipsisType(Dummy):
    """The type of `...` (an index that stands for every axis not otherwise indexed)."""


class IntegerLiteral(Literal, Integer):
    """An integer constant; widens to int64 (uint64 for values only uint64 holds)."""

    def __init__(self, value: int):
        self.literal_value = value
        signed = value in INT64_RANGE
        self.literal_type = int64 if signed else uint64
        Integer.__init__(self, f"Literal[int]({value})", 64, signed)


class BigIntegerLiteral(Literal, Dummy):
    """An integer constant too large for any machine integer: only exact constant arithmetic
    accepts it (`2**64 - 1`); using it as a value is a TypingError, never a wrapped value."""

    def __init__(self, value: int):
        self.literal_value = value
        Dummy.__init__(self, f"Literal[int]({value})")

    @property
    def literal_type(self):
        raise TypingError(f"integer constant {self.literal_value} does not fit in int64 or "
                          f"uint64")


class FloatLiteral(Literal, Float):
    """A float constant; widens to float64."""

    def __init__(self, value: float):
        self.literal_value = value
        self.literal_type = float64
        Float.__init__(self, "float64")
        self.name = f"Literal[float]({value!r})"

    @property
    def key(self):
        return (float, repr(self.literal_value))  # keeps -0.0 apart from 0.0, nan equal to nan


class ComplexLiteral(Literal, Complex):
    """A complex constant; widens to complex128."""

    def __init__(self, value: complex):
        self.literal_value = value
        self.literal_type = complex128
        Complex.__init__(self, f"Literal[complex]({value!r})", float64)

    @property
    def key(self):
        return (complex, repr(self.literal_value))


class BooleanLiteral(Literal, Boolean):
    """A bool constant; widens to boolean."""

    def __init__(self, value: bool):
        self.literal_value = value
        self.literal_type = boolean
        Boolean.__init__(self, f"Literal[bool]({value})")


class StringLiteral(Literal, Dummy):
    """A str constant; usable where a compile-time string is expected (exception messages)."""

    def __init__(self, value: str):
        self.literal_value = value
        Dummy.__init__(self, f"Literal[str]({value!r})")

    #: the runtime str it widens to: types.strings.unicode_type, set there (that module
    #: builds on this one)
    literal_type = None

    def can_convert_to(self, typingctx, other):
        """A constant string fills a record's char field (`rec.name = 'abc'`)."""
        return 2 if type(other).__name__ in ("CharSeq", "UnicodeCharSeq") else None


boolean = bool_ = Boolean("bool")
int8, int16, int32, int64 = (Integer(f"int{b}") for b in (8, 16, 32, 64))
uint8, uint16, uint32, uint64 = (Integer(f"uint{b}") for b in (8, 16, 32, 64))
float32, float64 = Float("float32"), Float("float64")
complex64 = Complex("complex64", float32)
complex128 = Complex("complex128", float64)
none = NoneType("none")
ellipsis = EllipsisType("ellipsis")
void = none  # as in Numba: a function returning nothing returns None (C `void` in cfuncs)

intp, uintp = int64, uint64
byte = uint8
intc, uintc = int32, uint32
short, ushort = int16, uint16
long_, ulong = int64, uint64
longlong, ulonglong = int64, uint64
float_, double = float32, float64

signed_domain = frozenset([int8, int16, int32, int64])
unsigned_domain = frozenset([uint8, uint16, uint32, uint64])
integer_domain = signed_domain | unsigned_domain
real_domain = frozenset([float32, float64])
complex_domain = frozenset([complex64, complex128])
number_domain = integer_domain | real_domain | complex_domain


def literal(value) -> Type:
    """The literal type of a Python constant (bool, int, float, complex, str)."""
    if isinstance(value, bool):
        return BooleanLiteral(value)
    if isinstance(value, int):
        fits = value in INT64_RANGE or value in UINT64_RANGE
        return IntegerLiteral(value) if fits else BigIntegerLiteral(value)
    for kind, cls in ((float, FloatLiteral), (complex, ComplexLiteral), (str, StringLiteral)):
        if isinstance(value, kind):
            return cls(value)
    raise TypeError(f"no literal type for {type(value).__name__}")


def maybe_literal(value):
    """The literal type of `value`, or None if it has none (Numba's `types.maybe_literal`)."""
    try:
        return literal(value)
    except TypeError:
        return None
