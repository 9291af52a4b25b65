"""A name bound again to a value of another type: each binding's web is a variable of its own
(jitbridge/ir/webs.py), typed, released and reported as CPython would."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jitbridge import njit, objmode, types
from jitbridge.errors import TypingError
from jitbridge.runtime import stats
from jitbridge.testing import no_leaks


def rebind_to_tuple(a):
    a = (a, a)
    return a


def int_then_float(x):
    text = str(x)  # the int binding: CPython prints '3', not '3.0'
    x = x * 1.5
    return text, x


def loop_accumulates(n):
    x = 0
    for i in range(n):
        x = x + 0.5 * i
    return x


def branch_types_meet_later(flag, n):
    if flag:
        y = n
    else:
        y = n + 1
    y = str(y)
    return y + "!"


def array_then_scalar(n):
    a = np.arange(n) * 2.0
    a = a.sum()
    a = int(a)
    return a


def pruned_by_isinstance(a):
    x = 0
    if isinstance(a, int):
        a = (a, a)
    for i in range(len(a)):
        x += i
    return x


def maybe_unbound(flag):
    if flag:
        v = 1
    v2 = v
    v = "text"
    return v2, v


CASES = [
    (rebind_to_tuple, (7,)),
    (int_then_float, (3,)),
    (loop_accumulates, (5,)),
    (branch_types_meet_later, (True, 4)),
    (branch_types_meet_later, (False, 4)),
    (array_then_scalar, (6,)),
    (pruned_by_isinstance, (3,)),
    (pruned_by_isinstance, ((1, 2, 3),)),
    (maybe_unbound, (True,)),
]
COMPILED = {func: njit(func) for func, _ in CASES}


@pytest.mark.parametrize("func, args", CASES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_results_match_cpython(func, args):
    assert COMPILED[func](*args) == func(*args)


def test_an_unbound_web_is_reported_by_its_python_name():
    with pytest.raises(UnboundLocalError, match="local variable 'v' where"):
        COMPILED[maybe_unbound](False)


def test_a_loop_keeps_one_variable_of_one_type():
    assert type(COMPILED[loop_accumulates](3)) is float


@njit
def _sequence(ops, start):
    value = start
    out = 0.0
    for op in ops:
        if op == 0:
            value = value + 1
        elif op == 1:
            value = value * 0.5
        else:
            value = value - 3
        out += value
    text = str(int(out))
    out = len(text)
    return out, value


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 2), max_size=8), st.integers(-50, 50))
def test_values_of_rebound_names_match_cpython(ops, start):
    assert _sequence(np.array(ops, dtype=np.int64), start) == \
        _sequence.py_func(np.array(ops, dtype=np.int64), start)


@njit
def _released_at_rebinding(n):
    a = np.ones(n)
    a = a.sum()  # CPython releases the array here, not at the function's end
    with objmode(live="int64"):
        live = stats()["live"]
    return a, live


def test_the_old_value_is_released_when_the_name_is_bound_again():
    _released_at_rebinding(4)
    with no_leaks():
        before = stats()["live"]
        total, live = _released_at_rebinding(1000)
    assert total == 1000.0
    assert live == before


@njit
def _rebound_in_try(n):
    a = np.ones(n)
    try:
        a = a * 2
        if n > 3:
            raise ValueError("big")
        a = a.sum()
    except ValueError:
        return -1.0
    return a


def test_rebinding_inside_try_regions_leaks_nothing():
    _rebound_in_try(2)
    with no_leaks():
        for n in (1, 2, 5):
            assert _rebound_in_try(n) == _rebound_in_try.py_func(n)


def test_a_closure_sees_the_latest_binding():
    def late_binding():
        x = 1
        read = lambda: x  # noqa: E731
        x = 2
        return read()

    assert njit(late_binding)() == late_binding() == 2


def test_locals_declares_every_binding_of_the_name():
    def declared(n):
        y = n
        y = y + 1
        return y

    compiled = njit(locals={"y": types.float32})(declared)
    result = compiled(3)
    assert result == 4.0 and type(result) is float


def test_incompatible_types_meeting_at_a_join_are_refused_with_the_python_name():
    def meet(flag):
        if flag:
            z = 10
        else:
            z = "a"
        return isinstance(z, int)

    with pytest.raises(TypingError) as info:
        njit(meet)(True)
    message = str(info.value)
    assert "variable 'z' is assigned values of incompatible types int64 and unicode_type" \
        in message
    assert 'isinstance() cannot determine the type of variable "z" due to a branch.' in message


def test_generators_rebind_across_yields():
    def gen(n):
        x = n
        yield x
        x = float(x) / 2
        yield x
        x = str(n)
        yield len(x)

    assert list(njit(gen)(40)) == list(gen(40))


def test_a_name_rebound_to_literally_of_itself_keeps_the_literal_type():
    from jitbridge import literally

    @njit
    def pick(tup, idx):
        idx = literally(idx)
        return tup[idx]

    items = (4, 3.1, "sss")
    assert [pick(items, i) for i in range(3)] == list(items)
