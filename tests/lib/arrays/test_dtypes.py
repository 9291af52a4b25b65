"""dtypes in compiled code against NumPy: comparisons with classes, dtypes, strings and None,
the descriptive attributes, np.dtype(spec) and np.issubdtype, all folded while typing."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError

ARRAYS = [np.ones(2, t) for t in (np.bool_, np.int8, np.int32, np.uint64, np.float32,
                                  np.float64, np.complex64)]


def numpy_compare(a, b):
    return (a.dtype == np.float64, a.dtype != np.float64, np.int32 == a.dtype,
            a.dtype == np.dtype("f8"), a.dtype == "float64", a.dtype == "i4",
            "int8" != a.dtype, a.dtype == "no such dtype", a.dtype == b.dtype,
            a.dtype != b.dtype, a.dtype == float, a.dtype == None,  # noqa: E711
            a.dtype == np.floating)


compare = njit(numpy_compare)  # (the same code, compiled)


@njit
def describe(a):
    d = a.dtype
    return d.kind, d.name, d.str, d.byteorder, d.itemsize, d.alignment, d.kind == "f"


def numpy_subdtypes(a):
    d = a.dtype
    return (np.issubdtype(d, np.floating), np.issubdtype(d, np.integer),
            np.issubdtype(d, np.signedinteger), np.issubdtype(d, np.unsignedinteger),
            np.issubdtype(d, np.complexfloating), np.issubdtype(d, np.number),
            np.issubdtype(d, np.inexact), np.issubdtype(d, np.bool_), np.issubdtype(d, float),
            np.issubdtype(d, "f8"), np.issubdtype(np.float32, np.floating))


subdtypes = njit(numpy_subdtypes)  # (the same code, compiled)


def test_comparisons_match_numpy():
    for a, b in [(a, a) for a in ARRAYS] + [(ARRAYS[2], ARRAYS[5])]:
        assert compare(a, b) == numpy_compare(a, b), (a.dtype, b.dtype)


def test_attributes_match_numpy():
    for a in ARRAYS:
        d = a.dtype
        got = describe(a)
        assert got == (d.kind, d.name, d.str, d.byteorder, d.itemsize, d.alignment,
                       d.kind == "f")
        assert type(got[0]) is str and type(got[4]) is int


def test_char_is_refused_where_numpy_has_two_codes_of_one_size():
    char = njit(lambda a: a.dtype.char)
    assert char(np.ones(1, np.int32)) == "i" and char(np.ones(1, np.float32)) == "f"
    with pytest.raises(TypingError, match="dtype.char of int64 is not known when compiling"):
        char(np.ones(1, np.int64))


def test_issubdtype_matches_numpy():
    for a in ARRAYS:
        assert subdtypes(a) == numpy_subdtypes(a), a.dtype


def test_np_dtype_values():
    made = njit(lambda a: (np.dtype("int16"), np.dtype(np.float32) == np.float32,
                           np.dtype(a.dtype) == a.dtype, np.dtype(np.int16).itemsize))
    assert made(ARRAYS[0]) == (np.dtype("int16"), True, True, 2)


def test_unsupported_comparisons_are_typing_errors():
    with pytest.raises(TypingError, match="compares with a string constant only"):
        njit(lambda a, s: a.dtype == s)(ARRAYS[0], "bool")
    with pytest.raises(TypingError, match="operator '==' is not supported"):
        njit(lambda a: a.dtype == 5)(ARRAYS[0])
    with pytest.raises(TypingError, match="np.issubdtype.*Cannot construct a dtype from an "
                                          "array|np.issubdtype.*both arguments"):
        njit(lambda a: np.issubdtype(a.dtype, a))(ARRAYS[0])
