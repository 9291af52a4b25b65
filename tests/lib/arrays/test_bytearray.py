"""bytearray arguments: len, indexing and item assignment with Python's errors, and
np.frombuffer as NumPy's writable view (sharing the bytes, keeping the bytearray alive and
locked against resizing while the view lives)."""
import gc
import sys

import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def frombuffer(b, count=-1, offset=0):
    return np.frombuffer(b, dtype=np.complex64, count=count, offset=offset)


frombuffer_float = njit(lambda b: np.frombuffer(b))
length = njit(lambda b: len(b))
getitem = njit(lambda b, i: b[i])


@njit
def setitem(b, i, v):
    b[i] = v


def test_frombuffer_is_a_writable_view_sharing_the_bytes():
    b = bytearray(range(16))
    before = sys.getrefcount(b)
    got, expected = frombuffer(b), np.frombuffer(b, dtype=np.complex64)
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == np.complex64 and got.flags.writeable
    del expected
    gc.collect()
    assert sys.getrefcount(b) == before + 1  # the view keeps the bytearray alive
    with pytest.raises(BufferError):
        b.append(1)  # exported: Python may not move the bytes under the view
    got[0] = 1 + 2j
    assert bytes(b[:8]) == np.complex64(1 + 2j).tobytes()
    del got
    gc.collect()
    assert sys.getrefcount(b) == before
    b.append(1)


def test_frombuffer_count_offset_and_errors_match_numpy():
    b = bytearray(range(24))
    np.testing.assert_array_equal(frombuffer(b, 1, 8), np.frombuffer(b, np.complex64, 1, 8))
    np.testing.assert_array_equal(frombuffer_float(bytearray(16)), np.zeros(2))
    with pytest.raises(ValueError, match="buffer size must be a multiple of element size"):
        frombuffer_float(bytearray(b"xxx"))
    with pytest.raises(ValueError, match="buffer is smaller than requested size"):
        frombuffer(b, 3, 8)


def test_len_indexing_and_assignment_match_python():
    b = bytearray(b"abc")
    with no_leaks(b):
        assert length(b) == 3 and getitem(b, 0) == 97 and getitem(b, -1) == 99
        assert type(getitem(b, 0)) is int
        setitem(b, 1, 66)
        assert b == bytearray(b"aBc")
        for call, error in ((lambda: getitem(b, 3), IndexError),
                            (lambda: setitem(b, -4, 1), IndexError),
                            (lambda: setitem(b, 0, 256), ValueError)):
            with pytest.raises(error, match="bytearray index out of range|byte must be in "
                                            r"range\(0, 256\)"):
                call()
    assert b == bytearray(b"aBc")


def test_slices_and_returning_a_bytearray_are_refused_clearly():
    with pytest.raises(TypingError, match="bytearray indices must be integers"):
        njit(lambda b: b[1:])(bytearray(3))
    with pytest.raises(TypeError, match="cannot convert native bytearray"):
        njit(lambda b: b)(bytearray(3))


def test_unsupported_array_arguments_name_the_argument_and_dtype():
    f = njit(lambda x: x)
    with pytest.raises(TypingError, match=r"argument 0 \('x'\).*Unsupported array dtype: "
                                          r"datetime64\[10Y\]"):
        f(np.array("2010", dtype="datetime64[10Y]"))
