"""`typed.List`: a Python sequence over a native list (Numba's `numba.typed.List`).

The object holds the native list's MemInfo in a capsule; compiled code receives that very
MemInfo (a typed list argument is never copied nor reflected: compiled code changes the list
itself), and a typed list returned from compiled code is wrapped without copying. Every
Python-side operation calls a small compiled function on the native list, as Numba does.
`List()` without an item type takes it from the first item stored."""
from __future__ import annotations

import ctypes
import weakref
from collections.abc import MutableSequence

from .. import types
from ..decorators import Dispatcher, njit
from ..errors import TypingError
from ..typing.typeof import typeof


class _TypeRefValue:
    """A type used as a value by compiled code (the item type handed to `empty_list`)."""

    def __init__(self, ty):
        self._numba_type_ = types.TypeRef(ty)


_EMPTY_MAKERS: dict = {}

#: the live typed.List of each native list (by MemInfo address), so a list returned from
#: compiled code is the very object passed in. A wrapper owns a reference to its MemInfo, so
#: an address cannot be reused while its entry lives.
_WRAPPERS: "weakref.WeakValueDictionary[int, List]" = weakref.WeakValueDictionary()

_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype = ctypes.c_void_p
_capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]


def _make_empty(item_type, allocated):
    """A new native list of `item_type` with room for `allocated` items, boxed."""
    maker = _EMPTY_MAKERS.get(item_type)
    if maker is None:
        ref = _TypeRefValue(item_type)

        def make(allocated):
            return List.empty_list(ref, allocated)
        maker = _EMPTY_MAKERS[item_type] = njit(make)
    return maker(allocated)


class _ListClass(type(MutableSequence)):
    @property
    def _numba_type_(cls):
        """The class used in compiled code: `List()` and `List.empty_list(...)` there."""
        return types.TypeRef(types.ListType(types.undefined))


class List(MutableSequence, metaclass=_ListClass):
    """A typed list usable from Python and compiled code."""

    def __init__(self, *args, **kwargs):
        """List() or List(iterable): the item type from the first item."""
        self._list_type = None
        self._opaque = None
        if kwargs:
            raise TypeError("List() takes no keyword arguments")
        if len(args) > 1:
            raise TypeError(f"List() expected at most 1 argument, got {len(args)}")
        if args:
            if not hasattr(args[0], "__iter__"):
                raise TypeError("List() argument must be iterable")
            self.extend(args[0])

    @classmethod
    def empty_list(cls, item_type, allocated=0):
        """An empty list of `item_type` with room for `allocated` items."""
        return _make_empty(_as_type(item_type), allocated)

    @classmethod
    def _from_capsule(cls, capsule, list_type):
        """Called by boxing: the typed.List of a native list (the capsule owns a reference
        to its MemInfo): the existing wrapper if there is one, else a new one."""
        address = _capsule_pointer(capsule, None)
        self = _WRAPPERS.get(address)
        if self is None or self._list_type != list_type:
            self = cls.__new__(cls)
            self._list_type, self._opaque = list_type, capsule
            _WRAPPERS[address] = self
        return self

    @property
    def _numba_type_(self):
        return self._list_type

    @property
    def _typed(self):
        """Whether the item type is known yet."""
        return self._list_type is not None

    @property
    def _dtype(self):
        if not self._typed:
            raise RuntimeError("invalid operation on untyped list")
        return self._list_type.dtype

    def _allocated(self):
        """How many items the native buffer has room for."""
        return _allocated(self) if self._typed else 0

    def _make_immutable(self):
        """Make later changes raise ValueError (Numba's)."""
        if self._typed:
            _make_immutable(self)

    def _is_mutable(self):
        return not self._typed or _is_mutable(self)

    def _typed_for(self, item):
        """Give an untyped list the type of its first item."""
        if not self._typed:
            made = List.empty_list(_item_type(item))
            self._list_type, self._opaque = made._list_type, made._opaque
            _WRAPPERS[_capsule_pointer(self._opaque, None)] = self

    # -- the sequence protocol ------------------------------------------------------------
    def __len__(self):
        return _length(self) if self._typed else 0

    def __getitem__(self, index):
        if not self._typed:
            raise IndexError("list index out of range")
        return _getitem(self, index)

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            value = List(value) if not isinstance(value, List) else value
            if not len(value):
                return _assign_nothing(self, index)
            self._typed_for(value[0])
        else:
            self._typed_for(value)
        _setitem(self, index, _compiled_value(value))

    def __delitem__(self, index):
        if not self._typed:
            raise IndexError("list assignment index out of range")
        _delitem(self, index)

    def __contains__(self, item):
        if not self._typed:
            return False
        try:
            return _contains(self, item)
        except TypingError:  # an item of another type is never in the list
            return False

    def __iter__(self):
        """By index, as CPython's list iterator: sees appends made while iterating."""
        index = 0
        while index < len(self):
            yield self[index]
            index += 1

    def insert(self, index, item):
        self._typed_for(item)
        _insert(self, index, _compiled_value(item))

    def append(self, item):
        self._typed_for(item)
        _append(self, _compiled_value(item))

    def extend(self, iterable):
        if isinstance(iterable, List):
            if len(iterable):
                self._typed_for(iterable[0])
                _extend(self, iterable)
            return
        items = _python_items(iterable)
        if items:
            self._typed_for(items[0])
            _extend_items(self, items)

    def pop(self, index=-1):
        if not self._typed:
            raise IndexError("pop from empty list")
        return _pop(self, index)

    def remove(self, item):
        if item not in self:
            raise ValueError("list.remove(x): x not in list")
        _remove(self, item)

    def index(self, item, start=0, stop=None):
        if item not in self:
            raise ValueError(f"{item!r} is not in list")
        return _index(self, item, start, len(self) if stop is None else stop)

    def count(self, item):
        return _count(self, item) if item in self else 0

    def reverse(self):
        if self._typed:
            _reverse(self)

    def sort(self, key=None, reverse=False):
        """Sort in place; a `key` function is compiled (as in Numba)."""
        if key is not None and not isinstance(key, Dispatcher):
            key = njit(key)
        if self._typed:
            _sort(self, key, reverse)

    def copy(self):
        return _copy(self) if self._typed else List()

    def clear(self):
        if self._typed:
            _clear(self)

    # -- comparisons and text ---------------------------------------------------------------
    def _compare(self, other, op):
        """Against a list, as lists compare; against anything else every comparison is
        False, `!=` included (Numba's rule, the same in compiled code)."""
        return isinstance(other, (List, list)) and op(list(self), list(other))

    def __eq__(self, other):
        return self._compare(other, lambda a, b: a == b)

    def __ne__(self, other):
        return self._compare(other, lambda a, b: a != b)

    def __lt__(self, other):
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other):
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other):
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other):
        return self._compare(other, lambda a, b: a >= b)

    __hash__ = None

    def __str__(self):
        return "[" + ", ".join(str(x) for x in self) + "]"

    def __repr__(self):
        prefix = self._list_type if self._typed else "ListType[Undefined]"
        return f"{prefix}({self})"


