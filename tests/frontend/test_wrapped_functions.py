"""A function made with functools.wraps compiles its own code, never the function it wraps
(inspect follows __wrapped__: compiling that text returned another function's result)."""
import functools

from jitbridge import njit


def _inner(x):
    return x + 10


@functools.wraps(_inner)
def _wrapper(x):
    return (x + 10) * 2


_wrapped_lambda = functools.wraps(_inner)(lambda x: x * 3)


def test_a_wrapping_function_compiles_its_own_body():
    assert _wrapper(1) == 22
    assert njit(_wrapper)(1) == 22


def test_a_wrapping_lambda_compiles_its_own_body():
    assert _wrapped_lambda.__name__ == "_inner"
    assert njit(_wrapped_lambda)(2) == 6
