"""Values that are None on some paths (Optional): results equal CPython's, operations on None
raise TypeError when run, arrays inside Optionals keep exact reference counts."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, types
from jitbridge.testing import no_leaks


def maybe_double(c):
    x = None
    if c > 0:
        x = c * 2
    return x


def checked(c):
    x = None
    if c > 0:
        x = c * 2
    if x is None:
        return -1
    return x + 1


def truth(c):
    x = None
    if c > 0:
        x = c - 1
    return bool(x), (1 if x else 0), x is not None


def merged_number_kinds(c):
    x = None
    if c > 10:
        x = 1.5
    elif c > 0:
        x = c
    return x


@given(st.integers(-50, 50))
@settings(max_examples=15, deadline=None)
def test_optional_results_match_python(c):
    for func in (maybe_double, checked, truth, merged_number_kinds):
        assert njit(func)(c) == func(c)


def unchecked(c):
    x = None
    if c > 0:
        x = c * 2
    return x + 1


def test_using_none_as_a_value_raises_type_error_when_run():
    jitted = njit(unchecked)
    assert jitted(2) == 5
    with pytest.raises(TypeError, match="expected int64, got None"):
        jitted(-1)


def optional_array(a, keep):
    y = None
    if keep:
        y = a
    if y is not None:
        return y.sum() + y[0]
    return 0.0


def returned_array(a, keep):
    y = None
    if keep:
        y = a[1:]
    return y


def test_arrays_in_optionals_keep_reference_counts_exact():
    a = np.arange(1.0, 5.0)
    sums, returns = njit(optional_array), njit(returned_array)
    assert sums(a, True) == 11.0 and sums(a, False) == 0.0
    assert returns(a, False) is None and np.array_equal(returns(a, True), a[1:])
    with no_leaks(a):
        for keep in (True, False, True):
            sums(a, keep)
            returns(a, keep)


def test_explicit_optional_signatures_accept_none_and_values():
    @njit(types.float64(types.optional(types.float64)))
    def or_default(x):
        if x is None:
            return -1.0
        return x * 2

    assert or_default(2.5) == 5.0 and or_default(None) == -1.0
    assert str(types.optional(types.int64)) == "OptionalType(int64)"
    assert types.optional(types.none) == types.none


def unpack_or_none(x):
    if x is None:
        return None
    a, b = x
    return a - b


def test_an_optional_tuple_unpacks_as_its_value():
    signature = types.optional(types.int64)(types.optional(types.UniTuple(types.int64, 2)))
    jitted = njit(signature)(unpack_or_none)
    assert jitted((5, 2)) == 3 and jitted(None) is None


def test_integer_identity_compares_values_as_numba():
    is_same = njit(lambda a, b: (a is b, a is not b))
    assert is_same(1, 1) == (True, False) and is_same(1, 2) == (False, True)
