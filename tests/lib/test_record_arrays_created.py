"""Record (structured dtype) arrays created in compiled code (issue 20, item 1): exact dtypes,
zeroed bytes, field access by attribute, name and position, field views, and located errors
for dtypes records cannot hold. NumPy building the same array is the reference (Numba 0.68
gives the same values)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

REC = np.dtype([("a", "i8"), ("b", "f8")])
PACKED = np.dtype([("a", "u1"), ("b", "f8"), ("c", "i2")])
ALIGNED = np.dtype([("a", "u1"), ("b", "f8"), ("c", "i2")], align=True)
NESTED = np.dtype([("x", "i4"), ("n", REC)], align=True)
LAYOUTS = [REC, PACKED, ALIGNED, NESTED]


def ones(shape, dt):
    """np.ones(shape, dt) with zeroed padding (NumPy's leaves padding bytes undefined)."""
    out = np.zeros(shape, dt)
    out[...] = 1
    return out


def same_array(got, want):
    assert got.dtype == want.dtype and got.dtype.descr == want.dtype.descr
    assert got.dtype.itemsize == want.dtype.itemsize
    assert got.dtype.isalignedstruct == want.dtype.isalignedstruct
    assert got.shape == want.shape and got.tobytes() == want.tobytes()


@njit
def make_issue_example(n):
    out = np.zeros(n, REC)
    for i in range(n):
        out[i].a = i
    return out


def test_issue_example_builds_real_records():
    got = make_issue_example(2)
    want = np.zeros(2, REC)
    want["a"] = [0, 1]
    same_array(got, want)
    assert got.tolist() == [(0, 0.0), (1, 0.0)]


def _constructors(dt):
    @njit
    def zeros(n):
        return np.zeros(n, dt)

    @njit
    def ones(n):
        return np.ones((n, 2), dtype=dt)

    @njit
    def keywords(n):
        return np.zeros(dtype=dt, shape=(2, n))

    @njit
    def like(a):
        return np.zeros_like(a), np.ones_like(a), np.zeros(3, a.dtype)
    return zeros, ones, keywords, like


@pytest.mark.parametrize("dt", LAYOUTS, ids=["plain", "packed", "aligned", "nested"])
def test_constructors_give_numpys_dtype_and_bytes(dt):
    zeros, make_ones, keywords, like = _constructors(dt)  # dt: a closure variable
    same_array(zeros(3), np.zeros(3, dt))
    same_array(make_ones(3), ones((3, 2), dt))   # NumPy sets every field to 1
    same_array(keywords(3), np.zeros((2, 3), dt))
    z, o, from_dtype = like(ones(4, dt))
    same_array(z, np.zeros(4, dt))
    same_array(o, ones(4, dt))
    same_array(from_dtype, np.zeros(3, dt))


@njit
def zeros_after_garbage(n):
    junk = np.ones(n, REC)  # freed after its last use: memory of this size, non-zero bytes
    junk[0].a = 2
    return np.zeros(n, REC), junk[0].a


def test_zeros_clears_every_byte():
    zeros, _ = zeros_after_garbage(4096)
    assert zeros.tobytes() == bytes(4096 * REC.itemsize)


@njit
def empty_filled(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i]             # a whole record copied
    out2 = np.empty(a.shape[0], a.dtype)
    for i in range(a.shape[0]):
        out2[i]["a"] = a[i].a * 10
        out2[i][1] = a[i][-1] + 0.5
    return out, out2


def test_empty_then_every_field_written():
    a = np.array([(1, 1.5), (2, 2.5), (3, 3.5)], REC)
    out, out2 = empty_filled(a)
    same_array(out, a)
    want = a.copy()
    want["a"] *= 10
    want["b"] += 0.5
    same_array(out2, want)


@njit
def field_views(n):
    out = np.zeros(n, REC)
    b = out["b"]
    b[:] = 4.0
    b[1] = 3
    out["a"][::2] = 7
    return out, b, out["a"][1:]


def test_field_view_writes_through():
    out, b, tail = field_views(3)
    want = np.zeros(3, REC)
    want["b"] = [4.0, 3.0, 4.0]
    want["a"][::2] = 7
    same_array(out, want)
    assert b.dtype == np.float64 and b.tolist() == [4.0, 3.0, 4.0]
    assert tail.dtype == np.int64 and tail.tolist() == [0, 7]


@njit
def first_field(a):
    return a["a"]


def test_field_view_of_argument_has_field_dtype():
    a = np.array([(1, 1.5), (2, 2.5)], REC)
    view = first_field(a)   # starts where `a` does: must not be `a` itself
    assert view is not a and view.dtype == np.int64 and view.tolist() == [1, 2]
    view[0] = 5
    assert a[0]["a"] == 5


@njit
def nested_and_iterated(n):
    out = np.zeros(n, NESTED)
    for i in range(n):
        out[i].n.a = i
        out[i]["n"]["b"] = i * 0.5
        out[i][0] = -i
    total = 0.0
    for r in out:
        total += r.n.b + r.n["a"] + r.x
        r.n.b = 1.0
    return out, total


def test_nested_fields_and_iteration():
    out, total = nested_and_iterated(3)
    want = np.zeros(3, NESTED)
    want["x"] = [0, -1, -2]
    want["n"]["a"] = [0, 1, 2]
    want["n"]["b"] = 1.0
    same_array(out, want)
    assert total == 1.5


@njit
def copy_nested(a, b):
    a[0].n = b[1].n
    return a


def test_nested_record_field_assignment_copies_bytes():
    b = np.zeros(2, NESTED)
    b[1]["n"] = (9, 2.5)
    got = copy_nested(np.zeros(2, NESTED), b)
    assert got[0]["n"].tolist() == (9, 2.5) and got[1].tolist() == (0, (0, 0.0))


def _compile_error(dt):
    @njit
    def f(n):
        return np.zeros(n, dt)
    with pytest.raises(TypingError) as info:
        f(2)
    return str(info.value)


@pytest.mark.parametrize("dt, reason", [
    (np.dtype([]), "item size 0"),
    (np.dtype([("x", "i4"), ("o", "O")]), "field 'o'"),
    (np.dtype([("x", "i4"), ("h", "f2")]), "field 'h'"),  # half floats have no type
    (np.dtype([("x", "i4"), ("s", ">i4")]), "field 's'"),
])
def test_unsupported_dtype_is_a_located_typing_error(dt, reason):
    message = _compile_error(dt)
    assert "test_record_arrays_created.py" in message and "np.zeros(n, dt)" in message
    assert f"unsupported record dtype {dt}" in message and reason in message


@njit
def full_record(n):
    return np.full(n, 0, REC)


@njit
def missing_field(n):
    out = np.zeros(n, REC)
    out[0]["c"] = 1
    return out


def test_refused_operations_are_located():
    with pytest.raises(TypingError, match=r"np.full\(\) cannot fill the record dtype"):
        full_record(2)
    with pytest.raises(TypingError, match=r"Field 'c' was not found in record with fields \('a', 'b'\)"):
        missing_field(2)


def test_no_leaks():
    a = np.array([(1, 1.5), (2, 2.5), (3, 3.5)], REC)
    make_issue_example(2), field_views(3), empty_filled(a), first_field(a)  # compile first
    with no_leaks(a):
        for _ in range(3):
            make_issue_example(100)
            out, b, tail = field_views(50)
            del out, b, tail
            empty_filled(a)
            first_field(a)
            nested_and_iterated(10)


FORMATS = ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "f4", "f8"]


