"""An extension's overload_method for a method the builtins define too (`Array.sum`) serves
the calls the builtin cannot type, and the builtin keeps serving its own: the first template
that resolves an attribute does not hide the others' call typing."""
import numpy as np

from jitbridge import njit, types
from jitbridge.extending import overload_method


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
