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


#: what building a type from bad parts raises (`int64[3]`, `UniTuple(int64, -1)`, ...)
_EVALUATION_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError)


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
        if node.id.startswith("_"):  # private names could reach arbitrary objects
            raise TypeParseError(f"unknown type name {node.id!r} in {self.text!r}")
        try:
            return self.namespace[node.id]
        except KeyError:
            raise TypeParseError(f"unknown type name {node.id!r} in {self.text!r}") from None

    def visit_Attribute(self, node):
        value = self.visit(node.value)
        if node.attr.startswith("_"):  # `int64.__class__...` would escape the type namespace
            raise TypeParseError(f"unsupported attribute {node.attr!r} in type string {self.text!r}")
        try:
            return getattr(value, node.attr)
        except AttributeError:
            raise TypeParseError(f"unknown attribute {ast.unparse(node)!r} in {self.text!r}") from None

    def visit_Constant(self, node):
        if node.value is None or isinstance(node.value, (int, str)):  # bool is an int
            return node.value
        return self.generic_visit(node)

    def visit_Tuple(self, node):
        return tuple(self.visit(e) for e in node.elts)

    def visit_Slice(self, node):
        parts = [None if p is None else self.visit(p) for p in (node.lower, node.upper, node.step)]
        return slice(*parts)

    def visit_Subscript(self, node):
        value, index = self.visit(node.value), self.visit(node.slice)
        try:
            return value[index]
        except _EVALUATION_ERRORS as exc:
            raise TypeParseError(f"bad type expression {ast.unparse(node)!r} in {self.text!r}: "
                                 f"{exc}") from None

    def visit_Call(self, node):
        func = self.visit(node.func)
        args = [self.visit(a) for a in node.args]
        if any(k.arg is None for k in node.keywords):
            return self.generic_visit(node)
        kws = {k.arg: self.visit(k.value) for k in node.keywords}
        try:
            return func(*args, **kws)
        except TypeParseError:
            raise
        except _EVALUATION_ERRORS as exc:
            raise TypeParseError(f"bad type expression {ast.unparse(node)!r} in {self.text!r}: "
                                 f"{exc}") from None


def normalize_signature(sig, namespace: dict) -> tuple:
    """(argument types, return type or None) of a signature in any accepted form.

    Forms: a Signature (`int64(int64)`), a tuple or list of argument types (the return type is
    then inferred), a string of either ("int64(int64)", "(int64,)", "()"), or a single type as
    the only argument. Argument types inside a tuple may be type strings ("float64[:]").
    """
    if isinstance(sig, str):
        return _normalize_text(sig, namespace)
    if isinstance(sig, Signature):
        return _checked_args(sig.args, sig), _checked_return(sig.return_type, sig)
    if isinstance(sig, Type):
        return (sig,), None
    if isinstance(sig, (tuple, list)):
        return _checked_args(sig, sig, namespace), None
    raise TypeParseError(f"invalid signature {_shown(sig)} (type {type(sig).__name__}): expected "
                         "'rettype(argtypes)', a Signature or a tuple of argument types")


def _normalize_text(text: str, namespace: dict) -> tuple:
    value = parse_type(text, namespace)
    if isinstance(value, Signature):
        return _checked_args(value.args, text), _checked_return(value.return_type, text)
    if isinstance(value, tuple):
        return _checked_args(value, text), None
    raise TypeParseError(f"invalid signature {text!r}: it evaluates to {_shown(value)}, not a "
                         "signature like 'float64(int64)' or a tuple of argument types like "
                         "'(int64,)'")


def _checked_args(args, whole, namespace: dict | None = None) -> tuple:
    """The argument types, each a Type (strings parsed when `namespace` is given)."""
    checked = []
    for index, arg in enumerate(args):
        if isinstance(arg, str) and namespace is not None:
            arg = parse_type(arg, namespace)
        if isinstance(arg, Signature):
            raise TypeParseError(f"invalid signature {_shown(whole)}: argument {index} is the "
                                 f"signature {arg}, not a type (give several signatures as a "
                                 "list)")
        if not isinstance(arg, Type):
            raise TypeParseError(f"invalid signature {_shown(whole)}: argument {index} is "
                                 f"{_shown(arg)} (type {type(arg).__name__}), not a type")
        checked.append(arg)
    return tuple(checked)


def _checked_return(return_type, whole):
    if return_type is not None and not isinstance(return_type, Type):
        raise TypeParseError(f"invalid signature {_shown(whole)}: return type "
                             f"{_shown(return_type)} is not a type")
    return return_type


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
