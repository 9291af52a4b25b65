"""Control-flow facts the lowering needs for its run-time guards, computed on the untyped IR.

- `maybe_unbound_uses`: the variables each statement reads that some path from the entry
  reaches without assigning them (Python raises UnboundLocalError there; typing only requires
  one assignment somewhere). A forward must-be-assigned dataflow analysis.
- `polled_loop_headers`: the loop headers where compiled code polls for Ctrl-C. Every cycle of
  the CFG has a retreating edge in a depth-first search, so polling the targets of retreating
  edges interrupts every loop; innermost loops over a finite iterator (`for` loops, whose header
  advances an iterator) are left out so that LLVM can still vectorise them or compute them in
  closed form: they end, and the loop around them (if any) polls.
"""
from __future__ import annotations

from ..frontend.closures import LiftedFunction
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


def polled_loop_headers(fir: FunctionIR) -> set:
    """Headers of the loops that poll for interrupts (see the module docstring)."""
    edges = retreating_edges(fir)
    preds = predecessors(fir, fir.reachable_labels())
    headers = {header for _, header in edges}
    bodies = {}
    for source, header in edges:
        bodies.setdefault(header, set()).update(_loop_body(preds, source, header))
    return {h for h in headers
            if len(bodies[h] & headers) > 1 or not _advances_iterator(fir.blocks[h])}
