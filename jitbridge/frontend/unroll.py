"""`for v in literal_unroll(t):` over a heterogeneous tuple: the body is emitted once per item,
each copy with its own loop variable (so each copy is typed for its item's type), as Numba
versions the loop body.

The number of copies is the tuple's length, known only once the function is typed. The IR is
therefore built in rounds (`compiler.type_function`): a loop whose length is not known yet is
emitted as a probe, `$unroll<i> = t` without its body; typing that IR gives the tuple's type,
and the next build unrolls the loop (a loop over anything else than a heterogeneous tuple
stays an ordinary loop: `literal_unroll` is then the identity, as in Numba).
"""
from __future__ import annotations

import ast
import copy

from ..ir import nodes as n
from ..ir.markers import literal_unroll
from . import generators
from .cfg import IRBuilder, LoopTargets
from .statements import store
from .visitor import transform, transform_body

PROBE = "$unroll{}"
#: a length meaning "not a heterogeneous tuple: an ordinary loop"
ORDINARY = -1


class UnrollState:
    """The loop lengths found so far (by loop number, in source order) and the loops this
    build still had to probe."""

    def __init__(self, lengths: dict):
        self.lengths = dict(lengths)
        self.count = 0
        self.pending: set = set()


def _state(b: IRBuilder) -> UnrollState:
    state = getattr(b, "unroll", None)
    if state is None:
        state = b.unroll = UnrollState({})
    return state


def _is_unroll_loop(b: IRBuilder, node: ast.For) -> bool:
    call = node.iter
    return isinstance(call, ast.Call) and isinstance(call.func, (ast.Name, ast.Attribute)) \
        and b.scope.frozen(call.func) is literal_unroll


def transform_For(b: IRBuilder, node: ast.For) -> None:
    if not _is_unroll_loop(b, node):
        generators.transform_For(b, node)
        return
    call = node.iter
    if len(call.args) != 1 or call.keywords:
        raise b.unsupported("literal_unroll() takes exactly one argument", call)
    state = _state(b)
    index, state.count = state.count, state.count + 1
    container = b.assign(n.Var(transform(b, call.args[0]), b.loc(call)), PROBE.format(index))
    b.scope.add_local(container)
    length = state.lengths.get(index)
    if length is None:  # probe: the container's type decides the next build
        state.pending.add(index)
    elif length == ORDINARY:
        generators.transform_For(b, _over_variable(node, container))
    else:
        _unrolled(b, node, container, index, length)


def _over_variable(node: ast.For, name: str) -> ast.For:
    """`node` iterating over the variable `name` instead of its own expression."""
    loop = copy.copy(node)
    loop.iter = ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node.iter)
    return loop


def _unrolled(b: IRBuilder, node: ast.For, container: str, index: int, length: int) -> None:
    """One copy of the body per item; `continue` goes to the next copy, `break` past `else`."""
    done = b.new_block()
    targets = {name.id for name in ast.walk(node.target) if isinstance(name, ast.Name)}
    for k in range(length):
        following = b.new_block()
        # (identifiers: inner functions capture them as parameters)
        renames = {name: f"_jb_unroll{index}_{k}_{name}" for name in targets}
        for name in renames.values():
            b.scope.add_local(name)
        item = b.assign(n.GetItem(container, b.const(k), b.loc(node.target)))
        store(b, _renamed(node.target, renames), item)
        b.loops.append(LoopTargets(following, done, len(b.finallies)))
        transform_body(b, [_renamed(stmt, renames) for stmt in node.body])
        b.loops.pop()
        b.jump(following)
        b.set_block(following)
    transform_body(b, node.orelse)
    b.jump(done)
    b.set_block(done)


class _Renamer(ast.NodeTransformer):
    def __init__(self, renames: dict):
        self.renames = renames

    def visit_Name(self, node: ast.Name):
        if node.id in self.renames:
            return ast.copy_location(ast.Name(id=self.renames[node.id], ctx=node.ctx), node)
        return node


def _renamed(tree: ast.AST, renames: dict) -> ast.AST:
    return _Renamer(renames).visit(copy.deepcopy(tree))
