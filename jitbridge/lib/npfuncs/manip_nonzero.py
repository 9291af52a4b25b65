"""np.argwhere and np.flatnonzero of array-likes that are not arrays (numbers, None, strings,
tuples, lists), as NumPy takes them through np.asarray; searching.py has the array case."""
from __future__ import annotations

import numpy as np

from ... import types
from ...extending import overload, register_jitable


def _truth_source(a):
    """A jitable truth(a) for a value np.asarray makes 0-d, or None."""
    a = types.unliteral(a)
    if isinstance(a, (types.Number, types.Boolean)):
        return register_jitable(lambda a: a != 0)
    if isinstance(a, types.NoneType):
        return register_jitable(lambda a: False)
    if isinstance(a, types.UnicodeType):
        return register_jitable(lambda a: len(a) > 0)
    return None


def _is_sequence(a) -> bool:
    return isinstance(a, (types.BaseTuple, types.List))


@register_jitable
def _fortran_order(coords):
    """`coords` in NumPy's argwhere layout: the transpose of a C-ordered (ndim, count)."""
    return coords.T.copy().T


@overload(np.argwhere)
def np_argwhere_array_like(a):
    truth = _truth_source(a)
    if truth is not None:  # NumPy: the scalar's one coordinate-less row when it is true
        return lambda a: np.zeros((1 if truth(a) else 0, 0), np.intp)
    if isinstance(a, types.BaseTuple) and len(a) == 0:
        return lambda a: np.zeros((0, 1), np.intp)
    if _is_sequence(a):
        return lambda a: _fortran_order(np.argwhere(np.asarray(a)))
    return None


@overload(np.flatnonzero)
def np_flatnonzero_array_like(a):
    truth = _truth_source(a)
    if truth is not None:
        return lambda a: np.zeros(1 if truth(a) else 0, np.intp)
    if isinstance(a, types.BaseTuple) and len(a) == 0:
        return lambda a: np.zeros(0, np.intp)
    if _is_sequence(a):
        return lambda a: np.flatnonzero(np.asarray(a))
    return None
