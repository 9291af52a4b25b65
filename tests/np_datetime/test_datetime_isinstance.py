"""isinstance() against NumPy's datetime64 and timedelta64 classes: true for values of any
unit, as in Python (Numba's test_npdatetime TestDatetimeTypeOps)."""
import numpy as np
import pytest

from jitbridge import njit


@njit
def classify(a):
    return isinstance(a, np.datetime64), isinstance(a, np.timedelta64), isinstance(a, complex)


@pytest.mark.parametrize("value", [np.datetime64(1, "ns"), np.datetime64("2010", "Y"),
                                   np.timedelta64(3, "D"), np.datetime64("NaT")])
def test_isinstance_of_datetime_classes_is_pythons(value):
    assert classify(value) == classify.py_func(value)
