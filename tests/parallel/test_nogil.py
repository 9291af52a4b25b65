"""nogil=True releases the GIL for the native call: other Python threads run meanwhile, and
what compiled code does with Python objects (raising with run-time values, objmode, passing
objects through) takes the GIL back."""
import concurrent.futures
import ctypes
import threading
import time

import numpy as np
import pytest

from jitbridge import njit, objmode

_libc = ctypes.CDLL(None)
usleep = _libc.usleep
usleep.argtypes = [ctypes.c_uint]
usleep.restype = ctypes.c_int


def wait_for_flag(flag, tries):
    """Sleep in native code until another thread sets flag[0]; -1 if it never does."""
    for i in range(tries):
        if flag[0] != 0:
            return i
        usleep(1000)
    return -1


def _run_with_setter(func):
    flag = np.zeros(1, np.int64)
    func(flag, 1)  # compiled before the race starts

    def setter():
        time.sleep(0.005)
        flag[0] = 1
    thread = threading.Thread(target=setter)
    thread.start()
    try:
        return func(flag, 400)  # 0.4 s at most
    finally:
        thread.join()


def test_nogil_lets_another_python_thread_run_during_the_call():
    assert _run_with_setter(njit(nogil=True)(wait_for_flag)) >= 0


def test_without_nogil_the_gil_stays_held():
    assert _run_with_setter(njit(wait_for_flag)) == -1


@njit(nogil=True)
def checked_sqrt(a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        if a[i] < 0:
            raise ValueError("negative at", i, a[i])
        out[i] = np.sqrt(a[i])
    return out


def test_raising_with_run_time_values_takes_the_gil_back():
    a = np.array([1.0, 4.0, -9.0])
    with pytest.raises(ValueError) as info:
        checked_sqrt(a)
    assert info.value.args == ("negative at", 2, -9.0)
    np.testing.assert_array_equal(checked_sqrt(np.abs(a)), [1, 2, 3])


def test_objmode_and_python_objects_in_a_nogil_function():
    @njit(nogil=True)
    def f(items, n):
        total = 0
        for i in range(n):
            with objmode(k="int64"):
                k = len(items) + i
            total += k
        return total, items
    items = ["a", "b"]
    total, same = f(items, 3)
    assert total == 9 and same is items


def test_nogil_calls_from_a_thread_pool_give_exact_results():
    @njit(nogil=True)
    def partial_sum(a, lo, hi):
        s = 0
        for i in range(lo, hi):
            s += a[i] * a[i]
        return s
    a = np.arange(200_000, dtype=np.int64)
    bounds = [(k * 25_000, (k + 1) * 25_000) for k in range(8)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        parts = list(pool.map(lambda b: partial_sum(a, *b), bounds))
    assert sum(parts) == int((a * a).sum())
