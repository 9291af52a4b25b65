"""Untyped IR nodes: one frozen dataclass per operation.

Expressions appear only as the `value` of an `Assign`; their operands are variable names (str),
so every intermediate result has a name that typing can map to a type. Statements either mutate
(SetItem, SetAttr) or terminate a block (Jump, Branch, Return, Raise). Nodes compare by identity
(`eq=False`) so side tables can key on them; `printer.py` gives their stable text form.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Loc

_node = dataclass(frozen=True, eq=False)
NOLOC = Loc("<unknown>", 0)


@_node
class Node:
    """Base of all IR nodes."""


# -- expressions ---------------------------------------------------------------------------

@_node
class Expr(Node):
    """Base of expressions (the right-hand side of Assign)."""


@_node
class Const(Expr):
    value: Any
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Global(Expr):
    """A global, closure or builtin name frozen to its value at compile time."""
    name: str
    value: Any
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Arg(Expr):
    index: int
    name: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Var(Expr):
    """A copy of another variable."""
    name: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class BinOp(Expr):
    """`lhs <op> rhs`; `op` is an `operator` function (operator.add, operator.iadd ...)."""
    op: Any
    lhs: str
    rhs: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class UnaryOp(Expr):
    op: Any
    operand: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Compare(Expr):
    op: Any
    lhs: str
    rhs: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Call(Expr):
    func: str
    args: tuple
    kws: tuple = ()
    loc: Loc = field(default=NOLOC, repr=False)
    star: tuple = ()  # positions in `args` of tuples spread into the call (`f(*t)`)


@_node
class GetAttr(Expr):
    value: str
    attr: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class GetItem(Expr):
    value: str
    index: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class BuildTuple(Expr):
    items: tuple
    loc: Loc = field(default=NOLOC, repr=False)
    star: tuple = ()  # positions in `items` of tuples spread into this one (`(*t, x)`)


@_node
class BuildList(Expr):
    items: tuple
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class GetIter(Expr):
    value: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class ArrayExpr(Expr):
    """Elementwise array operations fused into one loop (made by lowering/fusion.py after
    typing, never by the frontend): `tree` is `(operation, signature, children)`, each child a
    subtree or the index of a variable of `args`."""
    tree: Any
    args: tuple
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class IterNext(Expr):
    """Advance an iterator: a (value, is_valid) pair."""
    iterator: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Catch(Expr):
    """Whether the exception pending at try region `region` (its dispatch block's label) is an
    instance of `classes` (a class or a tuple of classes; None: any exception). A true result
    makes it the exception being handled: a bare `raise` re-raises it, if `keep` (else the
    clause cannot re-raise it, and it is released at once)."""
    region: int
    classes: str | None
    loc: Loc = field(default=NOLOC, repr=False)
    keep: bool = True


@_node
class Caught(Expr):
    """The exception object an except clause of try region `region` (testing `classes`, a
    variable, or None: any) handles, for `except ... as name`. `raised`: the variables raised
    by the region's `raise` statements (not read: their types give the object's `args` type)."""
    region: int
    classes: str | None
    raised: tuple
    loc: Loc = field(default=NOLOC, repr=False)


class SelfReference:
    """The value of a function's own name when it is not bound yet (eager recursive compile)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self):
        return f"<self {self.name}>"


# -- statements ----------------------------------------------------------------------------

@_node
class Stmt(Node):
    """Base of statements."""


@_node
class Assign(Stmt):
    target: str
    value: Expr
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class SetItem(Stmt):
    target: str
    index: str
    value: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class SetAttr(Stmt):
    target: str
    attr: str
    value: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Terminator(Stmt):
    """Base of statements that end a block."""


@_node
class Jump(Terminator):
    target: int
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Branch(Terminator):
    cond: str
    truebr: int
    falsebr: int
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Return(Terminator):
    value: str
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Raise(Terminator):
    exception: str | None
    loc: Loc = field(default=NOLOC, repr=False)


@_node
class Reraise(Terminator):
    """Raise again the exception pending or handled at try region `region` (a bare `raise`,
    or no handler of the region matched); None: the one the interpreter is handling (a bare
    `raise` outside any except clause of the function)."""
    region: int | None
    loc: Loc = field(default=NOLOC, repr=False)


def operands(node: Node) -> tuple:
    """The variable names a node reads, in a fixed order."""
    reader = _OPERANDS.get(type(node))
    return reader(node) if reader else ()


_OPERANDS = {
    Var: lambda n: (n.name,),
    BinOp: lambda n: (n.lhs, n.rhs),
    Compare: lambda n: (n.lhs, n.rhs),
    UnaryOp: lambda n: (n.operand,),
    Call: lambda n: (n.func, *n.args, *(v for _, v in n.kws)),
    GetAttr: lambda n: (n.value,),
    GetItem: lambda n: (n.value, n.index),
    BuildTuple: lambda n: tuple(n.items),
    BuildList: lambda n: tuple(n.items),
    GetIter: lambda n: (n.value,),
    ArrayExpr: lambda n: tuple(n.args),
    IterNext: lambda n: (n.iterator,),
    Assign: lambda n: operands(n.value),
    SetItem: lambda n: (n.target, n.index, n.value),
    SetAttr: lambda n: (n.target, n.value),
    Branch: lambda n: (n.cond,),
    Return: lambda n: (n.value,),
    Raise: lambda n: (n.exception,) if n.exception else (),
    Catch: lambda n: (n.classes,) if n.classes else (),
    Caught: lambda n: (n.classes,) if n.classes else (),
}


def rename(stmt: Stmt, names: dict, target: str | None = None) -> Stmt:
    """A copy of `stmt` reading `names[v]` for each variable v in `names` (and assigning
    `target`, for an Assign)."""
    node = _renamed(stmt, names) if names else _copy(stmt)
    if target is not None:
        object.__setattr__(node, "target", target)  # (a fresh copy: frozen for its users)
    return node


def _renamed(node: Node, names: dict) -> Node:
    """A copy of `node` with its operands renamed (copied field by field: dataclasses.replace
    costs several times more, and long functions rename thousands of nodes)."""
    new = _copy(node)
    if isinstance(node, Assign):
        object.__setattr__(new, "value", _renamed(node.value, names))
        return new
    for name in _OPERAND_FIELDS.get(type(node), ()):
        object.__setattr__(new, name, _rename_field(getattr(node, name), names))
    return new


def _copy(node: Node) -> Node:
    new = object.__new__(type(node))
    new.__dict__.update(node.__dict__)
    return new


def _rename_field(value, names: dict):
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, tuple):
        return tuple(_rename_field(item, names) if not isinstance(item, tuple)
                     else (item[0], names.get(item[1], item[1])) for item in value)
    return value  # (None)


#: the fields of each node that hold variable names (`operands` reads them)
_OPERAND_FIELDS = {
    Var: ("name",), BinOp: ("lhs", "rhs"), Compare: ("lhs", "rhs"), UnaryOp: ("operand",),
    Call: ("func", "args", "kws"), GetAttr: ("value",), GetItem: ("value", "index"),
    BuildTuple: ("items",), BuildList: ("items",), GetIter: ("value",), ArrayExpr: ("args",),
    IterNext: ("iterator",), SetItem: ("target", "index", "value"),
    SetAttr: ("target", "value"), Branch: ("cond",), Return: ("value",),
    Raise: ("exception",), Catch: ("classes",), Caught: ("classes",),
}
