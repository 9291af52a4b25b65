"""Reference counting as explicit IncRef/DecRef ops; the lowering only lowers them.

The rules: every variable of a type that owns runtime references (`owns`) holds one reference
or nothing (its slot starts zeroed). An expression makes a new reference, except copies of
variables and arguments and new tuples, which borrow theirs: the assignment is followed by
`incref target`. `return v` is preceded by `incref v`: the caller owns the result. The exit
block, which every return and every raise no try region catches passes through, releases every
variable. An exception inside a try region goes to the region's dispatch block (an edge of the
CFG from each of its blocks, taken with the state of any point in the block): every variable
then holds its one reference or nothing, as anywhere, so the handler runs under the same rules.

Assigning a variable that may hold a value releases the old value after the new one is
computed (`x = x + y` reads the old one; an exception raised meanwhile leaves `x` holding it):

    x.new = add(x, y)       the new value, in a temporary
    decref x                the old value
    x = x.new               a plain copy: x now holds the new value's reference

(a copy `x = v` of another variable needs no temporary: `decref x; x = v`). A variable that
no path may have assigned before (forward dataflow) has nothing to release.

The webs of one Python name (`x`, `x.1`: ir/webs.py) are variables of their own, but
CPython releases the old value of `x` when `x` is bound again: so does assigning `x.1`, which
releases (and zeroes) each other web of `x` that may hold a value. None of them is read again
before it is assigned again (else the two webs would be one).

Moves: a temporary `$t` whose every assignment is followed at once by a copy `x = $t` after
which `$t` is dead (liveness) hands its reference to `x`: no incref of `x`, and the exit does
not release `$t`, which never holds a reference where the function may exit. Variables a
closure captures by reference escape these analyses (the closure reads and writes them
through their addresses): they are always released when assigned, and never moved.
"""
from __future__ import annotations

import itertools
from dataclasses import replace
from types import MappingProxyType

from ..ir import nodes as n
from ..ir.function import source_name
from .cfg import assigned_masks_on_entry, captured_by_reference, lifted_functions
from .liveness import liveness
from .typed_ir import DecRef, IncRef, Op, TypedIR, op_pairs

#: Expressions whose value borrows its references (a copy of a variable or argument; a tuple
#: of variables): the assigned variable takes a reference of its own.
BORROWING = (n.Var, n.Arg, n.BuildTuple)


def insert_refcounts(tir: TypedIR, owns) -> TypedIR:
    """`tir` with explicit IncRef/DecRef ops; `owns(type)`: whether values of a type hold
    runtime references."""
    if not any(owns(t) for t in tir.typemap.values()):
        return tir  # nothing to count (most scalar code): skip the analyses
    return _Pass(tir, owns).run()


