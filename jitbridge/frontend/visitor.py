"""Logic-free dispatcher: an AST node goes to `transform_<NodeClass>(builder, node)`.

Expression transforms are generators: `value = yield child` asks for a sub-expression and
receives the variable holding its result. `transform` drives them on an explicit stack, so an
expression nested arbitrarily deeply (a 3000-term `x + 1 + 1 ...` is a left-deep BinOp chain)
never recurses in the compiler. Statement transforms are plain functions: Python's own parser
bounds statement nesting (100 indentation levels).
"""
from __future__ import annotations

import ast
import inspect

from .cfg import IRBuilder

_TRANSFORMS: dict = {}
_GENERATORS: set = set()


def register_transforms(module) -> None:
    """Collect every `transform_<Node>` function of a module."""
    for name, func in vars(module).items():
        node_class = getattr(ast, name[len("transform_"):], None)
        if name.startswith("transform_") and isinstance(node_class, type):
            _TRANSFORMS[node_class] = func
            if inspect.isgeneratorfunction(func):
                _GENERATORS.add(node_class)


def transform(builder: IRBuilder, node: ast.AST):
    """Transform one AST node; unknown node kinds raise UnsupportedError at their location."""
    outer = builder.node
    try:
        if type(node) in _GENERATORS:
            return _drive(builder, node)
        return _start(builder, node)
    finally:
        builder.node = outer


def _start(builder: IRBuilder, node: ast.AST):
    """Call the node's transform: its result, or the generator to drive for expressions."""
    func = _TRANSFORMS.get(type(node))
    if func is None:
        raise builder.unsupported(_describe(node), node)
    builder.node = node
    return func(builder, node)


def _drive(builder: IRBuilder, root: ast.AST):
    """Run generator transforms with an explicit stack of (generator, node) frames."""
    stack, value = [(_start(builder, root), root)], None
    while stack:
        gen, node = stack[-1]
        builder.node = node
        try:
            child = gen.send(value)
        except StopIteration as done:
            stack.pop()
            value = done.value
            continue
        value = _start(builder, child)
        if type(child) in _GENERATORS:
            stack.append((value, child))
            value = None
    return value


def _describe(node: ast.AST) -> str:
    kind = type(node).__name__
    return f"unsupported Python syntax: {kind} ({source_text(node)[:60]!r})"


def source_text(node: ast.AST) -> str:
    """The first line of `node`'s source text (`...` if too deep for ast.unparse)."""
    try:
        return ast.unparse(node).splitlines()[0]
    except RecursionError:  # ast.unparse recurses per nesting level
        return "..."


def transform_body(builder: IRBuilder, stmts: list) -> None:
    """Transform a statement list in order."""
    for stmt in stmts:
        transform(builder, stmt)
