"""Issue 23 items 3 and 7: what a compilation freezes, enum members, namedtuple types.

Freezing follows Numba: each compilation (a new dispatcher, or a new specialisation of one)
reads globals, closure cells, module attributes and defaults as they are then; a compiled
specialisation keeps what it froze. Enum members cross the boundary as the members themselves,
and a namedtuple has a type of its own (per class), distinct from a plain tuple's.
"""
import collections
import enum
import types as pytypes
import typing

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.frontend import build_ir
from jitbridge.testing import no_leaks
from jitbridge.typing.typeof import typeof

K = 1
CONFIG = pytypes.ModuleType("config")
CONFIG.scale = 2


def add_k(x):
    return x + K


def scaled(x):
    return x * CONFIG.scale


def with_default(x, y=1):
    return x + y


# -- item 3: globals, closure cells, module attributes, defaults --------------------------------

def test_new_dispatcher_sees_rebound_global():
    global K
    K = 1
    first = njit(add_k)
    assert first(1) == 2
    K = 100
    assert njit(add_k)(1) == 101  # a new dispatcher: compiled now, with K == 100
    assert first(1) == 2          # the old specialisation keeps what it froze
    K = 1


def test_new_specialisation_of_one_dispatcher_rereads_globals():
    """As in Numba: every compilation reads the globals afresh."""
    global K
    K = 3
    dispatcher = njit(add_k)
    assert dispatcher(1) == 4
    K = 10
    assert dispatcher(1) == 4        # int64: compiled already
    assert dispatcher(1.5) == 11.5   # float64: compiled now
    K = 1


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["rebind", "new", "call"]),
                          st.integers(-1000, 1000)), min_size=1, max_size=8))
def test_random_rebinding_and_dispatchers_match_python(steps):
    """Model: a dispatcher's int64 specialisation freezes K at its first call."""
    global K
    dispatchers = []  # [dispatcher, frozen K or None]
    for action, value in steps:
        if action == "rebind":
            K = value
        elif action == "new" or not dispatchers:
            dispatchers.append([njit(add_k), None])
        entry = dispatchers[value % len(dispatchers)] if dispatchers else None
        if action == "call" and entry is not None:
            if entry[1] is None:
                entry[1] = K
            assert entry[0](5) == 5 + entry[1]
    K = 1


def test_closure_cell_changed_in_a_loop():
    for a_val, b in [(True, True), (True, False), (False, True), (False, False)]:
        def impl(b):
            return a_val == b, a_val is b, a_val != b
        assert njit(impl)(b) == impl(b)


def test_rejitting_a_closure_over_a_rebound_variable():
    y = 10

    def add_y(x):
        return x + y

    first = njit(add_y)
    assert first(1) == 11
    y = 12
    second = njit(add_y)
    assert second(1) == 13
    y = 13  # noqa: F841  (compiled code keeps what it froze)
    assert second(1) == 13 and first(1) == 11


def test_inner_function_sees_the_enclosing_closure_cell_of_its_compilation():
    def outer(v):
        def run(x):
            def inner(y):
                return y * v
            return inner(x)
        return run
    assert [njit(outer(v))(10) for v in (2, 3, 4)] == [20, 30, 40]


def test_rebound_module_attribute_and_defaults():
    CONFIG.scale = 2
    assert njit(scaled)(5) == 10
    CONFIG.scale = 7
    assert njit(scaled)(5) == 35
    CONFIG.scale = 2
    assert njit(with_default)(1) == 2
    with_default.__defaults__ = (50,)
    try:
        assert njit(with_default)(1) == 51
    finally:
        with_default.__defaults__ = (1,)


def test_unchanged_function_reuses_its_ir():
    """Compile latency: the IR is rebuilt only when a frozen value changed."""
    global K
    K = 1
    assert build_ir(add_k) is build_ir(add_k)
    before = build_ir(add_k)
    K = 2
    assert build_ir(add_k) is not before
    K = 1


# -- item 7: enums ------------------------------------------------------------------------------

class Color(enum.Enum):
    red = 1
    green = 2
    blue = 3


class Flavour(enum.Enum):
    vanilla = 7
    mint = 3  # the same value as Color.blue


class Planet(enum.Enum):
    venus = (4.869e+24, 6.0518e6)
    earth = (5.976e+24, 6.37814e6)


