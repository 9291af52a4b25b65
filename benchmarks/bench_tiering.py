"""Tiered compilation (issue 12, item 5): first-call latency of the anchor cases in fresh
processes, jitbridge tiered ($JITBRIDGE_TIERED=1), jitbridge at the full level and Numba side
by side; and the steady-state speed of kernels once promoted, next to the full level's.

The runtime helpers come from the on-disk cache in every process (a private folder, filled
first), as for an installed jitbridge once any cache=True function has been stored; the row
marked "cold runtime" builds them too. `python -m benchmarks.bench_tiering` prints the rows.
"""
from __future__ import annotations

import os
import pathlib
import tempfile

import numpy as np

from . import bench_arrays, bench_caching, bench_core, bench_extending
from .harness import Report, alternating_ms, fresh_process_seconds, have_numba

TIMED = """
import time
import numpy as np
import {mod}
from {mod} import njit, cfunc, objmode
{source}
start = time.perf_counter()
{call}
print(time.perf_counter() - start)
"""
LOOP = "def loop(n):\n    s = 0\n    for i in range(n):\n        s += i * i\n    return s\n"
REDUCTION = ("def array_sum(a):\n    s = 0.0\n    for i in range(a.shape[0]):\n"
             "        s += a[i]\n    return s\na = np.arange(10.0)\n")
CALLBACK = "def inverse(x):\n    return 1.0 / x\n"
SEED = bench_caching.SEED.replace("@njit(cache=True)", "@njit").split("def run")[0]
ANCHORS = (  # (row, source, the timed first call)
    ("scalar loop s += i*i", LOOP, "njit(loop)(10)"),
    ("array reduction (sum of a[i])", REDUCTION, "njit(array_sum)(a)"),
    ("seed objmode function", SEED.replace("from {package} import njit, objmode", ""),
     "seed()"),
    ("cfunc float64(float64)", CALLBACK, "cfunc('float64(float64)')(inverse).ctypes(2.0)"),
)
FILL = "from jitbridge import njit\n@njit(cache=True)\ndef f(x):\n    return x + 1\nprint(f(1))\n"


def _env(cache: str, tiered: bool) -> dict:
    env = bench_core._bytecode_env(os.path.join(cache, "pyc"))
    env.update(JITBRIDGE_CACHE_DIR=cache, JITBRIDGE_TIERED="1" if tiered else "0")
    return env


def _first_calls(cache: str) -> dict:
    """{row: {peer: seconds}} of the anchor cases and the Interval example, best of five."""
    programs = {label: (lambda module, s=source, c=call: TIMED.format(
        mod=module, source=s, call=c)) for label, source, call in ANCHORS}
    programs["Interval: register + first sum_intervals"] = bench_extending._program
    rows = {}
    for label, program in programs.items():
        # the runtime stored again first: its key changes with jitbridge's source
        fresh_process_seconds(FILL, repeat=1, env=_env(cache, False))
        rows[label] = {peer: fresh_process_seconds(program(module), repeat=5,
                                                   env=_env(cache, peer == "tiered"))
                       for peer, module in _peers()}
    return rows


def _cold_runtime(cache: str, repeat: int = 3) -> dict:
    """{peer: seconds} of the scalar loop's first call in processes that build the runtime:
    each run gets an empty cache folder of its own (a shared one would hand the runtime the
    first run stored to the next runs, and the best of them was a warm figure)."""
    program = {module: TIMED.format(mod=module, source=LOOP, call="njit(loop)(10)")
               for _, module in _peers()}
    return {peer: min(fresh_process_seconds(program[module], repeat=1, env=_env(
        tempfile.mkdtemp(dir=cache), peer == "tiered")) for _ in range(repeat))
        for peer, module in _peers()}


def _peers() -> list:
    peers = [("tiered", "jitbridge"), ("full", "jitbridge")]
    return peers + ([("numba", "numba")] if have_numba() else [])


def _kernels(tiered: bool) -> dict:
    """The steady-state kernels compiled by jitbridge (promoted first when `tiered`)."""
    from jitbridge import config, njit
    from jitbridge.runtime import tiering
    saved, config.TIERED = config.TIERED, tiered
    try:
        funcs = {name: njit(func) for name, func in _STEADY.items()}
        for name, func in funcs.items():
            for _ in range(5):  # hot: a chunk of a long loop is worth 100 calls
                func(*_ARGS[name])
        tiering.drain(120)
        for name, func in funcs.items():  # (a while loop's iterations do not count)
            if any(r.library.heat is not None for r in func.overloads.values()):
                _NOT_HOT.append(name)
                func.tier_up()
        return funcs
    finally:
        config.TIERED = saved


_STEADY = {"loop": bench_core.loop, "array_sum": bench_arrays.array_sum,
           "stencil": bench_arrays.stencil, "mandelbrot": bench_arrays.mandelbrot}
_ARGS = {"loop": (10_000_000,), "array_sum": (np.random.default_rng(0).random(2_000_000),),
         "stencil": (np.random.default_rng(1).random((300, 300)), 10),
         "mandelbrot": (300, 200, 100)}


_NOT_HOT: list = []  # kernels five calls did not promote: promoted with tier_up()


def run() -> Report:
    report = Report("tiered compilation (issue 12, item 5): tiered / numba", peer="numba")
    with tempfile.TemporaryDirectory() as cache:
        rows = _first_calls(cache)
        cold = _cold_runtime(cache)
    for label, times in [*rows.items(), ("scalar loop, cold runtime (built too)", cold)]:
        report.add(f"first call: {label}", times["tiered"] * 1e3, _ms(times.get("numba")),
                   "ms", "<= 0.2x numba")
        report.add(f"  (full pipeline: {times['full'] * 1e3:.1f} ms)", times["full"] * 1e3,
                   _ms(times.get("numba")), "ms")
    compiled = {"tiered": _kernels(True), "full": _kernels(False)}
    if have_numba():
        import numba
        compiled["numba"] = {name: numba.njit(func) for name, func in _STEADY.items()}
    for name in _STEADY:
        funcs = {peer: kernels[name] for peer, kernels in compiled.items()}
        times = alternating_ms(funcs, _ARGS[name])
        how = "tier_up()" if name in _NOT_HOT else "hot"
        report.add(f"steady state, promoted ({how}): {name}", times["tiered"], times.get("numba"),
                   "ms", f"= full level ({times['full']:.3g} ms)")
    return report


def _ms(seconds):
    return seconds * 1e3 if seconds is not None else None


if __name__ == "__main__":
    run().print()
