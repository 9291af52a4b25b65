"""Tuple axes of reductions (`np.sum(a, axis=(0, 2))`): the reduced axes are moved to the end
and flattened into one, so the reduction runs along the last axis of an (kept..., m) C array.
Every reduction that treats the reduced elements as one set (sum, mean, std, min, all,
median ...) gets NumPy's result this way. The axes' count fixes the result's ndim and is known
from the tuple's type; their values may be run-time ones, checked as NumPy checks them."""
from __future__ import annotations

import functools

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import register_jitable
from .common import normalize_axis
from .manip_arity import fixed_arity


def is_axis_tuple(axis) -> bool:
    """Whether an axis argument is a tuple (of integers, else a TypingError)."""
    axis = types.unliteral(axis)
    if not isinstance(axis, types.BaseTuple):
        return False
    if not all(isinstance(types.unliteral(t), types.Integer) for t in axis.types):
        raise TypingError(f"a tuple axis must hold integers, not {axis}")
    return True


@register_jitable
def _mark(reduced, axis, ndim):
    ax = normalize_axis(axis, ndim)
    if reduced[ax]:
        raise ValueError("duplicate value in 'axis'")
    reduced[ax] = True


@register_jitable
def _order(reduced):
    """The axes kept (ascending), then the axes reduced (ascending): a permutation."""
    order = np.empty(reduced.size, np.intp)
    n = 0
    for last in (False, True):
        for i in range(reduced.size):
            if reduced[i] == last:
                order[n] = i
                n += 1
    return order


@functools.lru_cache(maxsize=None)
def _marking(count):
    """reduced(ndim, axis): a boolean per axis of the array, True for those in `axis`."""
    marks = "".join(f"mark(reduced, axis[{i}], ndim)\n" for i in range(count))
    return register_jitable(fixed_arity(
        f"reduced = np.zeros(ndim, np.bool_)\n{marks}return reduced",
        ("ndim", "axis"), 0, {"np": np, "mark": _mark}))


@functools.lru_cache(maxsize=None)
def gathering(ndim, count):
    """gather(a, axis): a's axes not in `axis`, then one axis of the others' elements, C order."""
    kept = "".join(f"t.shape[{i}], " for i in range(ndim - count))
    perm = "".join(f"order[{i}], " for i in range(ndim))

    @register_jitable
    def size_of(t):
        m = 1
        for i in range(ndim - count, ndim):
            m *= t.shape[i]
        return m
    return register_jitable(fixed_arity(
        f"order = sorted_axes(marking(a.ndim, axis))\n"
        f"t = np.transpose(a, ({perm}))\n"
        f"return np.ascontiguousarray(t).reshape(({kept}size_of(t),))",
        ("a", "axis"), 0, {"np": np, "sorted_axes": _order, "marking": _marking(count),
                           "size_of": size_of}))


def over_axes(reducer, aryty, axis):
    """core(a, axis, arg) for a tuple `axis`, given reducer(ndim) -> core(b, int_axis, arg)
    for arrays of that ndim."""
    count = len(types.unliteral(axis))
    if count > aryty.ndim:
        raise TypingError(f"axis {axis} names more axes than the {aryty.ndim}-d array has")
    gather = gathering(aryty.ndim, count)
    inner = reducer(aryty.ndim - count + 1)
    last = aryty.ndim - count
    if count == 0 and aryty.layout == "F" and aryty.ndim > 1:  # NumPy keeps the order here
        return register_jitable(
            lambda a, axis, arg: np.asfortranarray(inner(gather(a, axis), last, arg)))
    return register_jitable(lambda a, axis, arg: inner(gather(a, axis), last, arg))


@functools.lru_cache(maxsize=None)
def keepdims_shape(ndim, count):
    """shape(a, axis): a's shape with 1 for each axis in `axis` (checked as NumPy does)."""
    items = "".join(f"1 if reduced[{i}] else a.shape[{i}], " for i in range(ndim))
    return register_jitable(fixed_arity(f"reduced = marking(a.ndim, axis)\nreturn ({items})",
                                        ("a", "axis"), 0, {"marking": _marking(count)}))
