"""Sums of counting variables (loop variables of upward ranges from a non-negative constant)
are added with `nsw` and known non-negative, so `a[i + j]` loses its negative-index
wrap-around; everything else keeps Python's semantics (negative indices, int64 wrap)."""
import numpy as np
from hypothesis import given, settings, strategies as st

from jitbridge import njit


@njit
def convolve(x, w):
    out = np.zeros(x.shape[0] - w.shape[0] + 1)
    for i in range(out.shape[0]):
        s = 0.0
        for j in range(w.shape[0]):
            s += x[i + j] * w[j]
        out[i] = s
    return out


@njit
def shifted_back(a, k):
    total = 0.0
    for i in range(a.shape[0]):
        j = i - k  # not a counting variable: negative indices wrap as in Python
        total += a[i + j] if i + j < a.shape[0] else 0.0
    return total


@njit
def reassigned(a):
    total = 0.0
    for i in range(3):
        for j in range(2):
            total += a[i + j]
        i = -5  # assigned twice: not a counting variable
        total += a[i + 1]
    return total


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 40), st.integers(1, 8))
def test_counting_sums_index_as_python(n, m):
    x = np.arange(n + m, dtype=np.float64) ** 1.5
    w = np.linspace(-1.0, 1.0, m)
    want = np.array([sum(x[i + j] * w[j] for j in range(m)) for i in range(n + 1)])
    np.testing.assert_allclose(convolve(x, w), want, rtol=1e-12)


def test_other_sums_keep_negative_indices():
    a = np.arange(10.0)
    assert shifted_back(a, 7) == shifted_back.py_func(a, 7)
    assert reassigned(a) == reassigned.py_func(a)


def test_the_counting_sum_needs_no_wraparound():
    convolve(np.ones(8), np.ones(3))
    llvm = convolve.inspect_llvm(convolve.signatures[0])
    assert "add nsw i64" in llvm and " select " not in llvm
