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

VIA_OVERLOADS = f"""
import time
from jitbridge import njit
from jitbridge.extending import overload
{_OVERLOADS}
def f(x):
    return {" + ".join(f"op{i}(x)" for i in range(COUNT))}
njit(lambda x: x)(1)  # load the compiler, outside the timing
start = time.perf_counter()
njit(f)(2)
print(time.perf_counter() - start)
"""

INLINE = f"""
import time
from jitbridge import njit

def f(x):
    return {" + ".join(f"(x * {i + 2} + {i})" for i in range(COUNT))}
njit(lambda x: x)(1)  # load the compiler, outside the timing
start = time.perf_counter()
njit(f)(2)
print(time.perf_counter() - start)
"""


def run() -> Report:
    report = Report(f"compiling a call of {COUNT} @overload functions (issue 11), s",
                    peer="inline")
    via, inline = fresh_process_seconds(VIA_OVERLOADS), fresh_process_seconds(INLINE)
    report.add(f"{COUNT} overloads, against their bodies inline", via, inline, "s",
               "<= 1.3x inline")
    return report
