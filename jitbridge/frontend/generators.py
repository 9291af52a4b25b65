"""Generator functions' `yield`, and generator expressions consumed at once, rewritten into
loops (no generator object at all).

`yield v` is a call of the `yield_value` marker (lowering/generators.py suspends the generator
there); `yield from it` is `for v in it: yield v`. The value of a `yield` expression is None:
compiled generators are advanced by `next()` and for loops, never sent a value.

`sum(e for x in a)`, `min/max/any/all(...)`, `list/set/sorted(...)`, `dict((k, v) for ...)`
and `"sep".join(...)` consume their generator completely (or up to the first true/false item
for any/all), so each becomes the loop a comprehension makes, with CPython's semantics: `sum`
adds with `+` from `start` (0 by default), `min`/`max` keep the first of equal items and raise
ValueError on an empty sequence, `any`/`all` stop at the first deciding item.
"""
from __future__ import annotations

import ast
import builtins
from copy import deepcopy

from ..ir import nodes as n
from ..ir.markers import yield_value
from . import expressions, statements
from .cfg import IRBuilder
from .closures import lift
from .visitor import transform

#: builtins whose generator-expression argument is materialised as a list first
_MATERIALISED = (sorted,)


def transform_Call(b: IRBuilder, node: ast.Call) -> str:
    """A call consuming a generator expression becomes a loop; any other call is transformed
    as usual (expressions.transform_Call)."""
    rewritten = rewrite_call(b, node)
    if rewritten is not None:
        return rewritten
    return (yield from expressions.transform_Call(b, node))


def transform_For(b: IRBuilder, node: ast.For) -> None:
    """`for v in (e for x in a if c): body` is `for x in a: if c: v = e; body`; a `break` of
    the body leaves every loop (through a flag), `else` runs when none did."""
    genexp = node.iter
    if not isinstance(genexp, ast.GeneratorExp):
        statements.transform_For(b, node)
        return
    broke = _local(b)
    _transform(b, _stmt(ast.Assign([_store(broke)], ast.Constant(False)), node))
    body = [ast.Assign([node.target], genexp.elt), *_flag_breaks(node.body, broke)]
    _loops(b, genexp, body, lambda: _load(broke))
    if node.orelse:
        _transform(b, _stmt(ast.If(_load(broke), [], node.orelse), node))


def _flag_breaks(body: list, flag: str) -> list:
    """`body` with each `break` of this loop (not of a loop inside it) setting `flag` first."""
    class Flag(ast.NodeTransformer):
        def visit_Break(self, node):
            return [ast.copy_location(ast.Assign([_store(flag)], ast.Constant(True)), node),
                    node]

        def generic_visit(self, node):
            if isinstance(node, (ast.For, ast.While, ast.FunctionDef, ast.Lambda,
                                 ast.AsyncFunctionDef, ast.ClassDef)):
                return self._orelse_only(node)
            return super().generic_visit(node)

        def _orelse_only(self, node):  # a loop's `else` still belongs to the outer loop
            if isinstance(node, (ast.For, ast.While)):
                node.orelse = [s for stmt in node.orelse for s in _as_list(self.visit(stmt))]
            return node
    flagger = Flag()
    return [s for stmt in deepcopy(body) for s in _as_list(flagger.visit(stmt))]


def _as_list(result) -> list:
    return result if isinstance(result, list) else [result]


def transform_GeneratorExp(b: IRBuilder, node: ast.GeneratorExp) -> str:
    """A generator expression kept as a value is a lifted generator function called on its
    first iterable, which CPython evaluates at once (the rest is evaluated as items are
    drawn, reading the enclosing variables then)."""
    for gen in node.generators:
        if gen.is_async:
            raise b.unsupported("async generator expressions are not supported", node)
    loc = b.loc(node)
    first = yield node.generators[0].iter
    param = "genexpr_iterable__"
    body = [ast.Expr(ast.Yield(node.elt))]
    for index, gen in reversed(list(enumerate(node.generators))):
        for cond in reversed(gen.ifs):
            body = [ast.If(cond, body, [])]
        source = _load(param) if index == 0 else gen.iter
        body = [ast.For(gen.target, source, body, [])]
    args = ast.arguments(posonlyargs=[], args=[ast.arg(param)], vararg=None, kwonlyargs=[],
                         kw_defaults=[], kwarg=None, defaults=[])
    closure = lift(b, node, "<genexpr>", args, [_stmt(stmt, node) for stmt in body])
    return b.assign(n.Call(closure, (first,), (), loc))


