"""`raise`, `assert` and runtime errors in compiled code surface with class and message."""
import traceback

import pytest

from jitbridge import njit


class MyError(Exception):
    pass


@njit
def checked(x):
    if x < 0:
        raise ValueError("negative input")
    if x == 0:
        raise MyError("zero", 0)
    if x == 1:
        raise KeyError
    assert x != 2, "two is not allowed"
    assert x != 3
    return 10 // (x - 4)


def test_raise_with_message():
    with pytest.raises(ValueError, match="^negative input$"):
        checked(-1)


def test_user_exception_class_with_args():
    with pytest.raises(MyError) as info:
        checked(0)
    assert info.value.args == ("zero", 0)


def test_raise_class_without_call():
    with pytest.raises(KeyError):
        checked(1)


def test_assert_with_and_without_message():
    with pytest.raises(AssertionError, match="two is not allowed"):
        checked(2)
    with pytest.raises(AssertionError):
        checked(3)


def test_zero_division():
    with pytest.raises(ZeroDivisionError, match="integer division or modulo by zero"):
        checked(4)
    assert checked(5) == 10


@njit
def float_div(a, b):
    return a / b


def test_float_zero_division():
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        float_div(1.0, 0.0)


_DIVISIONS = [lambda a, b: a / b, lambda a, b: a // b, lambda a, b: a % b,
              lambda a, b: divmod(a, b)]
_COMPILED_DIVISIONS = [njit(f) for f in _DIVISIONS]


@pytest.mark.parametrize("a, b", [(1, 0), (1.0, 0.0), (1, 0.0), (True, False), (1j, 0j)])
def test_zero_division_messages_are_this_cpythons(a, b):
    for python, compiled in zip(_DIVISIONS, _COMPILED_DIVISIONS):
        try:
            python(a, b)
        except (ZeroDivisionError, TypeError) as exc:
            expected = exc
        if isinstance(expected, TypeError):  # (complex // and %: refused when compiling)
            continue
        with pytest.raises(ZeroDivisionError) as info:
            compiled(a, b)
        assert str(info.value) == str(expected)


@njit
def inner(x):
    if x > 10:
        raise OverflowError("inner failed")
    return x


@njit
def outer(x):
    return inner(x) + inner(x + 5)


def test_exception_propagates_through_compiled_calls():
    assert outer(1) == 7
    with pytest.raises(OverflowError, match="inner failed"):
        outer(6)


def test_runtime_exception_traceback_has_no_jitbridge_frames():
    with pytest.raises(ValueError) as info:
        checked(-5)
    frames = [f.filename for f in traceback.extract_tb(info.value.__traceback__)]
    assert not any("/jitbridge/" in f for f in frames), frames


def local_exception_factory():
    class LocalError(Exception):
        pass

    @njit
    def f():
        raise LocalError("local")
    return f, LocalError


def test_local_exception_class():
    f, local_error = local_exception_factory()
    with pytest.raises(local_error, match="local"):
        f()


@njit
def dyn_index(t, i):
    return t[i]


def test_tuple_index_out_of_range():
    assert dyn_index((1, 2, 3), -1) == 3
    with pytest.raises(IndexError, match="tuple index out of range"):
        dyn_index((1, 2, 3), 3)


def test_range_step_zero():
    @njit
    def r(n):
        s = 0
        for i in range(0, n, 0):
            s += i
        return s
    with pytest.raises(ValueError, match="must not be zero"):
        r(3)


def test_runtime_values_as_exception_arguments():
    import numpy as np

    @njit
    def check(x, data):
        if x > 3:
            raise ValueError("x too big:", x, (x, 2.5))
        if x < 0:
            raise IndexError(data)
        return x
    with pytest.raises(ValueError) as info:
        check(5, np.arange(2))
    assert info.value.args == ("x too big:", 5, (5, 2.5))
    with pytest.raises(IndexError) as info:
        check(-1, np.arange(2))
    assert info.value.args[0].tolist() == [0, 1]


def test_print_in_compiled_code(capsys):
    import numpy as np

    @njit
    def show(n):
        print("n is", n, 2.5, (n, True), np.arange(3))
        print()
        return n
    assert show(3) == 3
    assert capsys.readouterr().out == "n is 3 2.5 (3, True) [0 1 2]\n\n"
