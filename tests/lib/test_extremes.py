"""np.min/np.max/argmin/argmax against NumPy: NaN propagation, signed zeros, infinities,
integer and bool dtypes, contiguous and strided arrays (the value path is a select chain with
the NaN tracked apart from it, the index path keeps the first extreme)."""
import numpy as np
from hypothesis import given, settings, strategies as st

from jitbridge import njit

specials = st.sampled_from([0.0, -0.0, 1.5, -2.5, np.inf, -np.inf, np.nan])
floats = st.lists(st.one_of(specials, st.floats(-1e3, 1e3)), min_size=1, max_size=40)


@njit
def extremes(a):
    return np.min(a), np.max(a), a.argmin(), a.argmax()


def same(got, want):  # (scalars box as Python numbers, as in Numba)
    if np.isnan(want):
        assert np.isnan(got)
    else:
        assert got == want and np.signbit(got) == np.signbit(want)


@settings(max_examples=25, deadline=None)
@given(floats, st.sampled_from([np.float64, np.float32]), st.integers(1, 3))
def test_float_extremes_match_numpy(values, dtype, step):
    a = np.array(values, dtype)[::step]  # contiguous and strided
    got = extremes(a)
    want = (np.min(a), np.max(a), a.argmin(), a.argmax())
    for g, w in zip(got[:2], want[:2]):
        same(g, w)
    assert got[2:] == want[2:]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(-2**63, 2**63 - 1), min_size=1, max_size=40),
       st.sampled_from([np.int64, np.uint64, np.int8, np.bool_]))
def test_integer_and_bool_extremes_match_numpy(values, dtype):
    a = np.array(values).astype(dtype).reshape(-1, 1)[:, 0]
    got = extremes(a)
    want = (np.min(a), np.max(a), a.argmin(), a.argmax())
    assert got == want
