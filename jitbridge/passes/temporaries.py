"""Variables the lowering keeps as values instead of stack slots.

Most compiler temporaries (`$3 = x + 1` before `x = $3`), and most named variables once split
into their def-use webs (`x.2` in `x = x + 1; x = x * 2`), are assigned once and read only
further down the block assigning them. The value the lowering computed for them dominates
every such read, so it can be used directly: no slot, store and load per variable, which is
most of the IR a long straight-line function would otherwise hand to LLVM.
"""
from __future__ import annotations

import dataclasses

from ..ir import nodes as n
from .cfg import captured_by_reference, lifted_functions
from .typed_ir import DecRef, IncRef, TypedIR, op_pairs


def forwardable(tir: TypedIR) -> frozenset:
    """Variables assigned once and read only after that assignment, in its block (never in
    another block, the exit block, or as a closure's captured reference), and never zeroed
    by a release (`DecRef(clear=True)` stores into the slot). One walk in block order: a read
    is fine only if the variable's assignment was already seen, in the same block."""
    lifted = lifted_functions(tir, op_pairs)
    block_of: dict = {}  # variable -> label of the block assigning it
    excluded = set()
    for label, block in tir.blocks.items():
        for op in block.body:
            node = op.node
            for name in _mentions(node):
                if block_of.get(name) != label:
                    excluded.add(name)
            if lifted:
                excluded |= captured_by_reference(node, lifted)
            if type(node) is n.Assign:
                if node.target in block_of:  # (assigned twice)
                    excluded.add(node.target)
                block_of[node.target] = label
            elif isinstance(node, DecRef) and node.clear:
                excluded.add(node.var)
    for op in tir.exit:
        excluded.update(_mentions(op.node))
    return frozenset(block_of.keys() - excluded)


def _mentions(node):
    """The names a node reads; for a kind of node `n.operands` does not know, every string its
    fields hold (an over-approximation: a new kind of node cannot read a missing slot)."""
    if type(node) is n.Assign:
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
