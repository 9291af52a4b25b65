"""Extension API (issue 4): register the Interval type and make the first call of
`sum_intervals`, in a fresh process, side by side with Numba running the same source. NumPy is
imported before the clock starts, as in bench_compile_scaling: Numba imports it on `import
numba`, jitbridge on its first compilation (the row measures the compilers, not NumPy)."""
from __future__ import annotations

import pathlib

from .harness import Report, fresh_process_seconds, have_numba

EXAMPLE = pathlib.Path(__file__).resolve().parent.parent / "tests" / "extending" / "interval_example.py"
IMPORTS = {
    "numba": [("from jitbridge import njit, types", "from numba import njit, types"),
              ("from jitbridge.core import cgutils", "from numba.core import cgutils"),
              ("from jitbridge.extending import", "from numba.extending import")],
}
TIMING = """
import time
import numpy
import {package}
start = time.perf_counter()
{source}
sum_intervals(Interval(1.0, 2.0), Interval(0.5, 0.5))
print(time.perf_counter() - start)
"""


def _program(package: str) -> str:
    source = EXAMPLE.read_text()
    for ours, theirs in IMPORTS.get(package, []):
        source = source.replace(ours, theirs)
    return TIMING.format(package=package, source=source)


def run() -> Report:
    report = Report("extension API (issue 4)")
    ours = fresh_process_seconds(_program("jitbridge"))
    theirs = fresh_process_seconds(_program("numba")) if have_numba() else None
    report.add("register Interval + first sum_intervals call", ours, theirs, "s", "<= numba")
    return report
