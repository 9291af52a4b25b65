"""@jitclass (issue 14): a particle update over jitclass-held arrays of 1M particles, warm,
and the first call (compiling the class's constructor and method and the caller), side by
side with Numba."""
from __future__ import annotations

import importlib
import time

import numpy as np

from .harness import Report, alternating_ms, have_numba

N, STEPS, ROUNDS = 1_000_000, 10, 3


def make(peer: str):
    """The Particles class and its driver compiled by `peer` (jitbridge or numba)."""
    jit = importlib.import_module(peer)
    jitclass = importlib.import_module(f"{peer}.experimental").jitclass

    @jitclass([("x", jit.float64[:]), ("v", jit.float64[:]), ("steps", jit.int64)])
    class Particles:
        def __init__(self, n):
            self.x = np.linspace(0.0, 1.0, n)
            self.v = np.zeros(n)
            self.steps = 0

        def advance(self, dt):
            x, v = self.x, self.v
            for i in range(x.shape[0]):
                v[i] -= x[i] * dt
                x[i] += v[i] * dt
            self.steps += 1

    @jit.njit
    def run(p, steps):
        for _ in range(steps):
            p.advance(0.001)
        return p.x.sum()

    return Particles, run


def first_call_ms(peer: str) -> float:
    start = time.perf_counter()
    particles, run = make(peer)
    run(particles(10), 1)
    return (time.perf_counter() - start) * 1e3


def run() -> Report:
    report = Report("jitclass (issue 14), ms")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    first = {peer: first_call_ms(peer) for peer in peers}
    calls, results = {}, {}
    for peer in peers:
        particles, driver = make(peer)
        p = particles(N)
        results[peer] = driver(p, 1)
        calls[peer] = (lambda d, q: lambda: d(q, STEPS))(driver, p)
    if len(results) == 2:
        assert np.isclose(results["jitbridge"], results["numba"]), results
    times = alternating_ms(calls, (), ROUNDS)
    report.add(f"particle update, 1M particles x {STEPS} steps", times["jitbridge"],
               times.get("numba"), "ms", "<= 1.1x numba")
    report.add("first call (class + driver compile)", first["jitbridge"], first.get("numba"),
               "ms", "< numba")
    return report


if __name__ == "__main__":
    run().print()
