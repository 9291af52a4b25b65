"""Typed sets (Numba's `types.Set` and `types.SetIter`).

A set created empty (`set()`) has the `undefined` item type until an insert refines it, as `[]`
does for lists."""
from __future__ import annotations

from .abstract import Type


def _is_undefined(ty) -> bool:
    return getattr(ty, "name", None) == "undefined"


class Set(Type):
    """A hashed, reference-counted set of `dtype`; `reflected` when it came from a Python set
    argument (changes made by compiled code are written back to it)."""

    mutable = True
    frozen = False

    def __init__(self, dtype: Type, reflected: bool = False):
        self.dtype = dtype
        self.reflected = reflected
        super().__init__(f"{'reflected ' if reflected else ''}set({dtype})")

    @property
    def key(self):
        return (self.dtype, self.reflected)

    def copy(self, dtype=None, reflected=None) -> "Set":
        return Set(dtype or self.dtype, self.reflected if reflected is None else reflected)

    def is_precise(self) -> bool:
        return not _is_undefined(self.dtype)

    def unify(self, typingctx, other):
        """Sets of one item type merge (reflected if either is); an empty set of unknown item
        type takes the other's."""
        if not isinstance(other, Set) or isinstance(other, FrozenSet) != self.frozen:
            return None
        reflected = self.reflected or other.reflected
        if other.dtype == self.dtype or not other.is_precise():
            return Set(self.dtype, reflected)
        if not self.is_precise():
            return Set(other.dtype, reflected)
        return None

    def can_convert_to(self, typingctx, other):
        """To a set of the same items (reflected or not), or from an unknown item type."""
        if isinstance(other, Set) and isinstance(other, FrozenSet) == self.frozen and (
                other.dtype == self.dtype or not self.is_precise()):
            return 1
        return None


class FrozenSet(Set):
    """A frozenset of `dtype`: the representation and read-only operations of a set (its
    mutating methods are refused), hashable, boxed as a Python frozenset."""

    mutable = False
    frozen = True

    def __init__(self, dtype: Type):
        self.dtype = dtype
        self.reflected = False
        Type.__init__(self, f"frozenset({dtype})")

    @property
    def key(self):
        return self.dtype

    def copy(self, dtype=None, reflected=None) -> "FrozenSet":
        return FrozenSet(dtype or self.dtype)

    def unify(self, typingctx, other):
        if isinstance(other, FrozenSet) and (other.dtype == self.dtype or not other.is_precise()):
            return self
        if isinstance(other, FrozenSet) and not self.is_precise():
            return other
        return None


class SetIter(Type):
    """Iterator over a set."""

    def __init__(self, set_type: Set):
        self.container = self.source_type = set_type
        self.yield_type = set_type.dtype
        super().__init__(f"iter({set_type})")

    @property
    def key(self):
        return self.container
