"""The output annotations of `with objmode(y='int64[:]'):` blocks, checked where the block is
written: each annotation must be a type (a string, or a global, non-local or attribute naming
one), every annotated name must be assigned in the block, and every name the block assigns
that the function reads after it must be annotated (else compiled code would go on with the
value from before the block)."""
from __future__ import annotations

import ast

from . import types
from .errors import TypingError
from .frontend.scope import MISSING


def parse_annotations(b, call) -> dict:
    """name -> type of `objmode(name=annotation, ...)`."""
    if not isinstance(call, ast.Call):
        return {}
    if call.args:
        raise b.unsupported("objmode() takes output annotations as keyword arguments, e.g. "
                            "objmode(y='int64')", call)
    return {kw.arg: _annotation(b, kw.arg, kw.value) for kw in call.keywords}


def _annotation(b, name: str, expr):
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        try:
            return types.parse_type(expr.value)
        except TypeError as exc:
            raise TypingError(f"bad objmode annotation {expr.value!r}: {exc}", b.loc(expr)) from None
    value = b.scope.frozen(expr)
    if isinstance(value, str):
        return _annotation(b, name, ast.copy_location(ast.Constant(value), expr))
    if not isinstance(value, types.Type):
        raise TypingError(f"Error handling objmode argument {name!r}. {_why_not_a_type(b, expr)}",
                          b.loc(expr))
    return value


def _why_not_a_type(b, expr) -> str:
    if isinstance(expr, ast.Name) and not b.scope.is_local(expr.id):
        if b.scope.lookup_frozen(expr.id) is MISSING:
            kind = "Freevar" if expr.id in b.scope.freevars else "Global"
            return f"{kind} {expr.id!r} is not defined."
        return f"{expr.id!r} is not a type: annotations are type strings like 'int64' or types."
    if isinstance(expr, ast.Attribute) and b.scope.frozen(expr.value) is not None:
        return f"Getattr cannot be resolved at compile-time: {ast.unparse(expr)!r}."
    return ("The value must be a compile-time constant either as a non-local variable or a "
            f"getattr expression that refers to a Numba type, not {ast.unparse(expr)!r}.")


def check_outgoing(b, node, outputs: dict) -> None:
    """Annotated names the block never assigns, and assigned names read after it that have
    no annotation, are located TypingErrors."""
    assigned = _stored_names(node.body)
    bogus = [name for name in outputs if name not in assigned]
    if bogus:
        raise TypingError(f"Invalid type annotation on non-outgoing variables: {bogus}. The "
                          "block does not assign them: remove their annotations", b.loc(node))
    read_after = _read_after(b, node)
    missing = [name for name in assigned if name not in outputs and name in read_after]
    if missing:
        raise TypingError(f"Missing type annotation on outgoing variable(s): {missing}\n\n"
                          f"Example code: with objmode({missing[0]}='<add_type_as_string_here>')"
                          "\n", b.loc(node))


def _stored_names(body) -> list:
    names = []
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store) and \
                    sub.id not in names:
                names.append(sub.id)
    return names


def _read_after(b, node) -> set:
    """Names the function reads after the block (anywhere outside it inside a loop, where the
    next iteration runs what comes before)."""
    inside = {id(x) for stmt in node.body for x in ast.walk(stmt)}
    updated = {id(sub.target) for sub in ast.walk(b.source.tree) if isinstance(sub, ast.AugAssign)}
    return {sub.id for sub in ast.walk(b.source.tree)
            if isinstance(sub, ast.Name) and (isinstance(sub.ctx, ast.Load) or id(sub) in updated)
            and id(sub) not in inside and (b.loops or sub.lineno > node.end_lineno)}
