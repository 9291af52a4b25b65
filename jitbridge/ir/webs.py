"""Splitting a local variable into its def-use webs, so each binding has a type of its own.

Python lets a name be bound again to a value of another type: `a = 3; a = (a, a)`, or
`s = str(x); ...; s = len(s)`. Typing one variable per name would have to unify the types of
all its bindings: an error for int and tuple, and a wrong result for int and float (the int
binding printed as `1.0`). A *web* is a maximal set of assignments and reads of one name that
reaching definitions connect: a read belongs to the web of every assignment that may reach it.
Webs of one name never meet, so each can be a variable of its own; the first keeps the name,
the others become `name.1`, `name.2` ... (`ir.function.source_name` gives the name back for
messages).

Names that something other than reads and assignments refers to keep one variable: those a
closure captures (by reference, it holds the variable's address) and those an except clause's
`Caught` lists.
"""
from __future__ import annotations

import dataclasses

from . import nodes as n
from .function import FunctionIR, jump_targets
from .markers import make_closure


def split_webs(fir: FunctionIR) -> bool:
    """Give each web of a name bound more than once a variable of its own (`fir` gets new
    blocks); whether any name was split."""
    defs = _defs_to_split(fir)
    if not defs:
        return False
    flow = _ReachingDefs(fir, defs)
    webs = _UnionFind(len(defs.sites))
    uses = flow.walk(webs)
    names = _web_names(defs, webs)
    if len(names) == len(defs.mask):  # (one web per name)
        return False
    _rewrite(fir, defs, uses, names, webs)
    return True


class _Defs:
    """The assignments of the names bound more than once, numbered in block order."""

    def __init__(self):
        self.sites: list = []  # def id -> (label, index, name)
        self.at: dict = {}  # (label, index) -> def id
        self.mask: dict = {}  # name -> bitset of its def ids

    def add(self, label: int, index: int, name: str) -> None:
        ident = len(self.sites)
        self.sites.append((label, index, name))
        self.at[(label, index)] = ident
        self.mask[name] = self.mask.get(name, 0) | (1 << ident)


def _defs_to_split(fir: FunctionIR) -> _Defs | None:
    labels = fir.reachable_labels()
    counts: dict = {}
    for label in labels:
        for stmt in fir.blocks[label].body:
            if isinstance(stmt, n.Assign) and not stmt.target.startswith("$"):
                counts[stmt.target] = counts.get(stmt.target, 0) + 1
    keep = _pinned_names(fir)
    multi = {name for name, count in counts.items() if count > 1 and name not in keep}
    if not multi:
        return None
    defs = _Defs()
    for label in sorted(labels):
        for index, stmt in enumerate(fir.blocks[label].body):
            if isinstance(stmt, n.Assign) and stmt.target in multi:
                defs.add(label, index, stmt.target)
    return defs


def _pinned_names(fir: FunctionIR) -> set:
    """Names referred to other than by reads and assignments: captured by a closure, listed
    by an except clause."""
    makers = {s.target for b in fir.blocks.values() for s in b.body
              if isinstance(s, n.Assign) and isinstance(s.value, n.Global)
              and s.value.value is make_closure}
    pinned = set(getattr(fir.py_func, "__jitbridge_cells__", ()))
    for block in fir.blocks.values():
        for stmt in block.body:
            value = getattr(stmt, "value", None)
            if isinstance(value, n.Call) and value.func in makers:
                pinned.update(value.args)
            elif isinstance(value, n.Caught):
                pinned.update(value.raised)
    return pinned


class _ReachingDefs:
    """Which assignments may reach each point: a bitset of def ids per block entry. An
    exception may leave a block after any of its statements, so every assignment of a block
    in a try region reaches the region's handler, not just the last of each name."""

    def __init__(self, fir: FunctionIR, defs: _Defs):
        self.fir, self.defs = fir, defs
        self.order = fir.reachable_labels()
        self.entry = {label: 0 for label in self.order}
        self._solve({label: self._summary(label) for label in self.order})

    def _summary(self, label: int) -> tuple:
        """(defs the block kills, the last def of each name it assigns, all its defs)."""
        kill = gen = seen = 0
        for index, stmt in enumerate(self.fir.blocks[label].body):
            ident = self.defs.at.get((label, index))
            if ident is not None:
                mask = self.defs.mask[stmt.target]
                kill |= mask
                gen = (gen & ~mask) | (1 << ident)
                seen |= 1 << ident
        return ~kill, gen, seen

    def _solve(self, summaries: dict) -> None:
        pending = list(reversed(self.order))  # (popped from the end: entry first)
        queued = set(pending)
        while pending:
            label = pending.pop()
            queued.discard(label)
            keep, gen, seen = summaries[label]
            reaching = self.entry[label]
            block = self.fir.blocks[label]
            edges = [(t, (reaching & keep) | gen) for t in jump_targets(block.terminator)]
            if block.handler is not None:
                edges.append((block.handler, reaching | seen))
            for target, bits in edges:
                merged = self.entry[target] | bits
                if merged != self.entry[target]:
                    self.entry[target] = merged
                    if target not in queued:
                        queued.add(target)
                        pending.append(target)

    def walk(self, webs: "_UnionFind") -> dict:
        """Join the webs each read connects; returns (label, index) -> {name: a def id
        reaching it} for the statements reading split names."""
        uses: dict = {}
        masks, at = self.defs.mask, self.defs.at
        for label in self.order:
            reaching = self.entry[label]
            for index, stmt in enumerate(self.fir.blocks[label].body):
                read = [name for name in n.operands(stmt) if name in masks]
                for name in read:
                    ids = _bits(reaching & masks[name])
                    for other in ids[1:]:
                        webs.union(ids[0], other)
                    if ids:
                        uses.setdefault((label, index), {})[name] = ids[0]
                ident = at.get((label, index))
                if ident is not None:
                    reaching = (reaching & ~masks[stmt.target]) | (1 << ident)
        return uses


def _bits(value: int) -> list:
    found = []
    while value:
        low = value & -value
        found.append(low.bit_length() - 1)
        value ^= low
    return found


class _UnionFind:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)  # the root stays the earliest def


def _web_names(defs: _Defs, webs: _UnionFind) -> dict:
    """Web root -> variable name: the web of a name's first assignment keeps the name."""
    names, counts = {}, {}
    for ident, (_, _, name) in enumerate(defs.sites):
        root = webs.find(ident)
        if root not in names:
            count = counts.get(name, 0)
            names[root] = name if count == 0 else f"{name}.{count}"
            counts[name] = count + 1
    return names


def _rewrite(fir: FunctionIR, defs: _Defs, uses: dict, names: dict, webs: _UnionFind) -> None:
    """Rename in new blocks: `fir` may share its blocks with another FunctionIR (a pruned copy,
    typing/infer.py)."""
    changes: dict = {}  # label -> {index: (renames, target or None)}
    for (label, index), read in uses.items():
        renames = {name: names[webs.find(i)] for name, i in read.items()
                   if names[webs.find(i)] != name}
        if renames:
            changes.setdefault(label, {})[index] = (renames, None)
    for ident, (label, index, name) in enumerate(defs.sites):
        target = names[webs.find(ident)]
        if target != name:
            renames = changes.setdefault(label, {}).get(index, ({}, None))[0]
            changes[label][index] = (renames, target)
    blocks = dict(fir.blocks)
    for label, edits in changes.items():
        block = blocks[label]
        body = list(block.body)
        for index, (renames, target) in edits.items():
            body[index] = n.rename(body[index], renames, target)
        blocks[label] = dataclasses.replace(block, body=body)
    fir.blocks = blocks
