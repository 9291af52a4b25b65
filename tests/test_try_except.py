"""try/except/else/finally in compiled code, differential against CPython: which clause catches
(class hierarchy, tuples, clause order), what propagates unchanged, the order of else and
finally clauses on every path, re-raising, and exact reference counts on exception paths."""
import gc
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit, objmode
from jitbridge.errors import TypingError, UnsupportedError
from jitbridge.extending import register_jitable
from jitbridge.testing import no_leaks


class MyError(ValueError):
    pass


def outcome(func, *args):
    """('ok', result) or ('raised', class, args): what a call does, comparable across runs."""
    try:
        return ("ok", func(*args))
    except Exception as exc:  # noqa: BLE001 - any difference is the test's subject
        return ("raised", type(exc), exc.args)


def same_as_python(dispatcher, *args):
    assert outcome(dispatcher, *args) == outcome(dispatcher.py_func, *args), args


@njit
def thrower(k, value):
    """Raise a different exception for each k: constant payloads (status 1) and, for k == 6,
    a runtime argument (a Python error, status -1)."""
    if k == 1:
        raise ZeroDivisionError("zero")
    if k == 2:
        raise KeyError("key")
    if k == 3:
        raise IndexError
    if k == 4:
        raise MyError("mine", 4)
    if k == 5:
        raise OSError("not caught")
    if k == 6:
        raise ValueError(value)
    return value


@njit
def classify(k, value):
    try:
        r = thrower(k, value)
    except ArithmeticError:
        r = -1
    except (KeyError, IndexError):
        r = -2
    except MyError:  # before its base class: the first matching clause wins
        r = -3
    except ValueError:
        r = -4
    return r


@njit
def classify_direct(k):
    """The same clauses around raises in the function itself."""
    try:
        if k == 1:
            raise ZeroDivisionError
        if k == 4:
            raise MyError("direct")
        if k == 5:
            raise OSError("direct")
        r = 0
    except Exception as exc:  # noqa: F841 - bound but never read: accepted
        r = -1 if k == 1 else -5
    return r


@pytest.mark.parametrize("k", range(7))
def test_clauses_match_by_class_hierarchy_in_order(k):
    same_as_python(classify, k, 7)
    same_as_python(classify_direct, k)


@njit(boundscheck=True)
def runtime_errors(a, i, d):
    total = 0.0
    try:
        total += a[i]
    except IndexError:
        total -= 100.0
    try:
        total += 10 // d
    except ZeroDivisionError:
        total -= 1000.0
    try:
        total += 1.0 / d
    except ArithmeticError:
        total -= 10000.0
    return total


@pytest.mark.parametrize("i, d", [(0, 1), (5, 1), (0, 0), (9, 0), (-1, 2)])
def test_errors_of_builtins_are_caught(i, d):
    same_as_python(runtime_errors, np.arange(3.0), i, d)


@njit
def else_finally(p, q, r):
    trace = 0
    try:
        trace = trace * 10 + 1
        if p:
            raise MyError("p")
        trace = trace * 10 + 2
    except MyError:
        trace = trace * 10 + 3
        try:
            if q:
                raise KeyError
            trace = trace * 10 + 4
        except LookupError:
            trace = trace * 10 + 5
        else:
            trace = trace * 10 + 6
        if r:
            raise IndexError
    else:
        trace = trace * 10 + 7
    finally:
        trace = trace * 10 + 8
        if r and q:
            return trace
    return trace


@pytest.mark.parametrize("p, q, r", list(itertools.product([False, True], repeat=3)))
def test_else_and_finally_run_in_pythons_order(p, q, r):
    same_as_python(else_finally, p, q, r)


@njit
def loop_control(n, stop):
    total = 0
    for i in range(n):
        try:
            if i == stop:
                break
            if i % 3 == 0:
                raise ValueError
            if i % 3 == 1:
                continue
            total += 1
        except ValueError:
            total += 10
            if i > 5:
                return total
            continue
        finally:
            total += 100
    else:
        total += 1000
    return total


