"""Issue 10 items 9, 12, 15 (objmode output errors) and 17 (narrow integers): any Python object
through compiled code keeps its identity and exact reference counts; objmode outputs and
integer unboxing either give Python's value or raise a clear error, and release what they took.

The extension types (a holder with a `List(pass_thru_type)` member unboxed from a temporary
copy, a user `PassThruType` whose `@box` returns its object) live in `_passthru_holder`.
"""
import contextlib
import os
import sys
import traceback

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit, objmode, types
from jitbridge.passthru import PassThruContainer, pass_thru_container_type, pass_thru_type
from jitbridge.runtime import stats
from jitbridge.testing import no_leaks
from tests.isolation import run_isolated

from . import _passthru_holder as holder

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOLDER_PRELUDE = (f"import sys\nsys.path.insert(0, {ROOT!r})\nimport gc\n"
                  "from jitbridge.runtime import stats\n"
                  "from tests.safety._passthru_holder import *\n")
PROPERTY = settings(max_examples=40, deadline=None)


class Custom:
    """An object with no compiled equivalent (and an unusual `__eq__`)."""

    def __eq__(self, other):
        raise AssertionError("compiled code must compare identities, never call __eq__")

    __hash__ = object.__hash__


def _fresh(value):
    """An equal object only the test refers to: shared ones (small ints, one-character strings,
    values hypothesis keeps in its own pools) get references from anywhere, so their counts
    could not be checked exactly."""
    if isinstance(value, float):
        return float(repr(value))
    if isinstance(value, str):
        return "".join(list(value))
    if isinstance(value, int):
        return int(str(value))
    return value


python_objects = st.one_of(
    st.integers(2 ** 40, 2 ** 80), st.text(min_size=2, max_size=5), st.none(),
    st.floats(allow_nan=False), st.builds(Custom), st.builds(object),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)).map(_fresh)


@contextlib.contextmanager
def exact(*objects):
    """`no_leaks` without its full garbage collections (slow in a large test process; nothing
    here makes reference cycles): no live MemInfo and no reference to `objects` is left."""
    before = [sys.getrefcount(o) for o in objects], stats()["live"]
    yield
    assert ([sys.getrefcount(o) for o in objects], stats()["live"]) == before


def _tracked(objs):
    """The objects whose reference counts are checked (None and bools are used everywhere)."""
    return [o for o in objs if o is not None and not isinstance(o, bool)]


# -- item 9: a passthru list member, unboxed from a temporary copy --------------------------------

def test_holder_list_member_is_safe_and_exact_isolated():
    """The issue's reproducer (it aborted with 'malloc(): unaligned tcache chunk'); returning
    the member itself used to box a list whose parent was the freed temporary copy."""
    out = run_isolated("""
        class Thing: pass
        objs = [Thing(), "text", None, 1.5, [1], {"a": 1}, Thing()]
        h = Holder(list(objs))
        r = copy_items(h)
        print(all(a is b for a, b in zip(r, objs)), len(r) == len(objs))
        m = items_of(h)
        print(all(a is b for a, b in zip(m, objs)), m is not h.items, same_holder(h) is h)
        del r, m
        gc.collect()
        tracked = [o for o in objs if o is not None] + [h]  # None is used everywhere
        before = [sys.getrefcount(o) for o in tracked], stats()["live"]
        for _ in range(2000):
            copy_items(h), items_of(h), same_holder(h)
        gc.collect()
        print(before == ([sys.getrefcount(o) for o in tracked], stats()["live"]))
    """, prelude=HOLDER_PRELUDE)
    assert out.split() == ["True"] * 6


@PROPERTY
@given(st.lists(python_objects, max_size=6))
def test_holder_items_keep_identity_and_refcounts(values):
    objs = list(values)
    h = holder.Holder(list(objs))
    holder.copy_items(h)
    with exact(h, *_tracked(objs)):
        copied, member, same = holder.copy_items(h), holder.items_of(h), holder.same_holder(h)
        assert all(a is b for a, b in zip(copied, objs)) and len(copied) == len(objs)
        assert all(a is b for a, b in zip(member, objs)) and len(member) == len(objs)
        assert same is h and h.items == objs
        del copied, member, same


