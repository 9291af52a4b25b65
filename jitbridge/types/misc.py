"""Miscellaneous types: Python objects, modules, ranges and iterators, omitted arguments."""
from __future__ import annotations

from .abstract import Dummy, Opaque, Type
from .scalars import Complex, Float, Integer, int64

_SAFE, _UNSAFE = 2, 3  # typing.unify.Conversion ranks (types may not import typing)


class PyObject(Opaque):
    """A raw `PyObject*` handled by the runtime."""


class Module(Dummy):
    """A Python module used as a namespace (its attributes are frozen as constants)."""

    def __init__(self, pymod):
        self.pymod = pymod
        super().__init__(f"Module({pymod.__name__})")

    @property
    def key(self):
        return self.pymod


class _ByValueOrIdentity:
    """A key part: equal values for hashable ones, the same object for the others."""

    def __init__(self, value):
        self.value = value
        try:
            self._hash = hash(value)
        except TypeError:
            self._hash = None

    def __eq__(self, other):
        if not isinstance(other, _ByValueOrIdentity):
            return NotImplemented
        if self.value is other.value:
            return True
        return self._hash is not None and other._hash is not None and self.value == other.value

    def __hash__(self):
        return self._hash if self._hash is not None else object.__hash__(self.value)


class Omitted(Opaque):
    """An argument left out so its default is used."""

    def __init__(self, value):
        self.value = value
        super().__init__(f"omitted(default={value!r})")

    @property
    def key(self):
        return (type(self.value), _ByValueOrIdentity(self.value))


class RangeType(Type):
    """The value of `range(start, stop, step)` over integers of `dtype`."""

    def __init__(self, dtype: Type):
        self.dtype = dtype
        super().__init__(f"range_state_{dtype}")

    @property
    def key(self):
        return self.dtype


class RangeIteratorType(Type):
    """An iterator over a range."""

    def __init__(self, dtype: Type):
        self.dtype = dtype
        self.yield_type = dtype
        super().__init__(f"range_iter_{dtype}")

    @property
    def key(self):
        return self.dtype


class _EnumTyped:
    """Identified by an Enum class and the one type of all its members' values."""

    def __init__(self, cls: type, dtype: Type):
        self.instance_class = cls
        self.dtype = dtype
        super().__init__(f"{type(self).__name__}<{dtype}>({cls.__qualname__})")

    @property
    def key(self):
        return (self.instance_class, self.dtype)


class EnumMember(_EnumTyped, Type):
    """A member of the Enum class `instance_class`; represented by its `.value`, of type
    `dtype` (one type for all the class's members), and boxed back to the member."""


class IntEnumMember(EnumMember):
    """A member of an IntEnum class: also usable wherever its integer value is."""

    def can_convert_to(self, typingctx, other):
        if isinstance(other, Integer):
            return _SAFE if other.signed == self.dtype.signed else _UNSAFE
        return _UNSAFE if isinstance(other, (Float, Complex)) else None

    def unify(self, typingctx, other):
        """With an integer or another IntEnum's member (at a join): the integer type."""
        other_int = other.dtype if isinstance(other, IntEnumMember) else other
        if isinstance(other_int, Integer) and other_int.signed == self.dtype.signed:
            return max(self.dtype, other_int, key=lambda t: t.bitwidth)
        return None


class EnumClass(_EnumTyped, Dummy):
    """An Enum class used as a namespace (`Color.red`, `Color['red']`)."""

    member_type = EnumMember

    @property
    def member(self) -> EnumMember:
        return self.member_type(self.instance_class, self.dtype)


class IntEnumClass(EnumClass):
    """An IntEnum class."""

    member_type = IntEnumMember


class Phantom(Dummy):
    """A placeholder for values that never materialise (unreachable code)."""


pyobject = PyObject("pyobject")
range_state64 = RangeType(int64)
range_iter64 = RangeIteratorType(int64)


class Optional(Type):
    """A value of `type`, or None: what a variable is after paths assign it either (Numba's
    `types.Optional`). Operations on it use the value, checking it is not None when run."""

    def __init__(self, typ: Type):
        self.type = typ
        super().__init__(f"OptionalType({typ})")

    @property
    def key(self):
        return self.type


def optional(typ: Type) -> Type:
    """Optional(typ); None itself and Optional types stay as they are."""
    return typ if isinstance(typ, Optional) or typ.name == "none" else Optional(typ)


class NumPyRandomGeneratorType(Type):
    """The type of np.random.Generator objects (Numba's name; lib/random/gen_core.py)."""

    def __init__(self, name="NumPyRandomGeneratorType"):
        super().__init__(name)


#: the one type of every np.random.Generator (Numba's `types.npy_rng`)
npy_rng = NumPyRandomGeneratorType()


class NumPyRandomBitGeneratorType(Type):
    """The type of a Generator's `bit_generator` (Numba's name; lib/random/gen_core.py)."""

    def __init__(self, name="NumPyRandomBitGeneratorType"):
        super().__init__(name)


#: the one type of every NumPy BitGenerator (Numba's `types.npy_bitgen`)
npy_bitgen = NumPyRandomBitGeneratorType()
