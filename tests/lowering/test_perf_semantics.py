"""Issue 12, items 2 and 4: what the speed-ups must not change.

Compile time linear in a function's size (allocas at the entry block's start, bitmask dataflow,
operator resolutions reused within a compilation, the collector paused while compiling) and
tight inner loops (strip-mined loops polling between chunks only) against Python and NumPy:
negative indices, int64 wrap-around, maybe-unbound variables, reference counts.
"""
import gc

import numpy as np
import pytest

from jitbridge import compile_source, njit
from jitbridge.testing import no_leaks
from jitbridge import types
from jitbridge.typing.context import _reusable

from benchmarks.bench_loops import conv1d, tridiagonal  # the kernels the rows time

INT64 = 2 ** 64


def wrap(value: int) -> int:
    """`value` as int64 arithmetic leaves it."""
    return (value + 2 ** 63) % INT64 - 2 ** 63


def back_and_forth(a, k):
    """Reads behind the start wrap to the end, as in Python."""
    s = 0.0
    for i in range(a.shape[0]):
        s = s * 0.5 + a[i - k]
    for i in range(a.shape[0] - 1, -1, -1):
        s = s * 0.5 + a[-1 - i]
    return s


def scaled_sum(n, factor):
    s = 0
    for i in range(n):
        for j in range(3):
            s += (i + j) * factor  # wraps around int64 as Numba's does
    return s


def in_one_branch(flag):
    if flag:
        late = 1
    for _ in range(3):
        x = 2
    return late + x


def owned_in_branches(n):
    total = 0.0
    a = np.zeros(3)
    for i in range(n):
        if i % 3 == 0:
            a = np.ones(3) * i
        elif i % 3 == 1:
            b = a + 1.0
            a = b
        total += a.sum()
    return total


def mixed_operators(i, f):
    x = i + 1
    y = f + 1
    z = i + f
    w = x + 2
    v = y + 2.5
    return x, y, z, w, v, (i, f)[0] + 1


_compiled = {f: njit(f) for f in (conv1d, tridiagonal, back_and_forth, scaled_sum,
                                  in_one_branch, owned_in_branches, mixed_operators)}


def test_conv1d_and_tridiagonal_match_numpy():
    rng = np.random.default_rng(1)
    x, w = rng.random(500), rng.random(31)
    np.testing.assert_allclose(_compiled[conv1d](x, w), np.correlate(x, w, "valid"), rtol=1e-12)
    a, b, c, d = rng.random(400), rng.random(400) + 4.0, rng.random(400), rng.random(400)
    np.testing.assert_array_equal(_compiled[tridiagonal](a, b, c, d), tridiagonal(a, b, c, d))


@pytest.mark.parametrize("k", [0, 1, 5, 9])
def test_negative_indices_in_range_loops_still_wrap_to_the_end(k):
    a = np.arange(10.0) ** 2
    assert _compiled[back_and_forth](a, k) == back_and_forth(a, k)


@pytest.mark.parametrize("factor", [3, 2 ** 62, -2 ** 62 - 1, 2 ** 63 - 1])
def test_index_arithmetic_on_range_variables_keeps_int64_wrap_around(factor):
    assert _compiled[scaled_sum](50, factor) == wrap(scaled_sum(50, factor))


def test_a_variable_assigned_in_one_branch_still_raises_unbound_local_error():
    assert _compiled[in_one_branch](True) == 3
    with pytest.raises(UnboundLocalError):
        _compiled[in_one_branch](False)


def test_arrays_reassigned_in_branches_are_released():
    _compiled[owned_in_branches](7)
    with no_leaks():
        assert _compiled[owned_in_branches](7) == owned_in_branches(7)


def test_reused_resolutions_keep_each_operand_type():
    result = _compiled[mixed_operators](3, 0.5)
    assert result == mixed_operators(3, 0.5)
    assert [type(v) for v in result] == [int, float, float, int, float, int]


def test_only_plain_data_resolutions_are_reused():
    add = types.Function(__import__("operator").add)
    assert _reusable(add, (types.int64, types.UniTuple(types.float64, 2)), {})
    assert not _reusable(add, (types.int64, types.unicode_type), {})


def test_a_long_generated_function_matches_python():
    lines = ["def long_function(a, x):", "    s = 0.0", "    n = a.shape[0]"]
    for i in range(300):
        lines.append(f"    v{i} = a[({i} - 3) % n] * x + {i}" if i % 3 == 0 else
                     f"    if v{i - 1} > {i}:\n        s += v{i - 1}\n    v{i} = s - {i}")
    lines.append("    return s + v299")
    python = compile_source("\n".join(lines), "long_function")
    a = np.arange(7.0)
    assert njit(python)(a, 1.5) == python(a, 1.5)


def test_compiling_leaves_the_collector_as_it_found_it():
    assert gc.isenabled()
    njit(lambda v: v + 1)(1)
    assert gc.isenabled()
    gc.disable()
    try:
        njit(lambda v: v + 2)(1)
        assert not gc.isenabled()
    finally:
        gc.enable()
