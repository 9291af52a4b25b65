"""Name resolution: which names are locals, and what a non-local name is frozen to."""
from __future__ import annotations

import ast
import builtins

from .source import closure_values

_MISSING = object()


def local_names(fdef: ast.FunctionDef) -> frozenset:
    """Names bound inside the function body (arguments, assignment and loop targets), except
    those declared `nonlocal` or `global` (they belong to another scope)."""
    return body_facts(fdef)[0]


def body_facts(fdef: ast.FunctionDef) -> tuple:
    """(local_names, whether the body has a `yield`): one walk of the body, which runs for
    every function compiled."""
    names = {a.arg for a in fdef.args.args + fdef.args.posonlyargs + fdef.args.kwonlyargs}
    names |= {fdef.args.vararg.arg} if fdef.args.vararg else set()
    declared, generator = set(), False
    for node in _walk_body(fdef):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, (ast.Store, ast.Del)):
                names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)  # `def inner` binds a local name
        elif isinstance(node, ast.ExceptHandler) and node.name is not None:
            names.add(node.name)  # `except E as name`
        elif isinstance(node, (ast.Nonlocal, ast.Global)):
            declared.update(node.names)
        elif isinstance(node, (ast.Yield, ast.YieldFrom)):
            generator = True
    return frozenset(names - declared), generator


def declared_elsewhere(fdef) -> set:
    """Names the function declares `nonlocal` or `global`."""
    return {name for node in _walk_body(fdef) if isinstance(node, (ast.Nonlocal, ast.Global))
            for name in node.names}


def nested_functions(fdef):
    """The functions and lambdas defined directly in `fdef`'s body (not inside those)."""
    return [node for node in _walk_body(fdef) if node is not fdef
            and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]


def nonlocal_writes(fdef) -> frozenset:
    """Locals of `fdef` that a nested function (at any depth) declares `nonlocal`."""
    return frozenset(_nonlocal_from_inside(fdef) & local_names(fdef))


def _nonlocal_from_inside(fdef) -> set:
    """Names declared nonlocal by `fdef`'s nested functions that refer to `fdef` or above."""
    found = set()
    for inner in nested_functions(fdef):
        if isinstance(inner, ast.Lambda):
            continue  # a lambda cannot declare nonlocal, nor contain a def
        found |= declared_elsewhere(inner) | (_nonlocal_from_inside(inner) - local_names(inner))
    return found


def _walk_body(fdef):
    """ast.walk over the function body, not descending into nested functions or classes, and
    leaving out the leaves no caller looks for (contexts, operators, constants: most of the
    nodes of numeric code, walked for every function compiled)."""
    stack = list(fdef.body)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPES):
            continue
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                if not isinstance(value, _LEAVES):
                    stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value
                             if isinstance(item, ast.AST) and not isinstance(item, _LEAVES))


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_LEAVES = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.Constant)


class Scope:
    """Resolves a name to a local variable or a frozen value (closure, global, builtin)."""

    def __init__(self, func, fdef: ast.FunctionDef):
        names, self.generator = body_facts(fdef)  # (generator: the body has a `yield`)
        self.locals = set(names)
        self.closure = closure_values(func)
        self.freevars = func.__code__.co_freevars  # (a cell may be empty: not in `closure`)
        self.globals = func.__globals__
        #: locals holding a reference to a variable of an enclosing compiled function
        self.cells = getattr(func, "__jitbridge_cells__", frozenset())
        #: locals bound to inner functions that hold such references (they may not escape)
        self.cell_closures: set = set()

    def is_local(self, name: str) -> bool:
        return name in self.locals

    def add_local(self, name: str) -> None:
        """Declare a compiler-made local (e.g. a comprehension's result list)."""
        self.locals.add(name)

    def frozen(self, expr: ast.AST):
        """The frozen value of a non-local name or an attribute chain on one, else None."""
        if isinstance(expr, ast.Name) and not self.is_local(expr.id):
            value = self.lookup_frozen(expr.id)
            return None if value is _MISSING else value
        if isinstance(expr, ast.Attribute):
            base = self.frozen(expr.value)
            return getattr(base, expr.attr, None) if base is not None else None
        return None

    def lookup_frozen(self, name: str):
        """The value of a non-local name, or `MISSING`."""
        if name in self.closure:
            return self.closure[name]
        if name in self.globals:
            return self.globals[name]
        return getattr(builtins, name, _MISSING)


MISSING = _MISSING