@settings(max_examples=12, deadline=None)
@given(st.lists(st.sampled_from(FORMATS), min_size=1, max_size=5), st.booleans(),
       st.integers(0, 6))
def test_layouts_match_numpy(formats, align, n):
    dt = np.dtype([(f"f{i}", fmt) for i, fmt in enumerate(formats)], align=align)

    @njit
    def build(n):
        out = np.zeros(n, dt)
        for i in range(n):
            out[i][0] = i + 1
            out[i][-1] = 2 * i + 3
        return out, np.ones(n, dt)

    got, all_ones = build(n)
    want = np.zeros(n, dt)
    want[dt.names[0]] = np.arange(1, n + 1)
    want[dt.names[-1]] = 2 * np.arange(n) + 3
    same_array(got, want)
    same_array(all_ones, ones(n, dt))


def test_titled_fields_keep_their_titles():
    """NumPy's titles are a field's second name: readable and writable by either, kept in
    the dtype of an array made in compiled code, listed in the type's fields as in NumPy."""
    from jitbridge.np.numpy_support import as_dtype, from_dtype
    titled = np.dtype([(("x", "s0"), "i4"), (("y", "s1"), "f8")])
    record = from_dtype(titled)
    assert len(record.fields) == len(titled.fields) == 4 and as_dtype(record) == titled

    @njit
    def make(n):
        out = np.zeros(n, titled)
        for i in range(n):
            out[i]["s0"] = i + 1
            out[i]["x"] += 10
            out[i].y = 0.5 * i
        return out
    expected = np.zeros(3, titled)
    for i in range(3):
        expected[i]["s0"] = i + 1
        expected[i]["x"] += 10
        expected[i]["y"] = 0.5 * i
    got = make(3)
    assert got.dtype == titled and got.tobytes() == expected.tobytes()
