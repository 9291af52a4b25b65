"""Tiered mode frees code as the default mode does (issue 12, items 5 and 7): tier-0 libraries
go with their dispatcher, a promoted one once nothing can run in it, the heat counter and the
watch of a dropped dispatcher go too; and tier-0 code reports the cache blockers of the code
a cache would store (the full level's), without the tiering machinery it alone refers to."""
import gc
import sys
import weakref

import numpy as np
from hypothesis import given, settings, strategies as st

from jitbridge import config, njit, types
from jitbridge.experimental import jitclass
from jitbridge.process_locals import _SYMBOLS
from jitbridge.runtime import tiering
from tests.dispatch.tiering_fixture import tiered  # noqa: F401  (autouse)


def triangle(n):
    s = 0
    for i in range(n):
        s += i * 3 + n
    return s


def doubled(n):
    return triangle_jit(n) * 2


triangle_jit = None  # (set by a test: the caller's frozen globals hold it then)


def _libraries(dispatcher) -> list:
    return [weakref.ref(lib) for result in dispatcher.overloads.values()
            for lib in (result.library, result.python.library) if lib is not None]


def _tier0_libraries(dispatcher) -> list:
    (result,) = dispatcher.overloads.values()
    assert result.library.heat is not None  # (else the test would test the full level)
    return _libraries(dispatcher)


def test_a_dropped_dispatchers_tier0_code_heat_and_watch_go():
    watched = tiering.watching()
    kernel = njit(triangle)
    assert kernel(10) == triangle(10)
    refs = _tier0_libraries(kernel)
    symbol = next(iter(kernel.overloads.values())).library.heat.symbol
    assert tiering.watching() == watched + 1 and symbol in _SYMBOLS
    del kernel
    gc.collect()
    assert [ref for ref in refs if ref() is not None] == []
    assert tiering.watching() == watched and symbol not in _SYMBOLS


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_promoted_code_is_freed_with_its_dispatcher_and_calls_keep_their_values(n):
    kernel = njit(triangle)
    assert kernel(n) == triangle(n)
    tier0 = _tier0_libraries(kernel)
    (old,) = kernel.overloads.values()
    entry = old.entry_point
    del old
    kernel.tier_up()
    full = _libraries(kernel)
    assert kernel(n + 1) == triangle(n + 1) and entry(n) == triangle(n)  # (old code still runs)
    del kernel
    gc.collect()
    assert all(ref() is not None for ref in tier0)  # (the entry point keeps its code)
    assert entry(n + 2) == triangle(n + 2)
    del entry
    gc.collect()
    assert [ref for ref in tier0 + full if ref() is not None] == []


def test_a_promoted_callee_only_compiled_code_called_goes_with_its_callers():
    global triangle_jit
    triangle_jit = callee = njit(triangle)
    caller = njit(doubled)
    assert caller(30) == 2 * triangle(30)
    triangle_jit = None
    callee_tier0 = _tier0_libraries(callee)
    caller.tier_up()  # (promotes the callee first: full-level code never calls tier 0)
    assert next(iter(callee.overloads.values())).library.heat is None
    assert caller(31) == 2 * triangle(31)
    del callee
    gc.collect()
    # nothing published the callee's tier-0 code: only the caller's tier-0 code held it
    caller_refs = _libraries(caller)
    del caller
    gc.collect()
    assert [ref for ref in callee_tier0 + caller_refs if ref() is not None] == []


def test_a_background_promotion_then_drop_leaves_nothing(monkeypatch):
    monkeypatch.setattr(config, "TIER_THRESHOLD", 20)
    watched = tiering.watching()
    kernel = njit(triangle)
    refs = _tier0_libraries(kernel) if kernel(5) == triangle(5) else []
    for i in range(40):
        assert kernel(i) == triangle(i)
    assert tiering.drain(60)
    assert next(iter(kernel.overloads.values())).library.heat is None
    refs += _libraries(kernel)
    del kernel
    gc.collect()
    assert refs and [ref for ref in refs if ref() is not None] == []
    assert tiering.watching() == watched


@jitclass([("x", types.float64)])
class Cell:
    def __init__(self, x):
        self.x = x


def read_cell(c):
    return c.x * 2.0


def test_promotion_adds_no_reference_to_an_argument_class():
    kernel = njit(read_cell)
    assert kernel(Cell(1.5)) == 3.0
    gc.collect()
    before = sys.getrefcount(Cell)
    kernel.tier_up()
    assert kernel(Cell(2.5)) == 5.0
    gc.collect()
    assert sys.getrefcount(Cell) == before


def numeric(n):
    total = 0.0
    for i in range(n):
        total += i * 0.5
    return total


def test_tier0_code_reports_the_blockers_of_the_full_level_code():
    kernel = njit(numeric)
    assert kernel(10) == numeric(10)
    (result,) = kernel.overloads.values()
    assert result.library.heat.symbol in result.library.get_llvm_str()  # (it counts heat)
    kinds = {local.kind for local in result.library.process_locals()}
    assert result.library.cache_blockers() == [] and not kinds & {"heat counter",
                                                                  "tier semaphore"}
    kernel.tier_up()
    (full,) = kernel.overloads.values()
    assert full.library.heat is None and full.library.cache_blockers() == []
    assert {local.kind for local in full.library.process_locals()} == kinds


BIG = np.arange((1 << 20) // 8 + 8, dtype=np.float64)  # over the freezing limit: referenced


def reads_big():
    return BIG[3] + BIG[-1]


def test_tier0_blockers_of_a_large_global_array_are_the_full_levels():
    kernel = njit(reads_big)
    assert kernel() == reads_big()
    (result,) = kernel.overloads.values()
    tier0 = result.library.cache_blockers()
    kernel.tier_up()
    (full,) = kernel.overloads.values()
    assert len(tier0) == 2 and tier0 == full.library.cache_blockers()