def test_user_passthru_box_returning_its_object_does_not_leak():
    """A Numba-style `@box` borrows `val`: the framework releases it (it used to leak one
    reference to the object per call)."""
    a, b = holder.Linked(2), holder.Linked(1)
    holder.linked_pair(a, b)
    with no_leaks(a, b):
        for _ in range(500):
            first, second = holder.linked_pair(a, b)
            assert first is b and second is a
        del first, second


# -- pass-through objects through containers, lists, tuples and objmode ---------------------------

@njit
def spread(c, pair):
    items = [c, pair[0], pair[1]]
    return (pair[1], c), items, items[0] == pair[0]


ANY_LIST = types.List(pass_thru_type)


@njit
def through_objmode(c):
    with objmode(o=pass_thru_type, back=pass_thru_container_type,
                 many=ANY_LIST):
        o = c.obj
        back = c
        many = [c.obj, c, None]
    return o, back, many


@PROPERTY
@given(python_objects, python_objects, python_objects)
def test_containers_through_lists_tuples_and_objmode(x, y, z):
    objs = [x, y, z]
    conts = [PassThruContainer(o) for o in objs]
    spread(conts[0], (conts[1], conts[2])), through_objmode(conts[0])
    with exact(*_tracked(objs), *conts):
        (last, first), items, same = spread(conts[0], (conts[1], conts[2]))
        assert last is conts[2] and first is conts[0] and same is (objs[0] is objs[1])
        assert [i for i in items] == conts and all(a is b for a, b in zip(items, conts))
        obj, back, many = through_objmode(conts[0])
        assert obj is objs[0] and back is conts[0]
        assert many[0] is objs[0] and many[1] is conts[0] and many[2] is None
        del last, first, items, obj, back, many


# -- item 12: objmode outputs release what they converted on every failure path ----------------------

def make_arrays(source, count, bad_at):
    """`count` views of `source` (each refers to it) with a str at position `bad_at`."""
    values = [source[:] for _ in range(count)]
    if bad_at is not None:
        values[bad_at] = "not an array"
    return values


@njit
def list_output(source, count, bad_at):
    with objmode(values='List(float64[::1])'):
        values = make_arrays(source, count, bad_at)
    return len(values)


@njit
def tuple_output(source, small):
    with objmode(pair='Tuple(float64[::1], float64[::1], int8)', first='float64[::1]'):
        first = source[:]
        pair = (source[:], source[:], small)
    return pair[2]


@PROPERTY
@given(st.integers(1, 8), st.data())
def test_failing_list_output_releases_converted_items(count, data):
    bad_at = data.draw(st.one_of(st.none(), st.integers(0, count - 1)))
    source = np.arange(4.0)
    list_output(source, 1, None)
    with exact(source):
        for _ in range(20):
            if bad_at is None:
                assert list_output(source, count, bad_at) == count
            else:
                with pytest.raises(TypeError, match=f"'values'.*item {bad_at}"):
                    list_output(source, count, bad_at)


@PROPERTY
@given(st.integers(-300, 300))
def test_failing_tuple_item_releases_earlier_items(small):
    source = np.arange(3.0)
    tuple_output(source, 0)
    with exact(source):
        if -128 <= small <= 127:
            assert tuple_output(source, small) == small
        else:
            with pytest.raises(OverflowError, match=f"'pair'.*Python int {small} out of range "
                                                    "for int8"):
                tuple_output(source, small)


# -- item 17: no integer unboxing wraps around --------------------------------------------------------

INT_TYPES = ["int8", "uint8", "int16", "uint32", "int64", "uint64"]


def _output_of(type_name):
    @njit
    def output(v):
        with objmode(y=type_name):
            y = v.obj
        return y
    return output


OUTPUTS = {t: _output_of(t) for t in INT_TYPES}
ARGUMENTS = {t: njit(f"{t}({t})")(lambda x: x) for t in INT_TYPES}
TUPLE_ITEMS = {t: njit(f"{t}(UniTuple({t}, 2))")(lambda p: p[1]) for t in INT_TYPES}


def _range(type_name):
    info = np.iinfo(type_name)
    return int(info.min), int(info.max)


@PROPERTY
@given(st.sampled_from(INT_TYPES), st.one_of(st.integers(-2 ** 66, 2 ** 66),
                                             st.integers(-300, 300)))
