"""Integer powers (issue 20): `x ** n` lowered to multiplications, warm, side by side with Numba."""
from __future__ import annotations

import numpy as np

from .harness import Report, best_seconds, have_numba


def inverse_sixth(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += (1.0 / x[i]) ** 6
    return s


def written_out(x):
    s = 0.0
    for i in range(x.shape[0]):
        y = 1.0 / x[i]
        y2 = y * y
        s += y2 * y2 * y2
    return s


def variable_power(x, n):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] ** n
    return s


def negative_power(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] ** -3
    return s


ROUNDS = 5
CASES = [("s += (1.0 / x) ** 6, n=2M", inverse_sixth, ()),
         ("  same, written y2 * y2 * y2", written_out, ()),
         ("s += x ** n (n=7 at run time), n=2M", variable_power, (7,)),
         ("s += x ** -3, n=2M", negative_power, ())]


def run() -> Report:
    report = Report("integer powers (issue 20), warm, ms")
    x = np.random.default_rng(0).random(2_000_000) + 0.5
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    for label, func, extra in CASES:
        args = (x, *extra)
        compiled = {peer: __import__(peer).njit(func) for peer in peers}
        results = {peer: compiled[peer](*args) for peer in peers}
        if "numba" in results:  # same multiplications in the same order: equal, not close
            assert results["jitbridge"] == results["numba"], label
        times = {peer: float("inf") for peer in peers}
        for _ in range(ROUNDS):  # alternate the peers against drift
            for peer in peers:
                times[peer] = min(times[peer], best_seconds(compiled[peer], args, repeat=1) * 1e3)
        report.add(label, times["jitbridge"], times.get("numba"), "ms", "<= 1.0x numba")
    return report
