"""Control-flow facts the lowering needs for its run-time guards, computed on the untyped IR
with the analyses of passes/cfg.py (the typed IR has the same blocks).

- `maybe_unbound_uses`: the variables each statement reads that some path from the entry
  reaches without assigning them (Python raises UnboundLocalError there; typing only requires
  one assignment somewhere). A forward must-be-assigned dataflow analysis.
- `polled_loop_headers`: the loop headers where compiled code polls for Ctrl-C. Every cycle of
  the CFG has a retreating edge in a depth-first search, so polling the targets of retreating
  edges interrupts every loop; innermost loops over a finite iterator (`for` loops, whose header
  advances an iterator) do not poll on every iteration, so that LLVM can still vectorise them
  or compute them in closed form.
- `chunkable_loops`: those innermost `for` loops. Where the iterator can count its remaining
  items, the lowering strip-mines them: an inner counted loop of at most CHUNK iterations, which
  LLVM optimises as before, inside an outer loop that polls between chunks.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..ir import nodes as n
from ..ir.function import FunctionIR
from ..passes import cfg


def _node_pairs(block) -> list:
    return [(stmt, stmt) for stmt in block.body]


def maybe_unbound_uses(fir: FunctionIR) -> dict:
    """{statement: names it reads that may be unassigned when it runs} (only non-empty)."""
    return cfg.maybe_unbound_uses(fir, _node_pairs)


def _advances_iterator(block) -> bool:
    return any(isinstance(s, n.Assign) and isinstance(s.value, n.IterNext) for s in block.body)


def _innermost_iterator_loops(fir: FunctionIR, bodies: dict) -> set:
    return {h for h, body in bodies.items()
            if len(body & bodies.keys()) == 1 and _advances_iterator(fir.blocks[h])}


def interrupt_plan(fir: FunctionIR) -> tuple:
    """(polled_loop_headers, chunkable_loops) from one analysis of the loops."""
    bodies = cfg.natural_loops(fir)
    innermost = _innermost_iterator_loops(fir, bodies)
    return set(bodies) - innermost, _chunkable(fir, bodies, innermost)


def polled_loop_headers(fir: FunctionIR) -> set:
    """Headers of the loops that poll for interrupts on every iteration (module docstring)."""
    return interrupt_plan(fir)[0]


@dataclass(frozen=True)
class CountedLoop:
    """An innermost `for` loop: `header` reads `pair = iternext(iterator)` and branches on
    pair[1] to the body or to `exhausted` (the else clause); `body` holds the loop's blocks."""
    header: int
    iterator: str
    exhausted: int
    body: frozenset


def chunkable_loops(fir: FunctionIR) -> dict:
    """{header: CountedLoop} for the innermost `for` loops whose iterator nothing else reads
    (so nothing but the header advances it: the count of its remaining items holds)."""
    return interrupt_plan(fir)[1]


def _chunkable(fir: FunctionIR, bodies: dict, innermost: set) -> dict:
    reads = _read_counts(fir)
    loops = {}
    for header in innermost:
        loop = _counted_loop(fir.blocks[header], bodies[header])
        if loop is not None and reads.get(loop.iterator) == 1:
            loops[header] = loop
    return loops


def _counted_loop(block, body: set):
    """The CountedLoop of a header block shaped as the frontend builds `for` headers."""
    *stmts, branch = block.body
    defs = {s.target: s.value for s in stmts if isinstance(s, n.Assign)}
    nexts = [(name, e) for name, e in defs.items() if isinstance(e, n.IterNext)]
    if not isinstance(branch, n.Branch) or len(nexts) != 1 or branch.falsebr in body:
        return None
    (pair, iternext), cond = nexts[0], defs.get(branch.cond)
    if not (isinstance(cond, n.GetItem) and cond.value == pair):
        return None
    return CountedLoop(block.label, iternext.iterator, branch.falsebr, frozenset(body))


def _read_counts(fir: FunctionIR) -> dict:
    counts = {}
    for block in fir.blocks.values():
        for stmt in block.body:
            for name in n.operands(stmt):
                counts[name] = counts.get(name, 0) + 1
    return counts
