"""Array kernels (issue 3), warm, side by side with Numba and NumPy."""
from __future__ import annotations

import numpy as np

from .harness import Report, best_seconds, have_numba


def array_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def stencil(u, steps):
    n, m = u.shape
    for _ in range(steps):
        v = u.copy()
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                v[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
        u = v
    return u


def matmul(a, b):
    n, k = a.shape
    m = b.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for p in range(k):
                s += a[i, p] * b[p, j]
            c[i, j] = s
    return c


def mandelbrot(width, height, max_iter):
    out = np.zeros((height, width), dtype=np.int64)
    for y in range(height):
        for x in range(width):
            cr = -2.0 + 3.0 * x / width
            ci = -1.5 + 3.0 * y / height
            zr, zi = 0.0, 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                n += 1
            out[y, x] = n
    return out


def prefix_sum(a):
    out = np.empty_like(a)
    s = 0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s
    return out


ROUNDS = 5


def _numpy_versions():
    return {"array_sum": np.sum, "prefix_sum": np.cumsum, "matmul": np.dot}


def run() -> Report:
    report = Report("array kernels (issue 3), warm, ms")
    rng = np.random.default_rng(0)
    data = {
        "array_sum": (rng.random(10_000_000),),
        "stencil": (rng.random((1000, 1000)), 10),
        "matmul": (rng.random((200, 200)), rng.random((200, 200))),
        "mandelbrot": (400, 400, 100),
        "prefix_sum": (rng.integers(0, 100, 10_000_000),),
    }
    funcs = {"array_sum": array_sum, "stencil": stencil, "matmul": matmul,
             "mandelbrot": mandelbrot, "prefix_sum": prefix_sum}
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    for name, func in funcs.items():
        compiled = {peer: __import__(peer).njit(func) for peer in peers}
        results = {peer: compiled[peer](*data[name]) for peer in peers}
        times = {peer: float("inf") for peer in peers}
        for _ in range(ROUNDS):  # alternate the peers: memory-bound kernels drift with load
            for peer in peers:
                times[peer] = min(times[peer], best_seconds(compiled[peer], data[name], repeat=1) * 1e3)
        if "numba" in results:
            assert np.allclose(results["jitbridge"], results["numba"]), name
        report.add(name, times["jitbridge"], times.get("numba"), "ms", "<= 1.1x numba")
        numpy_version = _numpy_versions().get(name)
        if numpy_version is not None:
            report.add(f"  (numpy {numpy_version.__name__})",
                       best_seconds(numpy_version, data[name], repeat=3) * 1e3, None, "ms")
    return report
