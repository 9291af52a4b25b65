"""dict `|` (Python 3.9+; `|=` is update.py's) and `dict.fromkeys(iterable, value=None)`, over
the dict methods of ops.py (copy and update check that the other dict's items fit this one's
types)."""
from __future__ import annotations

import operator

from ... import types
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


@overload_method(types.Function(dict), "fromkeys")
def dict_fromkeys(cls, iterable, value=None):
    """A dict mapping each item of `iterable` (in order, duplicates once) to `value`."""
    def impl(cls, iterable, value=None):
        out = {}
        for key in iterable:
            out[key] = value
        return out
    return impl
