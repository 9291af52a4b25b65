"""Issue 12, item 2: float sums vectorised in order (lowering/ordered_sums.py, codegen's
`ordered_sum_options`) and large arrays on huge pages (runtime/nrt.py) change no result.

A sum `s += x[i + j] * w[j]` must keep Python's order of additions (the same bits), for every
length (the vector steps and the shorter remainder steps), with negative indices and float
division by zero behaving as in Python; and arrays past the huge-page threshold hold what is
written into them.
"""
import math
import platform
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from llvmlite import ir

from jitbridge import njit
from jitbridge.runtime import nrt
from jitbridge.testing import no_leaks


def correlate(x, w):
    n, m = x.shape[0], w.shape[0]
    out = np.zeros(n - m + 1)
    for i in range(n - m + 1):
        s = 0.0
        for j in range(m):
            s += x[i + j] * w[j]
        out[i] = s
    return out


def sum_backwards(a, k):
    """A float sum reading behind the start: a[-1], a[-2] ... wrap to the end, as in Python."""
    s = 0.0
    for i in range(a.shape[0]):
        s -= a[i - k]
    return s


def dot_2d(a, b):
    """A sum over a strided column: left to the vectoriser's own cost model."""
    s = 0.0
    for p in range(a.shape[1]):
        s += a[0, p] * b[p, 0]
    return s


def reciprocals_of_differences(b, a, out):
    for i in range(b.shape[0]):
        out[i] = 1.0 / (b[i] - a[i])


def fresh_then_scaled(n):
    big = np.empty(n)
    for i in range(n):
        big[i] = i * 0.5
    return big


def fastmath_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


_compiled = {f: njit(f) for f in (correlate, sum_backwards, dot_2d, reciprocals_of_differences,
                                  fresh_then_scaled)}
_fastmath_sum = njit(fastmath=True)(fastmath_sum)


def python_sum_of_products(x, w, i):
    s = 0.0
    for j in range(len(w)):
        s += float(x[i + j]) * float(w[j])
    return s


# values of very different magnitudes: any reassociation of the sum changes its bits
_awkward = st.lists(st.sampled_from([1e16, -1e16, 1.0, 3.5, -2.25, 1e-8, 0.1]), min_size=1,
                    max_size=40)


@settings(max_examples=25, deadline=None)
@given(_awkward, st.integers(0, 40))
def test_a_sum_of_products_has_the_bits_of_pythons_for_every_length(taps, extra):
    w = np.array(taps)
    x = np.resize(np.array(taps[::-1] + [0.3, -7.0]), len(taps) + extra)
    got = _compiled[correlate](x, w)
    assert got.shape == (extra + 1,)
    for i in range(extra + 1):
        assert got[i] == python_sum_of_products(x, w, i)  # bit for bit, not approximately


def test_a_sum_that_reassociated_would_differ_is_exact():
    x = np.array([1e16, 1.0, -1e16, 1.0] * 8 + [0.0] * 31)
    w = np.ones(31)
    got = _compiled[correlate](x, w)
    expected = [python_sum_of_products(x, w, i) for i in range(x.shape[0] - 30)]
    assert got.tolist() == expected
    assert math.fsum(x[:31]) != got[0]  # (the exact sum differs: the order is what is kept)


def _reductions(dispatcher, *args) -> list:
    dispatcher(*args)
    text = dispatcher.inspect_llvm(dispatcher.signatures[0])
    return [line for line in text.splitlines() if "call" in line and "vector.reduce.fadd" in line]


@pytest.mark.skipif(not platform.machine().lower() in ("x86_64", "amd64"),
                    reason="x86 has no ordered reductions by default (others do)")
def test_only_the_one_dimensional_sum_is_vectorised_as_an_ordered_reduction():
    ordered = _reductions(_compiled[correlate], np.ones(40), np.ones(31))
    assert ordered and not any(" fast " in line or "reassoc" in line for line in ordered)
    assert _reductions(_compiled[dot_2d], np.ones((1, 4)), np.ones((4, 1))) == []


@pytest.mark.parametrize("k", [0, 3, 17])
def test_negative_indices_in_an_ordered_sum_wrap_to_the_end(k):
    a = np.arange(23.0) * 1.5 + 0.1
    assert _compiled[sum_backwards](a, k) == sum_backwards(a, k)


def test_a_strided_sum_and_a_fastmath_sum_still_compute_pythons_value():
    a, b = np.arange(12.0).reshape(1, 12) * 0.3, np.arange(12.0).reshape(12, 1) - 4.0
    assert _compiled[dot_2d](a, b) == dot_2d(a, b)
    values = np.linspace(0.0, 1.0, 101)
    assert _fastmath_sum(values) == pytest.approx(fastmath_sum(values), rel=1e-12)


@pytest.mark.parametrize("k", [0, 6, 40])
def test_a_float_division_by_zero_in_iteration_k_raises_there_as_python_does(k):
    b = np.arange(50.0) + 2.0
    a = np.zeros(50)
    a[k] = b[k]  # b[k] - a[k] == 0.0 in iteration k only
    out = np.full(50, -1.0)
    with pytest.raises(ZeroDivisionError):
        1.0 / (float(b[k]) - float(a[k]))  # (Python floats: NumPy's scalars warn instead)
    with no_leaks(b, a, out):
        with pytest.raises(ZeroDivisionError, match="division by zero"):
            _compiled[reciprocals_of_differences](b, a, out)
    np.testing.assert_array_equal(out[:k], 1.0 / b[:k])  # the iterations before k ran
    assert (out[k:] == -1.0).all()  # and none from k on


@pytest.mark.parametrize("n", [(1 << 19) - 1, 1 << 19, (1 << 20) + 3])  # 4 MiB of float64
def test_arrays_past_the_huge_page_threshold_hold_their_values(n):
    with no_leaks():
        big = _compiled[fresh_then_scaled](n)
        assert big.ctypes.data % nrt.ALIGN == 0
        assert big[0] == 0.0 and big[n - 1] == (n - 1) * 0.5
        np.testing.assert_array_equal(big[::4097], np.arange(0, n, 4097) * 0.5)
        del big


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="madvise is Linux advice")
def test_the_allocator_advises_large_blocks_onto_huge_pages():
    module = ir.Module("nrt")
    nrt.define_runtime(module)
    text = str(module.get_global("jb_nrt_allocate"))
    assert '@"madvise"' in text and f"i32 {nrt.MADV_HUGEPAGE})" in text
