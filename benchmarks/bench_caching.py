"""cache=True (issue 17): time to load cached code in a fresh process, next to Numba's.

Each case is a module written to a fresh folder, imported and called once to fill the cache;
the time measured is then, in new processes, from importing the module (the compiler package
and NumPy already imported) to the end of its first calls, best of three.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from .harness import Report, fresh_process_seconds, have_numba

SEED = """
import numpy as np
from {package} import njit, objmode

def bar(x):
    return np.asarray(x)[::-1]

@njit(cache=True)
def seed():
    x = np.arange(5)
    y = np.zeros_like(x)
    with objmode(y='intp[:]'):
        y += bar(x)
    return y

def run():
    assert seed().tolist() == [4, 3, 2, 1, 0]
"""

MANY = 20
FUNCTION = """
@njit(cache=True)
def f{i}(a, x):
    s = 0.0
    for j in range(a.shape[0]):
        s += a[j] * x + {i}
    return s
"""
MANY_SOURCE = "import numpy as np\nfrom {package} import njit\n" + "".join(
    FUNCTION.format(i=i) for i in range(MANY)) + (
    "\ndef run():\n    a = np.arange(10.0)\n" +
    "".join(f"    f{i}(a, 1.5)\n" for i in range(MANY)))

TIMER = """
import sys, time
sys.path.insert(0, {folder!r})
import numpy, {package}
start = time.perf_counter()
import {module}
{module}.run()
print(time.perf_counter() - start)
"""


def _cache_hit_seconds(package: str, source: str) -> float:
    folder = tempfile.mkdtemp(prefix="cachebench")
    module = f"cached_{package}"
    with open(os.path.join(folder, f"{module}.py"), "w") as handle:
        handle.write(source.format(package=package))
    timer = TIMER.format(folder=folder, package=package, module=module)
    # as installed packages run: with their bytecode cached (the fill run writes it)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", timer], check=True, capture_output=True, env=env)
    return fresh_process_seconds(timer, env=env)


def run() -> Report:
    report = Report("cache=True (issue 17): load from the cache in a fresh process, ms")
    for name, source, count in (("seed objmode function", SEED, 1),
                                (f"{MANY}-function module, per function", MANY_SOURCE, MANY)):
        ours = _cache_hit_seconds("jitbridge", source) / count * 1e3
        theirs = _cache_hit_seconds("numba", source) / count * 1e3 if have_numba() else None
        report.add(f"cache hit: {name}", ours, theirs, "ms", "<= 0.5x numba, < 20 ms")
    return report
