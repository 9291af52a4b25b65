"""The IR builder the transforms write into: blocks, temporaries, loop stack, locations."""
from __future__ import annotations

import ast
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import UnsupportedError
from ..ir import nodes as n
from ..ir.function import Block, FunctionIR
from .scope import Scope
from .source import SourceInfo, parameters, private_name


@dataclass
class LoopTargets:
    """Where `continue` and `break` jump inside the innermost loop; how many `finally` clauses
    enclosed the loop (those opened inside it run before a jump out of it)."""

    continue_label: int
    break_label: int
    finally_depth: int = 0


@dataclass(frozen=True)
class FinallyClause:
    """A `finally` body, and the try regions enclosing its `try` statement: its copies on the
    paths leaving the statement (return, break, continue) run in those regions."""

    body: list
    handlers: tuple


class IRBuilder:
    """Accumulates blocks of IR for one function while the AST is visited."""

    def __init__(self, source: SourceInfo, scope: Scope):
        self.source = source
        self.scope = scope
        self.blocks: dict[int, Block] = {}
        self.loops: list[LoopTargets] = []
        self.handlers: tuple = ()  # dispatch blocks of the enclosing try regions, innermost last
        self.handling: list = []  # try regions whose except clause is being emitted
        self.finallies: list[FinallyClause] = []
        self.raised: dict = {}  # try region -> the variables its `raise` statements raise
        self._temps = 0
        self.entry = self.new_block()
        self.current = self.blocks[self.entry]
        self.node: ast.AST | None = None

    def attribute(self, node: ast.Attribute) -> str:
        """The attribute `node` names, private names mangled as CPython does."""
        return private_name(self.source.func, node.attr)

    # -- blocks ---------------------------------------------------------------------------
    def new_block(self) -> int:
        """Create an empty block and return its label."""
        label = len(self.blocks)
        self.blocks[label] = Block(label, handler=self.handlers[-1] if self.handlers else None)
        return label

    @contextmanager
    def region(self, handlers: tuple):
        """Blocks created inside send their exceptions to `handlers[-1]` (none if empty)."""
        outer, self.handlers = self.handlers, handlers
        try:
            yield
        finally:
            self.handlers = outer

    def enter_new_block(self) -> int:
        """Jump to a new block (in the current region) and continue there."""
        label = self.new_block()
        self.jump(label)
        self.set_block(label)
        return label

    def set_block(self, label: int) -> None:
        """Continue emitting into block `label`."""
        self.current = self.blocks[label]

    def start_unreachable(self) -> None:
        """After a terminator, further statements go into a fresh unreachable block."""
        self.set_block(self.new_block())

    # -- emission -------------------------------------------------------------------------
    def loc(self, node: ast.AST | None = None):
        """Location of `node`, or of the node being transformed."""
        return self.source.loc(node or self.node)

    def emit(self, stmt: n.Stmt) -> None:
        self.current.append(stmt)

    def temp(self) -> str:
        """A fresh temporary variable name (users cannot spell `$`)."""
        self._temps += 1
        return f"${self._temps}"

    def assign(self, value: n.Expr, target: str | None = None) -> str:
        """Emit `target = value` (a fresh temporary by default) and return the target name."""
        target = target or self.temp()
        self.emit(n.Assign(target, value, value.loc))
        return target

    def const(self, value) -> str:
        return self.assign(n.Const(value, self.loc()))

    def jump(self, label: int) -> None:
        self.emit(n.Jump(label, self.loc()))

    def branch(self, cond: str, truebr: int, falsebr: int) -> None:
        self.emit(n.Branch(cond, truebr, falsebr, self.loc()))

    def unsupported(self, what: str, node: ast.AST | None = None) -> UnsupportedError:
        """An UnsupportedError located at `node` (to be raised by the caller)."""
        return UnsupportedError(what, self.loc(node))

    def finish(self, func) -> FunctionIR:
        """Close the function (implicit `return None`) and return its IR."""
        if not self.current.is_terminated:
            self.emit(n.Return(self.const(None), self.loc(self.source.tree)))
        for block in self.blocks.values():
            if not block.is_terminated:  # unreachable tails after break/return
                block.body.append(n.Jump(block.label, self.loc(self.source.tree)))
        tree = self.source.tree
        params = tuple(a.arg for a in parameters(tree.args))
        fir = FunctionIR(tree.name, func.__qualname__, params,
                         self.blocks, self.entry, self.loc(tree), func, func.__defaults__ or ())
        fir.prune_unreachable()
        return fir