def rewrite_call(b: IRBuilder, node: ast.Call):
    """The result variable of a call consuming a generator expression, or None when `node`
    is not such a call."""
    genexp = _genexp_argument(node)
    if genexp is None:
        return None
    func = b.scope.frozen(node.func)
    rule = _RULES.get(func) if _hashable(func) else None
    if rule is not None and not node.keywords:
        return rule(b, node, genexp)
    if _is_join(node):
        return _join(b, node, genexp)
    return None


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _genexp_argument(node: ast.Call):
    if node.args and isinstance(node.args[0], ast.GeneratorExp):
        return node.args[0]
    return None


def _is_join(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == "join" and len(node.args) == 1
            and not node.keywords)


def _as_listcomp(genexp: ast.GeneratorExp) -> ast.ListComp:
    return ast.copy_location(ast.ListComp(genexp.elt, genexp.generators), genexp)


def _join(b: IRBuilder, node: ast.Call, genexp) -> str:
    call = ast.copy_location(ast.Call(node.func, [_as_listcomp(genexp)], []), node)
    return _transform(b, call)


def _materialised(b: IRBuilder, node: ast.Call, genexp) -> str:
    call = ast.copy_location(ast.Call(node.func, [_as_listcomp(genexp), *node.args[1:]],
                                      node.keywords), node)
    return _transform(b, call)


def _list(b: IRBuilder, node: ast.Call, genexp) -> str:
    _arity(b, node, 1)
    return _transform(b, _as_listcomp(genexp))


def _set(b: IRBuilder, node: ast.Call, genexp) -> str:
    _arity(b, node, 1)
    return _transform(b, ast.copy_location(ast.SetComp(genexp.elt, genexp.generators), genexp))


def _dict(b: IRBuilder, node: ast.Call, genexp) -> str:
    _arity(b, node, 1)
    elt = genexp.elt
    if not (isinstance(elt, ast.Tuple) and len(elt.elts) == 2):
        raise b.unsupported("dict() of a generator expression needs (key, value) tuples "
                            "written out: dict((k, v) for ...)", genexp)
    comp = ast.DictComp(elt.elts[0], elt.elts[1], genexp.generators)
    return _transform(b, ast.copy_location(comp, genexp))


def _sum(b: IRBuilder, node: ast.Call, genexp) -> str:
    """acc = start; for ...: acc = acc + elt (`+`, never `+=`: the first item is not mutated)."""
    _arity(b, node, 2)
    acc = _local(b)
    start = node.args[1] if len(node.args) > 1 else ast.Constant(0)
    _transform(b, _stmt(ast.Assign([_store(acc)], start), node))
    add = ast.Assign([_store(acc)], ast.BinOp(_load(acc), ast.Add(), genexp.elt))
    _loops(b, genexp, [add])
    return acc


def _extremum(op):
    def rule(b: IRBuilder, node: ast.Call, genexp) -> str:
        """Keeps the first item `op` does not beat; ValueError when there is none."""
        _arity(b, node, 1)
        acc, empty, item = _local(b), _local(b), _local(b)
        name = "min" if isinstance(op, ast.Lt) else "max"
        _transform(b, _stmt(ast.Assign([_store(empty)], ast.Constant(True)), node))
        take = [ast.Assign([_store(acc)], _load(item))]
        body = [ast.Assign([_store(item)], genexp.elt),
                ast.If(_load(empty),
                       take + [ast.Assign([_store(empty)], ast.Constant(False))],
                       [ast.If(ast.Compare(_load(item), [op], [_load(acc)]), take, [])])]
        _loops(b, genexp, body)
        error = ast.Call(ast.Name("ValueError", ast.Load()),
                         [ast.Constant(f"{name}() arg is an empty sequence")], [])
        _transform(b, _stmt(ast.If(_load(empty), [ast.Raise(error, None)], []), node))
        return acc
    return rule


def _any_all(is_any: bool):
    def rule(b: IRBuilder, node: ast.Call, genexp) -> str:
        """Stops at the first item deciding the result (`bool(item)` is that of Python)."""
        _arity(b, node, 1)
        result = _local(b)
        _transform(b, _stmt(ast.Assign([_store(result)], ast.Constant(not is_any)), node))
        test = genexp.elt if is_any else ast.UnaryOp(ast.Not(), genexp.elt)
        decide = ast.If(test, [ast.Assign([_store(result)], ast.Constant(is_any)),
                               ast.Break()], [])
        stop = (lambda: _load(result)) if is_any else (
            lambda: ast.UnaryOp(ast.Not(), _load(result)))
        _loops(b, genexp, [decide], stop)
        return result
    return rule


