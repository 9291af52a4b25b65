"""Tiered compilation, its run-time side: the cheap pipeline of tier 0, heat counters, and the
background worker that recompiles hot specialisations with the full pipeline.

Tier-0 code counts down a heat counter of its specialisation (a cell of this process, bound
to a symbol): by `CALL_HEAT` per call from Python (the counting wrapper the native
dispatcher calls) and by its trip count as a strip-mined loop starts (lowering/chunks.py),
so a long single call, or one running many inner loops, heats it too. The code that takes
the counter across zero posts a semaphore (no GIL needed: code running without it, on any
thread, may post); a daemon thread waiting on it then runs the promotion the dispatcher
registered for each counter past zero (`watch`), under the compile lock. Callers never wait
for it: they keep calling the tier-0 code until the dispatcher publishes the new entry.
"""
from __future__ import annotations

import atexit
import collections
import ctypes
import itertools
import os
import threading
import warnings
import weakref

import llvmlite.binding as llvm
from llvmlite import ir
from llvmlite.binding import newpassmanagers

from .. import config
from ..codegen import ProcessLocal, add_symbol, forget_symbol, run_passes
from ..errors import JitBridgeWarning

#: heat of a call from Python, in loop iterations (a loop adds one per iteration): a loop body
#: of a few instructions runs a thousand iterations in about the time of one call
CALL_HEAT = 1024
_i64 = ir.IntType(64)


class QuickPipeline:
    """Tier 0: SROA, instcombine and simplifycfg, then code generation at -O1. It takes a
    third to a quarter of the full pipeline's LLVM time, and its code runs within 1-2.5x of
    the full pipeline's (measured on the array kernels of benchmarks/): a long first call
    (promoted only for the next one) must not run at -O0's 5-10x. Results are identical
    (no pass of either reorders floating-point math unless fastmath allows it, and fastmath
    functions are never tiered)."""

    _PASSES = ("add_sroa_pass", "add_instruction_combine_pass", "add_simplify_cfg_pass")
    #: the same passes in the legacy pass manager: llvmlite 0.44's new one has no SROA
    _LEGACY_PASSES = ("add_sroa_pass", "add_instruction_combining_pass",
                      "add_cfg_simplification_pass")

    def __init__(self):
        llvm.initialize_native_target()  # (idempotent: the engine's codegen does it too)
        llvm.initialize_native_asmprinter()
        target = llvm.Target.from_triple(llvm.get_process_triple())
        self.target_machine = target.create_target_machine(
            cpu=llvm.get_host_cpu_name(), features=llvm.get_host_cpu_features().flatten(),
            opt=1, jit=True)
        self._builder = llvm.create_pass_builder(  # (one: each made leaks a little)
            self.target_machine, llvm.create_pipeline_tuning_options(speed_level=0))

    def optimize(self, module: llvm.ModuleRef) -> None:
        if not hasattr(newpassmanagers.ModulePassManager, self._PASSES[0]):
            return self._optimize_legacy(module)
        manager = llvm.create_new_module_pass_manager()
        for name in self._PASSES:
            getattr(manager, name)()
        run_passes(manager, module, self._builder)

    def _optimize_legacy(self, module: llvm.ModuleRef) -> None:
        manager = llvm.create_module_pass_manager()
        for name in self._LEGACY_PASSES:
            getattr(manager, name)()
        manager.run(module)

    def emit(self, module: llvm.ModuleRef) -> bytes:
        return self.target_machine.emit_object(module)


_quick: QuickPipeline | None = None


def quick_pipeline() -> QuickPipeline:
    """The process-wide tier-0 pipeline (made on first use, under the caller's compile lock)."""
    global _quick
    if _quick is None:
        _quick = QuickPipeline()
    return _quick


# -- heat counters and the wake-up ------------------------------------------------------------

_ids = itertools.count(1)
_libc = ctypes.CDLL(None, use_errno=True)
#: the semaphore tier-0 code posts (sem_post needs no GIL: code running without it, on any
#: thread, may post), 64 bytes and aligned: a sem_t is 32 on 64-bit glibc
_sem = ctypes.create_string_buffer(64)
SEM_SYMBOL, POST_SYMBOL = "jb_tier_sem", "jb_tier_post"
_bound = False


class Heat:
    """One tier-0 specialisation's heat counter: starts at the threshold, counts down."""

    def __init__(self):
        _bind_symbols()
        self.id = next(_ids)
        self.cell = ctypes.c_int64(config.TIER_THRESHOLD * CALL_HEAT)
        self.symbol = f"jb.heat.{self.id}"
        add_symbol(self.symbol, ctypes.addressof(self.cell), ProcessLocal(
            "heat counter", f"the tier-0 heat counter {self.id}", tier0_only=True))
        # (the libraries whose code counts it hold it: their own, and those linking a copy)
        weakref.finalize(self, forget_symbol, self.symbol).atexit = False

    @property
    def left(self) -> int:
        """Heat still to gather before the code asks to be recompiled (<= 0: it asked)."""
        return self.cell.value


def available() -> bool:
    """Whether this platform has what tier-0 code needs (unnamed POSIX semaphores: macOS
    has none, and its functions then compile at the full level only)."""
    try:
        _bind_symbols()
    except (OSError, AttributeError):
        return False
    return True


