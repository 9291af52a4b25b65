"""slice objects as arguments and results (Numba's slice2/slice3 types): indexing with a slice
passed from Python gives NumPy's view, a returned slice equals the one Python would build, and
non-integer bounds are refused at the call."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, typeof, types
from jitbridge.testing import no_leaks

index = njit(lambda a, s: a[s])
same = njit(lambda s: s)
parts = njit(lambda s: (s.start, s.stop, s.step))
bounds = st.one_of(st.none(), st.integers(-12, 12))


@settings(max_examples=60, deadline=None)
@given(bounds, bounds, st.one_of(st.none(), st.integers(-4, 4).filter(bool)))
def test_slices_index_as_in_numpy(start, stop, step):
    a = np.arange(10)
    s = slice(start, stop, step)
    np.testing.assert_array_equal(index(a, s), a[s])
    assert same(s) == s
    assert parts(s) == (s.start, s.stop, s.step)  # None where Python has None


@njit
def literal_parts():
    s = slice(1, None, 2)
    return s.start, s.stop, s.step, slice(None, 4).step


@njit
def made_parts(a, b):
    return slice(a, b).start, slice(a, b).stop


def test_parts_of_made_slices():
    assert literal_parts() == (1, None, 2, None)
    assert made_parts(None, 4) == (None, 4) and made_parts(2, None) == (2, None)


@njit
def store_at_start(s, a):
    a[s.start] = 7


def test_a_none_part_used_as_an_int_raises():
    a = np.zeros(3, np.int64)
    store_at_start(slice(1, 2), a)
    assert a[1] == 7
    with pytest.raises(TypeError, match="got None"):
        store_at_start(slice(None, 2), a)


def test_types_and_refusals():
    assert typeof(slice(1, 2)) == types.slice2_type
    assert typeof(slice(1, 2, 3)) == types.slice3_type
    assert typeof(slice(1.5, 2)) is None
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        index(np.arange(3), slice(0, 2, 0))
    with pytest.raises(OverflowError):
        same(slice(0, 2 ** 70))


def test_no_leaks():
    a, s = np.arange(5.0), slice(1, 4)
    index(a, s), same(s)
    with no_leaks(a, s):
        for _ in range(10):
            index(a, s)
            same(s)
