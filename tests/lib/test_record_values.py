"""Record values (issue 20, item 1): a record taken from an array keeps the array alive, records
cross into and out of compiled code as NumPy record scalars, sub-array and char fields read and
write as NumPy does, and `arr['field'] = value` broadcasts. NumPy is the reference throughout
(Numba 0.68 gives the same values where it supports the operation)."""
import ctypes

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, runtime, typeof, types
from jitbridge.errors import TypingError
from jitbridge.np import numpy_support
from jitbridge.testing import no_leaks

REC = np.dtype([("a", "i8"), ("b", "f8")])
WIDE = np.dtype([("i", "i4"), ("v", "f4", (3, 2)), ("s", "S5"), ("u", "U3"), ("x", "f8")])
SMALL = np.dtype([("a", "f8")])
SMALL_AND_MORE = np.dtype([("a", "f8"), ("b", "f8")])


# -- a record view keeps its array alive ---------------------------------------------------------

@njit
def fresh(n):
    out = np.zeros(n, REC)
    for i in range(n):
        out[i].a = 1000 + i
    return out


@njit
def outlives_its_array(n):
    r = fresh(n)[1]  # the array is a temporary: only the view refers to it afterwards
    total = 0.0
    for k in range(200):
        junk = np.full(2 * n, -1.0)  # would reuse the freed array's memory
        total += junk[0]
    return r.a, total


def test_record_view_keeps_the_array_alive():
    assert outlives_its_array(4) == (1001, -200.0)
    before = runtime.stats()["live"]
    outlives_its_array(4)
    assert runtime.stats()["live"] == before  # and releases it afterwards


NESTED = np.dtype([("x", "i4"), ("n", REC)])


@njit
def nested_outlives(n):
    arr = np.zeros(n, NESTED)
    arr[1].n.a = 5
    inner = arr[1].n
    return inner


def test_nested_record_returned_is_a_copy_that_outlives_the_array():
    got = nested_outlives(3)
    assert isinstance(got, np.record) and got.dtype == REC and got.tolist() == (5, 0.0)


# -- records in and out ---------------------------------------------------------------------------

@njit
def item(a, i):
    return a[i]


def test_returned_record_is_a_copy_with_the_exact_dtype():
    a = np.array([(1, 1.5), (2, 2.5)], REC)
    got = item(a, 1)
    assert isinstance(got, np.record) and got.dtype == a.dtype and got == a[1]
    assert got.a == 2  # readable as attributes, as Numba's records are
    got["a"] = 99
    assert a[1]["a"] == 2  # a copy: the array is not changed through it
    with no_leaks(a):
        item(a, 0)


@njit
def bump(rec):
    rec.a += 10
    rec["b"] = rec.a * 0.5
    return rec.b


def test_record_argument_is_a_view_of_the_scalar():
    a = np.array([(1, 0.0), (2, 0.0)], REC)
    assert bump(a[1]) == 6.0  # a[1] views a's memory, as in NumPy: the write shows in a
    assert a.tolist() == [(1, 0.0), (12, 6.0)]
    with pytest.raises(TypeError, match="expected a record scalar"):
        bump.overloads[next(iter(bump.overloads))].entry_point(np.zeros(1, SMALL)[0])


def test_record_with_more_fields_runs_the_compiled_specialisation():
    """Numba's record subtyping: same names, types and offsets read the same bytes."""
    get_a = njit(lambda rec: rec["a"])
    assert get_a(np.array([1.5], SMALL)[0]) == 1.5
    get_a.disable_compile()
    assert get_a(np.array([(2.5, 3.0)], SMALL_AND_MORE)[0]) == 2.5
    assert len(get_a.overloads) == 1
    with pytest.raises(TypeError, match="No matching definition"):
        get_a(np.array([(1, 2.0)], REC)[0])  # `a` is an int64 there: no conversion


# -- sub-array and char fields ---------------------------------------------------------------------

def _wide(n=3):
    a = np.zeros(n, WIDE)
    a["i"] = np.arange(n)
    a["v"] = np.arange(n * 6, dtype="f4").reshape(n, 3, 2)
    a["s"] = [b"ab", b"abcde", b"u\x00v"]
    a["u"] = ["x", "yz", "abc"]
    return a


@njit
def read_fields(a, i):
    return a[i].v, a[i]["v"][2, 1], a[i].s, a[i].u


def test_sub_array_and_char_fields_read_as_numpy_reads_them():
    a = _wide()
    for i in range(3):
        v, last, s, u = read_fields(a, i)
        np.testing.assert_array_equal(v, a[i]["v"])
        assert v.dtype == np.float32 and v.shape == (3, 2)
        assert last == a[i]["v"][2, 1] and s == a[i]["s"] and u == a[i]["u"]
        assert type(s) is bytes and type(u) is str


