"""np.lexsort: the stable order of several keys, the last one primary (a merge sort of the
indices; NaN after every number, as NumPy sorts)."""
from __future__ import annotations

import functools

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from .generated import jitable


@register_jitable
def _lt(a, b):
    """a before b in NumPy's order of reals (NaN last)."""
    return a < b or (b != b and a == a)


def _less_body(count: int) -> str:
    """`less(keys, i, j)` for a tuple of `count` keys, compared from the last."""
    lines = []
    for k in range(count - 1, -1, -1):
        lines += [f"a, b = keys[{k}][i], keys[{k}][j]", "if _lt(a, b):", "    return True",
                  "if _lt(b, a):", "    return False"]
    return "\n".join(lines + ["return False"])


@register_jitable
def _rows_less(keys, i, j):
    for k in range(keys.shape[0] - 1, -1, -1):
        a, b = keys[k, i], keys[k, j]
        if _lt(a, b):
            return True
        if _lt(b, a):
            return False
    return False


@functools.lru_cache(maxsize=None)
def _merge_sort(less):
    """A stable bottom-up merge sort of range(n) under less(keys, i, j)."""

    @register_jitable
    def sort(keys, n):
        order = np.arange(n)
        spare = np.empty(n, np.intp)
        width = 1
        while width < n:
            for lo in range(0, n, 2 * width):
                mid, hi = min(lo + width, n), min(lo + 2 * width, n)
                i, j = lo, mid
                for k in range(lo, hi):
                    if j >= hi or i < mid and not less(keys, order[j], order[i]):
                        spare[k] = order[i]
                        i += 1
                    else:
                        spare[k] = order[j]
                        j += 1
            order, spare = spare, order
            width *= 2
        return order
    return sort


_sort_rows = _merge_sort(_rows_less)


def _real(ty) -> bool:
    return isinstance(ty, (types.Integer, types.Float, types.Boolean))


@overload(np.lexsort)
def np_lexsort(keys, axis=-1):
    if not (isinstance(axis, types.Omitted) and axis.value == -1):
        return None
    if isinstance(keys, types.Array) and _real(keys.dtype) and keys.ndim == 2:
        return lambda keys, axis=-1: _sort_rows(keys, keys.shape[1])
    if not isinstance(keys, types.BaseTuple) or not all(
            isinstance(t, types.Array) and t.ndim == 1 and _real(t.dtype) for t in keys.types):
        raise TypingError(f"np.lexsort(): keys must be a tuple of 1-d arrays of real numbers "
                          f"or a 2-d array, not {keys}")
    if len(keys) == 0:
        raise TypingError("np.lexsort(): need sequence of keys with len > 0 in lexsort")
    sort = _merge_sort(jitable("keys, i, j", _less_body(len(keys)), {"_lt": _lt}))

    def impl(keys, axis=-1):
        n = keys[0].shape[0]
        _same_lengths(keys, n)
        return sort(keys, n)
    return impl


def _same_lengths(keys, n):
    """ValueError unless every key has n items."""


@overload(_same_lengths)
def _ol_same_lengths(keys, n):
    body = "".join(f"if keys[{k}].shape[0] != n:\n    raise ValueError("
                   f"'all keys need to be the same shape')\n" for k in range(len(keys)))
    return jitable("keys, n", body + "return None", {})