def _loops(b: IRBuilder, genexp, body: list, stop=None) -> None:
    """Emit `body` inside the genexp's loops (in their own scope, as comprehensions); `stop`:
    the condition after which each enclosing loop breaks too (any/all stopping early)."""
    comp = expressions.own_scope(b, _as_listcomp(genexp))
    body = _rename(body, genexp, comp)
    for depth, gen in enumerate(reversed(comp.generators)):
        if gen.is_async:
            raise b.unsupported("async generator expressions are not supported", genexp)
        for cond in reversed(gen.ifs):
            body = [ast.If(cond, body, [])]
        loop = ast.For(gen.target, gen.iter, body, [])
        body = [loop]
        if stop is not None and depth < len(comp.generators) - 1:
            body.append(ast.If(stop(), [ast.Break()], []))
    _emit_outside_loops(b, body, genexp)


def _rename(body: list, genexp, comp) -> list:
    """`body` reading the comprehension's renamed element (comp.elt) instead of genexp.elt."""
    class Swap(ast.NodeTransformer):
        def visit(self, node):
            return comp.elt if node is genexp.elt else super().visit(node)
    return [Swap().visit(stmt) for stmt in body]


def _emit_outside_loops(b: IRBuilder, body: list, where) -> None:
    """Emit the rewritten loops (a `break` or `continue` inside belongs to them)."""
    outer, b.loops = b.loops, []
    try:
        for stmt in body:
            _transform(b, _stmt(stmt, where))
    finally:
        b.loops = outer


def _arity(b: IRBuilder, node: ast.Call, most: int) -> None:
    if len(node.args) > most or any(isinstance(a, ast.Starred) for a in node.args):
        raise b.unsupported(f"{ast.unparse(node.func)}() of a generator expression takes "
                            f"at most {most} positional argument(s) here", node)


def _local(b: IRBuilder) -> str:
    name = b.temp()
    b.scope.add_local(name)
    return name


def _load(name: str) -> ast.Name:
    return ast.Name(name, ast.Load())


def _store(name: str) -> ast.Name:
    return ast.Name(name, ast.Store())


def _stmt(stmt: ast.AST, where: ast.AST) -> ast.AST:
    """`stmt` located at `where` (every node without a location gets `where`'s)."""
    for child in ast.walk(stmt):  # (nodes taken from the user's tree keep their own)
        if getattr(child, "lineno", None) is None:
            ast.copy_location(child, where)
    return stmt


def _transform(b: IRBuilder, node: ast.AST) -> str:
    return transform(b, _stmt(node, node))


_RULES = {
    builtins.sum: _sum, builtins.min: _extremum(ast.Lt()), builtins.max: _extremum(ast.Gt()),
    builtins.any: _any_all(True), builtins.all: _any_all(False),
    builtins.list: _list, builtins.set: _set, builtins.dict: _dict,
    **{func: _materialised for func in _MATERIALISED},
}


# -- generator functions -------------------------------------------------------------------------

def check_generator(b: IRBuilder, tree: ast.FunctionDef) -> None:
    """Refuse what compiled generators do not do, at its location."""
    for node in _own_nodes(tree):
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            raise b.unsupported("a generator returning a value (the value of its "
                                "StopIteration) is not supported: use a bare 'return'", node)
    b.used_yields = _used_yields(tree)


def _used_yields(tree: ast.FunctionDef) -> dict:
    """id(Yield node) -> the name its value is assigned to ('' if none), for every yield
    whose value (what `send()` delivers) the function reads: not a statement `yield v`."""
    discarded, used = set(), {}
    for node in _own_nodes(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield):
            discarded.add(id(node.value))
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Yield) \
                and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            used[id(node.value)] = node.targets[0].id
    for node in _own_nodes(tree):
        if isinstance(node, ast.Yield) and id(node) not in discarded:
            used.setdefault(id(node), "")
    return used


def _own_nodes(tree: ast.FunctionDef):
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                 ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def transform_Yield(b: IRBuilder, node: ast.Yield) -> str:
    loc = b.loc(node)
    value = b.const(None) if node.value is None else (yield node.value)
    marker = b.assign(n.Global("yield_value", yield_value, loc))
    target = getattr(b, "used_yields", {}).get(id(node))
    if target is None:  # (a statement: the value sent is dropped)
        b.assign(n.Call(marker, (value,), (), loc))
        return b.const(None)
    return b.assign(n.Call(marker, (value, b.const(target)), (), loc))


def transform_YieldFrom(b: IRBuilder, node: ast.YieldFrom) -> str:
    """`yield from it` is `for v in it: yield v` (its value, StopIteration's, is None)."""
    item = _local(b)
    loop = ast.For(_store(item), node.value,
                   [ast.Expr(ast.Yield(_load(item)))], [])
    _emit_outside_loops(b, [loop], node)
    return b.const(None)
