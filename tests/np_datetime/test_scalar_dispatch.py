"""datetime64/timedelta64 scalar arguments are recognised by the native dispatcher (exact class,
the unit in the scalar's metadata) and read in place; other units specialise anew."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit


@njit
def shifted(d, t):
    return d + t, t


@given(st.integers(-10**12, 10**12) | st.just(np.iinfo(np.int64).min), st.integers(-10**6, 10**6))
@settings(max_examples=30, deadline=None)
def test_values_round_trip_against_numpy(count, delta):
    d, t = np.datetime64(count, "s"), np.timedelta64(delta, "s")
    got = shifted(d, t)
    assert got[0].dtype == (d + t).dtype and got[1].dtype == t.dtype
    assert np.array_equal(np.array([got[0]]), np.array([d + t]), equal_nan=True)
    assert got[1] == t


def test_the_native_path_is_taken_and_other_units_specialise(monkeypatch):
    d, t = np.datetime64("2020-01-01"), np.timedelta64(3, "D")
    assert shifted(d, t)[0] == np.datetime64("2020-01-04")

    def no_fallback(*args, **kws):
        raise AssertionError("the Python fallback ran")
    monkeypatch.setattr(shifted, "_fallback", no_fallback)
    assert shifted(np.datetime64("1969-12-31"), np.timedelta64(-2, "D"))[0] == \
        np.datetime64("1969-12-29")
    monkeypatch.undo()
    before = len(shifted.overloads)
    assert shifted(np.datetime64("2020-01-01T10", "h"), np.timedelta64(2, "h"))[0] == \
        np.datetime64("2020-01-01T12", "h")
    assert len(shifted.overloads) == before + 1


def test_a_value_of_another_class_is_still_refused():
    shifted(np.datetime64("2020-01-01"), np.timedelta64(3, "D"))
    with pytest.raises(Exception):
        shifted(np.datetime64("2020-01-01"), "3 days")
