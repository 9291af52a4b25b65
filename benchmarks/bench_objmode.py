"""objmode (issue 6): cost of one block entry/exit with one int64 output, in a compiled loop."""
from __future__ import annotations

import os
import tempfile

from .harness import Report, best_seconds, have_numba

SOURCE = """
from {package} import njit, objmode

@njit
def entries(n):
    total = 0
    for i in range(n):
        with objmode(v='int64'):
            v = i
        total += v
    return total
"""
N = 200_000


def _load(package: str):
    """Compile the loop from a real file (both compilers read source)."""
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, f"objmode_bench_{package}.py")
    with open(path, "w") as fh:
        fh.write(SOURCE.format(package=package))
    namespace = {"__name__": f"objmode_bench_{package}", "__file__": path}
    exec(compile(open(path).read(), path, "exec"), namespace)
    func = namespace["entries"]
    func(10)
    return func


def run() -> Report:
    report = Report("objmode (issue 6): one entry/exit with an int64 output, ns")
    ours = best_seconds(_load("jitbridge"), (N,), repeat=3) / N * 1e9
    theirs = best_seconds(_load("numba"), (N,), repeat=3) / N * 1e9 if have_numba() else None
    report.add("objmode entry + exit", ours, theirs, "ns", "<= numba")
    return report
