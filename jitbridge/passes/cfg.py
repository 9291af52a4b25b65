"""Control-flow analyses shared by the untyped IR (lowering/flow.py) and the typed IR.

They read only `graph.entry`, `graph.blocks[label].successors()` and `.handler` (the try
region's dispatch block an exception raised in the block goes to), which both IRs provide.
Statement-level analyses take `statements(block)`: (key, node) pairs, the key being what the
result is keyed by (the node itself in the untyped IR, its `Op` in the typed IR).
"""
from __future__ import annotations

import functools
import operator

from ..ir import nodes as n
from ..ir.markers import LiftedFunction


def reachable_labels(graph) -> list:
    """Labels reachable from the entry, in depth-first preorder."""
    seen, order, stack = set(), [], [graph.entry]
    while stack:
        label = stack.pop()
        if label not in seen:
            seen.add(label)
            order.append(label)
            stack.extend(reversed(graph.blocks[label].successors()))
    return order


def predecessors(graph, labels) -> dict:
    """Predecessors of each block of `labels` among `labels`."""
    preds = {label: [] for label in labels}
    for label in labels:
        for succ in graph.blocks[label].successors():
            preds[succ].append(label)
    return preds


def retreating_edges(graph) -> list:
    """(source, header) edges to a block still on the depth-first search stack."""
    edges, state = [], {graph.entry: "open"}
    stack = [(graph.entry, iter(graph.blocks[graph.entry].successors()))]
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
            stack.append((succ, iter(graph.blocks[succ].successors())))
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


def natural_loops(graph) -> dict:
    """{header: the blocks of the loops it heads}. Every cycle of the CFG has a retreating
    edge, so every loop has a header here."""
    preds = predecessors(graph, reachable_labels(graph))
    bodies = {}
    for source, header in retreating_edges(graph):
        bodies.setdefault(header, set()).update(_loop_body(preds, source, header))
    return bodies


class NameBits:
    """Sets of names as int bitmasks, one bit per name of `names`. The dataflow analyses keep
    one set per block and unite or intersect them along every edge: as Python sets that costs
    time proportional to the names each time (quadratic in the size of a long function), as
    bitmasks a machine word per 30-odd names."""

    def __init__(self, names):
        self.bit = {name: 1 << i for i, name in enumerate(names)}

    def of(self, names) -> int:
        """The mask of `names` (those outside the set of names ignored)."""
        mask, bit = 0, self.bit
        for name in names:
            mask |= bit.get(name, 0)
        return mask

    def holds(self, mask: int, name) -> bool:
        return bool(mask & self.bit.get(name, 0))


def assigned_on_entry(graph, statements, must: bool, names=None) -> dict:
    """{label: the names (of `names`, default all) assigned on every (`must`) or some path from
    the entry to the block's start}, for the reachable blocks (a forward dataflow fixpoint)."""
    space, masks = assigned_masks_on_entry(graph, statements, must, names)
    return {label: {name for name, bit in space.bit.items() if mask & bit}
            for label, mask in masks.items()}


def assigned_masks_on_entry(graph, statements, must: bool, names=None) -> tuple:
    """`assigned_on_entry` as (NameBits, {label: mask}): the passes test a few names per block
    of a set that may hold most of the function's names."""
    labels = reachable_labels(graph)
    preds = predecessors(graph, labels)
    assigned = {label: _assigned(statements(graph.blocks[label])) for label in labels}
    space = NameBits(set().union(*assigned.values()) if names is None else names)
    gen = {label: space.of(found) for label, found in assigned.items()}
    every = functools.reduce(operator.or_, gen.values(), 0)
    masks = {label: every if must else 0 for label in labels}
    masks[graph.entry] = 0
    meet = operator.and_ if must else operator.or_
    changed = True
    while changed:
        changed = False
        for label in labels:
            if must and label == graph.entry:  # nothing is certainly assigned on entry
                continue
            incoming = [masks[p] if must and _raises_to(graph, p, label) else masks[p] | gen[p]
                        for p in preds[label]]
            new = functools.reduce(meet, incoming) if incoming else 0
            if new != masks[label]:
                masks[label], changed = new, True
    return space, masks


