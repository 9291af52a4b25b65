"""Array-like extension types through Numba's `__array__` / `__array_wrap__` protocol (issue 22):
a `types.Buffer` subclass holding an array works with len(), indexing (a slice is the subclass
again) and ufuncs (whose result the type wraps), and so does an `ArrayCompatible` type that is
not a Buffer; values and identity match NumPy on the data, with no leaked reference."""
import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.core import cgutils
from jitbridge.core.imputils import impl_ret_borrowed
from jitbridge.errors import TypingError
from jitbridge.extending import (NativeValue, box, lower_builtin, make_attribute_wrapper, models,
                                 register_model, type_callable, typeof_impl, unbox)
from jitbridge.testing import no_leaks


class Column:
    def __init__(self, data):
        self.data = data


class Tagged:
    """Not a Buffer: an ArrayCompatible holding values and a label column."""

    def __init__(self, values, label):
        self.values, self.label = values, label


class ColumnType(types.Buffer):
    array_priority = 100

    def __init__(self, dtype, layout):
        super().__init__(dtype, 1, layout)

    @property
    def key(self):
        return ("column", self.dtype, self.layout)

    def copy(self, dtype=None, ndim=1, layout=None):
        assert ndim == 1
        return ColumnType(dtype or self.dtype, layout or self.layout)


class TaggedType(types.ArrayCompatible):
    array_priority = 200

    def __init__(self, dtype, label):
        self.dtype, self.label_type = dtype, label
        super().__init__(f"tagged({dtype}, {label})")

    @property
    def key(self):
        return (self.dtype, self.label_type)

    @property
    def as_array(self):
        return types.Array(self.dtype, 1, "C")


@typeof_impl.register(Column)
def typeof_column(value, c):
    array = typeof_impl(value.data, c)
    return ColumnType(array.dtype, array.layout)


@typeof_impl.register(Tagged)
def typeof_tagged(value, c):
    return TaggedType(typeof_impl(value.values, c).dtype, typeof_impl(value.label, c))


@register_model(ColumnType)
class ColumnModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("data", fe_type.as_array)])


@register_model(TaggedType)
class TaggedModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("values", fe_type.as_array),
                                        ("label", fe_type.label_type)])


make_attribute_wrapper(ColumnType, "data", "data")
make_attribute_wrapper(TaggedType, "label", "label")


@lower_builtin("__array__", ColumnType)
def column_array(context, builder, sig, args):
    return cgutils.create_struct_proxy(sig.args[0])(context, builder, ref=args[0]) \
        ._get_ptr_by_name("data")


@lower_builtin("__array__", TaggedType)
def tagged_array(context, builder, sig, args):
    return cgutils.create_struct_proxy(sig.args[0])(context, builder, ref=args[0]) \
        ._get_ptr_by_name("values")


@type_callable("__array_wrap__")
def type_wrap(context):
    def typer(source, result):
        if isinstance(source, TaggedType):
            return TaggedType(result.dtype, source.label_type)
        if isinstance(source, ColumnType):
            return source.copy(dtype=result.dtype, layout=result.layout)
    return typer


@lower_builtin("__array_wrap__", TaggedType, types.Array)
def tagged_wrap(context, builder, sig, args):
    source = cgutils.create_struct_proxy(sig.args[0])(context, builder, value=args[0])
    out = cgutils.create_struct_proxy(sig.return_type)(context, builder)
    out.values, out.label = args[1], source.label
    return impl_ret_borrowed(context, builder, sig.return_type, out._getvalue())


@lower_builtin("__array_wrap__", ColumnType, types.Array)
def column_wrap(context, builder, sig, args):
    out = cgutils.create_struct_proxy(sig.return_type)(context, builder)
    out.data = args[1]
    return impl_ret_borrowed(context, builder, sig.return_type, out._getvalue())


def _unbox_member(c, obj, name, typ):
    member = c.pyapi.object_getattr_string(obj, name)
    native = c.unbox(typ, member)
    c.pyapi.decref(member)
    return native


@unbox(ColumnType)
def unbox_column(typ, obj, c):
    column = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    native = _unbox_member(c, obj, "data", typ.as_array)
    column.data = native.value
    return NativeValue(column._getvalue(), is_error=native.is_error)


@unbox(TaggedType)
def unbox_tagged(typ, obj, c):
    tagged = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    values = _unbox_member(c, obj, "values", typ.as_array)
    label = _unbox_member(c, obj, "label", typ.label_type)
    tagged.values, tagged.label = values.value, label.value
    return NativeValue(tagged._getvalue(), is_error=c.builder.or_(values.is_error, label.is_error))


def _boxed(c, cls, members):
    objs = [c.box(t, v) for t, v in members]
    out = c.pyapi.call_function_objargs(c.pyapi.constant_object(cls, cls.__name__), objs)
    for obj in objs:
        c.pyapi.decref(obj)
    return out


@box(ColumnType)
def box_column(typ, val, c):
    column = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val)
    return _boxed(c, Column, [(typ.as_array, column.data)])


@box(TaggedType)
def box_tagged(typ, val, c):
    tagged = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val)
    return _boxed(c, Tagged, [(typ.as_array, tagged.values), (typ.label_type, tagged.label)])


length = njit(lambda x: len(x))
item = njit(lambda x, i: x[i])
sine = njit(lambda x: np.sin(x))
scaled = njit(lambda x, y: np.multiply(x, y))


def test_len_and_items_read_the_array_inside():
    col = Column(np.array([42, 8, -5], np.int32))
    assert length(col) == 3 and length(Tagged(np.ones(4), 7)) == 4
    assert item(col, 1) == 8 and item(col, -1) == -5


def test_a_slice_of_a_buffer_subclass_is_that_subclass():
    data = np.arange(6.0)
    got = item(Column(data), slice(1, None, 2))
    assert isinstance(got, Column)
    np.testing.assert_array_equal(got.data, data[1::2])
    assert got.data.base is data or np.shares_memory(got.data, data)  # a view, as in NumPy


def test_ufunc_results_are_wrapped_by_the_highest_priority_operand():
    values = np.array([0.5, 1.0, 2.0])
    col = sine(Column(values))
    assert isinstance(col, Column) and col.data.dtype == np.float64
    np.testing.assert_array_equal(col.data, np.sin(values))
    tagged = scaled(Column(values), Tagged(values, 9))  # Tagged's priority is higher
    assert isinstance(tagged, Tagged) and tagged.label == 9
    np.testing.assert_array_equal(tagged.values, values * values)


def test_types_without_the_protocol_stay_refused():
    class Plain(types.Buffer):
        pass
    with pytest.raises(TypingError):
        njit(lambda x: len(x)).compile((Plain(types.float64, 1, "C"),))


def test_no_leaks():
    data, values = np.arange(5.0), np.ones(3)
    col, tagged = Column(data), Tagged(values, 1)
    length(col), item(col, slice(1, 3)), sine(col), scaled(Column(values), tagged)  # compile
    with no_leaks(data, values):
        for _ in range(5):
            length(col)
            item(col, slice(1, 3))
            sine(col)
            scaled(Column(values), tagged)
