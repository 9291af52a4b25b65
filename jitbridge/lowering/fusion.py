"""Fusing array expressions: `a * b + np.sin(c)` as one elementwise loop (which parallel=True
runs on the threads).

Typing gives every operation of an expression its own statement and temporary array
(`$1 = a * b; $2 = np.sin(c); $3 = $1 + $2`). Here, before the reference-counting pass, each
elementwise operation on arrays whose result is a temporary read once, by another such
operation of the same block, is folded into its reader: the statements become one `ArrayExpr`
computing every element of the result from the expression's leaves in one loop (lib/arrays
lowers it with the same per-element kernels and casts as the separate operations), without the
temporaries and their memory traffic.

Only statements that cannot observe or change any value (constants, frozen globals, copies
into temporaries) may stand between a fused operation and its reader, so moving its evaluation
to the reader's position changes no result.
"""
from __future__ import annotations

import dataclasses
import operator
import sys

from .. import types
from ..ir import nodes as n
from ..ir.function import Block
from ..typing.infer import TypedFunction

#: operators lowered through NumPy's ufuncs on arrays (`**` is not: its integer exponents are
#: checked before the loop)
FUSABLE_OPERATORS = frozenset({
    operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
    operator.mod, operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift,
    operator.neg, operator.pos, operator.invert, operator.lt, operator.le, operator.gt,
    operator.ge, operator.eq, operator.ne})
_HARMLESS = (n.Const, n.Global, n.Var)


def fuse_array_expressions(typed: TypedFunction) -> TypedFunction:
    """`typed` with its fusable array expressions fused (itself when there are none)."""
    if not any(isinstance(ty, types.Array) for ty in typed.typemap.values()):
        return typed  # (most functions: no array, nothing to count)
    fusion = _Fusion(typed)
    blocks = {label: fusion.block(block) for label, block in typed.fir.blocks.items()}
    if not fusion.changed:
        return typed
    fir = dataclasses.replace(typed.fir, blocks=blocks)
    fir.__dict__.update({k: v for k, v in typed.fir.__dict__.items() if k not in fir.__dict__})
    return TypedFunction(fir, typed.argtypes, typed.return_type, typed.typemap,
                         fusion.calltypes, fusion.exprtypes)


class _Fusion:
    def __init__(self, typed: TypedFunction):
        self.typed = typed
        self.calltypes, self.exprtypes = dict(typed.calltypes), dict(typed.exprtypes)
        self.uses = _use_counts(typed.fir)
        self.globals = {s.target: s.value.value for b in typed.fir.blocks.values()
                        for s in b.body if isinstance(s, n.Assign) and isinstance(s.value, n.Global)}
        self.changed = False

    def block(self, block: Block) -> Block:
        out, pending = [], {}  # pending: temporary -> (tree, leaves, its position in out)
        for stmt in block.body:
            operation = self._operation(stmt)
            if operation is None:
                if not _harmless(stmt):
                    pending.clear()
                out.append(stmt)
                continue
            stmt, tree, leaves = self._fold(stmt, operation, pending, out)
            out.append(stmt)
            if stmt.target.startswith("$") and self.uses.get(stmt.target) == 1:
                pending[stmt.target] = (tree, leaves, len(out) - 1)
        return Block(block.label, [s for s in out if s is not None], block.handler)

    def _fold(self, stmt, operation, pending, out):
        """The statement computing `operation` from its operands, each pending temporary's
        expression folded in (its own statement dropped)."""
        kind, sig, operands = operation
        leaves, children = [], []
        for name in operands:
            if name in pending:
                tree, sub_leaves, position = pending.pop(name)
                out[position] = None
                children.append(_shifted(tree, len(leaves)))
                leaves.extend(sub_leaves)
            else:
                children.append(len(leaves))
                leaves.append(name)
        tree = (kind, sig, tuple(children))
        if all(isinstance(c, int) for c in children):
            return stmt, tree, leaves
        fused = n.ArrayExpr(tree, tuple(leaves), stmt.value.loc)
        self.exprtypes[fused] = self.exprtypes[stmt.value]
        self.changed = True
        return n.Assign(stmt.target, fused, stmt.loc), tree, leaves

    def _operation(self, stmt):
        """(operator or ufunc, signature, operands) of an elementwise array operation."""
        if not isinstance(stmt, n.Assign):
            return None
        value = stmt.value
        sig = self.typed.calltypes.get(value)
        if sig is None or sig.impl is not None or not _numeric_arrays(sig):
            return None
        if isinstance(value, (n.BinOp, n.Compare)) and value.op in FUSABLE_OPERATORS:
            return value.op, sig, (value.lhs, value.rhs)
        if isinstance(value, n.UnaryOp) and value.op in FUSABLE_OPERATORS:
            return value.op, sig, (value.operand,)
        if isinstance(value, n.Call) and not value.kws and not value.star:
            ufunc = self.globals.get(value.func)
            if _fusable_ufunc(ufunc) and len(value.args) == ufunc.nin:
                return ufunc, sig, tuple(value.args)
        return None


def _fusable_ufunc(value) -> bool:
    """A NumPy ufunc of one output (not np.power: integer exponents are checked before the
    loop). NumPy is not imported here: without it loaded there is no ufunc to meet."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, np.ufunc) and value.nout == 1 and \
        value is not np.power


def _numeric_arrays(sig) -> bool:
    """An array result computed from numbers, booleans and arrays of them."""
    if not isinstance(sig.return_type, types.Array):
        return False
    elements = [t.dtype if isinstance(t, types.Array) else t
                for t in (*sig.args, sig.return_type)]
    return all(isinstance(types.unliteral(e), (types.Number, types.Boolean)) for e in elements)


def _harmless(stmt) -> bool:
    """A statement that reads nothing a fused operation reads and changes nothing."""
    return isinstance(stmt, n.Assign) and stmt.target.startswith("$") and \
        isinstance(stmt.value, _HARMLESS)


def _shifted(tree, offset: int):
    if isinstance(tree, int):
        return tree + offset
    kind, sig, children = tree
    return (kind, sig, tuple(_shifted(c, offset) for c in children))


def _use_counts(fir) -> dict:
    counts: dict = {}
    for block in fir.blocks.values():
        for stmt in block.body:
            for name in n.operands(stmt):
                counts[name] = counts.get(name, 0) + 1
    return counts
