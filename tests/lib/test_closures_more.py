"""Recursive inner functions (self and mutual recursion of lifted closures, lambdas included),
literal types of captured variables (`literally()`), and the refusals where compiled code
could differ from CPython. Differential against the same functions run by CPython."""
import numpy as np
import pytest

from jitbridge import literally, njit
from jitbridge.errors import TypingError, UnsupportedError
from jitbridge.testing import no_leaks


def factorial(n):
    def f(k):
        return 1 if k <= 1 else k * f(k - 1)
    return f(n)


def countdown_with_capture(x):
    y = x + 1

    def inner(k):
        if k + y < 2:
            return 10 + y
        return inner(k - 1)
    return inner(x)


def parity(n):
    bias = 3

    def even(k):
        return bias if k == 0 else odd(k - 1)

    def odd(k):
        return -bias if k == 0 else even(k - 1)
    return even(n), odd(n)


def lambda_fib(n):
    step = 2
    fib = lambda k: k if k < 2 else fib(k - 1) + fib(k - step)  # noqa: E731
    return fib(n)


def nonlocal_sum(n):
    total = 0

    def walk(k):
        nonlocal total
        if k > 0:
            total += k
            walk(k - 1)
    walk(n)
    return total


def parameter_shadows_capture(n):
    y = 5

    def f(k):
        return g(k) if k > 0 else y

    def g(y):  # its own `y`: it only passes the captured one on to f
        return f(y - 1) + y
    return f(n)


def passed_to_a_call(n):
    def apply(fn, v):
        return fn(v)

    def f(k):
        return 0 if k == 0 else apply(f, k - 1) + 2
    return f(n)


def defined_in_a_loop(n):
    out = 0
    for i in range(n):
        def f(k):
            return i if k == 0 else f(k - 1) + 1
        out += f(i)
    return out


def keyword_arguments(n):
    def f(k, step=1):
        return 0 if k <= 0 else f(k - step, step=step) + 1
    return f(n) * 100 + f(n, step=2)


def inside_an_inner_function(n):
    def helper(m):
        def f(k):
            return m if k == 0 else f(k - 1) + 1
        return f(m)
    return helper(n)


def group_through_nested_function(n):
    scale = 2

    def f(k):
        def via(j):
            return g(j) * scale
        return 1 if k <= 0 else via(k - 1)

    def g(k):
        return f(k - 1) + 1
    return f(n)


def array_sum(a):
    def s(i):
        return 0.0 if i == a.shape[0] else a[i] + s(i + 1)
    return s(0)


def array_grown_by_reference(a):
    out = a[:0].copy()

    def grow(i):
        nonlocal out
        if i < a.shape[0]:
            out = np.append(out, a[i] * 2)
            grow(i + 1)
    grow(0)
    return out


RECURSIVE = [factorial, countdown_with_capture, parity, lambda_fib, nonlocal_sum,
             parameter_shadows_capture, passed_to_a_call, defined_in_a_loop, keyword_arguments,
             inside_an_inner_function, group_through_nested_function]
COMPILED = {f: njit(f) for f in RECURSIVE + [array_sum, array_grown_by_reference]}


@pytest.mark.parametrize("func", RECURSIVE, ids=lambda f: f.__name__)
def test_recursive_inner_functions_match_cpython(func):
    for n in (0, 1, 6, 11):
        assert COMPILED[func](n) == func(n)


def test_recursive_inner_functions_over_arrays_do_not_leak():
    a = np.arange(6.0)
    assert COMPILED[array_sum](a) == array_sum(a)
    np.testing.assert_array_equal(COMPILED[array_grown_by_reference](a),
                                  array_grown_by_reference(a))
    with no_leaks(a):
        for _ in range(10):
            COMPILED[array_sum](a)
            COMPILED[array_grown_by_reference](a)


def test_runaway_recursion_raises_recursion_error():
    def deep(n):
        def f(k):
            return 0 if k == 0 else 1 + f(k - 1)
        return f(n)
    with pytest.raises(RecursionError, match="compiled function 'f'"):
        njit(deep)(10 ** 9)


def used_before_its_group_is_defined(n):
    def f(k):
        return 0 if k == 0 else g(k - 1)
    r = f(n)  # CPython: NameError (g is not bound yet)

    def g(k):
        return f(k)
    return r


def bound_twice(n):
    def f(k):
        return 0 if k == 0 else f(k - 1)
    f = n  # noqa: F811
    return f


def decorated(n):
    def twice(fn):
        return fn

    @twice
    def f(k):
        return 0 if k == 0 else f(k - 1)
    return f(n)


@pytest.mark.parametrize("func, message", [
    (used_before_its_group_is_defined, "used before every function of its group"),
    (bound_twice, "bound more than once"),
    (decorated, "is decorated"),
], ids=lambda v: getattr(v, "__name__", ""))
def test_recursive_inner_functions_refused_where_cpython_could_differ(func, message):
    with pytest.raises(UnsupportedError, match=message) as info:
        njit(func)(3)
    assert func.__name__ in str(info.value)


def test_recursive_closure_holding_references_cannot_escape():
    def escape(n):
        count = 0

        def f(k):
            nonlocal count
            count += 1
            return f if k == 0 else f(k - 1)
        return f(n)
    with pytest.raises(UnsupportedError, match="by reference"):
        njit(escape)(2)


def test_recursive_generator_is_a_clear_error():
    def gen(n):
        def g(k):
            yield k
            if k > 0:
                for v in g(k - 1):
                    yield v
        return list(g(n))
    with pytest.raises(TypingError, match="recursive generator"):
        njit(gen)(3)


# -- literally() of captured variables ------------------------------------------------------

@njit
def _literal_sum(x, y):
    return x + literally(y)


@njit
def _aliased(a, b, c):
    def closure(d):
        return literally(d) + 10 * _literal_sum(a, b)
    return closure(c)


@njit
def _captured_constant(a):
    k = 5

    def closure(d):
        return literally(k) * d
    return closure(a)


@njit
def _captured_then_passed(a, n):
    def closure(d):
        return literally(n) + d

    def call(fn, v):
        return fn(v)
    return call(closure, a)


def test_literally_of_captured_arguments_specialises_the_enclosing_function():
    assert _aliased(1, 2, 3) == 3 + 10 * (1 + 2)
    assert _aliased(1, 4, 3) == 3 + 10 * (1 + 4)
    signatures = {tuple(getattr(t, "literal_value", None) for t in sig)
                  for sig in _aliased.signatures}
    assert signatures == {(None, 2, 3), (None, 4, 3)}


def test_literally_of_a_captured_constant():
    assert _captured_constant(3) == 15
    assert not any(hasattr(t, "literal_value") for t in _captured_constant.signatures[0])


def test_literally_of_a_capture_needs_the_defining_function_to_call_it():
    with pytest.raises(TypingError, match="away from the function that defines it"):
        _captured_then_passed(1, 2)


@njit
def _returns_closure(n):
    def bar(x):
        return x + literally(n)
    return bar


@njit
def _calls_returned_closure(n):
    return _returns_closure(n)(4)


def test_literally_of_a_capture_of_a_returned_closure_is_refused():
    with pytest.raises(TypingError, match="away from the function that defines it"):
        _calls_returned_closure(2)


@njit
def _literally_of_a_display():
    x = [1, 2, 3]
    y = literally(x)
    y.append(4)
    return x


def test_literally_of_a_display_of_constants_is_the_list_itself():
    assert _literally_of_a_display() == [1, 2, 3, 4]