def _as_type(ty):
    """A type given as a type or as a Python/NumPy scalar class (`int`, `np.float64`)."""
    return ty if isinstance(ty, types.Type) else types.unliteral(typeof(ty))


def _python_items(iterable):
    """The items to store: a 0-d array's one item, a tuple's items if they share one type
    (Numba's rule: compiled code cannot iterate a mixed tuple)."""
    if getattr(iterable, "ndim", None) == 0 and hasattr(iterable, "item"):
        return [iterable.item()]
    items = list(iterable)
    if isinstance(iterable, tuple) and len({_item_type(x) for x in items}) > 1:
        raise TypingError("List() argument must be iterable: a tuple of items of different "
                          "types")
    return items


def _assign_nothing(lst, where):
    """`lst[where] = []`: deletes a simple slice; an extended one must be empty (CPython)."""
    count = len(range(*where.indices(len(lst))))
    if where.step not in (None, 1) and count:
        raise ValueError(f"attempt to assign sequence of size 0 to extended slice of size "
                         f"{count}")
    if count:
        del lst[where]


def _item_type(item):
    """The item type a list takes from its first item: a Python list stored in a typed list
    becomes a typed list (as Numba's typed.List does)."""
    if isinstance(item, list):
        if not item:
            raise TypingError("cannot infer the item type of an empty list stored in a "
                              "typed.List; use typed.List.empty_list(item_type)")
        return types.ListType(_item_type(item[0]))
    return types.unliteral(typeof(item))


def _compiled_value(value):
    """A Python list as a typed list (a list of lists is no plain argument), other values as
    they are."""
    return List(value) if isinstance(value, list) and value else value


def _extend_items(lst, items):
    """Extend from a Python list: one call when it unboxes as a list of the list's items, else
    item by item (mixed ints and floats convert as `append` does)."""
    try:
        _extend(lst, [_compiled_value(x) for x in items] if isinstance(items[0], list)
                else items)
    except TypeError:
        for item in items:
            _append(lst, _compiled_value(item))


@njit
def _make_immutable(lst):
    lst._make_immutable()


@njit
def _is_mutable(lst):
    return lst._is_mutable()


@njit
def _length(lst):
    return len(lst)


@njit
def _allocated(lst):
    return lst._allocated()


@njit
def _getitem(lst, index):
    return lst[index]


@njit
def _setitem(lst, index, value):
    lst[index] = value


@njit
def _delitem(lst, index):
    del lst[index]


@njit
def _contains(lst, item):
    return item in lst


@njit
def _insert(lst, index, item):
    lst.insert(index, item)


@njit
def _append(lst, item):
    lst.append(item)


@njit
def _extend(lst, other):
    lst.extend(other)


@njit
def _pop(lst, index):
    return lst.pop(index)


@njit
def _remove(lst, item):
    lst.remove(item)


@njit
def _index(lst, item, start, stop):
    return lst.index(item, start, stop)


@njit
def _count(lst, item):
    return lst.count(item)


@njit
def _reverse(lst):
    lst.reverse()


@njit
def _sort(lst, key, reverse):
    lst.sort(key=key, reverse=reverse)


@njit
def _copy(lst):
    return lst.copy()


@njit
def _clear(lst):
    lst.clear()