def test_out_of_range_ints_raise_overflow_everywhere(type_name, value):
    low, high = _range(type_name)
    calls = [lambda: OUTPUTS[type_name](PassThruContainer(value))]
    if -2 ** 63 <= value < 2 ** 64:  # other ints have no compiled type: a TypingError
        calls += [lambda: ARGUMENTS[type_name](value), lambda: TUPLE_ITEMS[type_name]((0, value))]
    for call in calls:
        if low <= value <= high:
            assert call() == value
        else:
            with pytest.raises(OverflowError, match=f"Python int {value} out of range for "
                                                    f"{type_name}"):
                call()


def test_issue_example_int8_output_is_an_overflow_error():
    with pytest.raises(OverflowError, match="'y'.*Python int 1000 out of range for int8"):
        OUTPUTS["int8"](PassThruContainer(1000))
    with pytest.raises(OverflowError, match="Python int 1000 out of range for int8"):
        njit("int64(int8)")(lambda x: x)(1000)


@pytest.mark.parametrize("value, expected", [(True, 1), (False, 0), (np.int16(-7), -7),
                                             (np.uint8(200), 200)])
def test_bools_and_numpy_ints_are_ints(value, expected):
    result = OUTPUTS["int16"](PassThruContainer(value))
    assert result == expected and type(result) is int


@pytest.mark.parametrize("value", ["3", 1j, None, [3]])
def test_non_numbers_into_int_outputs_are_type_errors(value):
    with pytest.raises(TypeError, match=f"'y' is annotated as int16 .*{type(value).__name__}"):
        OUTPUTS["int16"](PassThruContainer(value))


@pytest.mark.parametrize("value, expected", [(3.7, 3), (-2.9, -2), (np.float32(7.5), 7)])
def test_floats_into_int_outputs_truncate_as_numpy_assigns(value, expected):
    result = OUTPUTS["int16"](PassThruContainer(value))
    slot = np.empty(1, np.int16)
    slot[0] = value
    assert result == expected == slot[0] and type(result) is int


@pytest.mark.parametrize("value, error", [(float("nan"), ValueError), (1e6, OverflowError)])
def test_floats_an_int_output_cannot_hold_are_numpys_errors(value, error):
    with pytest.raises(error, match="objmode output 'y' \\(annotated as int16\\) cannot hold"):
        OUTPUTS["int16"](PassThruContainer(value))


@pytest.mark.parametrize("value, expected", [(1, True), (0, False), (2.0, True), (np.True_, True)])
def test_numbers_become_boolean_outputs_as_numpy_assigns(value, expected):
    assert FLAG(PassThruContainer(value)) is expected


@pytest.mark.parametrize("value", [None, "", [1]])
def test_non_numbers_into_boolean_outputs_are_type_errors(value):
    with pytest.raises(TypeError, match="'b' is annotated as bool"):
        FLAG(PassThruContainer(value))


@njit
def FLAG(v):
    with objmode(b='boolean'):
        b = v.obj
    return b


# -- item 15: objmode output errors are user-level errors ---------------------------------------------

@njit
def bad_output(kind):
    with objmode(y='int64', values='List(int64)'):
        values = [1, 2]
        y = 1
        if kind == 0:
            y = "text"
        elif kind == 1:
            y = 2 ** 70
        else:
            values = [1, "two"]
    return y


@pytest.mark.parametrize("kind, error, words", [
    (0, TypeError, ["'y'", "int64", "str"]),
    (1, OverflowError, ["'y'", "int64", "out of range"]),
    (2, TypeError, ["'values'", "list(int64)", "item 1", "unicode_type"])])
def test_output_errors_have_only_user_frames(kind, error, words):
    with pytest.raises(error) as info:
        bad_output(kind)
    message = str(info.value)
    assert all(w in message for w in words), message
    frames = traceback.extract_tb(info.value.__traceback__)
    assert frames and {f.filename for f in frames} == {__file__}, frames
    assert info.value.__cause__ is None
    assert info.value.__context__ is None or info.value.__suppress_context__
    with no_leaks():
        for _ in range(50):
            with pytest.raises(error):
                bad_output(kind)


def test_user_exception_in_block_keeps_its_own_frames():
    """Only the output conversion's frames go: an error raised by the block's code is the
    user's, with its line in the traceback."""
    @njit
    def raising():
        with objmode(y='int64'):
            y = int("not a number")
        return y
    with pytest.raises(ValueError) as info:
        raising()
    lines = [f.line for f in traceback.extract_tb(info.value.__traceback__)]
    assert any("int(\"not a number\")" in (line or "") for line in lines), lines

