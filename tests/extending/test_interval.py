"""The documentation's Interval example runs unchanged apart from its imports."""
import gc
import sys

import pytest

from jitbridge import types
from jitbridge.extending import as_numba_type

from .interval_example import (Interval, inside_interval, interval_type, interval_width,
                               sum_intervals)


def test_inside_interval():
    interval = Interval(1.0, 3.0)
    assert inside_interval(interval, 2.0) is True
    assert inside_interval(interval, 3.0) is False
    assert inside_interval(interval, 1.0) is True


def test_interval_width_uses_overload_attribute():
    assert interval_width(Interval(1.5, 4.0)) == 2.5


def test_sum_intervals_boxes_a_new_interval():
    result = sum_intervals(Interval(1.0, 3.0), Interval(0.5, 0.25))
    assert isinstance(result, Interval)
    assert (result.lo, result.hi) == (1.5, 3.25)


def test_bad_member_types_raise_type_error_without_crashing():
    with pytest.raises(TypeError):
        interval_width(Interval("a", "b"))
    with pytest.raises(AttributeError):
        interval_width(type("Fake", (Interval,), {"__init__": lambda self: None})())
    assert interval_width(Interval(0.0, 1.0)) == 1.0  # still usable afterwards


def test_as_numba_type_and_typeof():
    assert as_numba_type(Interval) is interval_type
    from jitbridge import typeof
    assert typeof(Interval(1.0, 2.0)) == interval_type
    assert isinstance(interval_type, types.Type)


def test_reference_counts_unchanged_by_box_and_unbox():
    interval = Interval(1.0, 2.0)
    lo, hi = interval.lo, interval.hi
    interval_width(interval), inside_interval(interval, 1.5), sum_intervals(interval, interval)
    gc.collect()
    before = [sys.getrefcount(x) for x in (interval, lo, hi, Interval)]
    for _ in range(1000):
        interval_width(interval)
        inside_interval(interval, 1.5)
        sum_intervals(interval, interval)
    gc.collect()
    after = [sys.getrefcount(x) for x in (interval, lo, hi, Interval)]
    assert after == before
