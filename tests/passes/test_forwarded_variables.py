"""Named variables kept as values instead of stack slots (passes/temporaries.py): each case
reads a forwarded variable where a wrong value, a missing slot or a lost reference would show
(closures, loops, try regions, reassigned arrays, unbound reads), against Python."""
import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.compiler import type_function
from jitbridge.passes.temporaries import forwardable
from jitbridge.passes.typed_ir import build
from jitbridge.testing import no_leaks


def _kept(func, *argtypes) -> frozenset:
    return forwardable(build(type_function(func, argtypes)))


def closure_by_reference(x):
    y = x + 1
    def inner():
        return y * 2
    y = y + 10  # the closure sees the variable, not the value it had when made
    return inner()


def loop_body_value(n):
    total = 0
    for i in range(n):
        sq = i * i  # bound and read in the body's block, once per iteration
        total += sq - i
    return total


def try_region(x, d):
    r = x + 1
    try:
        q = r // d
    except ZeroDivisionError:
        q = -r  # read in the handler: another block
    return q


def arrays_rebound(n):
    a = np.arange(n) * 1.0
    a = a + 1.0  # the old array is released when the name is bound again
    b = a * 2.0
    a = b - a
    return a.sum() + b.sum()


def maybe_unbound(flag):
    if flag:
        v = 3
    return v


COMPILED = {func: njit(func) for func in (closure_by_reference, loop_body_value, try_region,
                                          arrays_rebound, maybe_unbound)}
CASES = [(closure_by_reference, (4,)), (loop_body_value, (7,)), (try_region, (5, 2)),
         (try_region, (5, 0)), (arrays_rebound, (6,))]


@pytest.mark.parametrize("func,args", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_forwarded_variables_keep_python_results(func, args):
    assert COMPILED[func](*args) == func(*args)


def test_a_variable_captured_by_reference_keeps_its_slot():
    kept = _kept(closure_by_reference, types.int64)
    assert "y" not in kept and not any(name.startswith("y.") for name in kept)


def test_a_loop_body_variable_is_forwarded_and_one_read_elsewhere_is_not():
    kept = _kept(loop_body_value, types.int64)
    assert "sq" in kept and "i" in kept
    assert "total" not in kept and not any(k.startswith("total") for k in kept)  # the header


def test_a_variable_read_in_an_except_clause_keeps_its_slot():
    kept = _kept(try_region, types.int64, types.int64)
    assert "r" not in kept


def test_rebound_arrays_are_released_once():
    compiled = COMPILED[arrays_rebound]
    compiled(3)
    with no_leaks():
        assert compiled(6) == arrays_rebound(6)


def test_an_unbound_read_still_raises():
    compiled = COMPILED[maybe_unbound]
    assert compiled(True) == 3
    with pytest.raises(UnboundLocalError):
        compiled(False)