@pytest.mark.parametrize("n, stop", [(0, -1), (5, -1), (5, 2), (9, -1), (9, 4)])
def test_break_continue_and_return_run_finally(n, stop):
    same_as_python(loop_control, n, stop)


@njit
def sum_until(a, stop):
    total = 0.0
    try:  # a counted loop inside the region: strip-mined, its interrupt polls in the region
        for i in range(a.shape[0]):
            if a[i] > stop:
                raise ValueError
            total += a[i]
    except ValueError:
        total = -total
    return total


@pytest.mark.parametrize("stop", [-1.0, 2.5, 100.0])
def test_loop_inside_a_try_body(stop):
    same_as_python(sum_until, np.arange(6.0), stop)


@njit
def reraise_kind(k, value):
    try:
        thrower(k, value)
    except Exception:
        try:  # an exception handled meanwhile does not replace the one re-raised
            raise KeyError("inner")
        except KeyError:
            pass
        raise
    return 0


@pytest.mark.parametrize("k", [0, 1, 4, 6])
def test_bare_raise_re_raises_the_handled_exception(k):
    same_as_python(reraise_kind, k, 3)


@njit
def raise_handled():
    raise


def test_bare_raise_outside_a_handler_re_raises_the_interpreters_exception():
    try:
        raise KeyError("outer")
    except KeyError:
        with pytest.raises(KeyError, match="outer"):
            raise_handled()
    with pytest.raises(RuntimeError, match="No active exception to reraise"):
        raise_handled()


@njit
def maybe_unbound(p):
    try:
        if p:
            raise ValueError
        x = 1
    except ValueError:
        pass
    return x


def test_a_variable_the_failed_code_never_assigned_is_unbound():
    assert maybe_unbound(False) == 1
    with pytest.raises(UnboundLocalError):
        maybe_unbound(True)


@njit
def objmode_parse(text_ok):
    try:
        with objmode(y="int64"):
            y = int("12" if text_ok else "abc")
    except ValueError:
        y = -1
    return y


def test_python_errors_from_objmode_are_caught_and_cleared():
    assert objmode_parse(True) == 12
    assert objmode_parse(False) == -1


@register_jitable
def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return 0.0


@njit
def use_safe_div(a, b):
    return safe_div(a, b) + 1.0


def test_try_inside_a_callee_lowered_in_place():
    assert use_safe_div(1.0, 0.0) == 1.0
    assert use_safe_div(1.0, 4.0) == 1.25


@njit
def arrays_on_exception_paths(n, k):
    a = np.ones(n)
    total = 0.0
    for i in range(n):
        b = a + i
        try:
            c = b * 2
            if i % k == 0:
                raise MyError("at", i)
            a = c
        except ValueError:
            a = np.zeros(n) + b
            continue
        finally:
            total += a.sum()
    return total


@given(st.integers(0, 6), st.integers(1, 4))
@settings(max_examples=20, deadline=None)
def test_exception_paths_release_every_reference(n, k):
    same_as_python(arrays_on_exception_paths, n, k)
    with no_leaks():
        arrays_on_exception_paths(n, k)


def test_caught_python_errors_are_released():
    def live_value_errors():
        gc.collect()
        return sum(isinstance(o, ValueError) for o in gc.get_objects())

    classify(6, 1)
    before = live_value_errors()
    for value in range(200):
        assert classify(6, value) == -4
    assert live_value_errors() == before


def test_the_bound_exception_is_returned_as_itself():
    @njit
    def reads_exception(x):
        try:
            raise ValueError(x)
        except ValueError as err:
            return err

    err = reads_exception(7)
    assert type(err) is ValueError and err.args == (7,)


def test_except_clause_needs_exception_classes():
    @njit
    def not_a_class(x):
        try:
            return x
        except x:
            return 0

    with pytest.raises(TypingError, match="except clause takes an exception class"):
        not_a_class(1)
