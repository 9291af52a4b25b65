"""Strip-mining of innermost `for` loops, so that Ctrl-C interrupts them at no cost to LLVM.

An innermost loop over an iterator that can count its remaining items (`iter_remaining`) runs as
two loops: an inner counted loop of at most CHUNK iterations, which advances the iterator with
`iternext_unchecked` (no end test: the count guarantees an item) and which LLVM vectorises as
before; and an outer loop which polls for interrupts and counts the next chunk:

    entry:  left = remaining(it)  (tier-0 code: its heat -= left, runtime/tiering.py)
    first:  k = min(left, CHUNK); left -= k; k != 0 ? start : exhausted (the else clause)
    start:  iter_facts(it)  (optional: llvm.assume facts the end test used to give)
    header: [iter_facts(it)]; pair = iternext_unchecked(it); ...the body...; jump latch
    latch:  k -= 1; k != 0 ? header : chunk
    chunk:  left != 0 ? polled : exhausted
    polled: poll; jump first

A loop polls between chunks, never on entry or exit: one that runs less than a chunk (an inner
loop over a filter's 31 taps, entered a million times) costs no more than an unpolled one,
while the loops around it poll on each of their iterations anyway.

Where the facts go decides what LLVM can do. Once per chunk, they leave the inner loop free of
assumptions, so LLVM can still compute an arithmetic loop in closed form (`s += i * i`); but it
cannot always carry them into the loop, and a loop indexing arrays with its variable needs them
there to drop the negative-index wraparound and vectorise (a stencil's `u[i, j - 1]`). So loops
whose body indexes an array get the facts on every iteration too (such a loop touches memory:
no closed form to lose), with those an `iter_chunk_check(it, k)` at the chunk's start makes
true (`iter_chunk_facts`: a range stepping by 1 has `i - start >= 0`, so `a[i - w]` in
`for i in range(w, n)` needs no wraparound, as in Numba, whose int64 trip count assumes it).
A loop summing floats in order gets only those, and a hint on its latch (ordered_sums.py).

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
from ..runtime.tiering import emit_heat
from . import ordered_sums
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
    first: ir.Block
    polled: ir.Block
    left: ir.AllocaInstr  # items after this chunk
    counter: ir.AllocaInstr  # items left in this chunk
    facts_each_iteration: bool
    ordered_sum: bool  # (ordered_sums.py)


def plan_chunked_loops(lower, candidates: dict) -> dict:
    """{header: ChunkedLoop} for the candidates whose iterator type counts its items."""
    chunked = {}
    for header, loop in candidates.items():
        itty = lower.typeof(loop.iterator)
        if lower.context.registry.find_function("iter_remaining", (itty,)) is None:
            continue
        blocks = [lower.function.append_basic_block(f"B{header}.{part}")
                  for part in ("entry", "chunk", "start", "latch", "first", "polled")]
        slots = [cgutils.alloca_once(lower.builder, cgutils.int64_t, name=f"B{header}.{part}")
                 for part in ("left", "count")]
        chunked[header] = ChunkedLoop(loop, *blocks, *slots, _indexes_arrays(lower, loop),
                                      ordered_sums.sums_floats_in_order(lower, loop.body))
    return chunked


def _indexes_arrays(lower, loop: CountedLoop) -> bool:
    stmts = [op.node for label in loop.body for op in lower.tir.blocks[label].body]
    reads = [s.value for s in stmts if isinstance(s, n.Assign) and isinstance(s.value, n.GetItem)]
    return any(isinstance(lower.typeof(target), types.Array)
               for target in [r.value for r in reads] +
               [s.target for s in stmts if isinstance(s, n.SetItem)])


def emit_facts(lower, chunked: ChunkedLoop) -> None:
    """llvm.assume what the iterator knows while an item remains (`iter_facts`), if it says;
    in loops that index arrays, also what its chunk check made true (`iter_chunk_facts`)."""
    itty = lower.typeof(chunked.loop.iterator)
    hooks = ("iter_facts", "iter_chunk_facts") if chunked.facts_each_iteration else \
        ("iter_facts",)
    if chunked.ordered_sum and chunked.facts_each_iteration:
        hooks = ("iter_chunk_facts",)  # (iter_facts would keep its remainder scalar)
    for hook in hooks:
        if lower.context.registry.find_function(hook, (itty,)) is not None:
            lower.context.get_function(hook, types.signature(types.none, itty))(
                lower.builder, [lower.load(chunked.loop.iterator)])


def _emit_chunk_check(lower, chunked: ChunkedLoop, count) -> None:
    """`iter_chunk_check(it, count)`, if the iterator has one: what makes its chunk facts true
    for the chunk's `count` items (a range: their distance from start fits an int64)."""
    itty = lower.typeof(chunked.loop.iterator)
    if lower.context.registry.find_function("iter_chunk_check", (itty, types.intp)) is not None:
        sig = types.signature(types.none, itty, types.intp)
        lower.context.get_function("iter_chunk_check", sig)(
            lower.builder, [lower.load(chunked.loop.iterator), count])


def emit_chunk_blocks(lower, chunked: ChunkedLoop) -> None:
    exhausted = lower.blocks[chunked.loop.exhausted]
    _emit_entry_and_polls(lower, chunked, exhausted)
    count = _emit_chunk_count(lower, chunked, exhausted)
    builder = lower.builder
    builder.position_at_end(chunked.latch)
    count = builder.sub(builder.load(chunked.counter), ir.Constant(count.type, 1))
    builder.store(count, chunked.counter)
    backedge = builder.cbranch(cgutils.is_not_null(builder, count),
                               lower.blocks[chunked.loop.header], chunked.chunk)
    if chunked.ordered_sum:
        ordered_sums.mark_loop(lower, backedge)


def _emit_entry_and_polls(lower, chunked: ChunkedLoop, exhausted) -> None:
    """entry (count the items), chunk (any left?) and polled (poll, then the next chunk)."""
    builder, itty = lower.builder, lower.typeof(chunked.loop.iterator)
    builder.position_at_end(chunked.entry)
    remaining = lower.context.get_function("iter_remaining", types.signature(types.intp, itty))
    count = remaining(builder, [lower.load(chunked.loop.iterator)])
    builder.store(count, chunked.left)
    heat = getattr(lower.context.library, "heat", None)
    if heat is not None:  # tier-0 code: its loops heat it by their trip counts
        emit_heat(builder, heat, count)
    builder.branch(chunked.first)
    builder.position_at_end(chunked.chunk)
    builder.cbranch(cgutils.is_not_null(builder, builder.load(chunked.left)), chunked.polled,
                    exhausted)
    builder.position_at_end(chunked.polled)
    emit_interrupt_poll(lower)
    builder.branch(chunked.first)


def _emit_chunk_count(lower, chunked: ChunkedLoop, exhausted):
    """first (take the next chunk's count) and start (its facts); the count taken."""
    builder = lower.builder
    builder.position_at_end(chunked.first)
    left = builder.load(chunked.left)
    limit = ir.Constant(left.type, CHUNK)
    count = builder.select(builder.icmp_unsigned(">", left, limit), limit, left)
    builder.store(builder.sub(left, count), chunked.left)
    builder.store(count, chunked.counter)
    builder.cbranch(cgutils.is_not_null(builder, count), chunked.start, exhausted)
    builder.position_at_end(chunked.start)
    if chunked.facts_each_iteration:
        _emit_chunk_check(lower, chunked, count)
    emit_facts(lower, chunked)
    builder.branch(lower.blocks[chunked.loop.header])
    return count
