"""1-D np.dot (issue 20 item 3): a sliding window of length 100 over 10^6 positions, and one
product of length 10^6, float64 and float32."""
from __future__ import annotations

import numpy as np

from .harness import Report, best_seconds, have_numba


def windows(q, t):
    m = q.shape[0]
    s = 0.0
    for i in range(t.shape[0] - m + 1):
        s += np.dot(q, t[i:i + m])
    return s


def single(a, b):
    return np.dot(a, b)


def run() -> Report:
    report = Report("1-D np.dot (issue 20)")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    compiled = {m: _compile(m) for m in peers}
    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        name = np.dtype(dtype).name
        q, t = rng.random(100).astype(dtype), rng.random(10 ** 6 + 99).astype(dtype)
        a, b = rng.random(10 ** 6).astype(dtype), rng.random(10 ** 6).astype(dtype)
        for label, func, args, repeat, scale, unit in (
                (f"dot(q, t[i:i+100]) x 10^6, {name}", "windows", (q, t), 5, 1e3, "ms"),
                (f"dot(a, b), n = 10^6, {name}", "single", (a, b), 50, 1e6, "us")):
            times = {m: best_seconds(compiled[m][func], args, repeat=repeat) * scale for m in peers}
            report.add(label, times["jitbridge"], times.get("numba"), unit, "<= 1.0x numba")
    return report


def _compile(module_name: str) -> dict:
    njit = __import__(module_name).njit
    funcs = {f.__name__: njit(f) for f in (windows, single)}
    for dtype in (np.float64, np.float32):
        x = np.ones(200, dtype)
        funcs["windows"](x[:100], x), funcs["single"](x, x)
    return funcs


if __name__ == "__main__":
    run().print()
