"""Functions as values (issue 18): a solver taking a jitted objective (specialised per
function, as Numba does), and calls through a first-class `types.FunctionType` value (a pointer
to compiled code). Numba's issue #2952 measured 29 µs against 293 ns for a call through a
function passed as an argument; the rows show the cost per call inside compiled code, side by
side with Numba running the same source, warm, the peers alternating round by round."""
from __future__ import annotations

from .harness import Report, alternating_ms, have_numba

CALLS = 1_000_000


def objective(x):
    return x * x - 2.0


def direct(n):
    s = 0.0
    for i in range(n):
        s += objective(i * 1e-6)
    return s


def through(fn, n):
    s = 0.0
    for i in range(n):
        s += fn(i * 1e-6)
    return s


def bisect(fn, lo, hi):
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if fn(lo) * fn(mid) <= 0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def _compiled(package: str) -> dict:
    """This module's kernels compiled by `package` (its own `objective` global resolved)."""
    module = __import__(package)
    jitted = module.njit(objective)
    namespace = {"objective": jitted}
    kernels = {name: module.njit(_rebind(func, namespace)) for name, func in
               (("direct", direct), ("through", through), ("bisect", bisect))}
    ftype = module.types.FunctionType(module.types.float64(module.types.float64))
    kernels["pointer"] = module.njit(module.types.float64(ftype, module.types.int64))(
        _rebind(through, namespace))
    return {"objective": jitted, **kernels}


def _rebind(func, namespace):
    import types
    return types.FunctionType(func.__code__, {**func.__globals__, **namespace}, func.__name__)


def run() -> Report:
    report = Report("functions as values (issue 18), warm, ms")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    compiled = {peer: _compiled(peer) for peer in peers}
    rows = (("1M direct calls (reference)", "direct", lambda c: (CALLS,)),
            ("1M calls of a function argument (specialised)", "through",
             lambda c: (c["objective"], CALLS)),
            ("1M calls through types.FunctionType (a pointer)", "pointer",
             lambda c: (c["objective"], CALLS)),
            ("bisect(f, 0, 2): 60 steps, called from Python", "bisect",
             lambda c: (c["objective"], 0.0, 2.0)))
    for label, name, args in rows:
        times = alternating_ms({peer: compiled[peer][name] for peer in peers},
                               {peer: args(compiled[peer]) for peer in peers}, rounds=3)
        report.add(label, times["jitbridge"], times.get("numba"), "ms", "<= numba")
    return report


if __name__ == "__main__":
    run().print()
