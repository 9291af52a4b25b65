"""prange loops under parallel=True: reductions of every kind against the serial compile and
Python, odd sizes, exceptions raised inside parallel loops, leaks, refused loops."""
import concurrent.futures
import math
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import jitbridge
from jitbridge import njit, objmode, prange
from jitbridge.errors import UnsupportedError
from jitbridge.testing import no_leaks

THREADS = jitbridge.get_num_threads()
SIZES = sorted({0, 1, 2, max(THREADS - 1, 1), THREADS, 7, 13, 101, 1000})


_COMPILED: dict = {}


def three_ways(func):
    """(parallel, serial, Python) versions of one loop function (compiled once per test run)."""
    if func not in _COMPILED:
        _COMPILED[func] = (njit(parallel=True)(func), njit(func), func)
    return _COMPILED[func]


def sum_loop(a):
    s = 0
    for i in prange(a.shape[0]):
        s += a[i]
    return s


def sub_loop(a):
    s = 100
    for i in prange(a.shape[0]):
        s -= a[i]
    return s


def prod_loop(a):
    p = 1
    for i in prange(a.shape[0]):
        p *= a[i] % 5 + 1
    return p


def bits_loop(a):
    o, x, n = 0, 0, -1
    for i in prange(a.shape[0]):
        o |= a[i]
        x ^= a[i] * 3
        n &= a[i] + 1023
    return o, x, n


def minmax_loop(a):
    lo, hi = 10 ** 9, -10 ** 9
    for i in prange(a.shape[0]):
        lo = min(lo, a[i])
        hi = max(a[i], hi)
    return lo, hi


def rebind_loop(a):
    s = 0
    t = 1
    for i in prange(a.shape[0]):
        s = s + a[i]
        t = t * 2 if a[i] % 2 == 0 else t
    return s


def private_loop(a):
    total = 0
    for i in prange(a.shape[0]):
        x = a[i] * 2  # private to the iteration
        if x > 10:
            x -= 10
        total += x
    return total


