"""dict `|` and `|=` (Python 3.9+) and `dict.fromkeys(iterable, value=None)`, over the dict
methods of ops.py (copy and update check that the other dict's items fit this one's types)."""
from __future__ import annotations

import operator

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method


def _dicts(a, b) -> bool:
    return isinstance(a, types.DictType) and isinstance(b, types.DictType)


@overload(operator.or_)
def dict_union(a, b):
    """A new dict: a's items, then b's (b wins on equal keys, a's key object is kept)."""
    if not _dicts(a, b):
        return None

    def impl(a, b):
        out = a.copy()
        out.update(b)
        return out
    return impl


@overload(operator.ior)
def dict_inplace_union(a, b):
    """`a |= b` updates `a` in place (from another dict: CPython's iterables of pairs are not
    taken, as dict.update does not take them here)."""
    if not _dicts(a, b):
        return None

    def impl(a, b):
        a.update(b)
        return a
    return impl


@overload_method(types.Function(dict), "fromkeys")
def dict_fromkeys(cls, iterable, value=None):
    """A dict mapping each item of `iterable` (in order, duplicates once) to `value`."""
    if isinstance(value, (types.Omitted, types.NoneType)):
        raise TypingError("dict.fromkeys(iterable) maps the keys to None, which a compiled dict "
                          "cannot hold (Dict.value_type cannot be of type none): pass a value")

    def impl(cls, iterable, value=None):
        out = {}
        for key in iterable:
            out[key] = value
        return out
    return impl
