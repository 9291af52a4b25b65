"""np.frombuffer of bytes, bytearray, arrays and memoryviews (views keeping their owner
alive, NumPy's flags and errors), and memoryview arguments and results."""
import gc
import sys

import numpy as np
import pytest

import jitbridge
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@jitbridge.njit
def from_buffer(buf, count=-1, offset=0):
    return np.frombuffer(buf, dtype=np.int16, count=count, offset=offset)


@jitbridge.njit
def mv_ops(mv):
    return len(mv), mv[1], mv[-1], mv.nbytes, mv.readonly, mv.itemsize, mv.shape


@jitbridge.njit
def mv_slice(mv):
    return mv[1:5:2]


@jitbridge.njit
def mv_asarray(mv):
    return np.asarray(mv)


def _buffers():
    raw = bytearray(range(16))
    return [raw, bytes(raw), memoryview(raw), np.arange(4, dtype=np.int32),
            np.arange(8, dtype=np.int16).reshape(2, 4), memoryview(bytes(raw))]


@pytest.mark.parametrize("index", [0, 1, 2, 3, *(pytest.param(i, marks=pytest.mark.slow)
                                                  for i in (4, 5))])
def test_frombuffer_is_a_view_holding_its_owner(index):
    buf = _buffers()[index]
    before = sys.getrefcount(buf)
    expected = np.frombuffer(buf, dtype=np.int16, count=3, offset=2)
    got = from_buffer(buf, 3, 2)
    assert got.dtype == expected.dtype and np.array_equal(got, expected)
    assert got.flags.writeable == expected.flags.writeable
    del expected
    gc.collect()
    assert sys.getrefcount(buf) == before + 1  # the view keeps the buffer alive
    del got
    gc.collect()
    assert sys.getrefcount(buf) == before


def test_frombuffer_writes_reach_the_buffer_and_leak_nothing():
    raw = bytearray(8)
    with no_leaks():
        view = from_buffer(raw)
        view[1] = -2
        del view
    assert raw[2:4] == (-2).to_bytes(2, sys.byteorder, signed=True)


@pytest.mark.parametrize("buf, count, offset, message", [
    (bytes(7), -1, 0, "buffer size must be a multiple of element size"),
    (bytes(8), 5, 0, "buffer is smaller than requested size"),
    (bytes(8), -1, 9, "offset must be non-negative and no greater than buffer length"),
    pytest.param(np.arange(8, dtype=np.int16)[::2], -1, 0, "ndarray is not C-contiguous",
                 marks=pytest.mark.slow),
])
def test_frombuffer_errors_are_numpys(buf, count, offset, message):
    with pytest.raises(ValueError, match=message):
        np.frombuffer(buf, dtype=np.int16, count=count, offset=offset)
    with pytest.raises(ValueError, match=message):
        from_buffer(buf, count, offset)


def test_frombuffer_of_bytes_is_read_only_at_compile_time():
    @jitbridge.njit
    def write(buf):
        np.frombuffer(buf, np.uint8)[0] = 1
    with pytest.raises(TypingError, match="readonly"):
        write(b"abc")


@pytest.mark.parametrize("mv", [
    memoryview(bytearray(range(8))),
    pytest.param(memoryview(np.arange(6.0)), marks=pytest.mark.slow),
    pytest.param(memoryview(b"abcdef"), marks=pytest.mark.slow)], ids=["B", "d", "bytes"])
def test_memoryview_operations_match_python(mv):
    assert mv_ops(mv) == (len(mv), mv[1], mv[-1], mv.nbytes, mv.readonly, mv.itemsize,
                          mv.shape)
    assert mv_slice(mv).tolist() == mv[1:5:2].tolist()
    assert mv_slice(mv).readonly == mv.readonly
    assert np.array_equal(mv_asarray(mv), np.asarray(mv))


def test_memoryview_index_error_is_pythons():
    mv = memoryview(bytearray(3))
    with pytest.raises(IndexError, match="index out of bounds on dimension 1"):
        mv[3]
    with pytest.raises(IndexError, match="index out of bounds on dimension 1"):
        jitbridge.njit(lambda mv, i: mv[i])(mv, 3)


def test_memoryview_passes_through_and_is_written_in_place():
    @jitbridge.njit
    def bump(mv):
        mv[0] = mv[0] + 1
        return mv
    raw = bytearray(b"\x05\x00")
    mv = memoryview(raw)
    before = sys.getrefcount(mv)
    with no_leaks():
        assert bump(mv) is mv
    assert raw[0] == 6 and sys.getrefcount(mv) == before
    with pytest.raises(TypingError, match="read-only"):
        bump(memoryview(b"ab"))


@pytest.mark.slow
def test_memoryview_views_of_other_formats_dispatch_apart():
    assert mv_asarray(memoryview(np.arange(3, dtype=np.int8))).dtype == np.int8
    assert mv_asarray(memoryview(np.arange(3, dtype=np.float32))).dtype == np.float32
    assert mv_asarray(memoryview(np.ones((2, 3)))).shape == (2, 3)


def test_memoryview_assignment_checks_values_as_python():
    @jitbridge.njit
    def put(mv, value):
        mv[0] = value
    mv = memoryview(np.zeros(2, np.int8))
    for value in (300, -129):
        with pytest.raises(ValueError, match="invalid value for format 'b'"):
            mv[0] = value
        with pytest.raises(ValueError, match="invalid value for format 'b'"):
            put(mv, value)
    with pytest.raises(TypingError, match="invalid type for format 'b'"):
        put(mv, 1.5)
