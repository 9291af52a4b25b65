"""Random numbers (issue 13): np.random.normal(size=10M) and a loop of scalar draws, warm,
side by side with Numba. Both follow NumPy's legacy generator, so the values are compared."""
from __future__ import annotations

import numpy as np

from .harness import Report, best_seconds, have_numba


def normal_10m(seed):
    np.random.seed(seed)
    return np.random.normal(0.0, 1.0, 10_000_000)


def scalar_draws(seed):
    np.random.seed(seed)
    total = 0.0
    for _ in range(5_000_000):
        total += np.random.random()
    return total


ROUNDS = 3
CASES = [("np.random.normal(size=10M)", normal_10m),
         ("5M scalar np.random.random() draws", scalar_draws)]


def run() -> Report:
    report = Report("random (issue 13), warm, ms")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    for label, func in CASES:
        compiled = {peer: __import__(peer).njit(func) for peer in peers}
        results = {peer: compiled[peer](1) for peer in peers}
        if "numba" in results:
            assert np.array_equal(results["jitbridge"], results["numba"]), label
        times = {peer: float("inf") for peer in peers}
        for _ in range(ROUNDS):  # alternate the peers against drift
            for peer in peers:
                times[peer] = min(times[peer], best_seconds(compiled[peer], (1,), repeat=1) * 1e3)
        report.add(label, times["jitbridge"], times.get("numba"), "ms", "<= 1.1x numba")
    return report
