"""np.vsplit, np.hsplit and np.dsplit: np.split along the axis each names, with NumPy's
ValueError (raised at run time, as NumPy and Numba do) for arrays of too few dimensions."""
from __future__ import annotations

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload


def _check(name: str, ary, ios):
    if not isinstance(ary, types.Array):
        raise TypingError(f'np.{name}(): The argument "ary" must be an array, not {ary}')
    if not isinstance(ios, (types.Integer, types.Array, types.List, types.BaseTuple)):
        raise TypingError(f'np.{name}(): The argument "indices_or_sections" must be int or '
                          f'1d-array, not {ios}')


def _too_few(message: str):
    def impl(ary, indices_or_sections):
        raise ValueError(message)
    return impl


@overload(np.vsplit)
def np_vsplit(ary, indices_or_sections):
    _check("vsplit", ary, indices_or_sections)
    if ary.ndim < 2:
        return _too_few("vsplit only works on arrays of 2 or more dimensions")
    return lambda ary, indices_or_sections: np.split(ary, indices_or_sections, axis=0)


@overload(np.hsplit)
def np_hsplit(ary, indices_or_sections):
    _check("hsplit", ary, indices_or_sections)
    if ary.ndim == 0:
        return _too_few("hsplit only works on arrays of 1 or more dimensions")
    axis = 1 if ary.ndim > 1 else 0
    return lambda ary, indices_or_sections: np.split(ary, indices_or_sections, axis=axis)


@overload(np.dsplit)
def np_dsplit(ary, indices_or_sections):
    _check("dsplit", ary, indices_or_sections)
    if ary.ndim < 3:
        return _too_few("dsplit only works on arrays of 3 or more dimensions")
    return lambda ary, indices_or_sections: np.split(ary, indices_or_sections, axis=2)
