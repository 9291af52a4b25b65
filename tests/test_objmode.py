"""objmode: calling back into Python from compiled code, beyond Numba's limitations."""
import gc
import sys

import numpy as np
import pytest

from jitbridge import njit, objmode, types
from jitbridge.errors import TypingError, UnsupportedError
from jitbridge.runtime import stats
from jitbridge.testing import no_leaks


def bar(x):
    return np.asarray(x)[::-1]


@njit
def seed():
    x = np.arange(5)
    y = np.zeros_like(x)
    with objmode(y='intp[:]'):   # annotate the output type
        y += bar(x)               # runs in the interpreter
    return y


def test_seed_program():
    result = seed()
    assert result.tolist() == [4, 3, 2, 1, 0] and result.dtype == np.intp


LOG = []


@njit
def progress(n):
    total = 0
    for i in range(n):
        total += i
        if i % 10 == 0:
            with objmode():
                LOG.append((i, total))
    return total


def test_block_without_outputs_for_side_effects():
    LOG.clear()
    assert progress(25) == sum(range(25))
    assert LOG == [(0, 0), (10, 55), (20, 210)]


@pytest.mark.parametrize("annotation", ["int64", types.int64])
def test_annotation_as_string_or_type(annotation):
    @njit
    def f(a):
        with objmode(b=annotation):
            b = a * 3
        return b + 1
    assert f(2) == 7


def test_annotation_forms():
    @njit
    def f(n):
        with objmode(m='float64[:, ::1]', t='UniTuple(float64, 2)', k='intp[:]'):
            m = np.ones((n, 2))
            t = (1.5, 2.5)
            k = np.arange(n)
        return m.sum() + t[0] + t[1] + k.sum()
    assert f(3) == 6.0 + 4.0 + 3


def test_inputs_are_boxed_sharing_memory():
    @njit
    def f(a, scale, pair, items):
        with objmode():
            a[:] *= scale          # the same memory as the compiled array
            a[0] += pair[1] + sum(items)
        return a.sum()
    data = np.ones(3)
    assert f(data, 2.0, (1, 10), [1, 2, 3]) == 2.0 * 3 + 10 + 6
    assert data.tolist() == [18.0, 2.0, 2.0]


def double(v):
    return 2 * v


def test_function_objects_as_inputs():
    @njit
    def f(x):
        with objmode(y='float64'):
            op = double
            y = op(x)
        return y
    assert f(1.5) == 3.0


def test_wrong_output_type_names_variable_annotation_and_type():
    @njit
    def f():
        with objmode(y='int64'):
            y = "not a number"
        return y
    with pytest.raises(TypeError) as info:
        f()
    message = str(info.value)
    assert "'y'" in message and "int64" in message and "str" in message


def test_output_conversion_within_kind():
    @njit
    def f():
        with objmode(y='float64', z='int32'):
            y = 3          # int -> float64
            z = np.int64(7)
        return y, z
    assert f() == (3.0, 7)


class Boom(Exception):
    pass


def test_exception_in_block_propagates_and_cleans_up():
    @njit
    def f(n):
        a = np.arange(n)
        with objmode():
            raise Boom(f"failed with {n}")
        return a
    f_live = stats()["live"]
    with pytest.raises(Boom, match="failed with 4"):
        f(4)
    gc.collect()
    assert stats()["live"] == f_live


def test_return_break_continue_inside_block():
    @njit
    def f(n):
        total = 0
        for i in range(n):
            with objmode(total='int64', result='int64'):
                result = -1
                if i == 2:
                    continue
                if i == 6:
                    break
                if i == 100:
                    result = 100
                    return result
                total += i
        return total

    assert f(10) == 0 + 1 + 3 + 4 + 5
    assert f(4) == 0 + 1 + 3

    @njit
    def g(limit):
        with objmode(value='int64'):
            value = limit * 2
            if value > 10:
                return value
        return -value
    assert g(10) == 20
    assert g(1) == -2


