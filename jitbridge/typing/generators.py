"""Typing a generator function: its calls return a `types.Generator` whose item type unifies
the values of every `yield` (the body itself is typed as any function, returning None)."""
from __future__ import annotations

from .. import types
from ..errors import TypingError
from ..ir import nodes as n
from ..ir.markers import yield_value
from .infer import TypedFunction


def as_generator(ctx, typed: TypedFunction) -> TypedFunction:
    """`typed` (a generator function's body) returning its Generator type."""
    yield_type = None
    for value in yielded_values(typed.fir):
        ty = types.unliteral(typed.calltypes[value].args[0])
        unified = ty if yield_type is None else ctx.unify_types(yield_type, ty)
        if unified is None:
            raise TypingError(f"generator {typed.fir.qualname}() yields values of incompatible "
                              f"types {yield_type} and {ty}", value.loc)
        yield_type = unified
    typed.return_type = types.Generator(typed.fir.py_func, yield_type or types.none,
                                        typed.argtypes)
    return typed


def yielded_values(fir) -> list:
    """The `yield_value(v)` call expressions of the function, in block order."""
    markers = {stmt.target for block in fir.blocks.values() for stmt in block.body
               if isinstance(stmt, n.Assign) and isinstance(stmt.value, n.Global)
               and stmt.value.value is yield_value}
    return [stmt.value for block in fir.blocks.values() for stmt in block.body
            if isinstance(stmt, n.Assign) and isinstance(stmt.value, n.Call)
            and stmt.value.func in markers]
