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


square_less_two(0.5)  # one specialisation: what a cfunc of float64(float64) unifies with


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


def test_jitted_functions_in_a_set_are_specialised_per_call():
    @njit
    def ints(x):
        return x + 1

    @njit
    def either(flag, x):
        fn = ints if flag else square_less_two
        return fn(x)

    assert either(True, 1) == 2 and either(False, 3) == 7.0  # results unify to float64
    assert total((ints, square_less_two), 2) == 5.0
    assert total((ints, ints), 2) == 6.0


def test_a_set_of_functions_with_int_results_stays_int():
    @njit
    def plus(x):
        return x + 1

    @njit
    def times(x):
        return x * 3

    @njit
    def sum_of(fns, x):
        s = 0
        for fn in fns:
            s += fn(x)
        return s

    got = sum_of((plus, times), 2)
    assert got == 9 and type(got) is int
    assert sum_of((times, plus), 2.5) == 11.0


def test_a_function_set_in_a_recursive_function():
    @njit
    def plus(x):
        return x + 1

    @njit
    def descend(n, fns):
        if n == 0:
            return 0
        t = 0
        for fn in fns:
            t += fn(n)
        return t + descend(n - 1, fns)

    expected = sum(n + 1 + n * n - 2.0 for n in range(1, 4))
    assert descend(3, (plus, square_less_two)) == expected


def test_results_without_a_common_type_are_refused():
    @njit
    def text(x):
        return "a"

    @njit
    def either(flag):
        fn = text if flag else less_one
        return fn(1.0)

    with pytest.raises(TypingError):
        either(True)


def test_iterating_a_tuple_of_numbers_of_different_types():
    @njit
    def mixed(t):
        s = 0.0
        for x in t:
            s += x
        return s

    assert mixed((1, 2.5, True)) == 4.5


@njit
def plus_default(x, y=2):
    return x + y


@njit
def times_default(x, y=3):
    return x * y


def test_members_with_defaults_get_their_own_defaults():
    @njit
    def either(flag, x):
        fn = plus_default if flag else times_default
        return fn(x)

    assert either(True, 5) == 7 and either(False, 5) == 15


def test_keyword_calls_through_a_chosen_function_are_refused_clearly():
    @njit
    def either(flag):
        fn = plus_default if flag else times_default
        return fn(5, y=1)

    with pytest.raises(TypingError, match="positional arguments only"):
        either(True)


def test_a_jitted_function_argument_takes_the_native_dispatch_path(monkeypatch):
    """Numba #2952: a solver called from Python with a jitted objective re-typed its arguments
    on every call (tens of µs); the compiled specialisation is found natively, and another
    function still gets a specialisation of its own."""
    assert bisect(square_less_two, 0.0, 2.0) == bisect(square_less_two, 0.0, 2.0)

    def no_fallback(*args, **kws):
        raise AssertionError("the Python fallback ran")
    monkeypatch.setattr(bisect, "_fallback", no_fallback)
    assert np.isclose(bisect(square_less_two, 0.0, 2.0), 2 ** 0.5)
    monkeypatch.undo()
    assert np.isclose(bisect(less_one, 0.0, 2.0), 1.0)
    assert len(bisect.overloads) >= 2


def test_cfunc_arguments_take_the_native_path_per_signature(monkeypatch):
    @cfunc(types.int64(types.int64))
    def plus_one(x):
        return x + 1

    @njit
    def use(fn, x):
        return fn(x)

    assert use(cube, 2.0) == 8.0 and use(plus_one, 4) == 5

    def no_fallback(*args, **kws):
        raise AssertionError("the Python fallback ran")
    monkeypatch.setattr(use, "_fallback", no_fallback)
    assert use(cube, 3.0) == 27.0 and use(plus_one, 9) == 10  # each its own specialisation
