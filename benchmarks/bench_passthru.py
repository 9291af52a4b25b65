"""Pass-through objects (issue 5): a PassThruContainer in and out of a compiled function,
against a plain int (target: at most 2x the int case)."""
from __future__ import annotations

from .harness import Report, interleaved_ns


def run() -> Report:
    from jitbridge import njit
    from jitbridge.passthru import PassThruContainer

    identity = njit(lambda value: value)
    container, number = PassThruContainer(object()), 12345
    identity(container), identity(number)
    as_container, as_int = interleaved_ns(lambda: identity(container), lambda: identity(number),
                                          number=200_000)
    report = Report("pass-through objects (issue 5), ns per call", peer="f(int)")
    report.add("f(container), against f(int)", as_container, as_int, "ns", "<= 2x the int case")
    return report
