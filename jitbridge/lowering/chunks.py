"""Strip-mining of innermost `for` loops, so that Ctrl-C interrupts them at no cost to LLVM.

An innermost loop over an iterator that can count its remaining items (`iter_remaining`) runs as
two loops: an inner counted loop of at most CHUNK iterations, which advances the iterator with
`iternext_unchecked` (no end test: the count guarantees an item) and which LLVM vectorises as
before; and an outer loop which polls for interrupts and counts the next chunk:

    entry:  left = remaining(it)
    chunk:  poll; k = min(left, CHUNK); left -= k; k != 0 ? start : exhausted (the else clause)
    start:  iter_facts(it)  (optional: llvm.assume facts the end test used to give)
    header: [iter_facts(it)]; pair = iternext_unchecked(it); ...the body...; jump latch
    latch:  k -= 1; k != 0 ? header : chunk

Where the facts go decides what LLVM can do. Once per chunk, they leave the inner loop free of
assumptions, so LLVM can still compute an arithmetic loop in closed form (`s += i * i`); but it
cannot always carry them into the loop, and a loop indexing arrays with its variable needs them
there to drop the negative-index wraparound and vectorise (a stencil's `u[i, j - 1]`). So loops
whose body indexes an array get the facts on every iteration too (such a loop touches memory:
no closed form to lose).

The count is taken once, before the loop: an iterator past its last item may have wrapped
around (range(0, 2**63 - 1, 2**62)). Jumps to the header from inside the loop (its end,
`continue`) go to the latch; jumps from outside go to the entry. `break` leaves both loops.
"""
from __future__ import annotations

from dataclasses import dataclass

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..ir import nodes as n
from .flow import CountedLoop
from .guards import emit_interrupt_poll

#: Iterations between polls: a few milliseconds of the slowest plausible loop body, and few
#: enough chunks that a loop LLVM computes in closed form stays fast for any length.
CHUNK = 1 << 18


@dataclass
class ChunkedLoop:
    loop: CountedLoop
    entry: ir.Block
    chunk: ir.Block
    start: ir.Block
    latch: ir.Block
    left: ir.AllocaInstr  # items after this chunk
    counter: ir.AllocaInstr  # items left in this chunk
    facts_each_iteration: bool


def plan_chunked_loops(lower, candidates: dict) -> dict:
    """{header: ChunkedLoop} for the candidates whose iterator type counts its items."""
    chunked = {}
    for header, loop in candidates.items():
        itty = lower.typeof(loop.iterator)
        if lower.context.registry.find_function("iter_remaining", (itty,)) is None:
            continue
        blocks = [lower.function.append_basic_block(f"B{header}.{part}")
                  for part in ("entry", "chunk", "start", "latch")]
        slots = [cgutils.alloca_once(lower.builder, cgutils.int64_t, name=f"B{header}.{part}")
                 for part in ("left", "count")]
        chunked[header] = ChunkedLoop(loop, *blocks, *slots, _indexes_arrays(lower, loop))
    return chunked


def _indexes_arrays(lower, loop: CountedLoop) -> bool:
    stmts = [op.node for label in loop.body for op in lower.tir.blocks[label].body]
    reads = [s.value for s in stmts if isinstance(s, n.Assign) and isinstance(s.value, n.GetItem)]
    return any(isinstance(lower.typeof(target), types.Array)
               for target in [r.value for r in reads] +
               [s.target for s in stmts if isinstance(s, n.SetItem)])


def emit_facts(lower, chunked: ChunkedLoop) -> None:
    """llvm.assume what the iterator knows while an item remains (`iter_facts`), if it says."""
    itty = lower.typeof(chunked.loop.iterator)
    if lower.context.registry.find_function("iter_facts", (itty,)) is not None:
        lower.context.get_function("iter_facts", types.signature(types.none, itty))(
            lower.builder, [lower.load(chunked.loop.iterator)])


def emit_chunk_blocks(lower, chunked: ChunkedLoop) -> None:
    builder, loop = lower.builder, chunked.loop
    itty = lower.typeof(loop.iterator)
    builder.position_at_end(chunked.entry)
    remaining = lower.context.get_function("iter_remaining", types.signature(types.intp, itty))
    builder.store(remaining(builder, [lower.load(loop.iterator)]), chunked.left)
    builder.branch(chunked.chunk)
    builder.position_at_end(chunked.chunk)
    emit_interrupt_poll(lower)
    left = builder.load(chunked.left)
    limit = ir.Constant(left.type, CHUNK)
    count = builder.select(builder.icmp_unsigned(">", left, limit), limit, left)
    builder.store(builder.sub(left, count), chunked.left)
    builder.store(count, chunked.counter)
    builder.cbranch(cgutils.is_not_null(builder, count), chunked.start,
                    lower.blocks[loop.exhausted])
    builder.position_at_end(chunked.start)
    emit_facts(lower, chunked)
    builder.branch(lower.blocks[loop.header])
    builder.position_at_end(chunked.latch)
    count = builder.sub(builder.load(chunked.counter), ir.Constant(count.type, 1))
    builder.store(count, chunked.counter)
    builder.cbranch(cgutils.is_not_null(builder, count), lower.blocks[loop.header],
                    chunked.chunk)
