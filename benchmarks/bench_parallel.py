"""Every core (issue 16): speedup of parallel=True over the serial compile for an embarrassingly
parallel loop (target >= 1.8x on 2 cores), a reduction (>= 1.7x) and an array expression, and
nogil functions on a 2-thread pool (about 2x one thread); each parallel row side by side with
Numba's parallel=True (target <= 1.1x). Peers alternate round by round so load drift cancels."""
from __future__ import annotations

import concurrent.futures
import math

import numpy as np

from .harness import Report, alternating_ms, have_numba

ROUNDS = 5
N = 20_000_000


def fill(out):
    for i in prange(out.shape[0]):  # noqa: F821  (prange is the peer's, bound in _compiled)
        x = i * 1e-6
        out[i] = math.sin(x) * math.exp(-x) + math.sqrt(x)


def reduce_sum(a):
    s = 0.0
    for i in prange(a.shape[0]):  # noqa: F821
        s += math.sqrt(a[i]) * a[i]
    return s


def expression(a, b, c):
    return a * b + np.sqrt(c) - 2.0 * a / (b + 1.0)


def burn(a, lo, hi):
    s = 0.0
    for i in range(lo, hi):
        s += math.sin(a[i]) * math.cos(a[i])
    return s


def _compiled(peer: str, func, parallel: bool, args, **options):
    """func compiled by `peer` (and run once: compiling reads the global prange, bound to
    the peer's own for the same source to serve both)."""
    module = __import__(peer)
    func.__globals__["prange"] = module.prange
    compiled = module.njit(parallel=parallel, **options)(func)
    compiled(*args)
    return compiled


def _speedup_rows(report, name, func, args, peers, target):
    versions = {f"{peer} {kind}": _compiled(peer, func, kind == "parallel", args)
                for peer in peers for kind in ("parallel", "serial")}
    times = alternating_ms(versions, args, ROUNDS)
    serial, parallel = times["jitbridge serial"], times["jitbridge parallel"]
    report.add(f"{name}: parallel=True", parallel, times.get("numba parallel"), "ms",
               "<= 1.1x numba")
    report.add(f"  speedup over serial (x, numba's as peer)", serial / parallel,
               times["numba serial"] / times["numba parallel"] if "numba serial" in times
               else None, "x", target)


def _nogil_row(report, peers):
    a = np.random.default_rng(1).random(N // 2)
    halves = [(0, len(a) // 2), (len(a) // 2, len(a))]
    for peer in peers:
        func = _compiled(peer, burn, False, (a, 0, 10), nogil=True)
        one = alternating_ms({"one": lambda: [func(a, *h) for h in halves]}, (), ROUNDS)["one"]
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            two = alternating_ms({"two": lambda: list(pool.map(lambda h: func(a, *h), halves))},
                                 (), ROUNDS)["two"]
        report.add(f"nogil=True on a 2-thread pool ({peer}): speedup", one / two, None, "x",
                   "about 2x (cores permitting)")


def run() -> Report:
    report = Report("Every core: prange, parallel array expressions, nogil (issue 16)")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    rng = np.random.default_rng(0)
    _speedup_rows(report, "fill 20M (sin, exp, sqrt)", fill, (np.empty(N),), peers, ">= 1.8x")
    _speedup_rows(report, "sum reduction over 20M", reduce_sum, (rng.random(N),), peers,
                  ">= 1.7x")
    a, b, c = (rng.random(N // 4) for _ in range(3))
    _speedup_rows(report, "array expression 5M", expression, (a, b, c), peers, "> 1x")
    _nogil_row(report, peers)
    return report


if __name__ == "__main__":
    run().print()
