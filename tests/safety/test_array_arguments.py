"""Issue 10, items 3, 5, 11 and 15 (record setitem): array arguments are checked by element type
(kind, size, byte order, record layout), layout, writeability and class, wherever they enter
compiled code: top-level arguments (native exact check and typeof), list items, tuple items and
objmode outputs. A mismatch is a clear TypeError, never garbage."""
import os
import sys
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jitbridge import njit, objmode, typeof
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks
from tests.isolation import run_isolated

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCALARS = ["?", "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "p", "P", "f", "d", "F", "D",
           "int8", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64"]
NUMERIC = [code for code in SCALARS if code != "?"]
CLEAR_ERRORS = (TypeError, TypingError)
#: the array check's message, or the list unboxer's own per-item check (which runs first)
ITEM_MISMATCH = r"expected a NumPy array matching|can't unbox heterogeneous list"
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


class Tagged(np.ndarray):
    """A user subclass: rejected like any subclass that has no type of its own."""


# -- generated arrays ---------------------------------------------------------------------------

@st.composite
def scalar_dtypes(draw, codes=SCALARS):
    """A supported scalar dtype under any of its spellings, in either byte order."""
    dtype = np.dtype(draw(st.sampled_from(codes)))
    return dtype.newbyteorder(">") if dtype.itemsize > 1 and draw(st.booleans()) else dtype


@st.composite
def record_dtypes(draw):
    """A record with a numeric field 'x' among random fields, packed, aligned or padded."""
    names = ["x"] + draw(st.lists(st.sampled_from("yzw"), unique=True, max_size=3))
    names = draw(st.permutations(names))
    formats = [draw(scalar_dtypes(NUMERIC if name == "x" else SCALARS)) for name in names]
    style = draw(st.sampled_from(["packed", "aligned", "padded"]))
    if style != "padded":
        return np.dtype(list(zip(names, formats)), align=style == "aligned")
    offsets, end = [], 0
    for fmt in formats:
        offsets.append(end + draw(st.integers(0, 3)))
        end = offsets[-1] + fmt.itemsize
    return np.dtype({"names": names, "formats": formats, "offsets": offsets,
                     "itemsize": end + draw(st.integers(0, 3))})


def native(dtype: np.dtype) -> np.dtype:
    """The same dtype in native byte order (fields too)."""
    return dtype.newbyteorder("=") if dtype.fields is None else np.dtype(
        {"names": dtype.names, "formats": [native(dtype.fields[n][0]) for n in dtype.names],
         "offsets": [dtype.fields[n][1] for n in dtype.names], "itemsize": dtype.itemsize})


def shaped(data: np.ndarray, layout: str) -> np.ndarray:
    """`data` (C order, 2x its first axis) as a C, F or strided array."""
    if layout == "F":
        return np.asfortranarray(data[: len(data) // 2])
    if layout == "strided":
        return data[::2]
    return np.ascontiguousarray(data[: len(data) // 2])


#: fewer element types where each new type costs a slow compilation (lists, objmode blocks)
INT64_FLOAT64 = ["d", "l", "q", "p"]


@st.composite
def array_pairs(draw, records=False, codes=SCALARS, max_ndim=3):
    """(native twin, variant): the same values and geometry; the variant may be byte-swapped,
    an alias ('q' for 'l'), read-only or an ndarray subclass."""
    dtype = draw(record_dtypes() if records else scalar_dtypes(codes))
    ndim = 1 if records else draw(st.integers(1, max_ndim))
    shape = (2 * draw(st.integers(1, 4)),) + tuple(draw(st.integers(1, 3)) for _ in range(ndim - 1))
    values = draw(st.lists(st.integers(0, 3), min_size=int(np.prod(shape)),
                           max_size=int(np.prod(shape))))
    base = np.zeros(shape, native(dtype))
    for name in (dtype.names or [None]):
        target = base if name is None else base[name]
        target[...] = np.reshape(values, shape).astype(target.dtype)
    layout = draw(st.sampled_from(["C", "F", "strided"]))
    twin, variant = shaped(base, layout), shaped(base.astype(dtype), layout)
    if draw(st.booleans()):
        variant.flags.writeable = False
    return twin, _as_class(variant, draw(st.sampled_from(_classes(variant))))


def _classes(array):
    names = ["ndarray", "ndarray", "masked", "tagged"]
    return names + ["matrix"] * (array.ndim == 2) + ["recarray"] * (array.dtype.names is not None)


def _as_class(array, name):
    if name == "masked":
        return np.ma.array(array, mask=np.arange(array.size).reshape(array.shape) % 2 == 0)
    if name in ("tagged", "matrix", "recarray"):
        return array.view({"tagged": Tagged, "matrix": np.matrix, "recarray": np.recarray}[name])
    return array


def plain_array(array) -> bool:
    """Whether compiled code may take `array` (the rule under test)."""
    return type(array) in (np.ndarray, np.memmap, np.recarray) and _native_fields(array.dtype)


def _native_fields(dtype) -> bool:
    if dtype.fields is None:
        return dtype.isnative
    return all(_native_fields(dtype.fields[name][0]) for name in dtype.names)


def fits(item, expected_ty) -> bool:
    """Whether a list item / objmode output `item` unboxes as `expected_ty` (typeof's rule,
    with C/F relaxing to A and writeable to read-only)."""
    ty = typeof(item) if plain_array(item) else None
    return ty is not None and ty.dtype == expected_ty.dtype and ty.ndim == expected_ty.ndim \
        and expected_ty.layout in ("A", ty.layout) and (expected_ty.readonly or not ty.readonly)


@contextmanager
def same_refcounts(*objects):
    """The cheap part of `no_leaks` for property tests (its gc passes cost ~0.4 s each): an
    error path must not keep references to the arguments."""
    before = [sys.getrefcount(o) for o in objects]
    yield
    assert [sys.getrefcount(o) for o in objects] == before


def assert_clear_rejection(exc_info, array):
    message = str(exc_info.value)
    if type(array) not in (np.ndarray, np.memmap):
        assert type(array).__name__ in message
    elif not _native_fields(array.dtype):
        assert "byte order" in message or str(array.dtype) in message


# -- compiled functions -------------------------------------------------------------------------

@njit
def total(a):
    return a.sum()


@njit
def set_first(a):
    a[0] = 1


@njit
def last_total(items):
    return items[len(items) - 1].sum()


@njit
def second_total(pair):
    return pair[1].sum()


@njit
def record_ends(a):
    return a[0].x, a[a.shape[0] - 1].x


@njit
def last_record_end(items):
    a = items[len(items) - 1]
    return a[a.shape[0] - 1].x


_BLOCK_OUTPUT = []
_OBJMODE_TOTALS = {}


def _block_output():
    return _BLOCK_OUTPUT[0]


def objmode_record_end(annotation):
    """Like `objmode_total`, reading field x of the block's last record."""
    key = ("record", annotation)
    if key not in _OBJMODE_TOTALS:
        @njit
        def from_block():
            with objmode(out=annotation):
                out = _block_output()
            return out[out.shape[0] - 1].x
        _OBJMODE_TOTALS[key] = from_block
    return _OBJMODE_TOTALS[key]


def objmode_total(annotation):
    """A function whose objmode block produces `_BLOCK_OUTPUT[0]` annotated as `annotation`."""
    if annotation not in _OBJMODE_TOTALS:
        @njit
        def from_block():
            with objmode(out=annotation):
                out = _block_output()
            return out.sum()
        _OBJMODE_TOTALS[annotation] = from_block
    return _OBJMODE_TOTALS[annotation]


# -- top-level arguments ------------------------------------------------------------------------

@SETTINGS
@given(array_pairs())
def test_top_level_argument_after_a_native_signature(pair):
    """The warm call's native check must not take the variant for the twin's signature."""
    twin, variant = pair
    assert total(twin) == twin.sum()
    if not plain_array(variant):
        with pytest.raises(CLEAR_ERRORS) as info:
            total(variant)
        assert_clear_rejection(info, variant)
        return
    assert total(variant) == variant.sum()
    assert total(variant) == total(twin)


@SETTINGS
@given(array_pairs())
def test_writes_reach_the_callers_array_or_are_rejected(pair):
    twin, variant = pair
    set_first(twin.copy())
    if not plain_array(variant) or not variant.flags.writeable:
        with pytest.raises(CLEAR_ERRORS + (ValueError,)):
            set_first(variant)
        return
    expected = variant.copy()
    expected[0] = 1
    set_first(variant)
    np.testing.assert_array_equal(variant, expected)
    assert variant.dtype == expected.dtype


def test_int64_spellings_share_one_specialisation():
    """'q' (NPY_LONGLONG) is int64 like 'l': typed and unboxed alike, both ways round."""
    @njit
    def sum_all(a):
        return a.sum()
    for first, second in (("l", "q"), ("q", "l"), ("p", "q")):
        assert sum_all(np.arange(5, dtype=first)) == 10
        assert sum_all(np.arange(6, dtype=second)) == 15
    assert len(sum_all.signatures) == 1
    assert last_total([np.arange(3, dtype="l"), np.arange(4, dtype="q")]) == 6


def test_byte_swapped_array_is_rejected_after_native_call():
    total(np.ones(3))
    swapped = np.arange(4.0).astype(">f8")
    with pytest.raises(CLEAR_ERRORS, match="byte order"):
        total(swapped)
    with no_leaks(swapped):
        with pytest.raises(CLEAR_ERRORS):
            set_first(swapped)
    np.testing.assert_array_equal(swapped, np.arange(4.0))


def test_native_order_spelled_explicitly_is_accepted():
    """A double byte swap gives a descriptor with byteorder '<', which is native."""
    data = np.arange(4.0).view(np.dtype(">f8").newbyteorder())
    assert data.dtype.isnative and total(np.ones(2)) == 2 and total(data) == 6


def test_ndarray_subclasses_are_rejected_naming_the_class():
    values = [np.ma.array([1.0, 2.0, 100.0], mask=[0, 0, 1]), np.arange(3.0).view(Tagged),
              np.asmatrix(np.ones((2, 2)))]
    total(np.ones(3))
    last_total([np.ones(2)])
    with no_leaks(*values):
        for value in values:
            with pytest.raises(CLEAR_ERRORS, match=type(value).__name__):
                total(value)
            with pytest.raises(CLEAR_ERRORS, match=type(value).__name__):
                last_total([np.ones(2) if value.ndim == 1 else np.ones((2, 2)), value])
        del value  # the loop variable's own reference


def test_memmap_is_a_plain_array(tmp_path):
    """np.memmap changes where the buffer lives, not what its elements mean."""
    mapped = np.memmap(tmp_path / "data.bin", dtype="f8", mode="w+", shape=(5,))
    mapped[:] = np.arange(5.0)
    assert total(mapped) == 10.0
    assert last_total([np.ones(2), mapped]) == 10.0
    set_first(mapped)
    assert mapped[0] == 1.0


# -- lists, tuples and objmode outputs ----------------------------------------------------------

@SETTINGS
@given(array_pairs(codes=INT64_FLOAT64, max_ndim=2), array_pairs())
def test_list_item_is_checked_like_the_first(pair, unrelated):
    """The last item is the first's variant, or an array of any other type."""
    twin, variant = pair
    assert last_total([twin, twin]) == twin.sum()
    for last in (variant, unrelated[1]):
        items = [twin, last]
        if not fits(last, typeof(twin)):
            with same_refcounts(twin, last, items):
                with pytest.raises(TypeError, match=ITEM_MISMATCH):
                    last_total(items)
            continue
        assert last_total(items) == last.sum()


@settings(SETTINGS, max_examples=15)  # each variant compiles a tuple specialisation
@given(array_pairs())
def test_tuple_item_after_a_native_signature(pair):
    twin, variant = pair
    assert second_total((twin, twin)) == twin.sum()
    if not plain_array(variant):
        with pytest.raises(CLEAR_ERRORS):
            second_total((twin, variant))
        return
    assert second_total((twin, variant)) == variant.sum()


@SETTINGS
@given(array_pairs(codes=INT64_FLOAT64, max_ndim=2), array_pairs())
def test_objmode_output_is_checked(pair, unrelated):
    twin, variant = pair
    block = objmode_total(typeof(twin))
    _BLOCK_OUTPUT[:] = [twin]
    assert block() == twin.sum()
    try:
        for output in (variant, unrelated[1]):
            _BLOCK_OUTPUT[:] = [output]
            if fits(output, typeof(twin)):
                assert block() == output.sum()
                continue
            with same_refcounts(output):
                with pytest.raises(TypeError, match="objmode output 'out'"):
                    block()
    finally:
        _BLOCK_OUTPUT.clear()


# -- records --------------------------------------------------------------------------------------

@SETTINGS
@given(array_pairs(records=True))
def test_record_argument_reads_its_own_layout(pair):
    twin, variant = pair
    assert record_ends(twin) == (twin["x"][0], twin["x"][-1])
    if not plain_array(variant):
        with pytest.raises(CLEAR_ERRORS):
            record_ends(variant)
        return
    assert record_ends(variant) == (variant["x"][0], variant["x"][-1])


#: first items of record lists (each a compilation); the later items are generated
FIRST_LAYOUTS = [np.dtype([("x", "f8"), ("y", "i4")]),
                 np.dtype([("y", "u1"), ("x", "i2")], align=True),
                 np.dtype({"names": ["z", "x"], "formats": ["c8", "f4"], "offsets": [3, 12],
                           "itemsize": 20})]


def test_records_of_other_layouts_in_lists_are_rejected():
    """Crash-prone before the fix (read with the first item's offsets): in a child process,
    over generated pairs of record layouts, as list items and objmode outputs."""
    out = run_isolated(f"""
        import re
        import sys
        sys.path.insert(0, {REPO!r})
        from hypothesis import given, settings, HealthCheck
        from hypothesis import strategies as st
        from jitbridge import typeof
        from tests.safety.test_array_arguments import (
            FIRST_LAYOUTS, ITEM_MISMATCH, _BLOCK_OUTPUT, last_record_end, objmode_record_end,
            plain_array, record_dtypes)

        checked = []
        last_record_end([np.zeros(1, FIRST_LAYOUTS[0])])  # loads the builtins typeof needs

        @settings(max_examples=25, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(st.sampled_from(FIRST_LAYOUTS), record_dtypes(), st.booleans(),
               st.integers(1, 50))
        def check(first, second, rebuilt, size):
            if rebuilt:  # the same layout in another dtype object
                fields = [first.fields[name] for name in first.names]
                second = np.dtype({{"names": first.names, "itemsize": first.itemsize,
                                   "formats": [f[0] for f in fields],
                                   "offsets": [f[1] for f in fields]}},
                                  align=first.isalignedstruct)
            small = np.zeros(1, first)
            large = np.zeros(size, second)
            large['x'] = np.arange(size) % 4
            items = [small, large]
            if not plain_array(small):
                return
            same = plain_array(large) and typeof(large) == typeof(small)
            try:
                got = last_record_end(items)
            except TypeError as exc:
                assert not same and re.search(ITEM_MISMATCH, str(exc)), exc
            else:
                assert same and got == large['x'][-1], (got, first, second)
            _BLOCK_OUTPUT[:] = [large]
            try:
                got = objmode_record_end(typeof(small))()
            except TypeError as exc:
                assert not same and "objmode output 'out'" in str(exc), exc
            else:
                assert same and got == large['x'][-1], (got, first, second)
            checked.append(same)

        check()
        print(len(checked), sum(checked))
    """)
    checked, same = map(int, out.split())
    assert checked > 15 and same > 3


def test_record_of_other_layout_after_native_call_in_list():
    first = np.dtype([("x", "f8"), ("y", "i4")])
    swapped = np.dtype([("y", "i4"), ("x", "f8")])
    small, large = np.zeros(1, first), np.ones(1000, swapped)
    assert last_record_end([small, small]) == 0.0
    same_layout = np.full(3, 2.0, np.dtype([("x", "f8"), ("y", "i4")]))  # another dtype object
    with no_leaks(small, large, same_layout):
        with pytest.raises(TypeError, match=r"array\(Record\(y: int32@0"):
            last_record_end([small, large])
        for _ in range(100):  # each item's layout is compared by a Python-level call
            assert last_record_end([small, same_layout]) == 2.0


def test_record_slice_keeps_its_dtype():
    data = np.array([(1.0, 2), (3.0, 4), (5.0, 6)], dtype=[("x", "f8"), ("y", "i4")])
    result = tail(data)
    assert result.dtype == data.dtype
    np.testing.assert_array_equal(result, data[1:])


@njit
def tail(a):
    return a[1:]


def test_view_of_a_read_only_argument_stays_read_only():
    """The buffer may be immutable (bytes): a returned view must not make it writeable."""
    frozen = np.frombuffer(b"\x00" * 32, dtype="f8")
    view = tail(frozen)
    assert not view.flags.writeable and view.base is frozen
    writeable = np.arange(4.0)
    assert tail(writeable).flags.writeable  # also through the read-only specialisation
    np.testing.assert_array_equal(tail(writeable), [1.0, 2.0, 3.0])


# -- record element assignment (item 15) ------------------------------------------------------

def assign_int(a):
    a[0] = 7


def assign_float_slice(a):
    a[0:2] = 7.5


def assign_array(a, b):
    a[:] = b


@pytest.mark.parametrize("func, args, shown", [
    (assign_int, (np.zeros(3, [("x", "f8")]),), "cannot assign int64 to an element of array(Record"),
    (assign_float_slice, (np.zeros(3, [("x", "f8")]),), "cannot assign float64 to an element"),
    (assign_array, (np.zeros(3), np.zeros(3, [("x", "f8")])), "cannot assign array(Record"),
    (assign_array, (np.zeros(3, [("x", "f8")]), np.zeros(3)), "no conversion from float64 to Record"),
])
def test_assigning_to_record_elements_is_a_located_typing_error(func, args, shown):
    with pytest.raises(TypingError) as info:
        njit(func)(*args)
    message = str(info.value)
    assert shown in message and func.__name__ in message and "test_array_arguments.py" in message


def test_assigning_records_of_the_same_layout_still_works():
    a = np.zeros(3, [("x", "f8"), ("y", "i4")])
    b = np.array([(1.0, 2), (3.0, 4), (5.0, 6)], dtype=a.dtype)
    njit(assign_array)(a, b)
    np.testing.assert_array_equal(a, b)