@pytest.mark.parametrize("func", [sum_loop, sub_loop, prod_loop, bits_loop, minmax_loop,
                                  private_loop], ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", SIZES)
def test_integer_reductions_equal_serial_and_python(func, n):
    parallel, serial, python = three_ways(func)
    a = np.arange(n, dtype=np.int64) * 7 % 31
    expected = python(a)
    assert parallel(a) == serial(a) == expected


def mean_loop(a):
    s = 0.0
    q = 1.0
    for i in prange(a.shape[0]):
        s += a[i]
        q /= 1.0 + a[i] / 1000
    return s, q


@pytest.mark.parametrize("n", [0, 1, 3, 1001])
def test_float_sum_and_division(n):
    parallel, serial, python = three_ways(mean_loop)
    a = np.linspace(0, 1, n)
    got, want = parallel(a), python(a)
    assert got[0] == pytest.approx(want[0], rel=1e-12, abs=1e-12)
    assert got[1] == pytest.approx(want[1], rel=1e-12)
    assert serial(a) == pytest.approx(want, rel=1e-12)


def test_reduction_that_becomes_float_starts_as_int():
    def f(a):
        s = 0
        for i in prange(a.shape[0]):
            s += a[i]
        return s
    a = np.full(11, 0.5)
    assert njit(parallel=True)(f)(a) == f(a) == 5.5


def test_array_reduction_updates_the_array_in_place():
    def f(a):
        acc = np.zeros(a.shape[1])
        alias = acc
        for i in prange(a.shape[0]):
            acc += a[i]
        return acc, alias
    a = np.random.default_rng(1).random((37, 5))
    acc, alias = njit(parallel=True)(f)(a)
    np.testing.assert_allclose(acc, a.sum(axis=0))
    assert acc is alias or np.shares_memory(acc, alias)


def test_writes_to_arrays_and_steps():
    def f(n, out):
        for i in prange(3, n, 4):
            out[i] = i * i
    parallel = njit(parallel=True)(f)
    out, want = np.zeros(50, np.int64), np.zeros(50, np.int64)
    parallel(50, out)
    f(50, want)
    np.testing.assert_array_equal(out, want)


def test_negative_step_and_empty_ranges():
    def f(start, stop, step):
        s = 0
        for i in prange(start, stop, step):
            s += i
        return s
    parallel = njit(parallel=True)(f)
    for args in [(10, -7, -3), (5, 5, 1), (5, 0, 1), (0, 10, 20)]:
        assert parallel(*args) == f(*args)
    with pytest.raises(ValueError, match="must not be zero"):
        parallel(0, 10, 0)


@njit(parallel=True)
def who(n):
    """The number of the thread that ran each iteration."""
    out = np.empty(n, np.int64)
    for i in prange(n):
        out[i] = jitbridge.get_thread_id()
    return out


def test_every_thread_takes_a_share():
    ids = who(THREADS * 4)
    assert sorted(set(ids)) == list(range(THREADS))
    assert (np.diff(ids) >= 0).all()  # contiguous shares in thread order


def test_set_num_threads_limits_the_threads():
    try:
        jitbridge.set_num_threads(1)
        assert jitbridge.get_num_threads() == 1
        assert (who(16) == 0).all()
    finally:
        jitbridge.set_num_threads(THREADS)
    with pytest.raises(ValueError, match="between 1 and"):
        jitbridge.set_num_threads(0)
    with pytest.raises(ValueError, match="between 1 and"):
        jitbridge.set_num_threads(THREADS + 1000)


def test_nested_prange_runs_the_inner_loop_serially():
    @njit(parallel=True)
    def table(n, m):
        out = np.zeros((n, m))
        total = 0.0
        for i in prange(n):
            for j in prange(m):
                out[i, j] = i * m + j
                total += out[i, j]
        return out, total
    out, total = table(9, 7)
    np.testing.assert_array_equal(out, np.arange(63.0).reshape(9, 7))
    assert total == sum(range(63))


def test_prange_without_parallel_is_range():
    assert njit(sum_loop)(np.arange(10)) == 45
    assert list(prange(2, 5)) == [2, 3, 4]


# -- exceptions ---------------------------------------------------------------------------------

def test_exception_in_a_parallel_loop_reaches_the_caller_without_leaks():
    @njit(parallel=True)
    def check(a):
        total = np.zeros(3)
        for i in prange(a.shape[0]):
            if a[i] < 0:
                raise ValueError("negative value at", i)
            total += a[i]
        return total
    a = np.arange(20.0)
    check(a)
    a[13] = -1
    with no_leaks(a):
        with pytest.raises(ValueError) as info:
            check(a)
    assert info.value.args == ("negative value at", 13)


def test_constant_exception_and_builtin_errors():
    @njit(parallel=True)
    def f(a, d):
        s = 0
        for i in prange(a.shape[0]):
            if a[i] == 3:
                raise KeyError("three")
            s += a[i] // d
        return s
    with pytest.raises(KeyError, match="three"):
        f(np.arange(10), 1)
    with pytest.raises(ZeroDivisionError):
        f(np.arange(3), 0)
    assert f(np.arange(3), 1) == 3


def test_exception_caught_inside_the_parallel_body():
    @njit(parallel=True)
    def f(a):
        bad = 0
        for i in prange(a.shape[0]):
            try:
                if a[i] % 3 == 0:
                    raise ValueError("x")
            except ValueError:
                bad += 1
        return bad
    assert f(np.arange(30)) == 10


def test_no_leaks_over_many_calls():
    @njit(parallel=True)
    def f(a):
        acc = np.zeros_like(a[0])
        for i in prange(a.shape[0]):
            acc += a[i] * 2
        return acc
    a = np.ones((10, 4))
    f(a)
    with no_leaks(a):
        for _ in range(200):
            f(a)


# -- refused loops ------------------------------------------------------------------------------

def test_break_in_a_prange_loop_is_refused():
    def f(n):
        for i in prange(n):
            if i > 3:
                break
    with pytest.raises(UnsupportedError, match="'break' is not allowed in a prange loop") as info:
        njit(parallel=True)(f)(10)
    assert "if i > 3" in str(info.value) or "break" in str(info.value)


def test_break_of_an_inner_loops_else_and_yield_in_a_nested_loop_are_refused():
    def breaks(n):
        for i in prange(n):
            for j in range(3):
                pass
            else:
                break  # leaves the prange loop

    def yields(n):
        for i in prange(n):
            for j in range(3):
                yield j
    with pytest.raises(UnsupportedError, match="'break' is not allowed in a prange loop"):
        njit(parallel=True)(breaks)(3)
    with pytest.raises(UnsupportedError, match="'yield' is not allowed inside a prange loop"):
        list(njit(parallel=True)(yields)(3))


def test_break_of_a_nested_loop_is_its_own():
    def f(n):
        total = 0
        for i in prange(n):
            for j in range(10):
                if j > i:
                    break
                total += j
        return total
    assert njit(parallel=True)(f)(7) == f(7)


def test_loop_carried_dependency_is_refused():
    def f(a):
        t = 0.0
        for i in prange(a.shape[0]):
            t = t * 0.5 + a[i]
        return t
    with pytest.raises(UnsupportedError, match="'t' is read in a prange loop before"):
        njit(parallel=True)(f)(np.ones(4))


def test_mixed_operators_on_one_variable_are_refused():
    def f(a):
        s = 1
        for i in prange(a.shape[0]):
            s += a[i]
            s *= 2
        return s
    with pytest.raises(UnsupportedError, match="different operators"):
        njit(parallel=True)(f)(np.ones(4))


# -- the bridges and threads --------------------------------------------------------------------

def test_objmode_inside_a_parallel_loop():
    @njit(parallel=True)
    def f(n):
        out = np.zeros(n)
        for i in prange(n):
            with objmode(v="float64"):
                v = math.sqrt(i)
            out[i] = v
        return out
    np.testing.assert_allclose(f(25), np.sqrt(np.arange(25)))


def test_calls_from_several_python_threads_at_once():
    parallel = njit(parallel=True)(sum_loop)
    a = np.arange(100_000)
    parallel(a)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: parallel(a), range(16)))
    assert results == [a.sum()] * 16


