"""Control-flow facts the lowering needs for its run-time guards, computed on the untyped IR.

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

from ..ir.markers import LiftedFunction
from ..ir import nodes as n
from ..ir.function import FunctionIR


def predecessors(fir: FunctionIR, labels) -> dict:
    """Reachable predecessors of each reachable block."""
    preds = {label: [] for label in labels}
    for label in labels:
        for succ in fir.blocks[label].successors():
            preds[succ].append(label)
    return preds


def assigned_names(fir: FunctionIR) -> set:
    return {s.target for b in fir.blocks.values() for s in b.body if isinstance(s, n.Assign)}


def _block_assigned(block) -> set:
    return {s.target for s in block.body if isinstance(s, n.Assign)}


def _must_assigned_on_entry(fir: FunctionIR, labels, every: set) -> dict:
    """Names assigned on every path from the entry to the start of each block (fixpoint)."""
    preds = predecessors(fir, labels)
    entry_sets = {label: set(every) for label in labels}
    entry_sets[fir.entry] = set()
    changed = True
    while changed:
        changed = False
        for label in labels:
            if label == fir.entry:
                continue
            incoming = [entry_sets[p] | _block_assigned(fir.blocks[p]) for p in preds[label]]
            new = set.intersection(*incoming) if incoming else set(every)
            if new != entry_sets[label]:
                entry_sets[label], changed = new, True
    return entry_sets


def maybe_unbound_uses(fir: FunctionIR) -> dict:
    """{statement: names it reads that may be unassigned when it runs} (only non-empty)."""
    labels = fir.reachable_labels()
    every = assigned_names(fir)
    entry_sets = _must_assigned_on_entry(fir, labels, every)
    uses = {}
    lifted = _lifted_functions(fir)
    for label in labels:
        assigned = set(entry_sets[label])
        for stmt in fir.blocks[label].body:
            reads = _reads(stmt, lifted)
            unbound = tuple(dict.fromkeys(v for v in reads if v in every and v not in assigned))
            if unbound:
                uses[stmt] = unbound
            if isinstance(stmt, n.Assign):
                assigned.add(stmt.target)
    return uses


def _lifted_functions(fir: FunctionIR) -> dict:
    """{variable: LiftedFunction} for the variables that hold an inner function's code."""
    return {s.target: s.value.value for b in fir.blocks.values() for s in b.body
            if isinstance(s, n.Assign) and isinstance(s.value, n.Global)
            and isinstance(s.value.value, LiftedFunction)}


def _reads(stmt, lifted: dict) -> list:
    """The variables `stmt` reads. Making a closure only takes the address of the variables it
    captures by reference (an inner function may refer to a name bound after its `def`)."""
    reads = list(n.operands(stmt))
    value = getattr(stmt, "value", None)
    if isinstance(stmt, n.Assign) and isinstance(value, n.Call) and value.args \
            and value.args[0] in lifted:
        function = lifted[value.args[0]]
        by_ref = {name for var, name in zip(value.args[1:], function.captured)
                  if name in function.by_ref}
        reads = [v for v in reads if v not in by_ref]
    return reads


def retreating_edges(fir: FunctionIR) -> list:
    """(source, header) edges to a block still on the depth-first search stack."""
    edges, state = [], {fir.entry: "open"}
    stack = [(fir.entry, iter(fir.blocks[fir.entry].successors()))]
    while stack:
        label, successors = stack[-1]
        succ = next(successors, None)
        if succ is None:
            state[label] = "done"
            stack.pop()
        elif state.get(succ) == "open":
            edges.append((label, succ))
        elif succ not in state:
            state[succ] = "open"
            stack.append((succ, iter(fir.blocks[succ].successors())))
    return edges


def _loop_body(preds: dict, source: int, header: int) -> set:
    """The natural loop of back edge source -> header."""
    body, work = {header}, []
    if source != header:  # a self-loop's body is its header
        body.add(source)
        work.append(source)
    while work:
        for pred in preds[work.pop()]:
            if pred not in body:
                body.add(pred)
                work.append(pred)
    return body


def _advances_iterator(block) -> bool:
    return any(isinstance(s, n.Assign) and isinstance(s.value, n.IterNext) for s in block.body)


def _natural_loops(fir: FunctionIR) -> dict:
    """{header: the blocks of the loops it heads}."""
    preds = predecessors(fir, fir.reachable_labels())
    bodies = {}
    for source, header in retreating_edges(fir):
        bodies.setdefault(header, set()).update(_loop_body(preds, source, header))
    return bodies


def _innermost_iterator_loops(fir: FunctionIR, bodies: dict) -> set:
    return {h for h, body in bodies.items()
            if len(body & bodies.keys()) == 1 and _advances_iterator(fir.blocks[h])}


def interrupt_plan(fir: FunctionIR) -> tuple:
    """(polled_loop_headers, chunkable_loops) from one analysis of the loops."""
    bodies = _natural_loops(fir)
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
