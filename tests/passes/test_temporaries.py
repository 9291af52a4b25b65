"""Variables kept as values instead of stack slots (passes/temporaries.py, issue 12 item 4):
only those assigned once and read later in their own block, so every read sees the value the
lowering computed for them."""
from jitbridge import njit, types
from jitbridge.compiler import type_function
from jitbridge.ir import nodes as n
from jitbridge.passes.temporaries import forwardable
from jitbridge.passes.typed_ir import build

from tests.passes import golden_funcs as g


def _forwarded(func, *argtypes):
    tir = build(type_function(func, argtypes))
    return tir, forwardable(tir)


def test_variables_read_in_other_blocks_or_before_their_assignment_keep_slots():
    tir, kept = _forwarded(g.lists, types.int64)
    values = {op.node.target: op.node.value for _, op in tir.ops() if isinstance(op.node, n.Assign)}
    iterator = next(name for name, value in values.items() if isinstance(value, n.GetIter))
    assert iterator not in kept  # read by iternext in the loop header
    assert "xs" not in kept and "n" not in kept  # read in the loop and after it
    assert "i" in kept  # the loop variable, bound and read in the body's one block
    assert any(isinstance(values[name], n.Call) for name in kept)  # np.zeros(2)


def _statements(x):
    x = x + 1
    x = x * 3
    x = x - 2
    return x


def test_a_straight_line_function_keeps_no_variable_in_a_slot():
    tir, kept = _forwarded(_statements, types.int64)
    assert kept == set(tir.typemap)  # each web of `x` is bound once, read further down
    assert njit(_statements)(5) == _statements(5)