def write_fields(a, src, text):
    a[0].v[1, 1] = -1.0      # through the view
    a[1].v = 7               # a scalar fills the sub-array
    a[2]["v"] = src          # an array is broadcast into it
    a[0].s = a[1].s          # same length
    a[1].u = "truncated"     # a constant, truncated to the field as NumPy does
    a[2].s = text            # a str argument, encoded and truncated as NumPy does


def test_sub_array_and_char_fields_write_as_numpy_writes_them():
    got, want = _wide(), _wide()
    src = np.array([10.0, 20.0])
    sig = (typeof(got), typeof(src), typeof(got).dtype.typeof("s"))
    njit(sig)(write_fields).overloads[sig].entry_point(got, src, "0123456")
    want[0]["v"][1, 1] = -1.0
    want[1]["v"] = 7
    want[2]["v"] = src
    want[0]["s"] = want[1]["s"]
    want[1]["u"] = "truncated"
    want[2]["s"] = "0123456"
    assert got.tobytes() == want.tobytes()


@njit
def field_views(a):
    return a["v"], a.v, a.i


def test_field_views_append_the_sub_array_axes():
    a = _wide()
    by_name, by_attribute, ints = field_views(a)
    for view in (by_name, by_attribute):
        np.testing.assert_array_equal(view, a["v"])
        assert view.shape == (3, 3, 2) and view.strides == a["v"].strides
    np.testing.assert_array_equal(ints, a["i"])


@njit
def assign_field(a, value):
    a["v"] = value
    a["x"] = 2.5


@pytest.mark.parametrize("value", [np.float32(3), np.arange(2.0), np.ones((3, 2)),
                                   np.arange(18.0).reshape(3, 3, 2)])
def test_field_assignment_broadcasts_as_numpy(value):
    got, want = _wide(), _wide()
    assign_field(got, value)
    want["v"] = value
    want["x"] = 2.5
    assert got.tobytes() == want.tobytes()


@njit
def char_items(a):
    return a[0], a[-1]


def test_char_arrays_cross_both_ways():
    for a in (np.array([b"ab", b"c\x00"]), np.array(["xy", "z"])):
        assert char_items(a) == (a[0], a[-1])
        assert item(a, 1) == a[1] and type(item(a, 1)) is type(a[1].item())


def test_records_in_lists_are_refused_with_a_reason():
    with pytest.raises(Exception, match="cannot be stored in a list"):
        njit(lambda a: [a[0], a[1]])(np.zeros(2, REC))


# -- Numba's record type API ------------------------------------------------------------------------

def test_record_type_api():
    rec = numpy_support.from_dtype(WIDE)
    assert rec.typeof("s") == types.CharSeq(5) and rec.typeof("u") == types.UnicodeCharSeq(3)
    assert rec.typeof("v") == types.NestedArray(types.float32, (3, 2))
    assert [rec.offset(n) for n in WIDE.names] == [WIDE.fields[n][1] for n in WIDE.names]
    assert len(rec) == 5 and rec.dtype == WIDE
    with pytest.raises(KeyError, match="Field 'q' was not found"):
        rec.typeof("q")
    assert types.Array(types.NestedArray(types.float64, (4,)), 2, "C") == \
        types.Array(types.float64, 3, "C")


def test_make_c_struct_lays_out_as_c():
    class Ref(ctypes.Structure):
        _fields_ = [("apple", ctypes.c_int32), ("mango", ctypes.c_int8),
                    ("orange", ctypes.c_double)]

    ty = types.Record.make_c_struct([("apple", types.int32), ("mango", types.int8),
                                     ("orange", types.float64)])
    assert [ty.offset(n) for n, _ in Ref._fields_] == \
        [getattr(Ref, n).offset for n, _ in Ref._fields_]
    assert ty.size == ctypes.sizeof(Ref) and ty.dtype.isalignedstruct


# -- generated layouts -------------------------------------------------------------------------------

FIELD_FORMATS = ["i1", "i4", "f8", "c8", "S3", "U2", ("f4", (2,)), ("i2", (2, 2))]


@njit
def copy_each(src, dst):
    for i in range(src.shape[0]):
        dst[i] = src[i]
    return dst[src.shape[0] - 1]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(FIELD_FORMATS), min_size=1, max_size=4), st.booleans(),
       st.integers(1, 4))
def test_generated_layouts_copy_exactly(formats, align, n):
    dt = np.dtype([(f"f{i}", f) for i, f in enumerate(formats)], align=align)
    src = np.frombuffer(np.random.default_rng(n).bytes(dt.itemsize * n), dt).copy()
    dst = np.zeros(n, dt)
    last = copy_each(src, dst)
    assert dst.tobytes() == src.tobytes()
    assert last.tobytes() == src[-1].tobytes() and last.dtype == dt


def test_no_leaks():
    a = _wide()
    read_fields(a, 0), field_views(a), item(a, 1), assign_field(a, 1.0), outlives_its_array(2)
    with no_leaks(a):
        for _ in range(3):
            read_fields(a, 1)
            views = field_views(a)
            del views
            item(a, 2)
            assign_field(a, np.ones(2))
            outlives_its_array(3)
