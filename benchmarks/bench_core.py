"""Compiler core: import time, first-call compile latency, warm call overhead, a scalar loop."""
from __future__ import annotations

import os
import tempfile

import numpy as np

from .harness import (Report, best_seconds, fresh_process_seconds, have_numba, interleaved_ns,
                      per_call_ns)

_NP_SCALAR = np.float64(1.5)

IMPORT = "import time; t = time.perf_counter(); import {mod}; print(time.perf_counter() - t)"
FIRST_CALL = """
import time
from {mod} import njit
def loop(n):
    s = 0
    for i in range(n):
        s += i * i
    return s
t = time.perf_counter()
njit(loop)(10)
print(time.perf_counter() - t)
"""

CYCLES = 1000
# (issue 12, item 7) resident memory a dispatcher leaves behind once dropped, per cycle
# (its machine code is freed with it: codegen.JITCodegen.release_with_owner)
MEMORY = """
import gc, os
from {mod} import njit
def kernel(x):
    s = 0
    for i in range(x):
        s += i * 3 + x
    return s
def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024
for i in range(%d):
    if i == 20:
        gc.collect()
        start = rss()
    njit(kernel)(10)
gc.collect()
print((rss() - start) / (%d - 20))
""" % (CYCLES, CYCLES)
# the same with a jitted callee: f, g calling f, g(10), both dropped (its code goes with them)
MEMORY_CALLS = MEMORY.replace("    njit(kernel)(10)\n", """    f = njit(kernel)
    def g(x):
        return f(x) + 1
    njit(g)(10)
""")


