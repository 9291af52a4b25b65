"""The typed IR: one specialisation's statements after typing, private to it.

`build` makes it from a TypedFunction. Its blocks are tuples of `Op`s, each pairing a statement
with an id unique in the function: an untyped statement (frozen, shared with the untyped IR,
which no later stage changes) or an op of this stage (`IncRef`, `DecRef`). Side tables (types
of expressions, signatures of calls) are keyed by those ids, so passes insert and move ops
without invalidating them, and two specialisations of one function never share a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

from .. import types
from ..errors import Loc
from ..ir import nodes as n
from ..ir.function import jump_targets
from ..ir.nodes import NOLOC
from ..typing.infer import TypedFunction

_node = dataclass(frozen=True, eq=False)


@_node
class IncRef(n.Stmt):
    """Take one more reference to every runtime object the value of `var` holds."""
    var: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class DecRef(n.Stmt):
    """Release one reference to every runtime object the value of `var` holds; `clear`: and
    zero the variable, which holds nothing afterwards."""
    var: str
    loc: Loc = field(default=NOLOC, repr=False)
    clear: bool = False


@dataclass(frozen=True)
class Op:
    """A statement and its id. Compares and hashes by id alone, so the op is its own key."""
    sid: int
    node: n.Stmt = field(compare=False)

    @property
    def loc(self) -> Loc:
        return self.node.loc


@dataclass(frozen=True)
class TypedBlock:
    label: int
    body: tuple
    handler: int | None = None  # the untyped block's (an exception raised here goes there)

    def successors(self) -> tuple:
        targets = jump_targets(self.body[-1].node if self.body else None)
        return targets + (() if self.handler is None else (self.handler,))


@dataclass(frozen=True, eq=False)
class TypedIR:
    """A function in typed IR. `exit` holds the ops of the exit block, which every return and
    every raise (the function's own or an implementation's) passes through."""
    typed: TypedFunction  # its untyped IR is read, never changed
    blocks: MappingProxyType  # label -> TypedBlock, in the untyped IR's order
    typemap: MappingProxyType  # variable -> type
    exprtypes: MappingProxyType  # sid of an Assign -> the type of its value
    calltypes: MappingProxyType  # sid -> the signature of the call it makes
    exit: tuple = ()
    next_sid: int = 0
    #: op -> the variables it reads that may be unassigned when it runs (UnboundLocalError)
    unbound_uses: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @property
    def entry(self) -> int:
        return self.typed.fir.entry

    @property
    def return_type(self) -> types.Type:
        return self.typed.return_type

    def ops(self):
        """(label, op) for every op of every block."""
        for label, block in self.blocks.items():
            for op in block.body:
                yield label, op

    def derive(self, blocks: dict, next_sid: int, **changes) -> TypedIR:
        """A new TypedIR with these blocks (a pass's result; this one is unchanged)."""
        return replace(self, blocks=MappingProxyType(blocks), next_sid=next_sid, **changes)


def op_pairs(block: TypedBlock) -> list:
    """(key, node) pairs of a block for the analyses of cfg.py: ops are their own keys."""
    return [(op, op.node) for op in block.body]


def build(typed: TypedFunction) -> TypedIR:
    """The typed IR of `typed`: ids in block order, the side tables re-keyed by them."""
    blocks, exprtypes, calltypes, sid = {}, {}, {}, 0
    for label, block in typed.fir.blocks.items():
        ops = []
        for stmt in block.body:
            expr = stmt.value if isinstance(stmt, n.Assign) else None
            if expr is not None:
                exprtypes[sid] = typed.exprtypes[expr]
            sig = typed.calltypes.get(stmt if expr is None else expr)
            if sig is not None:
                calltypes[sid] = sig
            ops.append(Op(sid, stmt))
            sid += 1
        blocks[label] = TypedBlock(label, tuple(ops), block.handler)
    return TypedIR(typed, MappingProxyType(blocks), MappingProxyType(dict(typed.typemap)),
                   MappingProxyType(exprtypes), MappingProxyType(calltypes), (), sid)
