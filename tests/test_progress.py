"""jitbridge.progress: a progress bar over loops in compiled code (issue 21, item 3): the bar
sees every item once, at most 10 updates a second, is closed when the loop ends and dropped
when it is left early, without a leak."""
import gc
import io
import time
import weakref

import numpy as np
import pytest

import jitbridge.progressbar as progress_module
from jitbridge import njit, progress
from jitbridge.progressbar import TextBar
from jitbridge.testing import no_leaks


class Recorder:
    """A bar that records what compiled code tells it (`made` keeps them, unless dropped)."""
    made, weak = [], []

    def __init__(self, total, desc=None):
        self.total, self.updates, self.closed = total, [], 0
        Recorder.made.append(self)

    def update(self, n=1):
        self.updates.append(n)

    def close(self):
        self.closed += 1


class Dropped(Recorder):
    """A bar kept only weakly: it must die with the loop's iterator."""

    def __init__(self, total, desc=None):
        super().__init__(total, desc)
        Recorder.made.pop()
        Recorder.weak.append(weakref.ref(self))


@pytest.fixture
def bars(monkeypatch):
    Recorder.made.clear()
    Recorder.weak.clear()
    monkeypatch.setattr(progress_module, "_open", Recorder)
    return monkeypatch


@njit
def total_of(n):
    s = 0
    for i in progress(range(n)):
        s += i
    return s


@njit
def sum_until(a, limit):
    t = 0.0
    for x in progress(a):
        if x > limit:
            break
        t += x
    return t


@njit
def failing(n):
    for i in progress(range(n)):
        if i == n - 1:
            raise ValueError("last item")
    return 0


@njit
def slow_loop(n):
    s = 0.0
    for i in progress(range(n), n):
        for k in range(2000):
            s += (i + k) % 3
    return s


@pytest.mark.parametrize("n", [0, 1, 5, 100_000])
def test_every_item_is_counted_once_and_the_bar_closed(bars, n):
    with no_leaks():
        assert total_of(n) == sum(range(n))
    (bar,) = Recorder.made
    assert bar.total == n and sum(bar.updates) == n and bar.closed == 1


def test_updates_come_at_most_ten_times_a_second(bars):
    start = time.monotonic()
    slow_loop(300_000)
    elapsed = time.monotonic() - start
    (bar,) = Recorder.made
    assert bar.total == 300_000 and sum(bar.updates) == 300_000
    assert 1 <= len(bar.updates) <= elapsed * 10 + 2


def test_a_loop_left_early_drops_its_bar_without_a_leak(bars):
    bars.setattr(progress_module, "_open", Dropped)
    with no_leaks():
        assert sum_until(np.arange(10.0), 5.0) == 15.0
        with pytest.raises(ValueError, match="last item"):
            failing(50)
    gc.collect()
    assert len(Recorder.weak) == 2 and all(ref() is None for ref in Recorder.weak)


def test_python_loops_and_the_text_bar():
    assert list(progress(range(3))) == [0, 1, 2]
    stream = io.StringIO()
    bar = TextBar(4, "work", stream)
    bar.update(2)
    bar.close()
    bar.close()
    text = stream.getvalue()
    assert "\rwork:  50% |###############               | 2/4 [" in text
    assert text.count("\n") == 1 and text.endswith("\n")
