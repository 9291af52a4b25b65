"""Scalar types: booleans, integers, floats, complex numbers, None and their literals."""
from __future__ import annotations

from .abstract import Dummy, Hashable, Literal, Number, Type


class Boolean(Hashable):
    """The `bool` type."""


class Integer(Number):
    """A fixed-width integer; `signed` and `bitwidth` describe it."""

    def __init__(self, name: str, bitwidth: int | None = None, signed: bool | None = None):
        super().__init__(name)
        if bitwidth is None:
            bitwidth = int(name.lstrip("uint"))
            signed = not name.startswith("u")
        self.bitwidth = bitwidth
        self.signed = signed


class Float(Number):
    """An IEEE float of `bitwidth` bits."""

    def __init__(self, name: str):
        super().__init__(name)
        self.bitwidth = int(name[len("float"):])


class Complex(Number):
    """A complex number made of two floats of `underlying_float` type."""

    def __init__(self, name: str, underlying_float: Float):
        super().__init__(name)
        self.underlying_float = underlying_float
        self.bitwidth = 2 * underlying_float.bitwidth


class NoneType(Dummy):
    """The type of `None`."""


class VoidType(Dummy):
    """Return type of functions that return nothing (C `void`)."""


class IntegerLiteral(Literal, Integer):
    """An integer constant; widens to int64."""

    def __init__(self, value: int):
        self.literal_value = value
        self.literal_type = int64
        Integer.__init__(self, f"Literal[int]({value})", 64, True)


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
        self.literal_type = self
        Dummy.__init__(self, f"Literal[str]({value!r})")


boolean = bool_ = Boolean("bool")
int8, int16, int32, int64 = (Integer(f"int{b}") for b in (8, 16, 32, 64))
uint8, uint16, uint32, uint64 = (Integer(f"uint{b}") for b in (8, 16, 32, 64))
float32, float64 = Float("float32"), Float("float64")
complex64 = Complex("complex64", float32)
complex128 = Complex("complex128", float64)
none = NoneType("none")
void = VoidType("void")

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
    """The literal type of a Python constant (bool, int, str)."""
    if isinstance(value, bool):
        return BooleanLiteral(value)
    if isinstance(value, int):
        return IntegerLiteral(value)
    if isinstance(value, str):
        return StringLiteral(value)
    raise TypeError(f"no literal type for {type(value).__name__}")
