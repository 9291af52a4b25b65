"""Issue 10, item 18: innermost `for` loops are strip-mined so that Ctrl-C interrupts them.

The strip-mining must not change what a loop computes: generated ranges (any int64 bounds and
steps, where Python and int64 arithmetic differ only by wrap-around) and arrays, with
`continue`, `break` and `else`, under several chunk sizes, against the Python function. Small
chunk sizes put many chunk boundaries in small loops.
"""
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.frontend import build_ir
from jitbridge.lowering import chunks
from jitbridge.lowering.flow import chunkable_loops, polled_loop_headers
from tests.safety.test_runtime_guards import _interrupt

INT64 = st.integers(-2 ** 63, 2 ** 63 - 1)
EDGE = st.sampled_from([-2 ** 63, -2 ** 63 + 1, -1, 0, 1, 2 ** 62, 2 ** 63 - 2, 2 ** 63 - 1])
BOUND = st.one_of(st.integers(-50, 50), EDGE, INT64)
STEP = st.one_of(st.integers(-7, 7), EDGE, INT64).filter(lambda s: s != 0)
CHUNKS = [1, 2, 3, chunks.CHUNK]


def shapes(a, b, c):
    """continue, break and else around a body that depends on the order of the values."""
    s, n = 0, 0
    for i in range(a, b, c):
        n += 1
        if n > 40:
            break
        if i % 5 == 1:
            continue
        s = (s * 31 + i % 1000) % 1000003
    else:
        s -= 7
    return s, n


def last_and_count(a, b, c, limit):
    n, last = 0, 0
    for i in range(a, b, c):
        n += 1
        last = i
        if n == limit:
            break
    return n, last


def nested(m, a, b, c):
    total = 0
    for j in range(m):
        for i in range(a, b, c):
            if i == j:
                break
            total = (total * 7 + i % 100 + j) % 10007
        else:
            total += 1
    return total


def over_array(a):
    s, n = 0.0, 0
    for x in a:
        if x < 0:
            continue
        if x > 90:
            break
        s = s * 0.5 + x
        n += 1
    else:
        n = -n
    return s, n


def over_rows(a):
    s = 0.0
    for row in a:
        s = s * 0.25 + row.sum()
    return s


_dispatchers = {}


def run(func, chunk, *args):
    """Call `func` compiled with chunks of `chunk` iterations (one dispatcher per pair)."""
    compiled = _dispatchers.setdefault((func, chunk), njit(func))
    with mock.patch.object(chunks, "CHUNK", chunk):  # read when a specialisation compiles
        return compiled(*args)


def _length(r: range) -> int:
    """len(r), which raises OverflowError past 2**63 - 1 items."""
    return max(0, (r.stop - r.start + r.step - (1 if r.step > 0 else -1)) // r.step)


each_chunk = pytest.mark.parametrize("chunk", CHUNKS)


@each_chunk
@given(a=BOUND, b=BOUND, c=STEP)
@settings(max_examples=60, deadline=None)
def test_range_loops_match_python(chunk, a, b, c):
    assert run(shapes, chunk, a, b, c) == shapes(a, b, c)


@each_chunk
@given(a=BOUND, b=BOUND, c=STEP, limit=st.integers(1, 30))
@settings(max_examples=60, deadline=None)
def test_every_value_of_a_range_once_in_order(chunk, a, b, c, limit):
    r = range(a, b, c)
    count = min(limit, _length(r))
    expected = (count, r[count - 1] if count else 0)
    assert run(last_and_count, chunk, a, b, c, limit) == expected


@each_chunk
def test_ranges_whose_next_value_overflows_end_where_python_does(chunk):
    """The value after the last one wraps around int64: it must not restart the loop."""
    for a, b, c in [(0, 2 ** 63 - 1, 2 ** 62), (-2 ** 63, 2 ** 63 - 1, 2 ** 62),
                    (2 ** 63 - 1, -2 ** 63, -2 ** 62), (-2 ** 63, 2 ** 63 - 1, 2 ** 63 - 1),
                    (2 ** 63 - 1, -2 ** 63, -2 ** 63), (2 ** 63 - 3, 2 ** 63 - 1, 1)]:
        r = range(a, b, c)
        assert run(last_and_count, chunk, a, b, c, 100) == (_length(r), r[-1])


@each_chunk
@given(m=st.integers(0, 6), a=st.integers(-20, 20), b=st.integers(-20, 20),
       c=st.integers(-4, 4).filter(bool))
@settings(max_examples=60, deadline=None)
def test_nested_loops_match_python(chunk, m, a, b, c):
    assert run(nested, chunk, m, a, b, c) == nested(m, a, b, c)


@each_chunk
@given(values=st.lists(st.integers(-5, 100), max_size=40))
@settings(max_examples=60, deadline=None)
def test_array_loops_match_python(chunk, values):
    a = np.array(values, dtype=np.float64)
    assert run(over_array, chunk, a) == over_array(a)
    rows = np.arange(len(values) * 3, dtype=np.float64).reshape(-1, 3)
    assert run(over_rows, chunk, rows) == over_rows(rows)


def test_innermost_for_loops_are_chunked_and_the_others_poll():
    fir = build_ir(nested)
    inner = chunkable_loops(fir)
    assert len(inner) == 1 and len(polled_loop_headers(fir)) == 1
    assert set(inner).isdisjoint(polled_loop_headers(fir))


def test_ctrl_c_interrupts_a_single_long_range_loop():
    code, out, err = _interrupt("""
        import jitbridge

        @njit
        def spin(n, announce):
            if announce:
                print("started")
            s = 0
            for i in range(n):
                s = (s * 31 + i) % 1000003
            return s

        assert spin(3, False) == 33
        try:
            spin(2 ** 62, True)
        except KeyboardInterrupt:
            print("interrupted", jitbridge.runtime.stats()["live"])
    """)
    assert code == 0, err
    assert out.split() == ["interrupted", "0"]
