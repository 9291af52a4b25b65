"""Recursion without explicit signatures: the return type of a recursive specialisation is
inferred from its other return paths, repeating typing until it no longer changes; mutually
recursive functions retry the call once the caller has a return type. Runaway recursion (no
return path without the recursive call) is a located TypingError, as in Numba."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError


def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def widening(n):
    """int on the base path, float on the recursive one: the result is a float."""
    if n <= 0:
        return 1
    return widening(n - 1) * 1.5


def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def runaway(n):
    return runaway(n - 1)


def runaway_a(n):
    return runaway_b(n)


def runaway_b(n):
    return runaway_a(n)


PYTHON = {f.__name__: f for f in (fact, fib, widening, is_even, is_odd)}
fact, fib, widening = njit(fact), njit(fib), njit(widening)
is_even, is_odd = njit(is_even), njit(is_odd)
runaway, runaway_a, runaway_b = njit(runaway), njit(runaway_a), njit(runaway_b)


@given(st.integers(0, 18))
@settings(max_examples=30, deadline=None)
def test_self_and_mutual_recursion_match_python(n):
    for compiled in (fact, fib, widening, is_even, is_odd):
        expected = PYTHON[compiled.__name__](n)
        if compiled is widening:
            expected = float(expected)  # one return type for all paths: the unified one
        result = compiled(n)
        assert result == expected and type(result) is type(expected), compiled.__name__


def test_the_inferred_return_type_is_the_unified_one():
    widening(2)
    assert [str(sig.return_type) for sig in widening.nopython_signatures] == ["float64"]


@pytest.mark.parametrize("func", [runaway, runaway_a])
def test_runaway_recursion_is_a_located_typing_error(func):
    with pytest.raises(TypingError, match="cannot type infer runaway recursion") as info:
        func(1)
    assert __file__ in str(info.value)


def growing(n):
    """Each level returns a longer tuple: no single return type."""
    if n == 0:
        return None
    return (n, growing(n - 1))


growing = njit(growing)


def test_a_return_type_that_keeps_growing_is_numbas_located_error():
    with pytest.raises(TypingError, match="Return type of recursive function does not converge"):
        growing(3)
