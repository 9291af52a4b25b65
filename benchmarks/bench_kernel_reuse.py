"""Compiling a new function whose NumPy calls were compiled before (issue 12): their
implementations are compiled once and linked, so the new function costs its own size only."""
from __future__ import annotations

import numpy as np

from .harness import Report, best_seconds, have_numba


def kernels_user(a):
    return np.sort(a)[0] + np.median(a) + a.reshape(2, -1).sum(axis=0)[0]


def _recompile_seconds(peer: str, a) -> float:
    njit = __import__(peer).njit
    njit(kernels_user)(a)  # the kernels' own first compile
    best = float("inf")
    for _ in range(3):
        fresh = type(kernels_user)(kernels_user.__code__, kernels_user.__globals__)
        best = min(best, best_seconds(lambda: njit(fresh)(a), repeat=1))
    return best


def run() -> Report:
    report = Report("compiling a function calling sort, median, sum(axis) again (issue 12), s")
    a = np.random.default_rng(0).random(1000)
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    times = {peer: _recompile_seconds(peer, a) for peer in peers}
    report.add("first call, kernels compiled before", times["jitbridge"], times.get("numba"), "s",
               "<= numba")
    return report
