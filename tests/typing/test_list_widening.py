"""Lists made in the function widen their item type to hold what is stored into them later
(typing/list_widening.py): `l = [1, 2]; l.append(2.5)` is a list of floats equal to CPython's
[1, 2, 2.5]. Lists from elsewhere keep their type and refuse values they would truncate."""
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


def _append():
    l = [1, 2]
    l.append(2.5)
    return l


def _extend():
    l = [1, 2]
    l.extend([2.5, 3.5])
    return l


def _extend_with_a_tuple():
    l = [1, 2]
    l += (2.5, 3.5)
    return l


def _insert():
    l = [1, 2]
    l.insert(0, 0.5)
    return l


def _setitem():
    l = [1, 2]
    l[1] = 2.5
    return l


def _complex_into_ints():
    l = [1]
    l.append(1j)
    return l


def _float_into_bools():
    l = [True]
    l.append(2.5)
    return l


def _from_empty():
    l = []
    l.append(1)
    l.append(2.5)
    return l


def _comprehension():
    l = [i for i in range(3)]
    l.append(0.5)
    return l


def _through_an_alias():
    l = [1, 2]
    m = l
    m.append(2.5)
    return l, m


def _inplace_add_both_ways():  # (Numba's test_add_inplace_heterogeneous)
    a = [1]
    b = [2.0]
    a += b
    b += a
    return a, b


def _extend_heterogeneous():  # (Numba's test_extend_heterogeneous)
    l = []
    l.extend(range(5))
    l.extend(l[:-1])
    l.extend((5, 42))
    l.extend([123.0])
    return l


def _read_before_widening():
    l = [1, 2]
    first = l[0]
    l.append(2.5)
    return first, l


def _one_of_two_displays(flag):
    l = [1] if flag else [2, 3]
    l.append(0.5)
    return l


def _in_a_loop(n):
    l = [0]
    for i in range(n):
        l.append(i / 2)
    return l


WIDENING = [_append, _extend, _extend_with_a_tuple, _insert, _setitem, _complex_into_ints,
            _float_into_bools, _from_empty, _comprehension, _through_an_alias,
            _inplace_add_both_ways, _extend_heterogeneous, _read_before_widening]


@pytest.mark.parametrize("fn", WIDENING)
def test_a_list_display_widens_to_what_is_stored_into_it(fn):
    assert njit(fn)() == fn()


def test_the_widened_items_are_floats():
    assert [type(v) for v in njit(_append)()] == [float] * 3
    assert [type(v) for v in njit(_complex_into_ints)()] == [complex] * 2


@pytest.mark.parametrize("flag", [True, False])
def test_every_display_a_variable_may_hold_widens(flag):
    assert njit(_one_of_two_displays)(flag) == _one_of_two_displays(flag)


def test_aliases_stay_the_same_list():
    l, m = njit(_through_an_alias)()
    assert l == m == [1, 2, 2.5]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 30))
def test_widening_in_a_loop(n):
    assert njit(_in_a_loop)(n) == _in_a_loop(n)


@njit
def _push_all(ints, floats):
    l = [0]
    for i in ints:
        l.append(i)
    for x in floats:
        l.append(x)
    l += ints
    return l


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-10**6, 10**6), min_size=1, max_size=8),
       st.lists(st.floats(allow_nan=False), min_size=1, max_size=8))
def test_mixed_appends_equal_cpython(ints, floats):
    assert _push_all(ints, floats) == _push_all.py_func(list(ints), floats)


def test_widening_leaks_nothing():
    compiled = njit(_inplace_add_both_ways)
    compiled()
    with no_leaks():
        compiled()


# -- lists whose type is fixed --------------------------------------------------------------------

def _append_to(l):
    l.append(2.5)
    return l


def _add_to(l):
    l += [2.5]
    return l


def _extend_into(l):
    l.extend([2.5])
    return l


@pytest.mark.parametrize("fn", [_append_to, _add_to, _extend_into])
def test_a_reflected_list_keeps_its_item_type(fn):
    with pytest.raises(TypingError, match="cannot store float64 values in a reflected list"):
        njit(fn)([1, 2])


def test_a_reflected_list_setitem_keeps_numbas_message():
    def setitem(l):
        l[0] = 2.5
        return l
    with pytest.raises(TypingError, match="invalid setitem with value of float64"):
        njit(setitem)([1, 2])


def test_a_list_not_made_by_a_display_keeps_its_item_type():
    def from_list_call(n):
        l = list(range(n))
        l.append(2.5)
        return l
    with pytest.raises(TypingError, match="not made by a list display"):
        njit(from_list_call)(3)


def test_a_narrower_value_is_converted_without_widening():
    def int_into_floats():
        l = [1.5]
        l.append(2)
        return l
    got = njit(int_into_floats)()
    assert got == int_into_floats() and [type(v) for v in got] == [float, float]
