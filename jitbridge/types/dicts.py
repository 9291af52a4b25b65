"""Typed dictionaries (Numba's `types.DictType` and its views and iterators).

A dict created empty (`{}`, `Dict()`) has `undefined` key and value types until an insert
refines them, as `[]` does for lists."""
from __future__ import annotations

from .abstract import Dummy, Type, unliteral
from .containers import Tuple
from .scalars import literal


def _is_undefined(ty) -> bool:
    return getattr(ty, "name", None) == "undefined"


class DictType(Type):
    """A typed, hashed, reference-counted dict of `key_type` -> `value_type`."""

    mutable = True

    def __init__(self, key_type: Type, value_type: Type, initial_value=None):
        self.key_type, self.value_type = key_type, value_type
        self.keyvalue_type = (key_type, value_type)
        # the constants of the display that made the dict (`{'a': 1}`), seen by @overload
        # functions given literal types (Numba's InitialValue); never the dict's contents
        self.initial_value = None if initial_value is None else dict(initial_value)
        shown = "" if initial_value is None else f"<iv={self.initial_value}>"
        super().__init__(f"DictType[{key_type},{value_type}]{shown}")

    @property
    def key(self):
        if self.initial_value is None:
            return self.keyvalue_type
        return (self.keyvalue_type, tuple(self.initial_value.items()))

    def __unliteral__(self) -> "DictType":
        return self if self.initial_value is None else DictType(*self.keyvalue_type)

    def is_precise(self) -> bool:
        return not (_is_undefined(self.key_type) or _is_undefined(self.value_type))

    def unify(self, typingctx, other):
        """An empty dict of unknown item types takes the types of the dict it merges with."""
        if not isinstance(other, DictType):
            return None
        if not other.is_precise():
            return self
        if not self.is_precise():
            return other
        if other.keyvalue_type == self.keyvalue_type:  # displays of other constants
            return DictType(*self.keyvalue_type)
        return None

    def can_convert_to(self, typingctx, other):
        """An empty dict of unknown item types becomes a dict of any types (rank promote)."""
        return 1 if isinstance(other, DictType) and not self.is_precise() else None


class DictViewType(Type):
    """`d.keys()`, `d.values()`, `d.items()`: a live view of dict `parent`."""

    kind = ""

    def __init__(self, parent: DictType):
        self.parent = parent
        self.source_type = parent
        self.yield_type = _view_item(self.kind, parent)
        super().__init__(f"{type(self).__name__}[{parent}]")

    @property
    def key(self):
        return self.parent

    def unify(self, typingctx, other):
        return _unify_parents(self, other, lambda parent: type(self)(parent))


class DictKeysIterableType(DictViewType):
    kind = "keys"


class DictValuesIterableType(DictViewType):
    kind = "values"


class DictItemsIterableType(DictViewType):
    kind = "items"


class DictIteratorType(Type):
    """An iterator over a dict's keys, values or items (in insertion order)."""

    def __init__(self, iterable: DictViewType):
        self.parent = iterable.parent
        self.iterable = iterable
        self.source_type = iterable.parent
        self.yield_type = iterable.yield_type
        super().__init__(f"iter({iterable})")

    @property
    def key(self):
        return self.iterable

    def unify(self, typingctx, other):
        return _unify_parents(self, other, lambda parent: DictIteratorType(
            type(self.iterable)(parent)))


def _unify_parents(this, other, rebuild):
    """A view or iterator of a dict typed before its first insert, merged with one typed
    after it (as their dicts unify)."""
    if type(other) is not type(this) or getattr(other, "iterable", this).__class__ is not \
            getattr(this, "iterable", this).__class__:
        return None
    parent = this.parent.unify(None, other.parent)
    return None if parent is None else rebuild(parent)


class TypeRef(Dummy):
    """A type used as a value in compiled code (`Dict.empty(key_type=types.unicode_type, ...)`)."""

    def __init__(self, instance_type: Type):
        self.instance_type = instance_type
        super().__init__(f"typeref[{instance_type}]")

    @property
    def key(self):
        return self.instance_type


def _view_item(kind: str, parent: DictType):
    if kind == "keys":
        return parent.key_type
    if kind == "values":
        return parent.value_type
    return Tuple([parent.key_type, parent.value_type])


class LiteralStrKeyDict(Type):
    """A dict display whose keys are all string constants and whose values differ in type
    (`{'a': 1, 'b': 'x'}`): a read-only record of the values, indexed by constant keys
    (Numba's LiteralStrKeyDict). `literal_value` maps each literal key to its value's type."""

    def __init__(self, keys, value_types: tuple | None = None):
        if value_types is None:  # Numba's form: {literal key type: value type}
            keys, value_types = [k.literal_value for k in keys], list(keys.values())
        self.keys, self.value_types = tuple(keys), tuple(value_types)
        self.literal_value = {literal(k): v for k, v in zip(self.keys, self.value_types)}
        self.tuple_type = Tuple([unliteral(v) for v in self.value_types])
        shown = ", ".join(f"{k!r}: {v}" for k, v in zip(self.keys, self.value_types))
        super().__init__(f"LiteralStrKey[Dict]({shown})")

    @property
    def key(self):
        return (self.keys, self.value_types)

    def unify(self, typingctx, other):
        """Displays of the same keys and value types (constants aside) merge."""
        if isinstance(other, LiteralStrKeyDict) and other.keys == self.keys and \
                other.tuple_type == self.tuple_type:
            return LiteralStrKeyDict(self.keys, self.tuple_type.types)
        return None

    def can_convert_to(self, typingctx, other):
        """To the same display with constants forgotten (the representation is the same)."""
        return 1 if self.unify(typingctx, other) == other else None


