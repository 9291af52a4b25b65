"""Tuple types: homogeneous `UniTuple(dtype, count)` and heterogeneous `Tuple(types)`."""
from __future__ import annotations

from ..errors import TypingError
from .abstract import Dummy, Hashable, Type
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
    """`Tuple([a, b])` (Numba's form) or `Tuple(a, b)` (handy in type strings)."""
    if len(args) == 1 and not isinstance(args[0], Type):
        return tuple(args[0])
    return tuple(args)


def tuple_of(types) -> BaseTuple:
    """UniTuple when all element types are equal (or empty), else Tuple."""
    types = tuple(types)
    if not types or all(t == types[0] for t in types):
        return UniTuple(types[0] if types else none, len(types))
    return Tuple(types)



class List(Hashable):
    """A homogeneous list of `dtype`; `reflected` when it came from a Python list argument."""

    mutable = True

    def __init__(self, dtype: Type, reflected: bool = False):
        self.dtype = dtype
        self.reflected = reflected
        super().__init__(f"{'reflected ' if reflected else ''}list({dtype})")

    @property
    def key(self):
        return (self.dtype, self.reflected)

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
