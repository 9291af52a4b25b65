"""Compile time against program size (issue 10 item 14): it should grow near-linearly.

Each row is the first-call (compile) time of a generated program in a fresh interpreter, at
sizes N, 2N, 4N, 8N: `python -m benchmarks.bench_compile_scaling` prints them.
"""
from __future__ import annotations

import subprocess

from .harness import Report, fresh_process_seconds, have_numba

# The snippet writes the program to a module file (compilers read the source), then times the
# first call of `entry` on `argument`.
SNIPPET = """
import importlib, os, sys, time
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
         ("call chain of N jitted functions", call_chain, (25, 50, 100, 200)),
         ("call chain of N large jitted functions", large_call_chain, (5, 10, 20))]


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
                       "~linear in N")
    return report


if __name__ == "__main__":
    run().print()