class _Pass:
    def __init__(self, tir: TypedIR, owns):
        self.tir = tir
        self.owned = {v for v, t in tir.typemap.items() if owns(t)}
        lifted = lifted_functions(tir, op_pairs)
        self.escaping = set().union(*(captured_by_reference(op.node, lifted)
                                      for _, op in tir.ops()))
        self.moved = _moved_temporaries(tir, self.owned - self.escaping)
        self.names, self.may_hold = assigned_masks_on_entry(tir, op_pairs, False,
                                                               self.owned)
        self.escaping_mask = self.names.of(self.escaping)
        self.sids = itertools.count(tir.next_sid)
        self.typemap, self.exprtypes = dict(tir.typemap), dict(tir.exprtypes)
        self.temporaries = set()
        self.siblings = _webs_of_names(tir.typemap, self.owned - self.escaping)

    def run(self) -> TypedIR:
        blocks = {label: replace(block, body=tuple(self._block(label, block)))
                  for label, block in self.tir.blocks.items()}
        released = self.owned - self.moved - self.temporaries
        exit_ops = tuple(self._op(DecRef(v)) for v in self.typemap if v in released)
        return self.tir.derive(blocks, next(self.sids), exit=exit_ops,
                               typemap=MappingProxyType(self.typemap),
                               exprtypes=MappingProxyType(self.exprtypes))

    def _op(self, node) -> Op:
        return Op(next(self.sids), node)

    def _block(self, label: int, block) -> list:
        # unreachable blocks never run: any answer is right, the cautious one is kept
        held = self.may_hold.get(label, -1) | self.escaping_mask  # (-1: every bit set)
        out = []
        for op in block.body:
            node = op.node
            if isinstance(node, n.Return) and node.value in self.owned:
                out.append(self._op(IncRef(node.value, node.loc)))
            if isinstance(node, n.Assign) and node.target in self.owned:
                out.extend(self._assign(op, self.names.holds(held, node.target)))
                held |= self.names.bit[node.target]
            else:
                out.append(op)
            if isinstance(node, n.Assign) and node.target in self.siblings:
                held = self._release_siblings(node, held, out)
        return out

    def _release_siblings(self, node, held: int, out: list) -> int:
        """Release the other webs of the name `node` binds (see the module's docstring)."""
        for other in self.siblings[node.target]:
            if self.names.holds(held, other):
                out.append(self._op(DecRef(other, node.loc, clear=True)))
                held &= ~self.names.bit[other]
        return held

    def _assign(self, op: Op, held: bool) -> list:
        node = op.node
        target, value = node.target, node.value
        if not held or target in self.moved:  # nothing to release
            return [op, *self._take_reference(target, value)]
        if isinstance(value, n.Var) and value.name != target:  # reading it cannot fail
            release = self._op(DecRef(target, node.loc))
            return [release, op, *self._take_reference(target, value)]
        new = self._temporary(target)
        compute = Op(op.sid, n.Assign(new, value, node.loc))  # same id: same side tables
        store = self._op(n.Assign(target, n.Var(new, node.loc), node.loc))
        self.exprtypes[store.sid] = self.typemap[target]
        return [compute, *self._take_reference(new, value),
                self._op(DecRef(target, node.loc)), store]

    def _take_reference(self, target: str, value) -> list:
        borrowed = isinstance(value, BORROWING) and not (
            isinstance(value, n.Var) and value.name in self.moved)
        return [self._op(IncRef(target, value.loc))] if borrowed else []

    def _temporary(self, target: str) -> str:
        name = f"{target}.new"
        assert name not in self.tir.typemap, name
        self.typemap[name] = self.typemap[target]
        self.temporaries.add(name)
        return name


def _webs_of_names(variables, owned: set) -> dict:
    """Variable -> the other webs of its Python name that own references, for names split
    into several webs."""
    by_name: dict = {}
    for var in variables:
        if not var.startswith("$"):
            by_name.setdefault(source_name(var), []).append(var)
    return {var: tuple(v for v in group if v != var and v in owned)
            for group in by_name.values() if len(group) > 1 and owned.intersection(group)
            for var in group}


def _moved_temporaries(tir: TypedIR, candidates: set) -> set:
    """The candidates every assignment of which is followed at once by a copy `x = $t` to
    another candidate, after which `$t` is dead."""
    live = liveness(tir)
    verdict = {}
    for label, block in tir.blocks.items():
        after = None  # (the live sets after each op, made for the blocks that need them)
        for i, op in enumerate(block.body):
            target = getattr(op.node, "target", None)
            if not (isinstance(op.node, n.Assign) and target in candidates):
                continue
            if after is None and label in live.live_out:
                after = live.live_after(tir, label)
            moved = after is not None and _copied_next(block.body, i, after, candidates)
            verdict[target] = verdict.get(target, True) and moved
    return {v for v, moved in verdict.items() if moved}


def _copied_next(body: tuple, i: int, after: list, candidates: set) -> bool:
    target = body[i].node.target
    copy = body[i + 1].node if i + 1 < len(body) else None
    return (isinstance(copy, n.Assign) and isinstance(copy.value, n.Var)
            and copy.value.name == target and copy.target != target
            and copy.target in candidates and target not in after[i + 1])
