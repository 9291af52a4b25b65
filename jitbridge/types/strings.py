"""The runtime unicode string type (Numba's `types.unicode_type`); constants stay StringLiteral
and convert to it wherever a runtime string is expected."""
from __future__ import annotations

from .abstract import Hashable, Type
from .scalars import StringLiteral

class UnicodeType(Hashable):
    """A Python `str` value in compiled code (immutable, reference counted)."""

    def __init__(self):
        super().__init__("unicode_type")

    def unify(self, typingctx, other):
        """A string constant merged with a runtime string is a runtime string."""
        return self if isinstance(other, (UnicodeType, StringLiteral)) else None


class UnicodeIteratorType(Type):
    """An iterator over the characters of a string (each a one-character string)."""

    def __init__(self, dtype: UnicodeType):
        self.source_type = dtype
        self.yield_type = dtype
        super().__init__(f"iter({dtype})")

    @property
    def key(self):
        return self.source_type


unicode_type = UnicodeType()
StringLiteral.literal_type = unicode_type
