"""Two pieces of the Numba extension surface (issue 22): `del obj[key]` calls
operator.delitem, which an @overload implements; and a module value (here returned by an
@overload) resolves its attributes as frozen constants, as a global `np.arange` does."""
import operator

import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.errors import UnsupportedError
from jitbridge.extending import (NativeValue, models, overload, register_model, typeof_impl,
                                 unbox)


class Bag:
    pass


class BagType(types.Opaque):
    pass


bag_type = BagType("bag")
typeof_impl.register(Bag)(lambda value, c: bag_type)
register_model(BagType)(models.OpaqueModel)
unbox(BagType)(lambda typ, obj, c: NativeValue(c.context.get_dummy_value()))


@overload(operator.delitem)
def bag_delitem(bag, key):
    if isinstance(bag, BagType):
        def impl(bag, key):
            if key < 0:
                raise KeyError(key)  # proves the overload's body is what runs
        return impl


def numpy_module():
    pass


@overload(numpy_module)
def numpy_module_impl():
    return lambda: np


@njit
def drop(bag, key):
    del bag[key]
    return key


@njit
def arange_via_module(n):
    mod = numpy_module()
    return mod.arange(n), mod.pi


@njit
def delete_attribute(bag):
    del bag.x


def test_del_subscript_calls_delitem():
    assert drop(Bag(), 7) == 7
    with pytest.raises(KeyError):
        drop(Bag(), -1)
    with pytest.raises(UnsupportedError, match=r"'del bag.x' is not supported"):
        delete_attribute(Bag())


def test_module_values_resolve_attributes_as_constants():
    got, pi = arange_via_module(4)
    np.testing.assert_array_equal(got, np.arange(4))
    assert pi == np.pi
    with pytest.raises(TypeError, match="cannot convert native Module"):
        njit(lambda: numpy_module())()