def test_parallel_function_called_from_a_nogil_function_and_from_compiled_code():
    parallel = njit(parallel=True)(sum_loop)

    @njit(nogil=True)
    def outer(a):
        return parallel(a) + 1
    assert outer(np.arange(10)) == 46


def test_workqueue_layer_gives_the_same_results(tmp_path):
    code = textwrap.dedent("""
        import numpy as np, jitbridge
        from jitbridge import njit, prange
        @njit(parallel=True)
        def f(a):
            s = 0
            for i in prange(a.shape[0]):
                if a[i] == -1:
                    raise ValueError("bad", i)
                s += a[i]
            return s
        a = np.arange(1001)
        assert f(a) == a.sum()
        a[500] = -1
        try:
            f(a)
        except ValueError as e:
            assert e.args == ("bad", 500)
        print(jitbridge.threading_layer())
    """)
    env = {"JITBRIDGE_THREADING_LAYER": "workqueue", "JITBRIDGE_NUM_THREADS": "3",
           "PATH": "/usr/bin:/bin"}
    script = tmp_path / "layer.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "workqueue"


# -- pndindex -----------------------------------------------------------------------------------

@pytest.mark.parametrize("parallel", [True, False])
def test_pndindex_over_a_shape_tuple_and_over_extents(parallel):
    def fill(x, shape):
        for idx in jitbridge.pndindex(shape):
            x[idx] = idx[0] * 100 + idx[-1]
        return x

    def total(x):
        s = 0
        for i, j in jitbridge.pndindex(x.shape[0], x.shape[1]):
            s += x[i, j] * (i + 1)
        return s
    compiled_fill, compiled_total = njit(parallel=parallel)(fill), njit(parallel=parallel)(total)
    np.testing.assert_array_equal(compiled_fill(np.zeros((10, 5)), (10, 3)),
                                  fill(np.zeros((10, 5)), (10, 3)))
    x = np.arange(35).reshape(7, 5)
    assert compiled_total(x) == total(x)
    assert compiled_total(np.zeros((0, 4), np.int64)) == 0
    with pytest.raises(ValueError, match="negative dimensions"):
        compiled_fill(np.zeros((2, 2)), (2, -1))


# -- private variables read after the loop --------------------------------------------------------

def last_assigned(x):
    c = -1
    d = 100
    for i in prange(x):
        c = i
        if i % 5 == 2:
            d = i * 10
    return c, d


@pytest.mark.parametrize("n", [0, 1, 2, 3, 8, 13, 1001])
def test_private_variables_keep_the_last_iterations_value(n):
    assert njit(parallel=True)(last_assigned)(n) == last_assigned(n)


def test_private_read_after_the_loop_without_a_value_before_is_refused():
    def f(x):
        for i in prange(x):
            d = i
        return d
    with pytest.raises(UnsupportedError, match="'d' is assigned in a prange loop and read after"):
        njit(parallel=True)(f)(3)
