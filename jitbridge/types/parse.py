"""Parse type and signature strings: "float64(float64, int64)", "intp[:]", "UniTuple(float64, 2)".

A tiny safe evaluator over the `ast` of the string: names resolve in the public types namespace,
calls build types or signatures, subscripts build array types. Nothing else is allowed.
"""
from __future__ import annotations

import ast

from .abstract import Type
from .functions import Signature


class TypeParseError(TypeError):
    """A type or signature string could not be parsed."""


def parse_type(text: str, namespace: dict) -> Type | Signature:
    """Evaluate `text` as a type or signature expression over `namespace`."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise TypeParseError(f"invalid type string {text!r}: {exc.msg}") from None
    return _Evaluator(text, namespace).visit(tree.body)


class _Evaluator(ast.NodeVisitor):
    def __init__(self, text: str, namespace: dict):
        self.text = text
        self.namespace = namespace

    def generic_visit(self, node):
        raise TypeParseError(f"unsupported syntax {ast.unparse(node)!r} in type string {self.text!r}")

    def visit_Name(self, node):
        try:
            return self.namespace[node.id]
        except KeyError:
            raise TypeParseError(f"unknown type name {node.id!r} in {self.text!r}") from None

    def visit_Attribute(self, node):
        value = self.visit(node.value)
        return getattr(value, node.attr)

    def visit_Constant(self, node):
        if node.value is None or isinstance(node.value, int):
            return node.value
        return self.generic_visit(node)

    def visit_Tuple(self, node):
        return tuple(self.visit(e) for e in node.elts)

    def visit_Slice(self, node):
        parts = [None if p is None else self.visit(p) for p in (node.lower, node.upper, node.step)]
        return slice(*parts)

    def visit_Subscript(self, node):
        return self.visit(node.value)[self.visit(node.slice)]

    def visit_Call(self, node):
        func = self.visit(node.func)
        args = [self.visit(a) for a in node.args]
        try:
            return func(*args)
        except TypeError as exc:
            raise TypeParseError(f"bad type expression {ast.unparse(node)!r}: {exc}") from None
