"""np.empty/zeros/ones/full with the empty shape (): 0-d arrays, as NumPy makes them."""
import numpy as np
import pytest

from jitbridge import njit


@njit
def _made(fill):
    return (np.zeros(()), np.ones((), np.int32), np.full((), fill), np.empty((), np.complex64),
            np.zeros(()) + fill)


def test_an_empty_shape_makes_zero_dimensional_arrays():
    got = _made(2.5)
    expected = (np.zeros(()), np.ones((), np.int32), np.full((), 2.5),
                np.empty((), np.complex64), np.zeros(()) + 2.5)
    for g, e in zip(got[:4], expected[:4]):
        assert g.shape == e.shape == () and g.dtype == e.dtype
    for g, e in zip(got[:3], expected[:3]):
        assert g.item() == e.item()
    assert got[4] == expected[4]  # (0-d array + scalar: a scalar, as NumPy's)


def test_an_empty_shape_is_still_refused_where_numpy_refuses_its_type():
    with pytest.raises(Exception, match="empty"):
        njit(lambda: np.empty(("a",)))()


def test_a_constant_string_makes_a_zero_dimensional_unicode_array():
    for made, expected in ((njit(lambda: np.asarray("abc"))(), np.asarray("abc")),
                           (njit(lambda: np.array("héllo"))(), np.array("héllo"))):
        assert made.shape == () and made.dtype == expected.dtype and made == expected
        assert made.flags.writeable
