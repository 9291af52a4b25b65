"""Lowering and codegen: the LLVM IR we emit is what we expect, and fast paths exist."""
import math
import re

import numpy as np

from jitbridge import njit, types
from jitbridge.compiler import compile_function


def loop(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def fdiv_sum(a, b):
    return a * b + a / b


def _function_body(ir: str, name: str) -> str:
    match = re.search(rf'define [^@]*@"?{re.escape(name)}"?\(', ir)
    body = ir[match.start():]
    return body[:body.index("\n}")]


def test_range_loop_optimises_to_plain_code():
    result = compile_function(loop, (types.int64,))
    ir = result.inspect_llvm()
    body = _function_body(ir, result.native_name)
    assert "alloca" not in body  # every variable was promoted to SSA
    calls = set(re.findall(r"call [^@]*@([\w.]+)", body))
    # no runtime calls but the interrupt poll between chunks of iterations (lowering/chunks.py)
    assert {c for c in calls if not c.startswith("llvm.")} == {"jb_poll_interrupt"}
    # the loop over each chunk is computed in closed form: only the loop over chunks is left
    # (polling between chunks: chunks.py)
    assert set(re.findall(r"^([\w.]+):", body, re.M)) <= {
        "entry", "exit", "B4", "B1.chunk", "B1.first", "B1.start", "B1.start.backedge",
        "B1.polled", "B1.polled.if", "B1.polled.endif"}


def test_status_code_convention_and_wrappers_are_exported():
    result = compile_function(loop, (types.int64,))
    # LLVM 15 (llvmlite 0.44) prints typed pointers: read them as the opaque `ptr` of newer ones
    ir = re.sub(r"(\{[^{}]*\}|[\w%.]+)\*+", "ptr", result.inspect_llvm())
    name = re.escape(result.native_name)
    header = re.search(rf'define [^@]*i32 @"?{name}"?\((.*)\)', ir).group(1)
    assert header.startswith("ptr") and header.count("ptr") == 2 and "i64 %" in header
    assert re.search(rf'define [\w ]*ptr @"?{name}\.py"?\(', ir)
    assert re.search(rf'define [\w ]*ptr @"?{name}\.pycheck"?\(', ir)
    assert result.checked_address
    assert result.entry_point(5) == loop(5)


def test_fastmath_flag_reaches_float_ops():
    fast = njit(fastmath=True)(fdiv_sum)
    slow = njit(fdiv_sum)
    assert fast(3.0, 2.0) == slow(3.0, 2.0) == fdiv_sum(3.0, 2.0)
    sig = (types.float64, types.float64)
    assert "fmul fast" in fast.inspect_llvm()[sig] or "fmul reassoc" in fast.inspect_llvm()[sig]
    assert "fmul fast" not in slow.inspect_llvm()[sig]


def test_math_functions_lower_to_intrinsics():
    @njit
    def f(x):
        return math.sqrt(x)
    f(4.0)
    assert "llvm.sqrt.f64" in f.inspect_llvm()[(types.float64,)]


def test_checked_wrapper_rejects_other_types_then_falls_back():
    f = njit(loop)
    assert f(10) == 285
    assert f(True) == loop(True) == 0  # bool gets its own specialisation (exact check)
    assert f.signatures == [(types.int64,), (types.boolean,)]


def scale_into(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * 2.0 + 1.0


def sum_items(a):
    s = 0
    for x in a:
        s += x
    return s


def test_innermost_loops_stay_vectorised_under_the_interrupt_chunks():
    """The chunked loops keep the facts the end test gave LLVM (no negative-index wraparound
    on a[i]): consecutive vector loads and stores, no gathers."""
    arr = types.float64[::1]
    result = compile_function(scale_into, (arr, arr))
    body = _function_body(result.inspect_llvm(), result.native_name)
    assert re.search(r"<\d+ x double>", body) and not re.search(r"<\d+ x ptr>", body)
    result = compile_function(sum_items, (types.int64[::1],))
    body = _function_body(result.inspect_llvm(), result.native_name)
    assert re.search(r"<\d+ x i64>", body) and not re.search(r"<\d+ x ptr>", body)


def shifted(a, w, out):
    for i in range(w, a.shape[0]):
        out[i] = a[i - w]


def test_distance_from_a_range_start_needs_no_wraparound():
    """`a[i - w]` in `for i in range(w, n)`: the distance from start is non-negative (checked
    once per chunk), so the index needs no negative-index wraparound: a[i - w] is read without
    the sign test that a[i] (w may be negative) keeps."""
    arr = types.float64[::1]
    result = compile_function(shifted, (arr, types.int64, arr))
    body = _function_body(result.inspect_llvm(), result.native_name)
    assert body.count("ashr i64") <= 1  # (a[i]'s wraparound, at most)
    a, out = np.arange(6.0), np.zeros(6)
    result.entry_point(a, 2, out)
    np.testing.assert_array_equal(out, [0, 0, 0, 1, 2, 3])


@njit
def extreme_ranges(a):
    s = 0
    for i in range(-2**63, 2**63 - 1, 2**62):  # 4 values, 2**62 apart: no check applies
        s += 1
    for i in range(-2**63, 2**63 - 1):  # more than 2**63 values, left early
        if i > -2**63 + 5:
            break
        s += a[i + 2**63]
    for i in range(2**63 - 1, -2**63, -1):
        if i < 2**63 - 4:
            break
        s += a[2**63 - 1 - i]
    return s


def test_ranges_of_extreme_bounds_still_iterate():
    assert extreme_ranges(np.arange(10)) == 4 + 15 + 6
