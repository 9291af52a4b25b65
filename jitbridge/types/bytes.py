"""Python `bytes` in compiled code: an immutable run of bytes (Numba's spelling of its type)."""
from __future__ import annotations

from .abstract import Hashable, Type


class Bytes(Hashable):
    """A `bytes` value: its length, its data, and what keeps the data alive."""

    def __init__(self):
        super().__init__("Bytes(uint8, 1d, C)")


class BytesIteratorType(Type):
    """An iterator over the bytes of a `bytes` value (each an int)."""

    def __init__(self, source: Bytes, item: Type):
        self.source_type = source
        self.yield_type = item
        super().__init__(f"iter({source})")

    @property
    def key(self):
        return self.source_type


bytes_type = Bytes()
