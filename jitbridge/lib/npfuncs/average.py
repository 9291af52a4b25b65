"""np.average(a, axis=None, weights=None, returned=False): NumPy's weighted mean, along no axis,
an axis or a tuple of axes, with 1-d weights along one axis, weights shaped like the reduced
axes of a tuple axis (in the tuple's order) or weights of a's shape, the sum of
the weights as a second result (`returned=True`), and NumPy's errors (keepdims is keepdims.py's).
Weighted sums accumulate in NumPy's result dtype (float64 at least for integer arrays)."""
from __future__ import annotations

import functools

import numpy as np

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ..arrays.model import as_dtype
from .axes import gathering, is_axis_tuple
from .common import is_none, normalize_axis
from .manip_arity import fixed_arity
from .statistics import _drop_axis, _flat, _lanes, caster, is_array

SHAPES_DIFFER = "Axis must be specified when shapes of a and weights differ."
INCONSISTENT = "Shape of weights must be consistent with shape of a along specified axis."


def _returned(returned) -> bool:
    """returned= as a Python bool: it decides whether the result is a pair."""
    if isinstance(returned, types.Omitted):
        return bool(returned.value)
    if isinstance(returned, types.BooleanLiteral):
        return returned.literal_value
    raise TypingError(f"np.average(): returned must be a constant (True or False), not "
                      f"{returned}: it decides whether the result is a pair")


@register_jitable
def _check_sum(scale):
    if np.any(np.asarray(scale) == 0):
        raise ZeroDivisionError("Weights sum to zero, can't be normalized.")


@register_jitable
def _pair(avg, scale):
    """(avg, the sum of the weights broadcast to avg's shape), as NumPy's returned=True."""
    return avg, np.broadcast_to(scale, np.shape(avg)).copy()


def _pairing(aryty, axis):
    """pair(avg, scale) for returned=True: scalars stay scalars where the result is one."""
    count = len(types.unliteral(axis)) if is_axis_tuple(axis) else 1
    if is_none(axis) or aryty.ndim == count:
        return register_jitable(lambda avg, scale: (avg, scale))
    return _pair


def _unweighted(aryty, axis, pair):
    """The mean; with returned=True, the number of items averaged, in the mean's dtype."""
    if not pair:
        if is_none(axis):
            return lambda a, axis=None, weights=None, returned=False: np.mean(a)
        return lambda a, axis=None, weights=None, returned=False: np.mean(a, axis=axis)
    conv = caster(np.mean(np.ones(1, as_dtype(aryty.dtype))).dtype)
    pairing = _pairing(aryty, axis)

    mean = register_jitable((lambda a, axis: np.mean(a)) if is_none(axis) else
                            (lambda a, axis: np.mean(a, axis=axis)))

    def impl(a, axis=None, weights=None, returned=False):
        avg = mean(a, axis)
        size = np.asarray(avg).size
        if size == 0:
            raise ZeroDivisionError("division by zero")
        return pairing(avg, conv(a.size / size))
    return impl


def _flat_weighted(conv, pair):
    """Weights of a's shape, no axis: one weighted sum over the flattened arrays."""
    def impl(a, axis=None, weights=None, returned=False):
        if a.shape != weights.shape:
            raise TypeError(SHAPES_DIFFER)
        x, w = _flat(a), _flat(weights)
        total = conv(0)
        scale = conv(0)
        for i in range(x.shape[0]):
            total += conv(x[i]) * conv(w[i])
            scale += conv(w[i])
        _check_sum(scale)
        return (total / scale, scale) if pair else total / scale
    return impl