class Shape(enum.IntEnum):
    circle = 2   # the same value as Color.green
    square = 500


class Status(enum.IntEnum):
    dummy = 2
    not_found = 404
    internal_error = 500


class Mixed(enum.Enum):
    number = 1
    text = "one"


MEMBERS = [*Color, *Flavour, *Planet, *Shape, *Status]


def compare(a, b):
    return a == b, a != b, a is b, a is not b


def pick(a, b, first):
    return a if first else b


def value_of(a):
    return a.value


def is_red(a):
    return a is Color.red, a is Color["red"], a == Color.green


def int_coerce(x):
    if x > Status.internal_error:
        return x - Status.not_found
    return x + Shape.circle


def int_cast(x):
    return types.int16(Shape.square) + x


def unknown_member():
    return Color.purple


compare_compiled = njit(compare)  # shared: its specialisations accumulate over examples


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(MEMBERS), st.sampled_from(MEMBERS))
def test_enum_comparisons_match_python(a, b):
    assert compare_compiled(a, b) == compare(a, b)


@pytest.mark.parametrize("member", MEMBERS, ids=str)
def test_enum_member_returned_is_the_member(member):
    cfunc = njit(pick)
    with no_leaks(member):
        for first in (True, False):
            assert cfunc(member, member, first) is member
    assert njit(value_of)(member) == member.value


def test_int_enum_return_is_the_member_not_an_int():
    result = njit(pick)(Shape.circle, Shape.square, False)
    assert result is Shape.square and type(result) is Shape


def test_enum_class_attributes_and_items():
    for member in Color:
        assert njit(is_red)(member) == is_red(member)


int_coerce_compiled, int_cast_compiled = njit(int_coerce), njit(int_cast)


@settings(max_examples=40, deadline=None)
@given(st.integers(-10**6, 10**6))
def test_int_enum_members_are_integers_in_arithmetic(x):
    assert int_coerce_compiled(x) == int_coerce(x)
    assert int_cast_compiled(x) == 500 + x


def test_members_of_different_classes_get_their_own_specialisations():
    cfunc = njit(value_of)
    assert cfunc(Color.blue) == 3 and cfunc(Flavour.mint) == 3
    assert {str(s) for s in cfunc.signatures} == {str((typeof(Color.blue),)),
                                                str((typeof(Flavour.mint),))}


def test_enum_types():
    assert typeof(Color.red) == types.EnumMember(Color, types.int64)
    assert typeof(Shape.circle) == types.IntEnumMember(Shape, types.int64)
    assert typeof(Planet.earth) == types.EnumMember(Planet, types.UniTuple(types.float64, 2))
    assert typeof(Color.red) != typeof(Flavour.mint)


def test_heterogeneous_enum_is_a_clear_error():
    with pytest.raises(TypingError, match=r"argument 0 \('a'\).*Mixed"):
        njit(value_of)(Mixed.number)


def test_unknown_member_is_a_located_error():
    with pytest.raises(TypingError, match=r"Color has no member 'purple'"):
        njit(unknown_member)()


# -- item 7: namedtuples ------------------------------------------------------------------------

Point = collections.namedtuple("Point", ["x", "y", "z"])
Point2 = collections.namedtuple("Point2", ["x", "y", "z"])
Rect = collections.namedtuple("Rect", ["width", "height"])


class Pair(typing.NamedTuple):
    first: int
    second: float


def identity(x):
    return x


def fields_reversed(p):
    return p.z, p.y, p.x


def make_point(a, b, c):
    return Point(a, b, c)


def make_point_keywords(a, b, c):
    return Point(a, y=b, z=c)


def make_point_shuffled(a, b, c):
    return Point(z=c, y=b, x=a)


def test_namedtuple_and_tuple_get_separate_specialisations():
    cfunc = njit(identity)
    plain, named, other = (1, 2, 3), Point(1, 2, 3), Point2(1, 2, 3)
    for value in (plain, named, other, plain, named):
        result = cfunc(value)
        assert result == value and type(result) is type(value)
    assert [s[0] for s in cfunc.signatures] == [typeof(plain), typeof(named), typeof(other)]
    assert typeof(named) == types.NamedUniTuple(types.int64, 3, Point)
    assert typeof(Pair(1, 2.0)) == types.NamedTuple((types.int64, types.float64), Pair)


