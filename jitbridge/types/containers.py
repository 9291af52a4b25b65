"""Tuple types: homogeneous `UniTuple(dtype, count)` and heterogeneous `Tuple(types)`."""
from __future__ import annotations

from .abstract import Hashable, Type
from .scalars import none


class BaseTuple(Hashable):
    """Common base of tuple types; `types` lists the element types."""

    types: tuple

    def __len__(self) -> int:
        return len(self.types)

    def __iter__(self):
        return iter(self.types)


class UniTuple(BaseTuple):
    """A tuple of `count` elements all of type `dtype`."""

    def __init__(self, dtype: Type, count: int):
        self.dtype = dtype
        self.count = count
        self.types = (dtype,) * count
        super().__init__(f"UniTuple({dtype}, {count})")

    @property
    def key(self):
        return (self.dtype, self.count)


class Tuple(BaseTuple):
    """A tuple of differently typed elements; `Tuple` of one repeated type gives a UniTuple."""

    def __new__(cls, types):
        types = tuple(types)
        if types and all(t == types[0] for t in types):
            return UniTuple(types[0], len(types))
        return super().__new__(cls)

    def __init__(self, types):
        self.types = tuple(types)
        super().__init__(f"Tuple({', '.join(map(str, self.types))})")

    @property
    def key(self):
        return self.types


def tuple_of(types) -> BaseTuple:
    """UniTuple when all element types are equal (or empty), else Tuple."""
    types = tuple(types)
    if not types or all(t == types[0] for t in types):
        return UniTuple(types[0] if types else none, len(types))
    return Tuple(types)