def _along_one_axis(dtype, conv, pair):
    """1-d weights along one axis of a (n-d) array."""
    def impl(a, axis=None, weights=None, returned=False):
        ax = normalize_axis(axis, a.ndim)
        if weights.shape[0] != a.shape[ax]:
            raise ValueError(INCONSISTENT)
        scale = conv(0)
        for j in range(weights.shape[0]):
            scale += conv(weights[j])
        _check_sum(scale)
        view = _lanes(a, ax)
        out = np.zeros((view.shape[0], view.shape[2]), dtype)
        for i in range(view.shape[0]):
            for j in range(view.shape[1]):
                for k in range(view.shape[2]):
                    out[i, k] += conv(view[i, j, k]) * conv(weights[j])
        avg = (out / scale).reshape(_drop_axis(a.shape, ax))
        return _pair(avg, scale) if pair else avg
    return impl


def _same_shape(dtype, pair, pairing):
    """Weights of a's shape along an axis or a tuple of axes."""
    def impl(a, axis=None, weights=None, returned=False):
        if a.shape != weights.shape:
            raise ValueError(INCONSISTENT)
        w = weights.astype(dtype)
        scale = w.sum(axis=axis)
        _check_sum(scale)
        avg = (a.astype(dtype) * w).sum(axis=axis) / scale
        return pairing(avg, scale) if pair else avg
    return impl


@register_jitable
def _check_axes_shape(a, weights, axis):
    for i in range(len(axis)):
        if weights.shape[i] != a.shape[normalize_axis(axis[i], a.ndim)]:
            raise ValueError(INCONSISTENT)


@functools.lru_cache(maxsize=None)
def _flat_in_axis_order(count):
    """flat(weights, axis, ndim): weights' axes sorted as `axis` sorts, flattened in C order: the
    order of the reduced elements once axes.gathering has moved them last."""
    items = "".join(f"int(order[{i}]), " for i in range(count))
    return register_jitable(fixed_arity(
        f"order = np.argsort(np.array(axis) % ndim)\n"
        f"return np.ascontiguousarray(np.transpose(weights, ({items}))).ravel()",
        ("weights", "axis", "ndim"), 0, {"np": np}))


def _along_axes(aryty, axis, dtype, pair):
    """Weights shaped like the axes of a tuple axis: a weighted mean along the last axis of
    the array whose reduced axes are gathered last, with the weights flattened alike."""
    count = len(types.unliteral(axis))
    gather = gathering(aryty.ndim, count)
    flat = _flat_in_axis_order(count)
    along = register_jitable(_along_one_axis(dtype, caster(dtype), pair))

    def impl(a, axis=None, weights=None, returned=False):
        _check_axes_shape(a, weights, axis)
        return along(gather(a, axis), -1, flat(weights, axis, a.ndim), returned)
    return impl


@overload(np.average)
def np_average(a, axis=None, weights=None, returned=False):
    if not is_array(a):
        return None
    pair = _returned(returned)
    if is_none(weights):
        return _unweighted(a, axis, pair)
    if not is_array(weights):
        raise TypingError(f"np.average(): weights must be an array of numbers, not {weights}")
    extra = ("f8",) if isinstance(a.dtype, (types.Integer, types.Boolean)) else ()
    dtype = np.result_type(as_dtype(a.dtype), as_dtype(weights.dtype), *extra)
    if is_none(axis):
        return _flat_weighted(caster(dtype), pair)
    tupled = is_axis_tuple(axis)
    if not tupled and not isinstance(types.unliteral(axis), types.Integer):
        raise TypingError(f"np.average(): axis must be an integer, a tuple or None, not {axis}")
    if weights.ndim == 1 and a.ndim > 1 and not tupled:
        return _along_one_axis(dtype, caster(dtype), pair)
    if tupled and weights.ndim == len(types.unliteral(axis)) < a.ndim:
        return _along_axes(a, axis, dtype, pair)
    if tupled and weights.ndim != a.ndim:
        raise TypingError(f"np.average(): weights of {weights.ndim} dimensions fit neither "
                          f"{a} nor the {len(types.unliteral(axis))} axes of axis={axis}")
    return _same_shape(dtype, pair, _pairing(a, axis))
