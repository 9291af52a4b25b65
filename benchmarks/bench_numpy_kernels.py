"""NumPy-heavy kernels of issue 13 (indexing, axis reductions, histogram), warm, side by side
with Numba: the target is each within 1.1x of Numba's time."""
from __future__ import annotations

import numpy as np

from .harness import Report, alternating_ms, have_numba


def mask_filter(a):
    return a[a > 0.5]


def mask_assign(a):
    b = a.copy()
    b[b < 0.25] = 0.0
    return b


def fancy_gather(a, index):
    return a[index]


def axis_sum(m):
    return m.sum(axis=0)


def histogram(a):
    return np.histogram(a, bins=100)[0]


ROUNDS = 5


def _data():
    rng = np.random.default_rng(0)
    a = rng.random(10_000_000)
    return {
        "mask_filter 10M": (mask_filter, (a,)),
        "mask_assign 10M": (mask_assign, (a,)),
        "fancy_gather 10M": (fancy_gather, (a, rng.integers(0, a.size, a.size))),
        "axis_sum 2000x2000": (axis_sum, (rng.random((2000, 2000)),)),
        "histogram 1M": (histogram, (a[:1_000_000],)),
    }


def run() -> Report:
    report = Report("NumPy kernels (issue 13), warm, ms")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    for name, (func, args) in _data().items():
        compiled = {peer: __import__(peer).njit(func) for peer in peers}
        results = {peer: compiled[peer](*args) for peer in peers}
        assert np.array_equal(results["jitbridge"], func(*args)), name
        times = alternating_ms(compiled, args, ROUNDS)
        report.add(name, times["jitbridge"], times.get("numba"), "ms", "<= 1.1x numba")
    return report
