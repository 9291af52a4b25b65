"""isinstance() and type() decided at compile time, and the branches they decide pruned."""
from collections import namedtuple

import numpy as np
import pytest

from jitbridge import njit, typed, types
from jitbridge.errors import TypingError
from jitbridge.frontend import build_ir
from jitbridge.compiler import type_function


def classify(a):
    if isinstance(a, (int, float)):
        if isinstance(a, int):
            return a + 1, "int"
        return a + 2.0, "float"
    elif isinstance(a, str):
        return a + ", world!", "str"
    elif isinstance(a, complex):
        return a.imag, "complex"
    elif isinstance(a, (tuple, list)):
        return "tuple" if isinstance(a, tuple) else "list"
    elif isinstance(a, set):
        return "set"
    elif isinstance(a, np.ndarray):
        return "array"
    return "no match"


SLOW = pytest.mark.slow


@pytest.mark.parametrize("value", [3, "Hello", (1, "a", 2j), None, *(
    pytest.param(v, marks=SLOW) for v in (5.0, 1j, [1, 2]))])
def test_each_branch_types_only_for_its_values(value):
    """Each return has another type: only the decided branch is typed and compiled."""
    assert njit(classify)(value) == classify(value)


def against_every_class(x):
    return (isinstance(x, int), isinstance(x, float), isinstance(x, complex),
            isinstance(x, str), isinstance(x, bool), isinstance(x, list), isinstance(x, tuple),
            isinstance(x, set), isinstance(x, dict), isinstance(x, range),
            isinstance(x, bytes), isinstance(x, np.ndarray), isinstance(x, np.int8),
            isinstance(x, np.float32))


@pytest.mark.parametrize("value", [1, "5", (7,), np.arange(3), *(
    pytest.param(v, marks=SLOW) for v in (2.3, True, {9}, None, np.int8(18)))])
def test_every_class_against_python(value):
    got, expected = njit(against_every_class)(value), against_every_class(value)
    if isinstance(value, (np.int8, np.float32)):  # (see the test below)
        got, expected = got[2:], expected[2:]
    assert got == expected


def test_numpy_and_python_scalars_share_types():
    """As in Numba: an int and an np.intp are both int64 in compiled code."""
    assert njit(lambda: isinstance(np.intp(10), int))() is True
    assert njit(lambda: isinstance(1, np.intp))() is True
    assert njit(lambda x: isinstance(x, int))(np.int8(1)) is False  # int8 is no Python int


def test_typed_containers_dicts_and_jitclasses():
    from jitbridge.experimental import jitclass

    @jitclass([("x", types.int64)])
    class Point:
        def __init__(self, x):
            self.x = x

    @njit
    def kinds(a):
        d = {1: 2}
        return (isinstance(a, typed.List), isinstance(a, typed.Dict), isinstance(d, dict),
                isinstance(a, Point))

    assert kinds(typed.List([1, 2])) == (True, False, True, False)
    assert kinds(typed.Dict.empty(types.int64, types.int64)) == (False, True, True, False)
    assert kinds(Point(3)) == (False, False, True, True)


def test_namedtuples_are_tuples_and_instances_of_their_class():
    Pair = namedtuple("Pair", "a b")

    @njit
    def f(p):
        return isinstance(p, tuple), isinstance(p, Pair)
    assert f(Pair(1, 2)) == (True, True)
    assert f((1, 2)) == (True, False)


def test_tuple_of_classes_answers_before_an_invalid_item():
    @njit
    def f(x):
        return isinstance(x, (float, "not a type"))
    assert f(3.4) is True
    with pytest.raises(TypingError, match="Cannot infer Numba type of Python type"):
        f(100)


def _optional_isinstance(x):
    z = None if x > 4 else 10
    return isinstance(z, int), isinstance(z, (str, float)), isinstance(z, (float, int))


def test_optional_value_is_answered_at_run_time():
    # CPython answers for the value the variable holds (Numba refuses an Optional)
    f = njit(_optional_isinstance)
    for x in (1, 6):
        assert f(x) == _optional_isinstance(x)


def test_optional_value_narrows_in_the_true_branch():
    @njit
    def f(x):
        z = None if x > 4 else "a"
        if isinstance(z, str):
            return z + "b"
        return "none"
    assert (f(1), f(6)) == ("ab", "none")


def test_refusals_are_located():
    with pytest.raises(TypingError, match="Numba type classes"):
        njit(lambda: isinstance(1, types.Integer))()


def test_not_and_constant_conditions_are_decided():
    @njit
    def f(x):
        if not isinstance(x, str):
            return x + 1
        return len(x)
    assert (f(1), f("abc")) == (2, 3)


def test_dead_branch_is_dropped_from_the_typed_ir():
    def f(x):
        if isinstance(x, str):
            y = x + "s"
        else:
            y = x * 2
        return y
    typed_ir = type_function(f, (types.int64,))
    assert len(typed_ir.fir.blocks) < len(build_ir(f).blocks)
    assert typed_ir.return_type == types.int64


def test_loops_after_a_decided_branch_keep_working():
    @njit
    def f(a):
        total = 0
        if isinstance(a, tuple):
            for v in a:
                total += v
        else:
            while True:
                total += 1
                if total > a:
                    break
        return total
    assert f((1, 2, 3)) == 6 and f(4) == 5


def test_type_of_values_converts():
    @njit
    def f(a, b):
        return type(a)(b)
    for a, b in ((1.5, 2), (1, 2.5), (1.5j, 2), (True, 2), (2.5j, False)):
        got, expected = f(a, b), type(a)(b)
        assert got == expected and type(got) is type(expected)
