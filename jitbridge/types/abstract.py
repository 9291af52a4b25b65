"""Type base classes. Types are immutable values compared by (class, key), and interned: making a
type equal to one alive returns that one, and unpickling gives the running process's own
instance (`types.float64` unpickles as `types.float64`). No llvmlite here."""
from __future__ import annotations

import weakref

#: Filled by types/__init__.py: constructors defined in modules that import this one.
_HOOKS: dict = {}
_interned: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _intern(ty):
    try:
        return _interned.setdefault((type(ty), ty.key), ty)
    except TypeError:  # a key that cannot be hashed: equal by key, but not shared
        return ty


def _rebuild(cls, state: dict):
    """Unpickle: the interned type of that class and state."""
    ty = object.__new__(cls)
    ty.__dict__.update(state)
    return _intern(ty)


class _InterningMeta(type):
    def __call__(cls, *args, **kws):
        return _intern(super().__call__(*args, **kws))


class Type(metaclass=_InterningMeta):
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

    def __reduce__(self):
        """Pickled without the cached hash (string hashes differ between processes)."""
        state = {k: v for k, v in self.__dict__.items() if k != "_cached_hash"}
        return _rebuild, (type(self), state)

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

    def __call__(self, *args):
        """`int32(5)` in Python: the NumPy scalar of this type (as Numba's types); with
        types, a signature (`float64(int64)`)."""
        if len(args) == 1 and not isinstance(args[0], Type):
            return _HOOKS["cast_value"](self, args[0])
        return super().__call__(*args)


class Literal(Type):
    """A compile-time constant value; `literal_type` is the type it widens to."""

    literal_value = None
    literal_type: Type

    @property
    def key(self):
        return (type(self.literal_value), self.literal_value)


def unliteral(ty: Type) -> Type:
    """The non-literal type a literal widens to (identity for other types); a type with an
    `__unliteral__` method (a list display's type, which remembers its constants) says."""
    if isinstance(ty, Literal):
        return ty.literal_type
    forget = getattr(ty, "__unliteral__", None)
    return ty if forget is None else forget()
