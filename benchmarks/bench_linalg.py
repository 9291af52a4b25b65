"""2-D matrix products and np.linalg (issue 13): a @ b of 500x500 float64 through BLAS gemm
against numpy.dot (target 1.1x) and Numba, a stack of 64 products of 64x64 matrices against
numpy.matmul, plus solve, inv, eigh and svd of 200x200."""
from __future__ import annotations

import numpy as np

from .harness import Report, best_seconds, have_numba


def matmul(a, b):
    return a @ b


def dot(a, b):
    return np.dot(a, b)


def solve(a, b):
    return np.linalg.solve(a, b)


def inv(a):
    return np.linalg.inv(a)


def eigh(a):
    return np.linalg.eigh(a)


def svd(a):
    return np.linalg.svd(a)


KERNELS = (matmul, dot, solve, inv, eigh, svd)


def run() -> Report:
    report = Report("2-D dot/@ and np.linalg (issue 13)")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    compiled = {m: _compile(m) for m in peers}
    rng = np.random.default_rng(0)
    a, b = rng.random((500, 500)), rng.random((500, 500))
    ours = best_seconds(compiled["jitbridge"]["dot"], (a, b), repeat=20) * 1e3
    report.add("np.dot 500x500 float64 vs numpy.dot", ours,
               best_seconds(np.dot, (a, b), repeat=20) * 1e3, "ms", "<= 1.1x numpy")
    s, t = rng.random((64, 64, 64)), rng.random((64, 64, 64))
    compiled["jitbridge"]["matmul"](s, t)  # compiles the stacked signature before timing
    report.add("stacked a @ b 64x(64x64) float64 vs numpy.matmul",
               best_seconds(compiled["jitbridge"]["matmul"], (s, t), repeat=20) * 1e3,
               best_seconds(np.matmul, (s, t), repeat=20) * 1e3, "ms", "<= 1.1x numpy")
    m = rng.random((200, 200))
    sym, rhs = m + m.T + 200 * np.eye(200), rng.random(200)
    for label, func, args in (("a @ b 500x500 float64", "matmul", (a, b)),
                              ("np.dot 500x500 float64", "dot", (a, b)),
                              ("solve 200x200", "solve", (sym, rhs)), ("inv 200x200", "inv", (sym,)),
                              ("eigh 200x200", "eigh", (sym,)), ("svd 200x200", "svd", (m,))):
        times = {p: best_seconds(compiled[p][func], args, repeat=10) * 1e3 for p in peers}
        report.add(label, times["jitbridge"], times.get("numba"), "ms", "<= 1.1x numba")
    return report


def _compile(module_name: str) -> dict:
    njit = __import__(module_name).njit
    funcs = {f.__name__: njit(f) for f in KERNELS}
    x = np.eye(3)
    for name, func in funcs.items():
        func(x, x) if name in ("matmul", "dot", "solve") else func(x)
    return funcs


if __name__ == "__main__":
    run().print()
