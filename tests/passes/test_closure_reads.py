"""Calling (or passing) a closure that captures variables by reference reads them: before
they are assigned, CPython raises NameError, and so does compiled code (passes/cfg.py)."""
import pytest

from jitbridge import njit


def called_before_assigned(x):
    def read():
        return z
    r = read()
    z = x
    return r


def called_after_assigned(x):
    def read():
        return z
    z = x
    r = read()
    z = x + 1
    return r + read()


def passed_before_assigned(x):
    def read():
        return z
    r = apply(read)
    z = x
    return r


@njit
def apply(f):
    return f()


@pytest.mark.parametrize("func", [called_before_assigned, passed_before_assigned])
def test_a_closure_used_before_its_captured_variable_is_assigned_raises(func):
    with pytest.raises(NameError, match="'z'"):
        called_before_assigned(3)  # (CPython; `apply` is compiled, so only the first runs)
    with pytest.raises(NameError, match="'z' where it is not associated with a value"):
        njit(func)(3)


def test_a_closure_used_after_assignment_reads_the_current_values():
    assert njit(called_after_assigned)(3) == called_after_assigned(3) == 7
