"""Tuple types: homogeneous `UniTuple(dtype, count)` and heterogeneous `Tuple(types)`."""
from __future__ import annotations

from ..errors import TypingError
from .abstract import Dummy, Hashable, Literal, Type, unliteral
from .scalars import BooleanLiteral, IntegerLiteral, StringLiteral, none


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
        super().__init__(f"UniTuple({dtype} x {count})")  # Numba's name, seen in messages

    @property
    def key(self):
        return (self.dtype, self.count)


class Tuple(BaseTuple):
    """A tuple of differently typed elements; `Tuple` of one repeated type gives a UniTuple."""

    def __new__(cls, *types):
        types = _as_items(types)
        if types and all(t == types[0] for t in types):
            return UniTuple(types[0], len(types))
        return super().__new__(cls)

    def __init__(self, *types):
        self.types = _as_items(types)
        super().__init__(f"Tuple({', '.join(map(str, self.types))})")

    @property
    def key(self):
        return self.types


class BaseNamedTuple(BaseTuple):
    """A namedtuple: its own type per class, so typeof and dispatch never mistake it for a
    plain tuple of the same items; `fields` name the items and the result boxes to the class."""

    instance_class: type
    fields: tuple

    def _set_class(self, instance_class: type) -> None:
        self.instance_class = instance_class
        self.fields = tuple(instance_class._fields)


class NamedUniTuple(UniTuple, BaseNamedTuple):
    """A namedtuple whose `count` items are all of type `dtype`."""

    def __init__(self, dtype: Type, count: int, cls: type):
        self._set_class(cls)
        super().__init__(dtype, count)
        self.name = f"{cls.__qualname__}({dtype} x {count})"

    @property
    def key(self):
        return (self.dtype, self.count, self.instance_class)


class NamedTuple(Tuple, BaseNamedTuple):
    """A namedtuple of differently typed items."""

    def __new__(cls, types, instance_class):
        return object.__new__(cls)

    def __init__(self, types, cls: type):
        _iterable(types)
        self._set_class(cls)
        super().__init__(tuple(types))
        self.name = f"{cls.__qualname__}({', '.join(map(str, self.types))})"

    @property
    def key(self):
        return (self.types, self.instance_class)


class NamedTupleClass(Dummy):
    """A namedtuple class used in compiled code: calling it builds an instance."""

    def __init__(self, cls: type):
        self.instance_class = cls
        super().__init__(f"class({cls.__qualname__})")

    @property
    def key(self):
        return self.instance_class


def named_tuple_of(types, cls: type) -> BaseNamedTuple:
    """NamedUniTuple when all item types are equal (or none), else NamedTuple."""
    types = tuple(types)
    if not types or all(t == types[0] for t in types):
        return NamedUniTuple(types[0] if types else none, len(types), cls)
    return NamedTuple(types, cls)


def _as_items(args) -> tuple:
    """`Tuple([a, b])` (Numba's form) or `Tuple(a, b)` (handy in type strings); one type
    alone is refused as Numba does (`Tuple((uint32))` is no tuple of types)."""
    if len(args) == 1 and not isinstance(args[0], BaseTuple):
        return _iterable(args[0])
    return tuple(args)


def _iterable(value) -> tuple:
    if isinstance(value, Type) or not hasattr(value, "__iter__"):
        raise TypingError("Argument 'types' is not iterable")
    return tuple(value)


def tuple_of(types) -> BaseTuple:
    """UniTuple when all element types are equal (or empty), else Tuple."""
    types = tuple(types)
    if not types or all(t == types[0] for t in types):
        return UniTuple(types[0] if types else none, len(types))
    return Tuple(types)



class List(Hashable):
    """A homogeneous list of `dtype`; `reflected` when it came from a Python list argument."""

    mutable = True

    def __init__(self, dtype: Type, reflected: bool = False, initial_value=None):
        self.dtype = dtype
        self.reflected = reflected
        # the constants of the display that made the list (`[1, 2, 3]`), seen by @overload
        # functions given literal types (Numba's InitialValue); never the list's contents
        self.initial_value = None if initial_value is None else list(initial_value)
        shown = "" if initial_value is None else f"<iv={self.initial_value}>"
        super().__init__(f"{'reflected ' if reflected else ''}list({dtype}){shown}")

    @property
    def key(self):
        if self.initial_value is None:
            return (self.dtype, self.reflected)
        return (self.dtype, self.reflected, tuple(self.initial_value))

    def __unliteral__(self) -> "List":
        return self if self.initial_value is None else List(self.dtype, self.reflected)

    def copy(self, dtype=None, reflected=None) -> "List":
        return List(dtype or self.dtype, self.reflected if reflected is None else reflected)

    def unify(self, typingctx, other):
        if not isinstance(other, List) or isinstance(other, ListType):
            return None
        reflected = self.reflected or other.reflected
        if other.dtype == self.dtype or other.dtype.name == "undefined":
            return List(self.dtype, reflected)
        if self.dtype.name == "undefined":
            return List(other.dtype, reflected)
        return None


