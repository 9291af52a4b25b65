"""@vectorize and @guvectorize (issue 14): a ufunc over 10M floats and a moving-average
gufunc, each against the same decorator of Numba (NumPy's built-in expression is a row of its
own, timed against Numba's ufunc); compile time of the eager ufunc in a fresh process. Warm
timings alternate the peers so that load drift cancels; target <= 1.1x Numba."""
from __future__ import annotations

import numpy as np

from .harness import Report, alternating_ms, fresh_process_seconds, have_numba

ROUNDS = 5
N = 10_000_000


def poly(x, y):
    return x * x + 2.0 * y - 1.0


def move_mean(a, window, out):
    total = 0.0
    for i in range(window):
        total += a[i]
        out[i] = total / (i + 1)
    for i in range(window, a.shape[0]):
        total += a[i] - a[i - window]
        out[i] = total / window


def _ufuncs(peers):
    return {peer: __import__(peer).vectorize(["float64(float64, float64)"])(poly)
            for peer in peers}


def _gufuncs(peers):
    return {peer: __import__(peer).guvectorize(["void(float64[:], int64, float64[:])"],
                                               "(n),()->(n)")(move_mean) for peer in peers}


_COMPILE = """
import time
t0 = time.perf_counter()
from {peer} import vectorize
@vectorize(["float64(float64, float64)"])
def poly(x, y):
    return x * x + 2.0 * y - 1.0
poly(1.0, 2.0)
print(time.perf_counter() - t0)
"""


def run() -> Report:
    report = Report("@vectorize / @guvectorize (issue 14), warm ms; compile s")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    rng = np.random.default_rng(0)
    x, y = rng.random(N), rng.random(N)
    ufuncs = _ufuncs(peers)
    np.testing.assert_allclose(ufuncs["jitbridge"](x, y), poly(x, y), rtol=1e-15)
    times = alternating_ms({**ufuncs, "numpy": lambda a, b: a * a + 2.0 * b - 1.0}, (x, y), ROUNDS)
    report.add("vectorize x*x+2y-1 over 10M floats", times["jitbridge"], times.get("numba"),
               "ms", "<= 1.1x numba")
    report.add("  numpy's own expression, same data", times["numpy"], times.get("numba"), "ms")
    series = rng.random((1000, 10_000))
    gufuncs = _gufuncs(peers)
    times = alternating_ms(gufuncs, (series, 20), ROUNDS)
    report.add("guvectorize moving average 1000x10k", times["jitbridge"], times.get("numba"),
               "ms", "<= 1.1x numba")
    compile_s = {peer: fresh_process_seconds(_COMPILE.format(peer=peer), repeat=2)
                 for peer in peers}
    report.add("import + eager @vectorize compile", compile_s["jitbridge"],
               compile_s.get("numba"), "s", "< numba")
    return report


if __name__ == "__main__":
    run().print()
