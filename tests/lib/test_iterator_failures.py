"""Items drawn by map() and filter() are released when the mapped function raises."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.testing import no_leaks


@njit
def _checked(a):
    if a[0] < 0:
        raise ValueError("negative")
    return a.sum()


@njit
def _positive(a):
    if a[0] < 0:
        raise ValueError("negative")
    return a[0] > 0


@njit
def _made(bad_at):
    """Arrays owned by compiled code (each a live MemInfo), one starting with -1."""
    arrays = [np.full(3, float(i + 1)) for i in range(4)]
    if bad_at >= 0:
        arrays[bad_at][0] = -1.0
    return arrays


@njit
def map_total(bad_at):
    arrays = _made(bad_at)
    total = 0.0
    for v in map(_checked, arrays):
        total += v
    return total


@njit
def filter_count(bad_at):
    arrays = _made(bad_at)
    count = 0
    for _ in filter(_positive, arrays):
        count += 1
    return count


@njit
def map_caught(bad_at):
    try:
        return map_total(bad_at)
    except ValueError:
        return -1.0


@pytest.mark.parametrize("func", [map_total, filter_count])
def test_raising_function_releases_drawn_items(func):
    func(-1)
    with pytest.raises(ValueError):
        func(2)
    with no_leaks():
        for _ in range(50):
            with pytest.raises(ValueError, match="negative"):
                func(2)


def test_raising_function_caught_in_compiled_code():
    assert map_caught(-1) == 4 * 3 * 2.5
    assert map_caught(1) == -1.0
    with no_leaks():
        for _ in range(50):
            assert map_caught(1) == -1.0
