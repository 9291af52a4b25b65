"""An extension's overload_method for a method the builtins define too (`Array.sum`) serves
the calls the builtin cannot type, and the builtin keeps serving its own: the first template
that resolves an attribute does not hide the others' call typing."""
import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.extending import overload_classmethod, overload_method


@overload_method(types.Array, "sum")
def _scaled_sum(a, scale):  # a keyword of its own: the builtin sum takes no `scale`
    if isinstance(scale, types.Integer):
        return lambda a, scale: np.sum(a) * scale
    return None


@njit
def totals(a):
    return a.sum(), a.sum(scale=3), a.sum(axis=0)


def test_the_extension_serves_what_the_builtin_cannot_type_and_not_more():
    plain, scaled, by_axis = totals(np.arange(4.0))
    assert (plain, scaled, by_axis) == (6.0, 18.0, 6.0)


class Buffered(types.Array):
    """A subclass of a jitbridge type, with a classmethod of its own."""


@overload_classmethod(Buffered, "filled")
def _buffered_filled(cls, n, value):
    return lambda cls, n, value: np.full(n, value)


@njit
def make_filled(n, value):
    return Buffered.filled(n, value)


@njit
def base_filled(n):
    return types.Array.filled(n, 1.0)


def test_overload_classmethod_serves_its_class_only():
    np.testing.assert_array_equal(make_filled(3, 2.5), np.full(3, 2.5))
    with pytest.raises(TypingError, match="Unknown attribute 'filled' of"):
        base_filled(3)