def _bind_symbols() -> None:
    global _bound
    if not _bound:
        if _libc.sem_init(_sem, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "tiered compilation: sem_init failed")
        add_symbol(SEM_SYMBOL, ctypes.addressof(_sem), ProcessLocal(
            "tier semaphore", "the tier-up semaphore of this process", tier0_only=True))
        add_symbol(POST_SYMBOL, ctypes.cast(_libc.sem_post, ctypes.c_void_p).value,
                   ProcessLocal("tier semaphore", "sem_post, bound by this process",
                                tier0_only=True))
        _bound = True


def emit_heat(builder: ir.IRBuilder, heat: Heat, amount) -> None:
    """heat -= amount (an int64 value or an int); the code taking it across zero wakes the
    worker. Monotonic atomics: threads may lose a count or wake it twice (it promotes
    once), never tear the counter."""
    module = builder.module
    cell = module.globals.get(heat.symbol) or ir.GlobalVariable(module, _i64, heat.symbol)
    sem = module.globals.get(SEM_SYMBOL) or ir.GlobalVariable(module, ir.IntType(8), SEM_SYMBOL)
    post = module.globals.get(POST_SYMBOL) or ir.Function(
        module, ir.FunctionType(ir.IntType(32), [sem.type]), POST_SYMBOL)
    old = builder.load_atomic(cell, "monotonic", 8)
    new = builder.sub(old, amount if isinstance(amount, ir.Value) else ir.Constant(_i64, amount))
    builder.store_atomic(new, cell, "monotonic", 8)
    crossed = builder.and_(builder.icmp_signed(">", old, ir.Constant(_i64, 0)),
                           builder.icmp_signed("<=", new, ir.Constant(_i64, 0)))
    with builder.if_then(crossed, likely=False):
        builder.call(post, [sem])


# -- the worker ------------------------------------------------------------------------------

#: heat id -> (heat, the promotion to run once its code is hot, the finalizer forgetting it
#: with its dispatcher), registered by the dispatcher
_watched: dict = {}
_drains: collections.deque = collections.deque()
_worker: threading.Thread | None = None
_lock: threading.RLock | None = None  # the compile lock, held around every promotion
_stopping = False


def watch(heat: Heat, promote, lock, owner) -> None:
    """Run `promote()` in the background (holding `lock`) once `heat`'s code is hot, unless
    `owner` (its dispatcher) is dropped first: a dropped dispatcher leaves no entry here."""
    global _worker, _lock
    forgetting = weakref.finalize(owner, _watched.pop, heat.id, None)
    forgetting.atexit = False
    _watched[heat.id] = (heat, promote, forgetting)
    if not _stopping and (_worker is None or not _worker.is_alive()):
        _lock = lock
        _worker = threading.Thread(target=_work, name="jitbridge-tier-up", daemon=True)
        _worker.start()


def forget(heat: Heat) -> bool:
    """Stop watching `heat` (its specialisation was promoted or replaced); whether it was."""
    entry = _watched.pop(heat.id, None)
    if entry is not None:
        entry[2].detach()
    return entry is not None


def watching() -> int:
    """How many tier-0 specialisations wait to be promoted (tests: none of a dropped
    dispatcher)."""
    return len(_watched)


def _work() -> None:
    """Wait on the semaphore (ctypes releases the GIL), then promote whatever is hot."""
    while not _stopping:
        _libc.sem_wait(_sem)  # (EINTR: a signal; the scan finds nothing and it waits again)
        if _stopping:
            return
        for heat, promote, _ in list(_watched.values()):
            if heat.cell.value <= 0 and forget(heat):
                _promote(promote)
        while _drains:
            _drains.popleft()()


def _promote(promote) -> None:
    try:
        with _lock:
            promote()
    except Exception as exc:  # the tier-0 code stays: it computes the same values
        warnings.warn(f"tiered compilation: recompiling a hot function failed, it keeps its "
                      f"first code: {type(exc).__name__}: {exc}", JitBridgeWarning)


def drain(timeout: float | None = None) -> bool:
    """Wait until the worker has promoted what was hot when called (tests, benchmarks: not
    with the compile lock held, which the worker needs); False if `timeout` passed first."""
    if _worker is None or not _worker.is_alive():
        return True
    done = threading.Event()
    _drains.append(done.set)
    _libc.sem_post(_sem)
    return done.wait(timeout)


def _stop() -> None:
    """At exit: let a promotion in progress finish, start no other (a daemon thread stopped
    while it holds the compile lock would block the exit's own handlers)."""
    global _stopping
    _stopping = True
    if _worker is not None and _worker.is_alive():
        _libc.sem_post(_sem)
        _worker.join()


def _forget_in_child() -> None:
    """A forked child has no worker: it starts its own when a specialisation is watched."""
    global _worker
    _worker = None


atexit.register(_stop)
os.register_at_fork(before=lambda: _lock is not None and _lock.acquire(),
                    after_in_parent=lambda: _lock is not None and _lock.release(),
                    after_in_child=lambda: (_lock is not None and _lock.release(),
                                            _forget_in_child()))
