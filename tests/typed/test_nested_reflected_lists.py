"""Lists of lists and lists of tuples as plain Python arguments: read in compiled code, and
changes to inner and outer lists written back into the caller's lists (reflection), keeping
the inner lists' identity."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.testing import no_leaks


@njit
def total(rows):
    s = 0
    for row in rows:
        for x in row:
            s += x
    return s


@njit
def mutate(rows, value):
    rows[0].append(value)
    rows[-1][0] = -value


@njit
def grow(rows):
    rows.append([7, 8])
    rows[0].pop()
    return rows


@njit
def deep(cube):
    cube[0][0].append(9)
    return cube[0][0]


@njit
def dot_pairs(pairs):
    s = 0.0
    for x, y in pairs:
        s += x * y
    return s


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(-100, 100), min_size=1, max_size=5), min_size=1,
                max_size=5))
def test_reading_matches_python(rows):
    assert total(rows) == sum(map(sum, rows))


def test_inner_changes_are_written_back():
    rows = [[1, 2], [3, 4, 5]]
    first = rows[0]
    with no_leaks(rows, first):
        mutate(rows, 10)
    assert rows == [[1, 2, 10], [-10, 4, 5]] and rows[0] is first


def test_outer_and_inner_changes_together():
    rows = [[1, 2], [3]]
    first = rows[0]
    back = grow(rows)
    assert back is rows and rows == [[1], [3], [7, 8]] and rows[0] is first


def test_three_levels():
    cube = [[[1]], [[2, 3]]]
    inner = cube[0][0]
    assert deep(cube) is inner and cube == [[[1, 9]], [[2, 3]]]


def test_lists_of_tuples():
    assert dot_pairs([(1, 2.0), (3, 4.0)]) == 14.0


def test_heterogeneous_inner_lists_are_refused():
    with pytest.raises(TypeError, match="heterogeneous list"):
        total([[1, 2], [3.5]])


def test_no_leaks_over_many_calls():
    rows = [[1, 2], [3]]
    mutate(rows, 1)
    with no_leaks(rows, rows[0], rows[1]):
        for _ in range(500):
            mutate(rows, 1)
            rows[0].pop()
