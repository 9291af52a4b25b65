"""Temporaries the lowering keeps as values instead of stack slots.

Most compiler temporaries (`$3 = x + 1` before `x = $3`) are assigned once and read only
further down the block assigning them. The value the lowering computed for them dominates
every such read, so it can be used directly: no slot, store and load per temporary, which is
most of the IR a long straight-line function would otherwise hand to LLVM.
"""
from __future__ import annotations

import dataclasses

from ..ir import nodes as n
from .cfg import captured_by_reference, lifted_functions
from .typed_ir import DecRef, IncRef, TypedIR, op_pairs


def forwardable(tir: TypedIR) -> frozenset:
    """Temporaries assigned once and read only after that assignment, in its block (never in
    another block, the exit block, or as a closure's captured reference)."""
    lifted = lifted_functions(tir, op_pairs)
    defined: dict = {}  # temporary -> (label, position) of its one assignment, or None
    for label, block in tir.blocks.items():
        for position, op in enumerate(block.body):
            node = op.node
            if isinstance(node, n.Assign) and node.target.startswith("$"):
                defined[node.target] = None if node.target in defined else (label, position)
    kept = {name for name, where in defined.items() if where is not None}
    for label, block in tir.blocks.items():
        for position, op in enumerate(block.body):
            kept -= captured_by_reference(op.node, lifted)
            kept -= {v for v in _mentions(op.node)
                     if v in kept and not _after(defined[v], label, position)}
    for op in tir.exit:
        kept -= set(_mentions(op.node))
    return frozenset(kept)


def _mentions(node):
    """The names a node reads; for a kind of node `n.operands` does not know, every string its
    fields hold (an over-approximation: a new kind of node cannot read a missing slot)."""
    if isinstance(node, n.Assign):
        node = node.value
    if type(node) in _KNOWN:
        return n.operands(node)
    if isinstance(node, (IncRef, DecRef)):
        return (node.var,)
    found, pending = set(), [node]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, (tuple, list)):
            pending.extend(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, (type, *_READS_NOTHING)):
            pending.extend(getattr(value, f.name) for f in dataclasses.fields(value)
                           if f.name != "loc")
    return found


#: nodes whose fields hold values, never variable names
_READS_NOTHING = (n.Const, n.Global, n.Arg)
#: nodes whose reads `n.operands` lists
_KNOWN = frozenset({n.Var, n.BinOp, n.Compare, n.UnaryOp, n.Call, n.GetAttr, n.GetItem,
                    n.BuildTuple, n.BuildList, n.GetIter, n.IterNext, n.SetItem, n.SetAttr,
                    n.Branch, n.Return, n.Raise, n.Catch, n.Jump, *_READS_NOTHING})


def _after(definition: tuple, label, position: int) -> bool:
    return definition[0] == label and definition[1] < position
