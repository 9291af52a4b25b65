"""`except E as e` reading the exception: e.args, str(e), repr(e), raise e; for exceptions
raised by the try body (constant and run-time arguments), by callees and by builtins.
Differential against CPython; the exception paths leak-checked."""
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def _callee(x):
    if x > 2:
        raise ValueError("big", x)
    if x == 1:
        raise ValueError(True)
    return x


def constant_args(x):
    try:
        if x > 0:
            raise ValueError("positive", 3)
        return "", 0
    except ValueError as e:
        return e.args[0] + "|" + str(e) + "|" + repr(e), e.args[1] + len(e.args)


def runtime_args(x, s):
    try:
        if x > 0:
            raise KeyError(s + "!", x)
        return "", 0, ""
    except LookupError as e:
        return e.args[0], e.args[1], str(e) + repr(e)


def from_callee(x):
    try:
        return str(_callee(x))
    except ValueError as e:
        return str(e) + repr(e)


def from_builtin(a, b):
    try:
        return str(a // b)
    except ZeroDivisionError as e:
        return "caught " + str(e)


def missing_key(k):
    d = {"ab": 1}
    try:
        return str(d[k])
    except KeyError as e:
        return str(e)


def several_classes(n):
    out = ""
    for i in range(n):
        try:
            if i % 2:
                raise ValueError("odd", i)
            raise KeyError(str(i))
        except (ValueError, KeyError) as e:
            out += repr(e) + str(e)
    return out


def class_tests(x):
    try:
        if x == 0:
            raise ValueError(x)
        if x == 1:
            raise KeyError(x)
        x = x // (x - x)
        return (False,) * 6
    except Exception as e:
        return (isinstance(e, ValueError), isinstance(e, (KeyError, ZeroDivisionError)),
                isinstance(e, Exception), type(e) is KeyError, type(e) == ValueError,
                type(e) is not LookupError)


def reraised(x):
    try:
        raise IndexError("index", x)
    except Exception as e:
        raise e


_JITTED: dict = {}


def jit(pyfunc):
    """One dispatcher per function for the whole module (compiling is the slow part)."""
    if pyfunc not in _JITTED:
        _JITTED[pyfunc] = njit(pyfunc)
    return _JITTED[pyfunc]


def _outcome(func, *args):
    try:
        return func(*args)
    except Exception as exc:  # noqa: BLE001  (compared whatever it is)
        return type(exc), exc.args


_SLOW = pytest.mark.slow  # (each function costs a compilation: the rest of the sweep)


@pytest.mark.parametrize("pyfunc, args", [
    (constant_args, (1,)), (constant_args, (0,)), (runtime_args, (7, "k")),
    (runtime_args, (0, "k")), (from_callee, (5,)), (from_callee, (1,)), (from_callee, (2,)),
    (from_builtin, (1, 0)), pytest.param(from_builtin, (1.0, 0.0), marks=_SLOW),
    (from_builtin, (7, 2)), pytest.param(missing_key, ("abc",), marks=_SLOW),
    pytest.param(missing_key, ("ab",), marks=_SLOW),
    pytest.param(several_classes, (4,), marks=_SLOW),
    (reraised, (3,)), (class_tests, (0,)), (class_tests, (1,)), (class_tests, (2,)),
])
def test_as_cpython(pyfunc, args):
    assert _outcome(jit(pyfunc), *args) == _outcome(pyfunc, *args)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 2**62), st.text(max_size=8))
def test_runtime_values_kept_exactly(x, s):
    assert jit(runtime_args)(x, s) == runtime_args(x, s)


def test_raise_e_is_the_caught_object():
    @njit
    def again(x):
        try:
            _callee(x)
        except ValueError as e:
            raise e
    with pytest.raises(ValueError) as info:
        again(9)
    assert info.value.args == ("big", 9)
    assert "_callee" in {entry.name for entry in info.traceback}


def test_args_without_raise_site_is_a_located_typing_error():
    def untyped(x):
        try:
            _callee(x)
            return 0
        except ValueError as e:
            return e.args[0]
    with pytest.raises(TypingError, match="arguments of the caught exception cannot be "
                                          "typed") as info:
        njit(untyped)(5)
    assert "e.args[0]" in str(info.value)


def test_args_of_other_types_at_run_time_is_a_type_error():
    @njit
    def mismatch(x):
        try:
            if x == 0:
                raise ValueError(x)
            _callee(x)
            return 0
        except ValueError as e:
            return e.args[0]
    assert mismatch(0) == 0 and mismatch(2) == 0
    for other in (5, 1):  # ("big", 5); True, an int to unboxing but a bool to Python
        with pytest.raises(TypeError, match=r"not of the types \(int64,\)"):
            mismatch(other)


def test_exception_paths_do_not_leak():
    funcs = [(jit(runtime_args), (3, "abc")), (jit(from_callee), (5,)), (jit(class_tests), (1,))]
    for func, args in funcs:
        func(*args)
    with no_leaks(ValueError, KeyError):
        for _ in range(200):
            for func, args in funcs:
                func(*args)


def several_runtime_raises(a, x, s):
    if a == 0:
        raise ValueError(x)
    if a == 1:
        raise ValueError(s, x + 1)
    if a == 2:
        raise KeyError(x * 2.5)
    return a


def test_runtime_values_of_each_raise_site():
    """Numba #10693: the values of one raise site never leak into another's message."""
    for a in range(4):
        assert _outcome(jit(several_runtime_raises), a, 7, "s") == \
            _outcome(several_runtime_raises, a, 7, "s")


@_SLOW
def test_dict_and_several_classes_do_not_leak():
    funcs = [(jit(several_classes), (5,)), (jit(missing_key), ("x",))]
    for func, args in funcs:
        func(*args)
    with no_leaks(ValueError, KeyError):
        for _ in range(200):
            for func, args in funcs:
                func(*args)
