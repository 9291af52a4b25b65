"""literal_unroll: a loop over a tuple of mixed item types compiles its body once per item,
differential against the same function run by CPython."""
import numpy as np
import pytest

from jitbridge import literal_unroll, njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def total(t):
    acc = 0.0
    for v in literal_unroll(t):
        acc += v
    return acc


@njit
def describe(t):
    out = ""
    for v in literal_unroll(t):
        out += str(v) + ","
    return out


@njit
def control_flow(t):
    n = 0
    for v in literal_unroll(t):
        if v == 2:
            continue
        if v == "stop":
            break
        n += 1
    else:
        n += 100
    return n


@njit
def nested(t, u):
    s = 0.0
    for a in literal_unroll(t):
        for b in literal_unroll(u):
            s += a * b
    return s


@njit
def early_return(t):
    for v in literal_unroll(t):
        if v == "b":
            return 1
    return 0


@njit
def built_inside():
    t = (1, "ab", 3.5)
    n = 0
    for v in literal_unroll(t):
        n += len(str(v))
    return n


@pytest.mark.parametrize("func, args", [
    (total, ((1, 2.5, True, np.float32(0.5)),)),
    (describe, ((1, "a", 2),)),
    (control_flow, ((1, 2, "x", "stop", 3.0),)),
    (control_flow, ((1, 2, "x"),)),
    (nested, ((1, 2.0), (3, 4.5))),
    (early_return, ((1, "b"),)),
    (early_return, ((1, 2.5),)),
    (built_inside, ()),
])
def test_matches_python(func, args):
    assert func(*args) == func.py_func(*args)


def test_other_iterables_loop_as_usual():
    assert total((1.5, 2.5)) == 4.0
    assert total([1.0, 2.0, 3.0]) == 6.0
    assert total(np.arange(4.0)) == 6.0


def test_called_from_another_compiled_function():
    @njit
    def outer(t):
        return describe(t) + "!"
    assert outer((1, "x")) == "1,x,!"


def test_outside_a_loop_it_is_the_container():
    @njit
    def same(t):
        return literal_unroll(t)
    assert same((1, "a")) == (1, "a")


def test_strings_in_unrolled_bodies_do_not_leak():
    # values made at run time: the count of an interned literal or a cached small int moves
    # with every code object (and thread) using it, which other tests create and free
    t = ("".join(["a", "b"]), int("1000001"), "".join(["c", "d"]))
    describe(t)
    with no_leaks(*t):
        for _ in range(200):
            describe(t)


def test_non_iterable_is_a_located_typing_error():
    @njit
    def bad(x):
        for v in literal_unroll(x):
            pass
        return 0
    with pytest.raises(TypingError, match="cannot iterate over a value of type int64"):
        bad(3)


def test_a_variable_bound_per_item_types_per_item_until_the_types_meet():
    @njit
    def rebinds(t):
        n = 0
        for v in literal_unroll(t):
            last = v  # noqa: F841 (each item's binding is a variable of its own: ir/webs.py)
            n += 1
        return n

    @njit
    def last_item(t):
        for v in literal_unroll(t):
            last = v
        return last  # (the last item's binding: the earlier ones are dead)

    @njit
    def meets(t, flag):
        for v in literal_unroll(t):
            if flag:
                last = v
        return last  # (int or str: one variable, two types)

    assert rebinds((1, "a")) == rebinds.py_func((1, "a")) == 2
    assert last_item((1, "a")) == "a"
    with pytest.raises(TypingError, match="incompatible types"):
        meets((1, "a"), True)
