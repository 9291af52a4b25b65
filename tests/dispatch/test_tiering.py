"""Tiered compilation (issue 12, item 5): a specialisation's first code from the cheap
pipeline, promoted to the full pipeline in the background once hot (runtime/tiering.py,
tiered_dispatch.py). Results never depend on the tier; the swap is safe under concurrent
calls; a long single call heats its function as calls do."""
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import cfunc, config, njit
from jitbridge.runtime import tiering
from jitbridge.testing import no_leaks
from tests.dispatch.tiering_fixture import tiered  # noqa: F401  (autouse)


def int_loop(n):
    s = 0
    for i in range(n):
        s += i * i * 2654435761  # wraps around int64, as in Numba
    return s


def float_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * 1.5 - a[-1 - i] / 3.0
    return s


def cumulative(a):
    out = np.empty_like(a)
    total = 0.0
    for i in range(a.shape[0]):
        total += a[i]
        out[i] = total
    return out


def divide(a, b):
    return a // b


def fib(n):
    return n if n < 2 else fib_jit(n - 1) + fib_jit(n - 2)


def twice(x):
    return 2 * x


def calls_twice(n):
    t = 0
    for i in range(n):
        t += twice_jit(i)
    return t


KERNELS = (int_loop, float_sum, cumulative, divide, fib, twice, calls_twice)
#: each kernel kept at tier 0 (`FIRST`) and promoted (`FULL`), compiled once per module
FIRST = {f.__name__: njit(f) for f in KERNELS}
FULL = {f.__name__: njit(f) for f in KERNELS}
fib_jit = FIRST["fib"]  # (both copies of fib call this one)
twice_jit = FIRST["twice"]


def heat_of(dispatcher):
    """The heat counter of the only specialisation (None: it is at the full level)."""
    (result,) = dispatcher.overloads.values()
    return result.library.heat


def both(name, *args):
    """(tier-0 value, full-level value) of kernel `name`."""
    first, full = FIRST[name], FULL[name]
    low = first(*args)
    assert heat_of(first) is not None or name == "fib"  # (promoted by the full fib's calls)
    if not full.overloads:
        full(*args)
        full.tier_up()
    assert heat_of(full) is None
    return low, full(*args)


def test_identical_results_at_both_tiers():
    a = np.linspace(-3.0, 7.0, 101)
    assert both("int_loop", 1000) == (int_loop(1000),) * 2
    low, high = both("float_sum", a)
    assert low == high == float_sum(a)
    low, high = both("cumulative", a)
    assert np.array_equal(low, high) and np.array_equal(low, cumulative(a))
    assert both("fib", 15) == (610, 610)
    assert both("calls_twice", 100) == (9900, 9900)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40))
def test_float_kernel_agrees_with_python_at_both_tiers(values):
    a = np.array(values)
    low, high = both("float_sum", a)
    assert low == high == float_sum(a)


def test_errors_are_the_same_at_both_tiers():
    for dispatcher in (FIRST["divide"], FULL["divide"]):
        assert dispatcher(7, 2) == 3
        with pytest.raises(ZeroDivisionError):
            dispatcher(7, 0)
    FULL["divide"].tier_up()
    with pytest.raises(ZeroDivisionError):
        FULL["divide"](7, 0)


def test_tier0_code_leaks_nothing():
    a = np.arange(50.0)
    kernel = njit(cumulative)
    kernel(a)
    with no_leaks(a):
        for _ in range(20):
            kernel(a)
    kernel.tier_up()
    with no_leaks(a):
        kernel(a)


def test_calls_make_a_specialisation_hot(monkeypatch):
    monkeypatch.setattr(config, "TIER_THRESHOLD", 50)
    kernel = njit(twice)
    kernel(1)  # compiles; its counter starts now
    before = next(iter(kernel.overloads.values()))
    for i in range(60):
        assert kernel(i) == 2 * i
    assert tiering.drain(60)
    after = next(iter(kernel.overloads.values()))
    assert after is not before and after.library.heat is None
    assert after.native_name != before.native_name and after.signature == before.signature
    assert kernel(21) == 42


