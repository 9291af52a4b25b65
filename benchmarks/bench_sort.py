"""Sorting (issue 13): np.sort / np.argsort of 1M items, warm, side by side with Numba."""
from __future__ import annotations

import numpy as np

from .harness import Report, best_seconds, have_numba


def sort(a):
    return np.sort(a)


def argsort(a):
    return np.argsort(a)


def argsort_stable(a):
    return np.argsort(a, kind="mergesort")


ROUNDS = 5
CASES = [("np.sort, 1M float64", sort, "float"),
         ("np.sort, 1M int64", sort, "int"),
         ("np.argsort, 1M float64", argsort, "float"),
         ("np.argsort(kind='mergesort'), 1M int64", argsort_stable, "int")]


def run() -> Report:
    report = Report("sorting (issue 13), warm, ms")
    rng = np.random.default_rng(0)
    data = {"float": rng.random(1_000_000), "int": rng.integers(0, 1 << 30, 1_000_000)}
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    for label, func, kind in CASES:
        args = (data[kind],)
        compiled = {peer: __import__(peer).njit(func) for peer in peers}
        results = {peer: compiled[peer](*args) for peer in peers}
        expected = func(*args)
        if func is argsort:  # ties may differ: check the order, not the indices
            assert np.array_equal(args[0][results["jitbridge"]], np.sort(args[0])), label
        else:
            assert np.array_equal(results["jitbridge"], expected), label
        times = {peer: float("inf") for peer in peers}
        for _ in range(ROUNDS):  # alternate the peers against drift
            for peer in peers:
                times[peer] = min(times[peer], best_seconds(compiled[peer], args, repeat=1) * 1e3)
        report.add(label, times["jitbridge"], times.get("numba"), "ms", "<= 1.1x numba")
    return report
