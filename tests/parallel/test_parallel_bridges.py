"""Parallel loops with the bridges and introspection: a progress bar fed by the threads of a
prange loop, parallel_diagnostics()."""
import gc
import io
import threading
import weakref

import numpy as np
import pytest

import jitbridge
import jitbridge.progressbar as progressbar
from jitbridge import njit, prange


class RecordingBar:
    def __init__(self, total, desc=None):
        self.total, self.updates, self.closed = total, [], False
        self.updater = set()

    def update(self, n):
        self.updates.append(n)
        self.updater.add(threading.current_thread().name)

    def close(self):
        self.closed = True


@pytest.fixture
def bars(monkeypatch):
    made = []

    def opener(total, desc=None):
        made.append(RecordingBar(total, desc))
        return made[-1]
    monkeypatch.setattr(progressbar, "_open", opener)
    return made


@njit(parallel=True)
def sqrt_sum(n):
    s = 0.0
    for i in jitbridge.progress(prange(n)):
        s += np.sqrt(i)
    return s


@pytest.mark.parametrize("n", [0, 1, 1023, 1024, 5000, 2_000_003])
def test_progress_bar_counts_every_item_of_a_parallel_loop(bars, n):
    assert sqrt_sum(n) == pytest.approx(np.sqrt(np.arange(n)).sum(), rel=1e-12)
    (bar,) = bars
    assert bar.total == n and sum(bar.updates) == n and bar.closed
    assert all(update > 0 for update in bar.updates)


def test_progress_bar_is_closed_when_the_loop_raises(bars):
    @njit(parallel=True)
    def f(n):
        for i in jitbridge.progress(prange(n)):
            if i == 3000:
                raise ValueError("stop")
    with pytest.raises(ValueError, match="stop"):
        f(10_000)
    (bar,) = bars
    assert bar.closed and 0 <= sum(bar.updates) <= 10_000
    assert not [t for t in threading.enumerate() if t.name == "jitbridge progress"]


def test_parallel_diagnostics_lists_what_runs_on_the_threads():
    @njit(parallel=True)
    def f(a):
        s = 0.0
        for i in prange(a.shape[0]):
            for j in prange(3):
                s += a[i] * j
        b = a * 2 + 1
        return s + b.sum()
    f(np.ones(5))
    out = io.StringIO()
    f.parallel_diagnostics(file=out)
    text = out.getvalue()
    first = f.py_func.__code__.co_firstlineno
    assert f"line {first + 3}: prange loop over 'i' runs in parallel; reductions: s (+)" in text
    assert f"line {first + 4}: nested prange loop runs serially" in text
    assert f"line {first + 6}: elementwise array operation runs in parallel" in text
    assert f"line {first + 7}: whole-array reduction runs in parallel" in text
    from jitbridge.runtime.threads import PARALLEL_NOTES
    library = f.overloads[next(iter(f.overloads))].library
    assert library in PARALLEL_NOTES
    library = weakref.ref(library)
    del f
    gc.collect()
    assert library() is None or library() not in PARALLEL_NOTES  # the notes go with the code


def test_parallel_diagnostics_of_a_serial_function():
    @njit
    def g(x):
        return x + 1
    g(1)
    out = io.StringIO()
    g.parallel_diagnostics(file=out)
    assert "compiled without parallel=True" in out.getvalue()
