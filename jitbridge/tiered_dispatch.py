"""Tiered compilation, the dispatcher's side (a mixin of the Dispatcher): which specialisations
start at tier 0, and their promotion to the full pipeline.

A specialisation starts at tier 0 unless its code is kept (cache=True stores full-level code
only), it is parallel (its regions' threads would wait on a hook that takes the GIL) or
fastmath (the two pipelines may reassociate differently: results must not change with the
tier), or a full-level compile is in progress (its callees are compiled at its level). The
promotion lowers the same typed function again under a new native name with the full
pipeline and installs it as the specialisation: the native dispatch table is rewritten in
one step (runtime/dispatcher.write_table), calls already running finish in the tier-0 code.
That code is freed like any other (dispatch._release_with): every way into it holds its
library (the dispatcher's published tables, for its life; an entry point; a compiled
caller's library), so it goes once none is left, at the latest with the dispatcher; its
heat counter and watch go with it (runtime/tiering.watch). Compiled callers keep calling
the code they were compiled against until they are promoted themselves; a full-level
compile promotes each callee it calls first, so full-level code never calls tier-0 code
(except where a promotion is in progress further up the stack: mutual recursion).
"""
from __future__ import annotations

import weakref

from . import config
from .compiler import compile_lock, compile_typed, compiling_full, unique_native_name
from .runtime import tiering
from .utils import collector_paused


class TieredDispatch:
    """The tiering part of a dispatcher (see the module docstring)."""

    def _tier0_allowed(self, keep_object: bool) -> bool:
        flags = self._flags
        return (config.TIERED and not keep_object and not flags.parallel
                and not flags.fastmath and not compiling_full() and tiering.available())

    def _watch(self, argtypes, result, prior) -> None:
        """Promote `result` (just installed for `argtypes` in place of `prior`) once its
        code is hot."""
        if prior is not None and prior.library.heat is not None:
            tiering.forget(prior.library.heat)
        heat = result.library.heat
        if heat is not None:  # (nothing here may hold the dispatcher or `result`: see below)
            ref = weakref.ref(self)
            tiering.watch(heat, lambda: _promote_if_alive(ref, argtypes, heat), compile_lock,
                          self)

    def _tier_up(self, argtypes, old):
        """The full-level specialisation replacing tier-0 `old` (compiled now, lock held), or
        what replaced it already; `old` itself while its promotion is under way further up
        the stack."""
        current = self._overloads.get(argtypes)
        if current is not old or old.library.heat is None or argtypes in self._compiling:
            return current or old
        tiering.forget(old.library.heat)
        name = unique_native_name(self.py_func)
        self._compiling[argtypes] = (name, old.signature.return_type)  # self-calls go to it
        try:
            with collector_paused():
                new = compile_typed(old.typed, name, self._flags, self.py_func.__module__,
                                    lazy_wrappers=not old.python.built)
        finally:
            del self._compiling[argtypes]
        return self._install(argtypes, new)

    def _for_caller(self, argtypes, result):
        """The specialisation a compiled caller calls: promoted first for a full-level one."""
        return self._full_level(argtypes, result) if compiling_full() else result

    def _full_level(self, argtypes, result):
        """`result` at the full level (promoted now if it is tier 0)."""
        if result.library.heat is None:
            return result
        with compile_lock:
            return self._tier_up(argtypes, result)

    def tier_up(self) -> None:
        """Promote every tier-0 specialisation now (what `inspect_llvm` shows is final)."""
        for argtypes, result in list(self._overloads.items()):
            self._full_level(argtypes, result)

    def inspect_llvm(self, signature=None):
        self.tier_up()
        return super().inspect_llvm(signature)

    def inspect_asm(self, signature=None):
        self.tier_up()
        return super().inspect_asm(signature)


def _promote_if_alive(ref, argtypes, heat) -> None:
    """Promote the specialisation for `argtypes` if it is still the tier-0 code counting
    `heat`. The watch holds neither the dispatcher nor the CompileResult: either would keep
    the code (and what its typed IR refers to) alive after the dispatcher is dropped."""
    dispatcher = ref()
    current = dispatcher._overloads.get(argtypes) if dispatcher is not None else None
    if current is not None and current.library.heat is heat:
        dispatcher._tier_up(argtypes, current)
