"""Audit of the Python language in compiled code (issue 18): strings, containers, builtins,
enums, exceptions and leaks, each checked against CPython."""
import enum
import operator
import sys
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

TEXT = st.text(alphabet=st.sampled_from(list("aAbB ßİσΣé日😀ǅ1٣_")), max_size=10)


# -- appends that the list's item type cannot hold --------------------------------------------------

def _append_float_to_ints():
    r = []
    r.append(1)
    r.append(2.5)
    return r


def _append_float_to_bools():
    r = [True]
    r.append(2.5)
    return r


def _append_float_through_an_alias():
    a = [1, 2]
    b = a
    b.append(2.5)
    return a


def _append_int_to_floats():
    r = [1.5]
    r.append(2)
    return r


@pytest.mark.parametrize("fn", [_append_float_to_ints, _append_float_to_bools,
                                _append_float_through_an_alias])
def test_append_that_would_truncate_widens_a_list_made_here(fn):
    """(typing/list_widening.py: the list becomes a list of floats, equal to CPython's)"""
    got = njit(fn)()
    assert got == fn() and all(type(v) is float for v in got)


def _set_item_float_into_ints():
    r = [1]
    r[0] = 2.5
    return r


def _add_float_to_int_set():
    s = {1}
    s.add(2.5)
    return s


def test_storing_a_float_among_ints_widens_a_list_but_not_a_set():
    assert njit(_set_item_float_into_ints)() == _set_item_float_into_ints() == [2.5]
    with pytest.raises(TypingError, match="float64"):
        njit(_add_float_to_int_set)()


def test_int_stored_in_a_bool_list_stays_a_cast():
    def flags():
        f = [False, False]
        f[1] = 1
        return f
    assert njit(flags)() == flags()


def test_append_of_a_narrower_number_converts_it():
    got = njit(_append_int_to_floats)()
    assert got == _append_int_to_floats() and all(type(v) is float for v in got)


def test_reflected_list_refuses_a_value_its_item_type_would_truncate():
    @njit
    def push(lst):
        lst.append(2.5)
    with pytest.raises(TypingError, match="cannot store float64 values in a reflected list"):
        push([1])


# -- iterables: list(), sorted(), reversed(), min/max ---------------------------------------------

@njit
def _list_and_sorted(s):
    return list(s), sorted(s, reverse=True)


@settings(max_examples=25, deadline=None)
@given(TEXT)
def test_list_and_sorted_of_a_string(s):
    listed, ordered = _list_and_sorted(s)
    assert (list(listed), list(ordered)) == (list(s), sorted(s, reverse=True))


def test_list_sorted_reversed_of_a_dict_are_its_keys():
    def keys():
        d = {3: "c", 1: "a", 2: "b"}
        return list(d), sorted(d), [k for k in reversed(d)]
    assert [list(x) for x in njit(keys)()] == [list(x) for x in keys()]


@njit
def _min_max_strings(a, b, c):
    return min(a, b, c), max(a, b)


@settings(max_examples=25, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_min_max_of_strings(a, b, c):
    assert _min_max_strings(a, b, c) == (min(a, b, c), max(a, b))


def test_min_max_of_tuples():
    fn = lambda a, b: (max(a, b), min(a, b))  # noqa: E731
    assert njit(fn)((1, 2.5), (1, 3.0)) == fn((1, 2.5), (1, 3.0))


@njit
def _joined(s):
    return ("".join(filter(lambda c: c != "l", s)), "-".join(c * 2 for c in s),
            ",".join({c: 0 for c in s}))


@settings(max_examples=25, deadline=None)
@given(TEXT)
def test_str_join_of_iterators_and_dicts(s):
    expected = ("".join(filter(lambda c: c != "l", s)), "-".join(c * 2 for c in s),
                ",".join({c: 0 for c in s}))
    assert _joined(s) == expected


# -- int() of Unicode digits ----------------------------------------------------------------------

_int_of = njit(lambda s: int(s))
_DIGIT_ZEROS = [c for c in range(128, sys.maxunicode + 1) if unicodedata.decimal(chr(c), -1) == 0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_DIGIT_ZEROS), st.integers(0, 9)), min_size=1,
                max_size=12), st.sampled_from(["", "-", " +"]))
