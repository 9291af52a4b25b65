"""The cost of Ctrl-C polling (issue 10, item 18): the array kernels compiled as usual (outer
and while loops poll on every iteration, innermost for loops between chunks) against the same
kernels compiled with no polls at all. Target: at most 2% slower."""
from __future__ import annotations

from unittest import mock

import numpy as np

from .bench_arrays import array_sum, mandelbrot, matmul, prefix_sum, stencil
from .harness import Report, best_seconds

ROUNDS = 5


def _compile_without_polls(njit, func, args):
    """A dispatcher whose loops never poll (the lowering sees no loops to poll or chunk)."""
    from jitbridge.lowering import lower
    compiled = njit(func)
    with mock.patch.object(lower, "interrupt_plan", lambda fir: (set(), {})):
        compiled(*args)
    return compiled


def run() -> Report:
    from jitbridge import njit
    rng = np.random.default_rng(0)
    cases = {
        "array_sum": (array_sum, (rng.random(10_000_000),)),
        "stencil": (stencil, (rng.random((1000, 1000)), 10)),
        "matmul": (matmul, (rng.random((200, 200)), rng.random((200, 200)))),
        "mandelbrot": (mandelbrot, (400, 400, 100)),
        "prefix_sum": (prefix_sum, (rng.integers(0, 100, 10_000_000),)),
    }
    report = Report("Ctrl-C polling (issue 10), warm, ms", peer="no polls")
    for name, (func, args) in cases.items():
        polled, plain = njit(func), _compile_without_polls(njit, func, args)
        assert np.allclose(polled(*args), plain(*args)), name
        times = [float("inf"), float("inf")]
        for _ in range(ROUNDS):  # alternate: memory-bound kernels drift with load
            for i, compiled in enumerate((polled, plain)):
                times[i] = min(times[i], best_seconds(compiled, args, repeat=1) * 1e3)
        report.add(name, times[0], times[1], "ms", "<= 1.02x no polls")
    return report
