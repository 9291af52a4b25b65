"""`typed.Dict`: a Python mapping over a native dict (Numba's `numba.typed.Dict`).

The object holds the native dict's MemInfo in a capsule; compiled code receives that very
MemInfo, and a dict returned from compiled code is wrapped without copying. Every Python-side
operation calls a small compiled function on the native dict, as Numba does. `Dict()` without
types takes them from its first insert."""
from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from .. import types
from ..decorators import njit
from ..errors import TypingError
from ..typing.typeof import typeof


class _TypeRefValue:
    """A dict type used as a value by compiled code: calling it makes an empty dict."""

    def __init__(self, dict_type):
        self._numba_type_ = types.TypeRef(dict_type)


_EMPTY_MAKERS: dict = {}


def _make_empty(dict_type):
    """A new native dict of `dict_type`, boxed (a typed.Dict)."""
    maker = _EMPTY_MAKERS.get(dict_type)
    if maker is None:
        ref = _TypeRefValue(dict_type)

        def make():
            return ref()
        maker = _EMPTY_MAKERS[dict_type] = njit(make)
    return maker()


class _DictClass(type(MutableMapping)):
    @property
    def _numba_type_(cls):
        """The class used in compiled code: `Dict()` and `Dict.empty(...)` there."""
        return types.TypeRef(types.DictType(types.undefined, types.undefined))


class Dict(MutableMapping, metaclass=_DictClass):
    """A typed dict usable from Python and compiled code."""

    def __init__(self, *args, **kwargs):
        """Dict(), Dict(iterable of (key, value) pairs), Dict(**items): types from the first
        item. A mapping is refused as in Numba (typed.Dict.empty and item assignment make
        one from a dict)."""
        self._dict_type = None
        self._opaque = None
        if len(args) > 1:
            raise TypingError(f"Dict expect at most 1 argument, got {len(args)}")
        if args:
            self._fill(args[0])
        for key, value in kwargs.items():
            self[key] = value

    def _fill(self, iterable):
        if isinstance(iterable, Mapping):
            raise TypingError("dict(mapping) is not supported")
        try:
            items = iter(iterable)
        except TypeError as exc:
            raise TypingError(str(exc)) from None
        for index, item in enumerate(items):
            if len(item) != 2:
                raise ValueError(f"dictionary update sequence element #{index} has length "
                                 f"{len(item)}; 2 is required")
            self[item[0]] = item[1]

    @property
    def _typed(self):
        """Whether the item types are known yet."""
        return self._dict_type is not None

    @classmethod
    def empty(cls, key_type, value_type, n_keys=0):
        """An empty dict of the given key and value types."""
        return _make_empty(types.DictType(_as_type(key_type), _as_type(value_type)))

    @classmethod
    def _from_capsule(cls, capsule, dict_type):
        """Called by boxing: wrap a native dict (the capsule owns its MemInfo)."""
        self = cls.__new__(cls)
        self._dict_type, self._opaque = dict_type, capsule
        return self

    @property
    def _numba_type_(self):
        return self._dict_type

    def _typed_for(self, key, value):
        """Give an untyped dict the types of its first item."""
        if self._dict_type is None:
            key_type, value_type = (types.unliteral(typeof(x)) for x in (key, value))
            made = Dict.empty(key_type, value_type)
            self._dict_type, self._opaque = made._dict_type, made._opaque

    # -- the mapping protocol ---------------------------------------------------------------
    def __len__(self):
        return 0 if self._dict_type is None else _length(self)

    def __getitem__(self, key):
        if self._dict_type is None:
            raise KeyError(key)
        return _getitem(self, key)

    def __setitem__(self, key, value):
        self._typed_for(key, value)
        _setitem(self, key, value)

    def __delitem__(self, key):
        if self._dict_type is None:
            raise KeyError(key)
        _delitem(self, key)

    def __contains__(self, key):
        if self._dict_type is None:
            return False
        try:
            return _contains(self, key)
        except TypingError:  # a key of another type is never in the dict
            return False

    def __iter__(self):
        return iter(self.keys())

    def keys(self):
        return [] if self._dict_type is None else _keys(self)

    def values(self):
        return [] if self._dict_type is None else _values(self)

    def items(self):
        return [] if self._dict_type is None else _items(self)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def setdefault(self, key, default=None):
        if self._dict_type is None and default is None:
            raise TypeError("invalid operation on untyped dictionary")
        if key not in self:
            self[key] = default
        return self[key]

    def popitem(self):
        if not len(self):
            raise KeyError("dictionary is empty")
        return _popitem(self)

    def copy(self):
        return Dict() if self._dict_type is None else _copy(self)

    def clear(self):
        if self._dict_type is not None:
            _clear(self)

    def __eq__(self, other):
        if not isinstance(other, (Dict, dict)):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    def __str__(self):
        return "{" + ", ".join(f"{k!r}: {v!r}" for k, v in self.items()) + "}"

    def __repr__(self):
        return f"{self._dict_type}({self})" if self._typed else f"Dict({self})"


def _as_type(ty):
    """A type given as a type or as a Python/NumPy scalar class (`int`, `np.float64`)."""
    return ty if isinstance(ty, types.Type) else types.unliteral(typeof(ty))


@njit
def _length(d):
    return len(d)


@njit
def _getitem(d, key):
    return d[key]


@njit
def _setitem(d, key, value):
    d[key] = value


@njit
def _delitem(d, key):
    del d[key]


@njit
def _contains(d, key):
    return key in d


@njit
def _keys(d):
    return [k for k in d.keys()]


@njit
def _values(d):
    return [v for v in d.values()]


@njit
def _items(d):
    return [(k, v) for k, v in d.items()]


@njit
def _popitem(d):
    return d.popitem()


@njit
def _copy(d):
    return d.copy()


@njit
def _clear(d):
    d.clear()
