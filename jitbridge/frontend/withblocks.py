"""Generic `with` handling: handlers are registered by context-manager object.

A handler (objmode registers one) receives the builder and the `ast.With` node and emits IR for
the whole statement. Without a handler, `with` is unsupported in compiled code.
"""
from __future__ import annotations

_HANDLERS: dict = {}


def register_with_handler(context_manager, handler) -> None:
    """Make `with context_manager(...)` blocks compile through `handler(builder, node)`."""
    _HANDLERS[id(context_manager)] = (context_manager, handler)


def find_with_handler(value):
    """The handler registered for `value`, or None."""
    entry = _HANDLERS.get(id(value))
    return entry[1] if entry and entry[0] is value else None


_CALL_HANDLERS: dict = {}


def register_call_statement_handler(function, handler) -> None:
    """Make a statement `function(...)` compile through `handler(builder, ast.Expr)`."""
    _CALL_HANDLERS[id(function)] = (function, handler)


def find_call_statement_handler(value):
    """The handler registered for calls of `value` used as statements, or None."""
    entry = _CALL_HANDLERS.get(id(value))
    return entry[1] if entry and entry[0] is value else None
