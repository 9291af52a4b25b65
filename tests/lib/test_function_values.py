"""First-class function values (types.FunctionType): jitted functions and cfuncs in tuples,
variables and arguments, chosen at run time and called through a pointer; their exceptions
propagate (numba#8246 drops them); boxed back to the same function objects."""
import numpy as np
import pytest

from jitbridge import cfunc, njit, types
from jitbridge.errors import TypingError

ft = types.FunctionType(types.float64(types.float64))


@njit
def square_less_two(x):
    return x * x - 2.0


@njit
def less_one(x):
    return x - 1.0


@njit
def refuse_big(x):
    if x > 1.0:
        raise ValueError("too big: " + str(x))
    return x


@cfunc(types.float64(types.float64))
def cube(x):
    return x * x * x


for _f in (square_less_two, less_one, refuse_big):
    _f(0.5)  # one specialisation each: their signature is known


@njit
def total(fns, x):
    s = 0.0
    for fn in fns:
        s += fn(x)
    return s


@njit
def pick(flag, x):
    fn = square_less_two if flag else less_one
    return fn(x)


@njit
def chooser(flag):
    return square_less_two if flag else less_one


@njit(types.float64(ft, types.float64))
def call_value(fn, x):
    return fn(x)


@njit
def bisect(fn, lo, hi):
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if fn(lo) * fn(mid) <= 0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


@pytest.mark.parametrize("x", [0.0, 2.0, -3.5])
def test_iterating_a_tuple_of_functions(x):
    fns = (square_less_two, less_one, cube)
    assert total(fns, x) == sum(f.py_func(x) if hasattr(f, "py_func") else x ** 3 for f in fns)
    assert total((less_one, square_less_two), x) == (x - 1.0) + (x * x - 2.0)


def test_a_variable_holding_one_of_two_functions():
    assert pick(True, 3.0) == 7.0 and pick(False, 3.0) == 2.0


def test_function_values_box_to_the_same_objects():
    assert chooser(True) is square_less_two and chooser(False) is less_one


def test_explicit_function_type_arguments_take_jitted_functions_and_cfuncs():
    assert call_value(square_less_two, 3.0) == 7.0
    assert call_value(cube, 2.0) == 8.0
    assert np.isclose(bisect(square_less_two, 0.0, 2.0), 2 ** 0.5)


def test_exceptions_raised_through_a_function_value_propagate():
    with pytest.raises(ValueError, match="too big: 2.0"):
        total((less_one, refuse_big), 2.0)
    assert total((less_one, refuse_big), 0.5) == 0.0
    with pytest.raises(ValueError, match="too big"):
        call_value(refuse_big, 5.0)


def test_wrong_functions_are_refused():
    @cfunc(types.int64(types.int64))
    def other(x):
        return x

    with pytest.raises(TypeError):
        call_value(other, 1.0)
    with pytest.raises(TypeError):
        call_value(len, 1.0)


def test_functions_of_different_signatures_do_not_unify():
    @njit
    def ints(x):
        return x + 1

    ints(1)

    @njit
    def both(flag):
        fn = ints if flag else less_one
        return fn(1)

    with pytest.raises(TypingError, match="Cannot unify|incompatible types"):
        both(True)


def test_iterating_a_tuple_of_numbers_of_different_types():
    @njit
    def mixed(t):
        s = 0.0
        for x in t:
            s += x
        return s

    assert mixed((1, 2.5, True)) == 4.5
