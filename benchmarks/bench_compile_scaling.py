"""Compile time against program size (issue 10 item 14): it should grow near-linearly.

Each row is the first-call (compile) time of a generated program in a fresh interpreter, at
sizes N, 2N, 4N, 8N: `python -m benchmarks.bench_compile_scaling` prints them. NumPy is imported
before the clock starts: Numba imports it on `import numba`, jitbridge on its first
compilation, and a program compiling numeric code has imported it anyway (the rows measure the
compilers, not NumPy's import).
"""
from __future__ import annotations

import subprocess

from .harness import Report, fresh_process_seconds, have_numba

# The snippet writes the program to a module file (compilers read the source), then times the
# first call of `entry` on `argument`.
SNIPPET = """
import importlib, os, sys, time
import numpy
sys.setrecursionlimit(100_000)  # Numba types a chain of 50 calls recursively, deeper than 1000
source = {source!r}
folder = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(folder, "generated_program.py"), "w") as fh:
    fh.write("from {mod} import njit\\n" + source)
sys.path.insert(0, folder)
module = importlib.import_module("generated_program")
t = time.perf_counter()
module.entry({argument})
print(time.perf_counter() - t)
"""


def tuple_argument(n: int):
    return "@njit\ndef entry(t):\n    return t[0]\n", f"tuple(range({n}))"


def long_expression(n: int):
    return "@njit\ndef entry(x):\n    return x" + " + 1" * n + "\n", "1"


def long_function(n: int):
    body = "".join(f"    x = x + {i % 7}\n" for i in range(n))
    return f"@njit\ndef entry(x):\n{body}    return x\n", "1"


def _mixed_statement(i: int) -> str:
    kind = i % 5
    if kind == 0:
        return f"    v{i} = a[{i} % n] * x + {i}\n"
    if kind == 1:
        return f"    v{i} = math.sqrt(abs(v{i - 1})) + s\n"
    if kind == 2:
        return f"    if v{i - 1} > {i}:\n        s += v{i - 1}\n    v{i} = s\n"
    if kind == 3:
        return f"    t{i} = (v{i - 1}, s)\n    v{i} = t{i}[0] - t{i}[1]\n"
    return f"    s = s + v{i - 1} * 0.5\n    v{i} = s\n"


def mixed_function(n: int):
    """Array reads, calls, branches and tuples: many variables, blocks and stack slots (the
    allocas and the assignment dataflow once grew quadratically with them)."""
    body = "".join(_mixed_statement(i) for i in range(n))
    return (f"import math\nimport numpy as np\n@njit\ndef entry(a, x):\n    s = 0.0\n"
            f"    n = a.shape[0]\n{body}    return s + v{n - 1}\n", "numpy.arange(10.0), 1.0")


def call_chain(n: int):
    defs = [f"@njit\ndef f{i}(x):\n    return f{i + 1}(x) + 1\n" for i in range(n - 1)]
    defs.append(f"@njit\ndef f{n - 1}(x):\n    return x\n")
    return "\n".join(reversed(defs)) + "\nentry = f0\n", "1"


LARGE_BODY = """
    s = 0
    for i in range(x):
        if i % 3 == 0:
            s += i * 2
        elif i % 5 == 1:
            s -= i
        else:
            s += 1
"""


def large_call_chain(n: int):
    """Functions too large to inline, each calling the next twice: a caller that copied its
    callees' code would compile the whole chain below it again (quadratic in N)."""
    defs = [f"@njit\ndef f{i}(x):\n    a = f{i + 1}(x) + f{i + 1}(x + 1)\n{LARGE_BODY}"
            "    return s + a\n" for i in range(n - 1)]
    defs.append(f"@njit\ndef f{n - 1}(x):\n{LARGE_BODY}    return s\n")
    return "\n".join(reversed(defs)) + "\nentry = f0\n", "10"


CASES = [("tuple argument of N items", tuple_argument, (100, 200, 400, 800)),
         ("expression of N terms", long_expression, (250, 500, 1000, 2000)),
         ("function of N statements", long_function, (250, 500, 1000, 2000)),
         ("function of N mixed statements", mixed_function, (100, 200, 400)),
         ("call chain of N jitted functions", call_chain, (25, 50, 100, 200)),
         ("call chain of N large jitted functions", large_call_chain, (5, 10, 20))]


TARGETS = {("function of N statements", 1000): "~linear in N; <= 0.1x numba (issue 12)"}


def compile_seconds(module_name: str, make, n: int) -> float | None:
    """Seconds to compile, or None when this compiler cannot compile the program."""
    source, argument = make(n)
    code = SNIPPET.format(source=source, mod=module_name, argument=argument)
    try:
        return fresh_process_seconds(code, repeat=1)
    except subprocess.CalledProcessError:
        return None


def run() -> Report:
    report = Report("compile-time scaling (issue 10 item 14)")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    for label, make, sizes in CASES:
        for n in sizes:
            times = {m: compile_seconds(m, make, n) for m in peers}
            report.add(f"{label}, N={n}", times["jitbridge"], times.get("numba"), "s",
                       TARGETS.get((label, n), "~linear in N"))
    return report


if __name__ == "__main__":
    run().print()
