"""The typed-IR stage: private immutable blocks, ids as keys, liveness and loop analysis."""
import pytest

from jitbridge import types
from jitbridge.compiler import type_function
from jitbridge.ir import nodes as n
from jitbridge.ir.printer import format_function
from jitbridge.passes import cfg, prepare
from jitbridge.passes.liveness import liveness
from jitbridge.passes.typed_ir import DecRef, IncRef, build

from . import golden_funcs as g
from .test_refcount_golden import owns


def scale(x, k):
    y = x
    for i in range(k):
        y = y * 2
    return y


def test_specialisations_share_no_state_and_leave_the_untyped_ir_alone():
    first = type_function(scale, (types.int64, types.int64))
    second = type_function(scale, (types.float64, types.int64))
    assert first.fir is second.fir  # the frontend's IR is shared between specialisations
    text = format_function(first.fir)
    a, b = prepare(first, owns), prepare(second, owns)
    assert format_function(first.fir) == text
    assert all(isinstance(block.body, tuple) for block in a.blocks.values())
    with pytest.raises(TypeError):
        a.blocks[0] = a.blocks[0]
    [(sid, node)] = [(op.sid, op.node) for _, op in a.ops()
                     if isinstance(op.node, n.Assign) and isinstance(op.node.value, n.BinOp)]
    assert b.blocks is not a.blocks and a.exprtypes[sid] == types.int64
    assert b.exprtypes[sid] == types.float64  # same op id, each its own table


def test_op_ids_are_unique_and_survive_the_refcount_pass():
    typed = type_function(g.loop_reassign, (types.int64, types.int64))
    built, final = build(typed), prepare(typed, owns)
    ids = [op.sid for _, op in final.ops()] + [op.sid for op in final.exit]
    assert len(ids) == len(set(ids)) and max(ids) < final.next_sid
    kept = {op.sid: op.node for _, op in built.ops()}
    for _, op in final.ops():  # an op the pass rewrote keeps its id and its expression
        if op.sid in kept and isinstance(op.node, n.Assign):
            assert op.node.value is kept[op.sid].value
    inserted = [op.node for _, op in final.ops() if op.sid not in kept]
    assert inserted and all(isinstance(x, (IncRef, DecRef, n.Assign)) for x in inserted)


def test_liveness_and_loops_of_a_loop_reassigning_an_array():
    tir = prepare(type_function(g.loop_reassign, (types.int64, types.int64)), owns)
    live = liveness(tir)
    assert cfg.natural_loops(tir) == {1: {1, 2}}
    assert live.live_in[1] == {"a", "$5"}  # the array and the iterator cross the back edge
    assert live.live_out[2] == {"a", "$5"} and live.live_in[4] == {"a"}
    assert live.live_in[0] == set() and live.live_out[4] == set()
    after = dict(zip((op.node for op in tir.blocks[2].body), live.live_after(tir, 2)))
    [add] = [x for x in after if isinstance(x, n.Assign) and isinstance(x.value, n.BinOp)]
    assert "$12" in after[add] and "a" in after[add]  # `decref a` and the copy still read them


def test_may_and_must_assignment_on_entry():
    tir = build(type_function(g.maybe_assigned, (types.Array(types.float64, 1, "C"),
                                                 types.boolean)))
    pairs = lambda block: [(op, op.node) for op in block.body]  # noqa: E731
    may = cfg.assigned_on_entry(tir, pairs, must=False)
    must = cfg.assigned_on_entry(tir, pairs, must=True)
    assert "b" in may[3] and "b" not in must[3] and "a" in must[3]