def test_a_long_single_call_promotes_the_next_call(monkeypatch):
    monkeypatch.setattr(config, "TIER_THRESHOLD", 500)
    kernel = njit(int_loop)
    assert kernel(3_000_000) == -1435550168195121376  # (CPython's value, wrapped to int64)
    assert tiering.drain(60)
    assert heat_of(kernel) is None  # 3M iterations: heat 2930
    assert kernel(1000) == int_loop(1000)


def nested(n, m):
    t = 0
    for i in range(n):
        for j in range(m):
            t += i ^ j
    return t


def test_short_inner_loops_heat_their_function(monkeypatch):
    monkeypatch.setattr(config, "TIER_THRESHOLD", 500)
    kernel = njit(nested)
    assert kernel(2000, 300) == nested(2000, 300)
    assert tiering.drain(60)
    assert heat_of(kernel) is None  # 600k iterations in loops of 300: heat 586


def test_hot_swap_under_concurrent_calls(monkeypatch):
    monkeypatch.setattr(config, "TIER_THRESHOLD", 200)
    kernel = njit(nogil=True)(float_sum)  # (its tier-0 code wakes the worker without the GIL)
    a = np.linspace(0.0, 1.0, 64)
    expected = float_sum(a)
    kernel(a)
    errors, barrier = [], threading.Barrier(4)

    def hammer():
        barrier.wait()
        for _ in range(2000):
            value = kernel(a)
            if value != expected:
                errors.append(value)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert tiering.drain(60)
    assert not errors and heat_of(kernel) is None and kernel(a) == expected


def test_a_full_level_caller_promotes_its_callees_first():
    caller = FULL["calls_twice"]
    caller(5)
    assert heat_of(twice_jit) is not None or twice_jit.overloads
    caller.tier_up()
    assert heat_of(caller) is None and heat_of(twice_jit) is None


def test_inspect_llvm_shows_the_final_code():
    kernel = njit(int_loop)
    kernel(10)
    assert heat_of(kernel) is not None
    text = kernel.inspect_llvm(kernel.signatures[0])
    assert heat_of(kernel) is None and "jb.heat." not in text


def test_code_that_must_stay_is_compiled_at_the_full_level(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "CACHE_DIR", str(tmp_path))
    kernel = njit(cache=True)(float_sum)  # (the cache stores full-level code only)
    kernel(np.ones(3))
    assert heat_of(kernel) is None and kernel.stats.cache_misses
    kernel = njit(fastmath=True)(float_sum)
    kernel(np.ones(3))
    assert heat_of(kernel) is None
    kernel = njit(parallel=True)(float_sum)
    kernel(np.ones(3))
    assert heat_of(kernel) is None
    callback = cfunc("float64(float64)")(lambda x: x * 2.0)
    assert callback._result.library.heat is None and callback.ctypes(2.0) == 4.0


def test_choosing_an_opt_level_turns_tiering_off():
    env = dict(os.environ, JITBRIDGE_TIERED="1", JITBRIDGE_OPT="2")
    code = "import jitbridge.config as c; print(c.TIERED, c.OPT_LEVEL)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "2"]


def test_a_converting_wrapper_follows_its_specialisation_to_the_full_level():
    f = njit("float64(float64)")(twice)
    assert heat_of(f) is not None
    slow = []
    fallback = f._fallback
    f._fallback = lambda *args: slow.append(args) or fallback(*args)
    assert [f(3) for _ in range(3)] == [6.0] * 3  # int converted; native from the third
    f.tier_up()
    assert heat_of(f) is None
    assert [f(4) for _ in range(3)] == [8.0] * 3
    assert len(slow) == 3  # two before the converter, one to rebuild it for the new code
    (converter,) = f._converters.values()
    assert converter[0] is next(iter(f.overloads.values()))