def test_int_of_unicode_decimal_digits(digits, sign):
    s = sign + "".join(chr(zero + d) for zero, d in digits)
    assert _int_of(s) == int(s)


@pytest.mark.parametrize("s", ["½", "²", "1\u0663x", "٣_"])
def test_int_of_other_numeric_characters_raises_value_error(s):
    with pytest.raises(ValueError) as expected:
        int(s)
    with pytest.raises(ValueError) as got:
        _int_of(s)
    assert str(got.value) == str(expected.value)


# -- enum members: hash, str, dict and set keys -----------------------------------------------------

class Color(enum.Enum):
    RED = 1
    GREEN = 2


class Shape(enum.IntEnum):
    SQUARE = 4
    TRIANGLE = 3


@pytest.mark.parametrize("member", [Color.RED, Color.GREEN, Shape.SQUARE])
def test_enum_member_hash_and_str(member):
    assert njit(lambda m: (hash(m), str(m)))(member) == (hash(member), str(member))


def test_enum_members_as_dict_and_set_keys():
    def count():
        d = {Color.RED: 1, Color.GREEN: 2}
        return d[Color.GREEN], len({Color.RED, Color.RED, Color.GREEN})
    assert njit(count)() == count()


# -- operator module --------------------------------------------------------------------------------

@pytest.mark.parametrize("fn, arg", [
    (lambda a: operator.abs(a), -7.5), (lambda a: operator.inv(a), 7),
    (lambda a: operator.index(a), True), (lambda a: operator.concat(a, "é"), "ab"),
    (lambda a: operator.concat(a, a), (1, 2)), (lambda a: operator.countOf(a, "a"), "banana")])
def test_operator_functions(fn, arg):
    got, expected = njit(fn)(arg), fn(arg)
    assert got == expected and type(got) is type(expected)


# -- exceptions -------------------------------------------------------------------------------------

def _caught_key_error(k):
    d = {1: "a"}
    try:
        return d[k]
    except KeyError as e:
        return "missing " + str(e)


def _exception_args(x):
    try:
        raise ValueError("bad value", x)
    except (TypeError, ValueError) as e:
        return e.args, str(e)


def test_key_error_and_exception_args_match_cpython():
    assert njit(_caught_key_error)(3) == _caught_key_error(3)
    assert njit(_exception_args)(4) == _exception_args(4)


# -- leaks on exception paths -----------------------------------------------------------------------

def _raise_with_live_containers(s):
    d = {i: s + str(i) for i in range(5)}
    items = [s * 2, s]
    raise ValueError("bad", items[0], len(d))


def _catch_with_live_containers(s):
    d = {s: [1, 2]}
    try:
        text = s + "é"
        return d[text]
    except KeyError:
        return [len(s)]


@pytest.mark.parametrize("fn", [_raise_with_live_containers, _catch_with_live_containers])
def test_exception_paths_release_everything(fn):
    jitted = njit(fn)
    arg = "héllo😀"

    def run():
        try:
            return jitted(arg)
        except ValueError as e:
            return e.args
    assert run() == fn(arg) if fn is _catch_with_live_containers else run()[1:] == (
        "héllo😀héllo😀", 5)
    with no_leaks(arg):
        for _ in range(30):
            run()


def test_no_decimal_digit_lies_beyond_the_scanned_planes():
    import sys
    import unicodedata
    from jitbridge.lib.strings.convert import DIGITS_END
    assert not [c for c in range(DIGITS_END, sys.maxunicode + 1)
                if unicodedata.decimal(chr(c), -1) != -1]
