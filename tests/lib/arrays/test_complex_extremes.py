"""Complex min/max/argmin/argmax order lexicographically as NumPy's: the native whole-array
reduction (which compares reals only) must leave them to npfuncs/statistics.py, whichever
area registered first."""
import numpy as np

from jitbridge import njit

extremes = njit(lambda a: (a.max(), np.min(a), np.argmax(a), a.argmin(), np.amax(a)))


def test_complex_extremes_match_numpy():
    a = np.array([1 + 2j, 3 - 1j, 3 + 0j, -1 + 5j], np.complex64)
    assert extremes(a) == (a.max(), np.min(a), np.argmax(a), a.argmin(), np.amax(a))
