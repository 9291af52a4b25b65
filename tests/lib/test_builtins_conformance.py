"""Builtins as Numba's test_builtins exercises them: errors CPython raises are TypingErrors
with Numba's words, print() of narrow NumPy scalars, methods read through a variable."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError, UnsupportedError


@njit
def enumerate_from(start):
    total = 0.0
    for i, v in enumerate((1.0, 2.5, 3.0), start):
        total += i * v
    return total


@njit
def largest(x, y):
    return max(x, y)


@njit
def smallest(x, y):
    return min(x, y)


@njit
def summed(x, start):
    return sum(x, start)


@njit
def printed(x, y):
    print(x, y)


@njit
def hash_through_a_variable(x):
    attr = getattr(x, "__hash__")
    again = attr
    return again()


@njit
def append_through_a_variable(a):
    method = a.append
    method(3)
    return a


def test_enumerate_start_must_be_an_integer():
    assert enumerate_from(42) == enumerate_from.py_func(42)
    assert enumerate_from(True) == enumerate_from.py_func(True)  # (a bool is an int)
    with pytest.raises(TypingError, match="Only integers supported as start value in "
                                          "enumerate, not float64"):
        enumerate_from(3.5)
    with pytest.raises(TypeError):  # (CPython's refusal of the same call)
        enumerate_from.py_func(3.5)


@pytest.mark.parametrize("f", [largest, smallest])
def test_datetime_among_other_scalars_is_refused(f):
    with pytest.raises(TypingError, match=r"Given types cannot be unified: "
                                          r"\[bool, datetime64\[Y\]\]"):
        f(np.bool_(True), np.datetime64("2020", "Y"))
    with pytest.raises(TypeError):
        f.py_func(np.bool_(True), np.datetime64("2020", "Y"))
    a, b = np.datetime64("2020", "Y"), np.datetime64("2021-03", "M")
    assert f(a, b) == f.py_func(a, b)
    t, u = np.timedelta64(5, "s"), np.timedelta64(6, "ms")
    assert f(t, u) == f.py_func(t, u)


@pytest.mark.parametrize("start, kind", [("a", "strings"), (b"123", "bytes")])
def test_sum_refuses_text_starts(start, kind):
    with pytest.raises(TypingError, match=f"sum\\(\\) can't sum {kind}"):
        summed((1, 2, 3), start)
    with pytest.raises(TypeError, match=f"sum\\(\\) can't sum {kind}"):
        summed.py_func((1, 2, 3), start)


def test_print_of_float32_and_complex64_is_numpy_text(capfd):
    x, z = np.float32(-1.1), np.complex64(1.1 + 2.2j)
    printed(x, z)
    printed.py_func(x, z)
    compiled, python = capfd.readouterr().out.splitlines()
    assert compiled == python == "-1.1 (1.1+2.2j)"


@pytest.mark.parametrize("x", [1, 2.34, (5, 6, 7)])
def test_bound_method_called_through_copies(x):
    assert hash_through_a_variable(x) == hash(x)


def test_method_of_a_list_through_a_variable_is_refused():
    # (the method value holds no reference: the list could be released before the call)
    with pytest.raises(UnsupportedError, match=r"the method 'append' of reflected "
                                               r"list\(int64\) is called through a variable"):
        append_through_a_variable([1])
