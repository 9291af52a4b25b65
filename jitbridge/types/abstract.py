"""Type base classes. Types are immutable values compared by (class, key); no llvmlite here."""
from __future__ import annotations


#: Filled by types/__init__.py: constructors defined in modules that import this one.
_HOOKS: dict = {}


class Type:
    """Base of every jitbridge type; equality and hash come from `(type(self), self.key)`."""

    mutable = False
    reflected = False

    def __init__(self, name: str):
        self.name = name

    @property
    def key(self):
        """What distinguishes two instances of the same class (the name by default)."""
        return self.name

    def __eq__(self, other) -> bool:
        return self is other or (self.__class__ is other.__class__ and self.key == other.key)

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        # Cached: hashing a nested type (tuples of tuples) recurses through every level, and
        # the data model and typing caches hash the same types over and over.
        cached = self.__dict__.get("_cached_hash")
        if cached is None:
            cached = self.__dict__["_cached_hash"] = hash((self.__class__, self.key))
        return cached

    def __getstate__(self):
        """Pickled without the cached hash (string hashes differ between processes)."""
        return {k: v for k, v in self.__dict__.items() if k != "_cached_hash"}

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__

    def unify(self, typingctx, other) -> "Type | None":
        """Common type with `other`, or None; extension types may override."""
        return None

    def can_convert_to(self, typingctx, other):
        """A Conversion rank if values of this type convert to `other` (extension hook)."""
        return None

    def __getitem__(self, spec):
        """`float64[:]`, `float64[:, ::1]`: an array type of this dtype."""
        return _HOOKS["array"](self, spec)

    def __call__(self, *args):
        """`float64(int64, int64)`: a signature returning this type."""
        return _HOOKS["signature"](self, *args)


class Dummy(Type):
    """A type with no runtime data (modules, functions, exception classes)."""


class Hashable(Type):
    """Types whose values are hashable."""


class Opaque(Dummy):
    """A type whose values are opaque pointers."""


class Callable(Type):
    """Types whose values can be called."""


class Number(Hashable):
    """Abstract base of numeric scalar types."""


class Literal(Type):
    """A compile-time constant value; `literal_type` is the type it widens to."""

    literal_value = None
    literal_type: Type

    @property
    def key(self):
        return (type(self.literal_value), self.literal_value)


def unliteral(ty: Type) -> Type:
    """The non-literal type a literal widens to (identity for other types)."""
    return ty.literal_type if isinstance(ty, Literal) else ty
