"""Timing helpers shared by the benchmark suites: best-of-N timing and ratio reporting."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import timeit


def have_numba() -> bool:
    return importlib.util.find_spec("numba") is not None


def per_call_ns(func, args=(), number=200_000, repeat=5) -> float:
    """Best per-call time of `func(*args)` in nanoseconds."""
    timer = timeit.Timer(lambda: func(*args))
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e9


def interleaved_ns(ours, theirs, args=(), number=20_000, rounds=4):
    """Best per-call ns of two callables measured in alternating rounds (less drift)."""
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for i, func in enumerate((ours, theirs)):
            if func is not None:
                best[i] = min(best[i], per_call_ns(func, args, number=number, repeat=2))
    return best[0], (best[1] if theirs is not None else None)


def alternating_ms(compiled: dict, args, rounds: int = 5) -> dict:
    """Best ms per call of each peer's function on `args` (or on `args[peer]`, a dict of each
    peer's own arguments), the peers alternating round by round: memory-bound kernels drift
    with the machine's load, and alternation cancels it."""
    times = {peer: float("inf") for peer in compiled}
    for _ in range(rounds):
        for peer, func in compiled.items():
            own = args[peer] if isinstance(args, dict) else args
            times[peer] = min(times[peer], best_seconds(func, own, repeat=1) * 1e3)
    return times


def best_seconds(func, args=(), repeat=5, number=1) -> float:
    """Best wall time of `number` calls of `func(*args)`, in seconds per call."""
    timer = timeit.Timer(lambda: func(*args))
    return min(timer.repeat(repeat=repeat, number=number)) / number


def fresh_process_seconds(code: str, repeat: int = 3, env: dict | None = None) -> float:
    """Best time a snippet reports (it prints seconds) when run in a fresh interpreter."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "snippet.py")  # a file, so compilers can read the source
        with open(script, "w") as fh:
            fh.write(code)
        for _ in range(repeat):
            out = subprocess.run([sys.executable, script], capture_output=True, text=True,
                                 check=True, env=env).stdout
            times.append(float(out.strip().splitlines()[-1]))
    return min(times)


class Report:
    """Rows of (name, jitbridge, numba, unit); prints ratios jitbridge/numba."""

    def __init__(self, title: str, peer: str = "numba"):
        self.title = title
        self.peer = peer
        self.rows = []

    def add(self, name, ours, theirs, unit, target=None):
        self.rows.append((name, ours, theirs, unit, target))

    def print(self):
        print(f"\n== {self.title} ==")
        print(f"{'benchmark':44s} {'jitbridge':>12s} {self.peer:>12s} {'ratio':>7s}  target")
        for name, ours, theirs, unit, target in self.rows:
            ratio = f"{ours / theirs:7.2f}" if theirs else "    n/a"
            theirs_s = f"{theirs:10.3g}{unit:>2s}" if theirs else f"{'-':>12s}"
            print(f"{name:44s} {ours:10.3g}{unit:>2s} {theirs_s} {ratio}  {target or ''}")

    def ratios(self):
        return [ours / theirs for _, ours, theirs, _, _ in self.rows if theirs]
