"""Issue 12, items 3 and 6: the native dispatcher's prediction table (any of many
specialisations found without a scan) and Python wrappers built on the first call from Python.
"""
import random
import subprocess
import sys

import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.testing import no_leaks


def counting(dispatcher):
    """Make the dispatcher count the calls that reach its Python fallback."""
    seen = []
    fallback = dispatcher._fallback

    def counted(*args, **kws):
        seen.append(args)
        return fallback(*args, **kws)
    dispatcher._fallback = counted
    return seen


def describe(a):
    return a.dtype, a.ndim


def _mixed_arrays(dtypes="?bhilBQfdFD"):
    """Arrays of distinct types, dtype by dtype: ndims x layouts (C, F, A)."""
    found = {}
    for dt in dtypes:
        for nd in (1, 2, 3):
            base = np.zeros((2,) * nd, dt)
            for a in (base, np.asfortranarray(base), base[..., ::2]):
                found.setdefault((a.dtype, a.ndim, a.flags.c_contiguous, a.flags.f_contiguous), a)
    return list(found.values())


def test_each_of_50_mixed_specialisations_is_called_natively_in_any_order():
    f = njit(describe)
    arrays = _mixed_arrays()[:50]
    readonly = np.zeros((2, 2))
    readonly.flags.writeable = False  # (a type of its own, checked natively as well)
    arrays.append(readonly)
    for a in arrays:
        assert f(a) == describe(a)
    assert len(f.overloads) == 51
    seen = counting(f)
    rng = random.Random(12)
    for a in rng.choices(arrays, k=600) + arrays[::-1]:
        assert f(a) == describe(a)
    assert seen == []  # every call was found by the native dispatcher


def test_one_fingerprint_for_several_specialisations_costs_a_scan_not_a_wrong_call():
    """Tuples hash by class alone: (1, 2) and (1.0, 2.0) share a fingerprint but not a
    specialisation, so each call corrects the other's prediction."""
    f = njit(lambda t, k: t[0] + k)
    calls = [((1, 2), 3), ((1.5, 2.5), 3), ((1, 2), 0.5), ((True, False), 1)]
    for args in calls:
        f(*args)
    seen = counting(f)
    for _ in range(50):
        for t, k in calls:
            result = f(t, k)
            assert result == t[0] + k and type(result) is type(t[0] + k)
    assert seen == []


def test_keyword_calls_use_the_prediction_too():
    f = njit(lambda a, b=1: a + b)
    for value in (1, 2.5, 1j, True):
        assert f(value, b=2) == value + 2 and f(a=value) == value + 1
    seen = counting(f)
    for _ in range(20):
        for value in (True, 1j, 2.5, 1):
            assert f(value, b=2) == value + 2 and f(a=value) == value + 1
    assert seen == []


SCALE = 1


def scaled(x):
    return x * SCALE


def test_recompile_forgets_the_predictions_of_replaced_specialisations():
    global SCALE
    f = njit(scaled)
    values = (2, 2.5, 1j, np.zeros(2), np.zeros((2, 2), np.float32))
    for v in values:
        f(v)
    try:
        SCALE = 3
        f.recompile()
        for _ in range(3):
            for v in values:
                assert np.all(f(v) == v * 3)
    finally:
        SCALE = 1


@njit
def _leaf(a, k):
    return a * k + 1


@njit
def _caller(a, k):
    return _leaf(a, k) - 1


def test_a_callee_of_compiled_code_gets_its_python_wrappers_on_its_first_python_call():
    a = np.arange(5.0)
    assert np.array_equal(_caller(a, 2.0), a * 2.0)
    argtypes = (types.Array(types.float64, 1, "C"), types.float64)
    callee = _leaf.overloads[argtypes]
    assert _caller.overloads[argtypes].python.built
    assert not callee.python.built and ".pycheck" not in callee.inspect_llvm()
    seen = counting(_leaf)
    assert np.array_equal(_leaf(a, 2.0), a * 2.0 + 1)  # built here, by the fallback
    assert callee.python.built and ".pycheck" in callee.inspect_llvm()
    with no_leaks(a):
        for _ in range(5):
            assert np.array_equal(_leaf(a, 2.0), a * 2.0 + 1)
    assert len(seen) == 1  # then published in the native table


def test_lazily_built_wrappers_give_what_eager_ones_give():
    def kernel(a, n, flag):
        s = 0.0
        for i in range(n):
            s += a[i % a.shape[0]]
        return (s, n) if flag else (-s, n)

    lazy = njit(kernel)
    caller = njit(lambda a, n, flag: lazy(a, n, flag))
    eager = njit("Tuple((float64, int64))(float64[:], int64, boolean)")(kernel)
    a = np.linspace(0.0, 1.0, 7)
    caller(a, 3, True)
    (result,) = lazy.overloads.values()
    assert not result.python.built
    for n, flag in ((10, True), (3, False), (0, True)):
        assert lazy(a, n, flag) == eager(a, n, flag) == kernel(a, n, flag)
    with pytest.raises(TypeError):
        result.entry_point(a, 1)  # the entry point still checks its argument tuple


def test_import_leaves_out_what_a_plain_function_does_not_use():
    code = ("import sys, jitbridge\n"
            "print(sorted(m for m in ('jitbridge.annotate', 'jitbridge.lowering.generators',"
            " 'jitbridge.progressbar', 'jitbridge.ir.printer') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_wrappers_built_through_the_entry_point_reach_the_native_table_too():
    leaf = njit(lambda x: x * 3)
    njit(lambda x: leaf(x) + 1)(2)
    (result,) = leaf.overloads.values()
    assert result.entry_point(4) == 12  # builds the wrappers outside the dispatcher
    seen = counting(leaf)
    assert [leaf(5) for _ in range(3)] == [15] * 3
    assert len(seen) == 1  # the first call published it


def test_the_python_side_of_a_specialisation_is_read_only():
    f = njit(lambda x: x + 1)
    f(1)
    (result,) = f.overloads.values()
    for name, value in (("entry", print), ("checked", 0), ("library", None)):
        with pytest.raises(AttributeError):
            setattr(result.python, name, value)
    assert f(2) == 3
