"""Logic-free dispatcher: an AST node goes to `transform_<NodeClass>(builder, node)`."""
from __future__ import annotations

import ast

from ..errors import CompilerError
from .cfg import IRBuilder

_TRANSFORMS: dict = {}


def register_transforms(module) -> None:
    """Collect every `transform_<Node>` function of a module."""
    for name, func in vars(module).items():
        node_class = getattr(ast, name[len("transform_"):], None)
        if name.startswith("transform_") and isinstance(node_class, type):
            _TRANSFORMS[node_class] = func


def transform(builder: IRBuilder, node: ast.AST):
    """Transform one AST node; unknown node kinds raise UnsupportedError at their location."""
    func = _TRANSFORMS.get(type(node))
    if func is None:
        raise builder.unsupported(_describe(node), node)
    outer, builder.node = builder.node, node
    try:
        return func(builder, node)
    except CompilerError:
        raise
    finally:
        builder.node = outer


def _describe(node: ast.AST) -> str:
    kind = type(node).__name__
    return f"unsupported Python syntax: {kind} ({ast.unparse(node).splitlines()[0][:60]!r})"


def transform_body(builder: IRBuilder, stmts: list) -> None:
    """Transform a statement list in order."""
    for stmt in stmts:
        transform(builder, stmt)
