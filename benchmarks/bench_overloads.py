"""The compile cost of @overload implementations (issue 11): a function calling 20 trivial
overloads against the same function with the 20 bodies written inline, each compiled in a
fresh process. Target: at most 1.3x the inline figure."""
from __future__ import annotations

from .harness import Report, fresh_process_seconds

COUNT = 20

_OVERLOADS = "\n".join(f'''
def op{i}(x):
    pass

@overload(op{i})
def _ol{i}(x):
    return lambda x: x * {i + 2} + {i}
''' for i in range(COUNT))

def _timed_first_compile(setup: str, body: str) -> str:
    """A snippet printing the seconds of f's first compile (the compiler loaded before)."""
    return f"""
import time
from jitbridge import njit
from jitbridge.extending import overload
{setup}
def f(x):
    return {body}
njit(lambda x: x)(1)
start = time.perf_counter()
njit(f)(2)
print(time.perf_counter() - start)
"""


VIA_OVERLOADS = _timed_first_compile(_OVERLOADS, " + ".join(f"op{i}(x)" for i in range(COUNT)))
INLINE = _timed_first_compile("", " + ".join(f"(x * {i + 2} + {i})" for i in range(COUNT)))


def run() -> Report:
    report = Report(f"compiling a call of {COUNT} @overload functions (issue 11), s",
                    peer="inline")
    via, inline = fresh_process_seconds(VIA_OVERLOADS), fresh_process_seconds(INLINE)
    report.add(f"{COUNT} overloads, against their bodies inline", via, inline, "s",
               "<= 1.3x inline")
    return report
