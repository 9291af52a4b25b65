"""Numba's `numba.typed.dictobject.new_dict(key_type, value_type)`: an empty typed dict made
in compiled code."""
from __future__ import annotations

from ..extending import overload
from .typeddict import Dict


def new_dict(key, value, n_keys=0):
    """An empty dict of `key` -> `value` types."""
    return Dict.empty(key, value, n_keys)


@overload(new_dict)
def new_dict_impl(key, value, n_keys=0):
    return lambda key, value, n_keys=0: Dict.empty(key, value)