def loop(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def f0():
    return 1


def f1(a):
    return a


def f2(a, b):
    return a + b


def f3(a, b=2.0, c=3):
    return a * b + c


def float_loop(n):
    s = 0.0
    for i in range(n):
        s += 1.0 / (i + 1.0) ** 2
    return s


def run() -> Report:
    report = Report("compiler core (issue 2)")
    peers = ["jitbridge"] + (["numba"] if have_numba() else [])
    with tempfile.TemporaryDirectory() as pycache:
        env = _bytecode_env(pycache)
        imports = {m: fresh_process_seconds(IMPORT.format(mod=m), repeat=4, env=env)
                   for m in peers}
        first = {m: fresh_process_seconds(FIRST_CALL.format(mod=m), env=env) for m in peers}
    report.add("import time", imports["jitbridge"], imports.get("numba"), "s", "<= 0.8x numba")
    sources = {m: fresh_process_seconds(IMPORT.format(mod=m), env=_source_env()) for m in peers}
    report.add("  import time, PYTHONDONTWRITEBYTECODE=1", sources["jitbridge"],
               sources.get("numba"), "s")  # (from source where the tree has no .pyc yet)
    report.add("first call of s += i*i loop (compile)", first["jitbridge"], first.get("numba"),
               "s", "<= numba")
    compiled = {m: _compile_all(m) for m in peers}
    for label, name, args in (("warm call f()", "f0", ()), ("warm call f(int)", "f1", (1,)),
                              ("warm call f(float, float)", "f2", (1.0, 2.0))):
        times = {m: per_call_ns(compiled[m][name], args) for m in peers}
        target = "<= 1.5x numba" if name == "f1" else ""
        report.add(label, times["jitbridge"], times.get("numba"), "ns", target)
    _call_forms(report, compiled)
    _argument_kinds(report, peers)
    _converting_calls(report, peers)
    _many_specialisations(report)
    rss = {m: fresh_process_seconds(MEMORY.format(mod=m), repeat=1) for m in peers}
    report.add(f"memory kept per create/compile/drop ({CYCLES}x)", rss["jitbridge"],
               rss.get("numba"), "KiB", "flat (0)")
    rss = {m: fresh_process_seconds(MEMORY_CALLS.format(mod=m), repeat=1) for m in peers}
    report.add("  the same, f and a g calling f", rss["jitbridge"], rss.get("numba"), "KiB",
               "flat (0)")
    for label, name, n in (("loop s += i*i, n=10M", "loop", 10_000_000),
                           ("float loop 1/(i+1)^2, n=10M", "float_loop", 10_000_000)):
        times = {m: best_seconds(compiled[m][name], (n,)) * 1e3 for m in peers}
        report.add(label, times["jitbridge"], times.get("numba"), "ms", "<= 1.1x numba")
    py = best_seconds(float_loop, (1_000_000,)) * 1e3 * 10
    report.add("  (pure Python float loop, n=10M, est.)", py, None, "ms")
    return report


CALL_FORMS = (  # (label, call of the compiled f3) for the calls that bind before dispatching
    ("warm call f(x) omitting 2 defaults", lambda f: f(1.5)),
    ("warm call f(x, c=kw)", lambda f: f(1.5, c=4)),
    ("warm call f(x, y, z, **{})", lambda f: f(1.5, 2.0, 3, **{})),
    ("warm call f(np.float64, y, z)", lambda f: f(_NP_SCALAR, 2.0, 3)),
)


def _call_forms(report, compiled) -> None:
    """Keywords, defaults, an empty **kwargs and NumPy scalars (issue 12, item 1): side by
    side, interleaved so that load drift cancels."""
    for label, call in CALL_FORMS:
        theirs = compiled.get("numba")
        ours, other = interleaved_ns(lambda: call(compiled["jitbridge"]["f3"]),
                                     (lambda: call(theirs["f3"])) if theirs else None)
        report.add(label, ours, other, "ns", "<= 1.0x numba")


def _typed_list(module):
    items = module.typed.List()
    for i in range(3):
        items.append(i)
    return items


def _typed_dict(module):
    d = module.typed.Dict()
    d[1] = 2.0
    return d


ARGUMENT_KINDS = (  # (label, maker of the argument given the peer's module) (issue 12, item 1)
    ("warm call f(typed.List[int64]) returning it", _typed_list),
    ("warm call f(typed.Dict[int64, float64]) returning it", _typed_dict),
)


def _argument_kinds(report, peers) -> None:
    """Arguments whose type the object stores (typed containers): side by side."""
    for label, make in ARGUMENT_KINDS:
        funcs, args = {}, {}
        for name in peers:
            module = __import__(name)
            __import__(f"{name}.typed")
            funcs[name], args[name] = module.njit(f1), make(module)
            funcs[name](args[name])
        theirs = funcs.get("numba")
        ours, other = interleaved_ns(lambda: funcs["jitbridge"](args["jitbridge"]),
                                     (lambda: theirs(args["numba"])) if theirs else None)
        report.add(label, ours, other, "ns", "<= 1.0x numba")


CONVERTING_CALLS = (  # (label, explicit signature, argument) (issue 12, item 1)
    ("warm call f(int) under float64(float64)", "float64(float64)", 3),
    ("warm call f(None) under optional(int64)", "optional(int64)(optional(int64))", None),
    ("warm call f(C array) under float64[:]", "float64[:](float64[:])", np.zeros(3)),
)


def _converting_calls(report, peers) -> None:
    """Arguments converted to an explicit signature's types: side by side."""
    for label, signature, arg in CONVERTING_CALLS:
        funcs = {name: __import__(name).njit(signature)(f1) for name in peers}
        for func in funcs.values():
            func(arg), func(arg)
        theirs = funcs.get("numba")
        ours, other = interleaved_ns(funcs["jitbridge"], theirs, args=(arg,))
        report.add(label, ours, other, "ns", "<= 1.0x numba")


def ndim_of(a):
    return a.ndim


def _many_specialisations(report) -> None:
    """A call of the 50th of 50 array specialisations (issue 12, item 6): flat dispatch."""
    arrays = [np.zeros((1,) * nd, dt) for dt in "bhilBHILfdFD?" for nd in (1, 2, 3, 4)][:50]
    funcs = {}
    for module_name in ["jitbridge"] + (["numba"] if have_numba() else []):
        funcs[module_name] = __import__(module_name).njit(ndim_of)
        for a in arrays:
            funcs[module_name](a)
    last = arrays[-1]
    theirs = funcs.get("numba")
    ours, other = interleaved_ns(funcs["jitbridge"], theirs, args=(last,))
    report.add("warm call, 50th of 50 array specialisations", ours, other, "ns", "<= 100ns")
    ours, other = interleaved_ns(lambda: _each(funcs["jitbridge"], arrays),
                                 (lambda: _each(theirs, arrays)) if theirs else None, number=400)
    report.add("warm call, each of 50 in turn (per call)", ours / len(arrays),
               other / len(arrays) if other else None, "ns", "<= 100ns")


def _each(func, arrays) -> None:
    for a in arrays:
        func(a)


def _bytecode_env(pycache: str) -> dict:
    """The environment of an installed package: bytecode written once (the first, untimed
    best-of run) and read after, for both peers alike, under a private cache folder. With
    PYTHONDONTWRITEBYTECODE set (as in development shells) jitbridge, run from its source
    tree, would be compiled from source on every import while Numba's wheel has its .pyc."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def _source_env() -> dict:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def _compile_all(module_name: str) -> dict:
    njit = __import__(module_name).njit
    funcs = {f.__name__: njit(f) for f in (loop, f0, f1, f2, f3, float_loop)}
    funcs["loop"](10), funcs["f0"](), funcs["f1"](1), funcs["f2"](1.0, 2.0)
    for _, call in CALL_FORMS:
        call(funcs["f3"])
    funcs["float_loop"](10)
    return funcs
