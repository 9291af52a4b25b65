"""Issue 22: an objmode output annotated with a numeric type receives a numeric scalar as NumPy
assigns it into an array of that dtype (12.3 into int64 is 12, as in Numba); values of another
kind stay TypeErrors naming the output."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, objmode
from jitbridge.testing import no_leaks


class Box:
    """Hands a block any Python value (arguments of compiled code must have a native type)."""
    value = None


BOX = Box()


@njit
def as_int64():
    with objmode(y="int64"):
        y = BOX.value
    return y


@njit
def as_uint8():
    with objmode(y="uint8"):
        y = BOX.value
    return y


@njit
def as_float32():
    with objmode(y="float32"):
        y = BOX.value
    return y


@njit
def as_complex128():
    with objmode(y="complex128"):
        y = BOX.value
    return y


@njit
def as_float_array():
    with objmode(z="float64[:]"):
        z = BOX.value
    return z


def _output(function, value):
    BOX.value = value
    try:
        return function()
    finally:
        BOX.value = None


def _numpy_assigns(dtype, value):
    slot = np.empty(1, dtype)
    slot[0] = value
    return slot[0]


@settings(max_examples=60, deadline=None)
@given(st.floats(-9e18, 9e18, allow_nan=False))
def test_floats_into_int64_truncate_as_numpy_assigns(value):
    result = _output(as_int64, value)
    assert type(result) is int and result == _numpy_assigns(np.int64, value)


@pytest.mark.parametrize("function, value, dtype", [
    (as_int64, np.float32(-7.9), np.int64), (as_int64, True, np.int64),
    (as_uint8, 255.9, np.uint8), (as_uint8, np.int64(17), np.uint8),
    (as_float32, 0.1, np.float32), (as_float32, 2**70, np.float32), (as_float32, 1e300, np.float32),
    (as_complex128, 3, np.complex128), (as_complex128, np.float16(1.5), np.complex128),
])
def test_numeric_scalars_convert_as_numpy_assigns(function, value, dtype):
    with np.errstate(over="ignore"):  # (1e300 into float32: inf, with NumPy's warning)
        assert _output(function, value) == _numpy_assigns(dtype, value)


@pytest.mark.parametrize("function, value, error, words", [
    (as_int64, float("nan"), ValueError, "cannot hold nan"),
    (as_int64, 1e30, OverflowError, "cannot hold 1e+30"),
    (as_uint8, -1.5, OverflowError, "(annotated as uint8) cannot hold -1.5"),
    (as_int64, 2**70, OverflowError, "out of range for int64"),
])
def test_values_numpy_cannot_assign_are_its_errors(function, value, error, words):
    with pytest.raises(error) as info:
        _output(function, value)
    assert words in str(info.value) and "'y'" in str(info.value)


@pytest.mark.parametrize("function, value", [
    (as_int64, "12"), (as_int64, None), (as_int64, [1]), (as_int64, 1 + 2j),
    (as_float32, np.complex64(1)), (as_complex128, "1j"),
])
def test_values_of_another_kind_are_type_errors(function, value):
    with pytest.raises(TypeError, match="objmode output 'y' is annotated as"):
        _output(function, value)


@pytest.mark.parametrize("value", [np.arange(3) + 1j, np.ones((2, 2)), np.arange(3)])
def test_an_array_of_another_dtype_or_ndim_is_refused_in_numbas_words(value):
    with pytest.raises(TypeError) as info:
        _output(as_float_array, value)
    message = str(info.value)
    assert "objmode output 'z' is annotated as array(float64, 1d, A)" in message
    assert f"array({value.dtype}, {value.ndim}d, C)" in message
    assert ("can't unbox array from PyObject into native value.  The object maybe of a "
            "different type") in message


def test_converted_outputs_leak_nothing():
    value = np.float64(41.9)
    with no_leaks(value):
        for _ in range(3):
            assert _output(as_int64, value) == 41


@njit
def as_typed_list():
    with objmode(res="ListType(int64)"):
        res = BOX.value
    return res


def test_a_typed_list_output_takes_a_typed_list_and_names_it_when_refusing():
    from jitbridge import typed
    from jitbridge.objmode_annotations import TYPED_CONTAINER_CLASSES
    items = typed.List([1, 2])
    assert list(_output(as_typed_list, items)) == [1, 2]
    with pytest.raises(TypeError) as info:
        _output(as_typed_list, [1, 2])
    assert f"can't unbox a <class 'list'> as a {typed.List}" in str(info.value)
    assert {str(typed.List), str(typed.Dict)} == \
        {f"<class '{name}'>" for name in TYPED_CONTAINER_CLASSES.values()}