def test_nested_with_loops_try_except_inside_block():
    import contextlib

    @njit
    def f(n):
        with objmode(out='int64'):
            out = 0
            with contextlib.suppress(ZeroDivisionError):
                out += 1 // 0
            for i in range(n):
                try:
                    if i == 2:
                        raise KeyError(i)
                    out += i
                except KeyError:
                    out += 100
        return out
    assert f(4) == 0 + 1 + 100 + 3


def test_lists_tuples_of_arrays_and_objects_out_of_a_block():
    @njit
    def f(n):
        with objmode(arrays='List(float64[::1])', pair='Tuple(float64[::1], intp[::1])'):
            arrays = [np.full(i + 1, float(i)) for i in range(n)]
            pair = (np.ones(2), np.arange(3))
        total = 0.0
        for a in arrays:
            total += a.sum()
        return total, pair[0].sum() + pair[1].sum()
    with no_leaks():
        assert f(3) == (0.0 + 2.0 + 6.0, 2.0 + 3)


def test_outputs_survive_after_python_objects_die():
    @njit
    def f():
        with objmode(a='float64[::1]'):
            a = np.arange(4.0) * 10   # only the compiled code keeps this array alive
        b = a[1:]
        return b
    gc.collect()
    before = stats()["live"]
    result = f()
    assert result.tolist() == [10.0, 20.0, 30.0]
    del result
    gc.collect()
    assert stats()["live"] == before


def test_no_leaks_over_many_entries():
    @njit
    def f(a):
        s = 0.0
        for i in range(1000):
            with objmode(v='float64', b='float64[::1]'):
                v = float(i)
                b = a[:2].copy()
            s += v + b[0]
        return s
    data = np.ones(3)
    f(data)
    gc.collect()
    with no_leaks(data):
        assert f(data) == sum(range(1000)) + 1000.0


def test_objmode_outside_compiled_code_is_a_no_op():
    with objmode(y='int64'):
        y = 3
    assert y == 3
    assert objmode().__exit__(None, None, None) is False


def test_unannotated_return_value_is_a_clear_error():
    def f(x):
        with objmode():
            return x
        return x
    with pytest.raises(UnsupportedError, match="annotated outputs"):
        njit(f)(1)


def test_unsupported_input_type_is_a_clear_error():
    @njit
    def f(n):
        r = range(n)
        with objmode():
            print(r)
        return n
    with pytest.raises(TypingError, match="'r'.*cannot be passed into an objmode block"):
        f(3)


def test_breakpoint_stops_with_locals_visible(monkeypatch):
    seen = {}

    def hook(*args, **kwargs):
        frame = sys._getframe(1)
        seen.update(frame.f_locals)

    monkeypatch.setattr(sys, "breakpointhook", hook)

    @njit
    def f(a, b):
        c = a + b
        arr = np.arange(3)
        breakpoint()
        return c * 2
    assert f(2, 3) == 10
    assert seen["a"] == 2 and seen["b"] == 3 and seen["c"] == 5
    assert seen["arr"].tolist() == [0, 1, 2]


def test_objmode_in_inner_function_numba_issue_4457():
    @njit
    def outer(n):
        def inner(k):
            with objmode(out='int64'):
                out = k * 10
            return out
        return inner(n) + 1
    assert outer(4) == 41


@njit
def triple(v):
    return 3 * v


def test_jitted_and_global_functions_in_variables_cross_into_blocks():
    @njit
    def f(x):
        op = triple
        fn = np.sqrt
        with objmode(y='float64'):
            y = op(x) + fn(x)
        return y
    assert f(4.0) == 12.0 + 2.0


def test_bad_item_in_annotated_list_output_names_the_variable():
    @njit
    def f():
        with objmode(values='List(int64)'):
            values = [1, "two"]
        return values
    with pytest.raises(TypeError, match="objmode output 'values' does not match its annotation "
                                        "list\\(int64\\)"):
        f()
