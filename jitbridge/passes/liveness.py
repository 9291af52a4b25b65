"""Liveness on the typed IR: a variable is live at a point if some path from there reads it
before assigning it. Backward dataflow over the reachable blocks; unreachable blocks have no
entry (nothing runs there). What is live where a block's exceptions go (its try region's
dispatch block) is live throughout the block: any op may raise. A closure made by reference
reads its variables later, through their addresses: making it counts as a read here, which is
conservative only until that read; passes must treat such variables as escaping
(cfg.captured_by_reference)."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ..ir import nodes as n
from .cfg import predecessors, reachable_labels
from .typed_ir import DecRef, IncRef, TypedIR


def op_reads(node) -> tuple:
    """The variables an op reads, refcount ops included."""
    if isinstance(node, (IncRef, DecRef)):
        return (node.var,)
    return n.operands(node)


def _transfer(block, live_out: set, on_raise=frozenset()) -> set:
    """Live at the block's start; `on_raise`: live where its exceptions go (anywhere in it)."""
    live = set(live_out)
    for op in reversed(block.body):
        if isinstance(op.node, n.Assign):
            live.discard(op.node.target)
        live.update(op_reads(op.node))
        live.update(on_raise)
    return live


@dataclass(frozen=True)
class Liveness:
    live_in: dict  # label -> frozenset of variables live at the block's start
    live_out: dict  # label -> frozenset of variables live at its end

    def live_after(self, tir: TypedIR, label: int) -> list:
        """The variables live after each op of block `label`, in op order."""
        block = tir.blocks[label]
        on_raise = self.live_in.get(block.handler, frozenset())
        live, after = set(self.live_out[label]), []
        for op in reversed(block.body):
            after.append(frozenset(live))
            if isinstance(op.node, n.Assign):
                live.discard(op.node.target)
            live.update(op_reads(op.node))
            live.update(on_raise)
        return after[::-1]


def liveness(tir: TypedIR) -> Liveness:
    labels = reachable_labels(tir)
    preds = predecessors(tir, labels)
    live_in = {label: set() for label in labels}
    work = deque(reversed(labels))  # roughly postorder: fewer rounds for a backward problem
    queued = set(labels)
    while work:
        label = work.popleft()
        queued.discard(label)
        out = set().union(*(live_in[s] for s in tir.blocks[label].successors()))
        block = tir.blocks[label]
        new = _transfer(block, out, live_in.get(block.handler, frozenset()))
        if new != live_in[label]:
            live_in[label] = new
            work.extend(p for p in preds[label] if p not in queued)
            queued.update(preds[label])
    live_out = {label: frozenset().union(*(live_in[s] for s in tir.blocks[label].successors()))
                for label in labels}
    return Liveness({k: frozenset(v) for k, v in live_in.items()}, live_out)
