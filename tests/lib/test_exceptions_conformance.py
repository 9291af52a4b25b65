"""Exceptions where jitbridge follows CPython (issue 18): bare `raise` re-raising inside an
except clause, a local read after the exception that left it unbound, `except ... as e`
saved; exception arguments of different integer widths kept exact; a prange loop inside a
try block (run serially, with Numba's NumbaPerformanceWarning); the messages of refused
exception arguments and typed.List appends. Differential against CPython, exception paths
leak-checked."""
import warnings

import numpy as np
import pytest

from jitbridge import njit, prange, typed
from jitbridge.errors import NumbaPerformanceWarning, TypingError
from jitbridge.testing import no_leaks


def reraise(x):
    try:
        raise ValueError("ERROR", x)
    except Exception:
        raise


def reraise_chain(x):
    try:
        raise ValueError("ERROR", x)
    except Exception:
        try:
            raise
        except Exception:
            raise


def reraise_builtin(k):
    d = {"a": 1}
    try:
        return d[k]
    except KeyError:
        raise


def unbound_after_catch(a):
    try:
        chol = np.linalg.cholesky(a)
    except:  # noqa: E722
        return chol  # noqa: F821 (unbound here: UnboundLocalError, as CPython)
    return chol


def save_caught(x):
    try:
        if x:
            raise ZeroDivisionError
        r = 123
    except Exception as e:  # noqa: F841
        r = 321
        return r
    return r


def rebound_exception(a):
    if a == 0:
        exc = ValueError(np.int8(-7), np.float32(0.5))
    elif a == 1:
        exc = ValueError(np.uint32(2 ** 32 - 1), 0.25)
    else:
        exc = ValueError(np.int64(-2 ** 63), 1.5)
    raise exc


def caught_widths(a):
    try:
        if a == 0:
            raise ValueError(np.int8(-7))
        if a == 1:
            raise ValueError(np.uint16(65535))
        raise ValueError(np.int64(2 ** 40))
    except ValueError as e:
        return e.args[0]


def unsigned_top(a):
    if a:
        raise ValueError(np.uint64(2 ** 63))
    raise ValueError(np.int64(-7))


def int64_or_uint64(a):
    exc = ValueError(np.int64(-7)) if a else ValueError(np.uint64(2 ** 63))
    raise exc


def prange_map_in_try(arr, x):
    out = arr.copy()
    try:
        for i in prange(arr.size):
            if i == x:
                raise ValueError
            out[i] = arr[i] + i
    except Exception:
        out[i] = -1
    return out


def prange_reduction_in_try(n, x):
    c = 0
    try:
        for i in prange(n):
            if i == x:
                raise ValueError(i)
            c += i
    except ValueError as e:
        return -e.args[0] - c
    return c


def list_append_wrong_type():
    lst = typed.List()
    lst.append(0)
    lst.append("fda")
    return lst


def raise_range():
    raise ValueError(range(3))


def raise_dict():
    raise ValueError({'a': 1, 'b': 3})


JIT = {f: njit(f) for f in (reraise, reraise_chain, reraise_builtin, unbound_after_catch,
                            save_caught, rebound_exception, caught_widths, unsigned_top)}
PARALLEL = {f: njit(parallel=True)(f) for f in (prange_map_in_try, prange_reduction_in_try)}


def outcome(func, *args):
    """(result, None) or (exception class, args) of a call; an array result as a list."""
    try:
        result = func(*args)
        return (result.tolist() if isinstance(result, np.ndarray) else result), None
    except Exception as e:
        return type(e), e.args


@pytest.mark.parametrize("func, args", [
    (reraise, (3,)), (reraise_chain, ("x",)), (reraise_builtin, ("b",)),
    (reraise_builtin, ("a",)), (save_caught, (True,)), (save_caught, (False,)),
    (unbound_after_catch, (np.zeros((2, 2)),)), (unbound_after_catch, (np.eye(2),)),
])
def test_reraise_and_caught_state_as_cpython(func, args):
    expected = outcome(func, *args)
    outcome(JIT[func], *args)  # (compiled, so no_leaks sees only the call)
    with no_leaks():
        got = outcome(JIT[func], *args)
    assert got == expected


def test_bare_reraise_keeps_the_object_and_traceback():
    with pytest.raises(ValueError) as caught:
        JIT[reraise_chain](5)
    assert caught.value.args == ("ERROR", 5)
    assert caught.traceback[-1].name == "reraise_chain"


@pytest.mark.parametrize("a", [0, 1, 2])
def test_exception_values_of_different_widths_stay_exact(a):
    expected = outcome(rebound_exception, a)
    with no_leaks():
        got = outcome(JIT[rebound_exception], a)
    assert got == expected
    assert [type(v) for v in got[1]] == [int, float]  # (never an int shown as a float)


@pytest.mark.parametrize("a", [0, 1, 2])
def test_caught_arguments_of_different_widths(a):
    assert JIT[caught_widths](a) == caught_widths(a)


@pytest.mark.parametrize("a, text", [(0, "-7"), (1, str(2 ** 63))])
def test_unsigned_above_int64_prints_exactly(a, text):
    with pytest.raises(ValueError) as caught:
        JIT[unsigned_top](a)
    assert str(caught.value) == text


def test_no_type_holds_int64_and_uint64():
    with pytest.raises(TypingError, match="incompatible types"):
        njit(int64_or_uint64)(0)


@pytest.mark.filterwarnings("ignore::jitbridge.errors.NumbaPerformanceWarning")
@pytest.mark.parametrize("x", [6, 99])
def test_prange_in_try_runs_serially_as_python(x):
    arr = np.arange(10)
    assert np.array_equal(PARALLEL[prange_map_in_try](arr, x), prange_map_in_try(arr, x))
    assert PARALLEL[prange_reduction_in_try](10, x % 10) == prange_reduction_in_try(10, x % 10)


def test_prange_in_try_warns_once_at_its_line():
    def twice_in_try(n):  # (a function of its own: the warning comes with its first build)
        c = 0
        try:
            for i in prange(n):
                c += i
        finally:
            c += 1
        return c

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert njit(parallel=True)(twice_in_try)(4) == twice_in_try(4)
    perf = [w for w in seen if issubclass(w.category, NumbaPerformanceWarning)]
    assert len(perf) == 1
    assert "no transformation for parallel execution was possible" in str(perf[0].message)
    assert perf[0].lineno == twice_in_try.__code__.co_firstlineno + 3


def test_typed_list_append_of_wrong_type_says_cannot_cast():
    with pytest.raises(TypingError, match="cannot safely cast unicode_type to int64"):
        njit(list_append_wrong_type)()


def test_exception_argument_without_python_object_is_refused():
    with pytest.raises(TypingError, match="Cannot convert native range_state_int64 to a "
                                          "Python object"):
        njit(raise_range)()


def test_dict_argument_prints_as_cpython():
    with pytest.raises(ValueError) as caught:
        njit(raise_dict)()
    assert str(caught.value) == str(ValueError({'a': 1, 'b': 3}))
