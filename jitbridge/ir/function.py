"""Blocks and the FunctionIR container produced by the frontend."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Loc
from .nodes import Branch, Jump, Stmt, Terminator


@dataclass
class Block:
    """A basic block: statements ending in exactly one terminator."""

    label: int
    body: list = field(default_factory=list)
    #: the dispatch block of the innermost try region holding this block (None: outside any):
    #: an exception raised here goes there, an edge of the CFG like a jump
    handler: int | None = None

    @property
    def terminator(self) -> Terminator | None:
        last = self.body[-1] if self.body else None
        return last if isinstance(last, Terminator) else None

    @property
    def is_terminated(self) -> bool:
        return self.terminator is not None

    def append(self, stmt: Stmt) -> None:
        """Add a statement (ignored once the block is terminated: the code is unreachable)."""
        if not self.is_terminated:
            self.body.append(stmt)

    def successors(self) -> tuple:
        """Labels this block may jump to."""
        return jump_targets(self.terminator) + (() if self.handler is None else (self.handler,))


def source_name(name: str) -> str:
    """The Python name of a variable (`x` for `x.2`, a web of `x` of its own: ir/webs.py)."""
    return name if name.startswith("$") else name.split(".", 1)[0]


def jump_targets(term) -> tuple:
    """The labels a terminator jumps to."""
    if isinstance(term, Jump):
        return (term.target,)
    if isinstance(term, Branch):
        return (term.truebr, term.falsebr)
    return ()


@dataclass
class FunctionIR:
    """A function in untyped IR: blocks by label, entry label, argument names, source info."""

    name: str
    qualname: str
    arg_names: tuple
    blocks: dict
    entry: int
    loc: Loc
    py_func: object = None
    defaults: tuple = ()
    #: a generator function (its body has a `yield`): typing and lowering make a generator
    generator: bool = False

    def reachable_labels(self) -> list:
        """Labels reachable from the entry, in depth-first preorder."""
        seen, order, stack = set(), [], [self.entry]
        while stack:
            label = stack.pop()
            if label in seen:
                continue
            seen.add(label)
            order.append(label)
            stack.extend(reversed(self.blocks[label].successors()))
        return order

    def prune_unreachable(self) -> None:
        """Drop blocks no path from the entry reaches."""
        keep = set(self.reachable_labels())
        self.blocks = {k: b for k, b in self.blocks.items() if k in keep}
