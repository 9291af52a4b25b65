"""Branches decided at compile time.

A branch whose condition is typed as a boolean literal (`isinstance(x, int)`, `True`, a
`bool()` of either) has one live side. Inference types only the blocks reachable through live
edges, so a side written for other argument types (`x + "s"` under `isinstance(x, str)` when x
is an int) is never typed, and the typed function's IR drops the dead side. Literal types only
widen during inference, so a block once live stays live: the fixpoint stays monotonic.
"""
from __future__ import annotations

import copy
import dataclasses
import heapq

from .. import types
from ..ir import nodes as n
from ..ir.function import Block, FunctionIR


def decided(ty):
    """True/False for a condition typed as a boolean literal, else None (decided at run time)."""
    return ty.literal_value if isinstance(ty, types.BooleanLiteral) else None


def live_successors(block: Block, typemap: dict) -> tuple:
    """The labels `block` may go to, given the conditions typed so far."""
    term = block.terminator
    taken = decided(typemap.get(term.cond)) if isinstance(term, n.Branch) else None
    if taken is None:
        return block.successors()
    target = term.truebr if taken else term.falsebr
    return (target,) + (() if block.handler is None else (block.handler,))


def live_blocks(fir: FunctionIR, typemap: dict):
    """Yield the live blocks, smallest label first among those reached so far; `typemap` is
    read after each block is yielded (its caller types it), so a branch is decided as soon as
    its block is typed."""
    pending, done = [fir.entry], set()
    while pending:
        label = heapq.heappop(pending)
        if label in done:
            continue
        done.add(label)
        block = fir.blocks[label]
        yield block
        for successor in live_successors(block, typemap):
            if successor not in done:
                heapq.heappush(pending, successor)


def pruned(fir: FunctionIR, typemap: dict) -> FunctionIR:
    """`fir` without its dead blocks, each decided branch a jump; `fir` itself is unchanged
    (another specialisation may decide its branches otherwise)."""
    live = {block.label: block for block in live_blocks(fir, typemap)}
    if len(live) == len(fir.blocks) and not any(_decided_branch(b, typemap)
                                                for b in live.values()):
        return fir
    result = copy.copy(fir)  # (keeps the attributes the frontend adds beside the fields)
    result.blocks = {label: _with_decided_jump(block, typemap)
                     for label, block in sorted(live.items())}
    return result


def _decided_branch(block: Block, typemap: dict) -> bool:
    term = block.terminator
    return isinstance(term, n.Branch) and decided(typemap.get(term.cond)) is not None


def _with_decided_jump(block: Block, typemap: dict) -> Block:
    if not _decided_branch(block, typemap):
        return block
    term = block.terminator
    target = term.truebr if decided(typemap[term.cond]) else term.falsebr
    body = block.body[:-1] + [n.Jump(target, term.loc)]
    return dataclasses.replace(block, body=body)