def _raises_to(graph, label: int, handler: int) -> bool:
    """Whether `handler` is where exceptions raised in block `label` go: they may leave it
    before any of its assignments (a must analysis takes the state at its start)."""
    return graph.blocks[label].handler == handler


def _assigned(pairs) -> set:
    return {node.target for _, node in pairs if isinstance(node, n.Assign)}


def _read_before_assigned(graph, statements, lifted: dict, captures=None) -> set:
    """The names some block reads before assigning them, and some block assigns: the only
    ones whose definedness depends on the path (most temporaries live within one block)."""
    found, every = set(), set()
    for block in graph.blocks.values():
        assigned = set()
        for _, node in statements(block):
            for name in reads(node, lifted, captures):
                if name not in assigned:
                    found.add(name)
            if isinstance(node, n.Assign):
                assigned.add(node.target)
        every |= assigned
    return found & every


def maybe_unbound_uses(graph, statements) -> dict:
    """{key: names its statement reads that some path from the entry reaches without
    assigning them} (only non-empty): Python raises UnboundLocalError there; typing only
    requires one assignment somewhere."""
    lifted = lifted_functions(graph, statements)
    captures = closure_captures(graph, statements, lifted) if lifted else None
    tracked = _read_before_assigned(graph, statements, lifted, captures)
    if not tracked:  # (straight-line code, most small functions): no dataflow to run
        return {}
    uses = {}
    space, masks = assigned_masks_on_entry(graph, statements, True, tracked)
    for label, assigned in masks.items():
        for key, node in statements(graph.blocks[label]):
            unbound = tuple(dict.fromkeys(v for v in reads(node, lifted, captures)
                                          if v in tracked and not space.holds(assigned, v)))
            if unbound:
                uses[key] = unbound
            if isinstance(node, n.Assign):
                assigned |= space.bit.get(node.target, 0)
    return uses


def lifted_functions(graph, statements) -> dict:
    """{variable: LiftedFunction} for the variables that hold an inner function's code."""
    return {node.target: node.value.value for block in graph.blocks.values()
            for _, node in statements(block)
            if isinstance(node, n.Assign) and isinstance(node.value, n.Global)
            and isinstance(node.value.value, LiftedFunction)}


def captured_by_reference(node, lifted: dict) -> set:
    """The variables whose addresses the closure `node` makes holds (empty for other nodes)."""
    value = getattr(node, "value", None)
    if not (isinstance(node, n.Assign) and isinstance(value, n.Call) and value.args
            and value.args[0] in lifted):
        return set()
    function = lifted[value.args[0]]
    return {var for var, name in zip(value.args[1:], function.captured)
            if name in function.by_ref}


def reads(node, lifted: dict, captures: dict | None = None):
    """The variables `node` reads. Making a closure only takes the address of the variables it
    captures by reference (an inner function may refer to a name bound after its `def`); a
    call that calls or is passed such a closure (`captures`: closure_captures) reads them."""
    if not lifted:  # (most functions make no closure, so nothing captures by reference)
        return n.operands(node)
    by_ref = captured_by_reference(node, lifted)
    found = [v for v in n.operands(node) if v not in by_ref]
    value = getattr(node, "value", None)
    if captures and isinstance(node, n.Assign) and isinstance(value, n.Call):
        found += [v for operand in n.operands(value) for v in captures.get(operand, ())]
    return found


def closure_captures(graph, statements, lifted: dict) -> dict:
    """{variable: the variables captured by reference by the closure it holds}."""
    found: dict = {}
    for label in sorted(graph.blocks):
        for _, node in statements(graph.blocks[label]):
            refs = captured_by_reference(node, lifted)
            if refs:
                found[node.target] = refs
            elif isinstance(node, n.Assign) and isinstance(node.value, n.Var) \
                    and node.value.name in found:
                found[node.target] = found[node.value.name]  # (`inner = $closure`)
    return found
