"""Index arithmetic in loops (issue 12, item 2): `a[i + j]` over range loop variables must
compile without Python's negative-index wrap-around, as Numba's does. Warm, side by side,
alternating the peers so that load drift cancels; target <= 1.0x Numba."""
from __future__ import annotations

import numpy as np

from .harness import Report, alternating_ms, have_numba


def conv1d(x, w):
    n, m = x.shape[0], w.shape[0]
    out = np.zeros(n - m + 1)
    for i in range(n - m + 1):
        s = 0.0
        for j in range(m):
            s += x[i + j] * w[j]
        out[i] = s
    return out


def tridiagonal(a, b, c, d):
    """Thomas' algorithm: a forward sweep over i - 1, a backward one over i + 1."""
    n = d.shape[0]
    cp, dp, x = np.empty(n), np.empty(n), np.empty(n)
    cp[0], dp[0] = c[0] / b[0], d[0] / b[0]
    for i in range(1, n):
        den = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / den
        dp[i] = (d[i] - a[i] * dp[i - 1]) / den
    x[n - 1] = dp[n - 1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


#: rounds of the alternation: the best of 9 holds on a loaded 2-core machine, 5 did not
ROUNDS = 9


def _data():
    rng = np.random.default_rng(0)
    n = 1_000_000
    a, b, c, d = rng.random(n), rng.random(n) + 4.0, rng.random(n), rng.random(n)
    return {"conv1d 1M x 31 taps": (conv1d, (rng.random(n), rng.random(31))),
            "tridiagonal solve 1M": (tridiagonal, (a, b, c, d))}


def _check(name, result, args):
    """NumPy's answer (not the kernels run by Python: 31M iterations take a while)."""
    if name.startswith("conv1d"):
        np.testing.assert_allclose(result, np.correlate(*args, "valid"), rtol=1e-12)
    else:
        a, b, c, d = args
        lhs = b * result + a * np.r_[0.0, result[:-1]] + c * np.r_[result[1:], 0.0]
        np.testing.assert_allclose(lhs, d, rtol=1e-9, atol=1e-12)


def run() -> Report:
    report = Report("index arithmetic in loops (issue 12), warm, ms")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    for name, (func, args) in _data().items():
        compiled = {peer: __import__(peer).njit(func) for peer in peers}
        _check(name, compiled["jitbridge"](*args), args)
        times = alternating_ms(compiled, args, ROUNDS)
        report.add(name, times["jitbridge"], times.get("numba"), "ms", "<= 1.0x numba")
    return report