class ListType(List):
    """A typed list (Numba's `types.ListType`, the type of `typed.List`): the representation
    of a compiled list, never reflected, and boxed as a `typed.List` sharing the native list.
    Its item type is `undefined` until the first item refines it (`List()` in compiled code)."""

    def __init__(self, item_type: Type):
        if isinstance(item_type, List) and item_type.reflected:
            # its writes back to the Python list would be lost once the typed list outlives
            # the call (Numba's message)
            raise TypingError(f"List.item_type cannot be of type {item_type}")
        super().__init__(item_type, reflected=False)
        self.item_type = item_type
        self.name = f"ListType[{item_type}]"

    @property
    def key(self):
        return self.dtype

    def copy(self, dtype=None, reflected=None) -> "ListType":
        return ListType(dtype or self.dtype)

    def is_precise(self) -> bool:
        return self.dtype.name != "undefined"

    def unify(self, typingctx, other):
        """An empty typed list of unknown item type takes the item type it merges with."""
        if not isinstance(other, ListType):
            return None
        if other.dtype == self.dtype or other.dtype.name == "undefined":
            return self
        return other if self.dtype.name == "undefined" else None

    def can_convert_to(self, typingctx, other):
        """An empty typed list of unknown item type becomes one of any type (rank promote)."""
        return 1 if isinstance(other, ListType) and self.dtype.name == "undefined" else None


class LiteralList(Hashable):
    """A list display whose items do not share a type (`[1, 'a']`): a read-only record of
    its items, indexed by constants (Numba's LiteralList). `literal_value` lists the item
    types (literal ones kept); not a tuple type, so tuple operations never take it."""

    def __init__(self, literal_value):
        self.types = tuple(literal_value)
        self.literal_value = list(self.types)
        self.count = len(self.types)
        super().__init__(f"LiteralList({self.literal_value})")

    @property
    def key(self):
        return self.types

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        return self.types[index]

    def __iter__(self):
        return iter(self.types)

    def unify(self, typingctx, other):
        """Displays of as many items of the same types, constants aside (`['a', 1]` with
        `['b', 2]`)."""
        if not isinstance(other, LiteralList) or other.count != self.count:
            return None
        items = [unliteral(a) for a in self.types]
        same = all(a == unliteral(b) for a, b in zip(items, other.types))
        return LiteralList(items) if same else None  # (one representation: see can_convert_to)

    def can_convert_to(self, typingctx, other):
        """To a display of wider item types (the same representation: see lib/lists_literal)."""
        if isinstance(other, LiteralList) and other.count == self.count and \
                all(unliteral(a) == unliteral(b) for a, b in zip(self.types, other.types)):
            return 1
        return None


#: the literal kinds a list display remembers as its initial value (Numba's)
_INITIAL_VALUE_KINDS = (IntegerLiteral, BooleanLiteral, StringLiteral)


def display_item_type(ty):
    """The type a display remembers for an item: int, bool and str constants stay literal
    (the kinds of constants Numba's types know), other constants are widened."""
    widen = isinstance(ty, Literal) and not isinstance(ty, _INITIAL_VALUE_KINDS)
    return ty.literal_type if widen else ty


def display_initial_value(item_types):
    """The constants of a list display whose items are all int, bool or str literals, else
    None (`[1, 2, 3]` gives [1, 2, 3])."""
    if item_types and all(isinstance(t, _INITIAL_VALUE_KINDS) for t in item_types):
        return [t.literal_value for t in item_types]
    return None


class ListIterator(Type):
    """Iterator over a list."""

    def __init__(self, list_type: List):
        self.list_type = self.source_type = list_type
        self.yield_type = list_type.dtype
        super().__init__(f"iter({list_type})")

    @property
    def key(self):
        return self.list_type


class SliceType(Type):
    """A slice object with `members` (2 or 3) integer bounds; None parts are defaults.

    `literal_value` is the slice itself when all its parts are known when typing (`t[1:-1]`
    slices a tuple statically). It is an attribute, not a subclass (Numba's SliceLiteral), so
    code dispatching on `type(ty)` keeps seeing a slice; unification drops it."""

    def __init__(self, members: int, literal_value: slice | None = None):
        self.members = members
        self.literal_value = literal_value
        if literal_value is None:
            super().__init__(f"slice<{members}>")
        else:
            parts = (literal_value.start, literal_value.stop, literal_value.step)
            super().__init__(f"Literal[slice]({', '.join(map(str, parts))})")

    @property
    def key(self):
        value = self.literal_value  # slice objects are unhashable before Python 3.12
        return self.members if value is None else (self.members, value.start, value.stop,
                                                   value.step)

    def unify(self, typingctx, other):
        if isinstance(other, SliceType) and other.members == self.members:
            return SliceType(self.members)
        return None


def SliceLiteral(value: slice) -> SliceType:  # noqa: N802 (Numba's name for the type)
    """The type of slice `value` known when typing."""
    return SliceType(2 if value.step is None else 3, value)
