"""types.Buffer subclasses and arrays held in extension structs (issue 22): an extension type
built as `types.Buffer(dtype, ndim, layout)` (Numba's signature), whose unboxer unboxes an
ndarray attribute into its struct; reading that member back gives the very ndarray (Python's
identity), writes through it reach the original, and no reference leaks."""
import numpy as np

from jitbridge import njit, types
from jitbridge.core import cgutils
from jitbridge.extending import (NativeValue, make_attribute_wrapper, models, register_model,
                                 typeof_impl, unbox)
from jitbridge.testing import no_leaks


class Column:
    def __init__(self, data):
        self.data = data


class ColumnType(types.Buffer):
    def __init__(self, dtype, layout):
        super().__init__(dtype, 1, layout)

    @property
    def key(self):
        return ("column", self.dtype, self.layout)


@typeof_impl.register(Column)
def typeof_column(value, c):
    array = typeof_impl(value.data, c)
    return ColumnType(array.dtype, array.layout)


@register_model(ColumnType)
class ColumnModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("data", fe_type.as_array)])


make_attribute_wrapper(ColumnType, "data", "data")


@unbox(ColumnType)
def unbox_column(typ, obj, c):
    data = c.pyapi.object_getattr_string(obj, "data")
    column = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    native = c.unbox(typ.as_array, data)
    column.data = native.value
    c.pyapi.decref(data)
    return NativeValue(column._getvalue(), is_error=native.is_error)


@njit
def data_of(column):
    return column.data


@njit
def bump(column):
    column.data[0] += 1
    return column.data[1:]


def test_buffer_subclass_types():
    ty = ColumnType(types.float64, "C")
    assert (ty.dtype, ty.ndim, ty.layout) == (types.float64, 1, "C")
    assert ty.as_array == types.float64[::1] and types.float64[::1].as_array == types.float64[::1]
    assert str(ty) == "columntype(float64, 1d, C)"


def test_an_array_in_an_extension_struct_comes_back_as_itself():
    values = np.arange(4.0)
    column = Column(values)
    with no_leaks(values, column):
        assert data_of(column) is values
        tail = bump(column)
        assert values[0] == 1.0 and np.shares_memory(tail, values) and tail is not values
        del tail