identity_compiled, fields_compiled = njit(identity), njit(fields_reversed)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["plain", "Point", "Point2"]), min_size=1, max_size=6),
       st.tuples(st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=False), st.booleans()))
def test_tuple_kinds_in_any_order_round_trip(kinds, items):
    """Shared dispatchers: whichever kinds came first, each value comes back as itself."""
    for kind in kinds:
        value = items if kind == "plain" else {"Point": Point, "Point2": Point2}[kind](*items)
        result = identity_compiled(value)
        assert result == value and type(result) is type(value)
        if kind != "plain":
            assert fields_compiled(value) == fields_reversed(value)


def test_namedtuple_construction_in_compiled_code():
    for args in ((4, 5, 6), (4, 5.5, 6j)):
        for func in (make_point, make_point_keywords):
            result = njit(func)(*args)
            assert type(result) is Point and result == func(*args)


def test_out_of_order_keywords_fill_the_named_fields():
    got = njit(make_point_shuffled)(1, 2.5, 3j)
    assert got == make_point_shuffled(1, 2.5, 3j) and type(got) is Point


def test_unknown_field_is_a_located_error():
    with pytest.raises(TypingError, match=r"Unknown attribute 'z' of type Rect"):
        njit(fields_reversed)(Rect(1, 2))


def test_namedtuple_of_arrays_leaks_nothing():
    a = np.arange(3.0)
    value = Rect(a, a + 1)
    cfunc = njit(identity)
    cfunc(value)
    with no_leaks(a, value.height):
        for _ in range(3):
            result = cfunc(value)
            assert type(result) is Rect and result.width is a
        del result


def test_typing_namedtuple_round_trips():
    value = Pair(3, 4.5)
    result = njit(identity)(value)
    assert type(result) is Pair and result == value


def point_or_mixed(first):
    return Rect(1, 2) if first else Rect(1, 2.5)


def point_or_plain(first):
    return Rect(1, 2) if first else (1, 2)


def member_or_int(first):
    return Shape.circle if first else 7


def test_namedtuples_of_one_class_unify_keeping_the_class():
    for first in (True, False):
        result = njit(point_or_mixed)(first)
        assert type(result) is Rect and result == point_or_mixed(first)


def test_namedtuple_and_plain_tuple_do_not_unify():
    with pytest.raises(TypingError, match=r"incompatible types Rect\(int64 x 2\) and "
                                          r"UniTuple\(int64 x 2\)"):
        njit(point_or_plain)(True)


def test_int_enum_member_unifies_with_int():
    assert njit(member_or_int)(True) == 2 and njit(member_or_int)(False) == 7


def ordered(a, b):
    return a < b, a <= b, a > b, a >= b


ordered_compiled = njit(ordered)
_items = st.one_of(st.integers(-3, 3), st.floats(-3, 3).filter(lambda v: v == v))


@settings(max_examples=40, deadline=None)
@given(st.lists(_items, max_size=3), st.lists(_items, max_size=3))
def test_tuple_ordering_is_lexicographic_as_python(a, b):
    """Plain tuples and namedtuples of different lengths; NaN left out (Python's tuple
    comparison treats an item identical to itself as equal, compiled code cannot)."""
    a, b = tuple(a), tuple(b)
    assert ordered_compiled(a, b) == ordered(a, b)
    if len(a) == 2 and len(b) == 3:
        assert ordered_compiled(Rect(*a), Point(*b)) == ordered(Rect(*a), Point(*b))


def test_int_enum_member_after_an_int_gets_its_own_specialisation():
    cfunc = njit(identity)
    for value in (5, Shape.circle, 5, Shape.circle):
        result = cfunc(value)
        assert result == value and type(result) is type(value)


def test_namedtuple_of_the_wrong_size_is_rejected_not_read_past_its_end():
    """`tuple.__new__(cls, items)` builds an instance of any size; the native exact check
    must count the items before reading them."""
    from tests.isolation import run_isolated
    out = run_isolated("""
        from collections import namedtuple
        Pair = namedtuple("Pair", "x y")

        @njit
        def first(p):
            return p.x

        print(first(Pair(1, 2)))
        short = tuple.__new__(Pair, (7,))
        try:
            first(short)
        except TypeError as exc:
            print("TypeError")
    """)
    assert out.split() == ["1", "TypeError"]
