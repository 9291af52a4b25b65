"""Numba's `types.StructRef`: a mutable struct passed by reference (a MemInfo owning its
fields), and `StructRefPayload`, the type of the fields' block. User code subclasses StructRef
and registers the subclass (`jitbridge.experimental.structref.register`); two StructRefs are
the same type when their class and fields are (the name spells both, as Numba's does)."""
from __future__ import annotations

from types import MappingProxyType

from .abstract import Type, _intern, _interned


def _checked_field(pair) -> tuple:
    name, typ = pair
    if not isinstance(name, str):
        raise ValueError("expecting a str for field name")
    if not isinstance(typ, Type):
        raise ValueError("expecting a Numba Type for field type")
    return name, typ


def _blank(cls, name: str):
    """Unpickling: the live type of that class and name if there is one (types are interned:
    code compares them by identity), else one with only its name (its key) yet, which
    __setstate__ completes."""
    live = _interned.get((cls, name))
    if live is not None:
        return live
    ty = object.__new__(cls)
    ty.name = name
    return ty


class StructRef(Type):
    """A mutable struct of `fields` ((name, type) pairs), referenced: copies share it."""

    mutable = True

    def __init__(self, fields):
        fields = tuple(map(_checked_field, fields))
        self._fields = tuple(map(_checked_field, self.preprocess_fields(fields)))
        self._typename = type(self).__qualname__
        super().__init__(f"numba.{self._typename}{self._fields}")

    def preprocess_fields(self, fields):
        """Subclasses may rewrite the fields (a field typed as Optional(self), say); the
        default keeps them."""
        return fields

    def __hash__(self) -> int:
        # By class only: preprocess_fields may hash `self` (Optional(self)) before the final
        # name exists, and a hash must never change while the type sits in a table.
        return hash(type(self).__qualname__)

    def __reduce__(self):
        """A blank instance, then its state: pickle's memo then holds the type before its
        fields, so a field referring to the type itself (Optional(self)) round-trips."""
        state = {k: v for k, v in self.__dict__.items() if k != "_cached_hash"}
        return _blank, (type(self), self.name), state

    def __setstate__(self, state: dict) -> None:
        if "_fields" not in self.__dict__:  # not the live type _blank found
            self.__dict__.update(state)
            _intern(self)

    @property
    def field_dict(self) -> MappingProxyType:
        return MappingProxyType(dict(self._fields))

    @property
    def struct(self) -> dict:
        """name -> type in field order (the view jitclass instances give, so both share one
        representation of their fields)."""
        return dict(self._fields)

    @property
    def classname(self) -> str:
        return self._typename

    def get_data_type(self) -> "StructRefPayload":
        return StructRefPayload(type(self).__name__, self._fields)


class StructRefPayload(Type):
    """The type of the block of fields a StructRef refers to."""

    mutable = True

    def __init__(self, typename: str, fields):
        self._typename = typename
        self._fields = tuple(fields)
        super().__init__(f"numba.{typename}{self._fields}.payload")

    @property
    def field_dict(self) -> MappingProxyType:
        return MappingProxyType(dict(self._fields))
