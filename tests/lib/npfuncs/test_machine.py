"""np.finfo / np.iinfo in compiled code (jitbridge/lib/npfuncs/machine.py): every attribute
equals NumPy's, whether the argument is a type, a value or an array's dtype."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError

finfo = njit(lambda x: np.finfo(x))
iinfo = njit(lambda x: np.iinfo(x))
finfo_of_dtype = njit(lambda a: np.finfo(a.dtype))
iinfo_of_type = njit(lambda: (np.iinfo(np.uint64).max, np.iinfo(np.int8).min))
finfo_of_type = njit(lambda: np.finfo(np.float32).eps)

FLOATS = [np.float32, np.float64, np.complex64, np.complex128]
INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]


def same_fields(got, expected):
    for name in got._fields:
        value = getattr(expected, name)
        assert getattr(got, name) == value, name
        if not isinstance(value, np.dtype):
            assert np.asarray(getattr(got, name)).dtype.kind == np.asarray(value).dtype.kind


@pytest.mark.parametrize("ty", FLOATS)
def test_finfo(ty):
    same_fields(finfo(ty(1)), np.finfo(ty))
    same_fields(finfo_of_dtype(np.ones(2, ty)), np.finfo(ty))


@pytest.mark.parametrize("ty", INTS)
def test_iinfo(ty):
    same_fields(iinfo(ty(1)), np.iinfo(ty))


def test_types_as_arguments():
    assert iinfo_of_type() == (2 ** 64 - 1, -128)
    assert finfo_of_type() == np.finfo(np.float32).eps


def test_errors():
    with pytest.raises(TypingError, match="np.finfo"):
        finfo(np.int32(7))
    with pytest.raises(TypingError, match="np.iinfo"):
        iinfo(7.0)
    with pytest.raises(TypingError, match="Unknown attribute 'machar' of type finfo"):
        njit(lambda x: np.finfo(x).machar)(7.0)
