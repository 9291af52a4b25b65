"""Typing a generator function: its calls return a `types.Generator` whose item type unifies
the values of every `yield` (the body itself is typed as any function, returning None).

The value of a `yield` expression whose value the function reads (`x = yield v`) is what
`send()` delivers: None when the generator is resumed by `next()`, `send(None)` or a loop, else
the value sent. Its type is `Optional(S)`, S being the type `locals=` declares for the variable
it is assigned to, else the type of the value that yield yields. A value sent must have type S
or convert to it without loss (`lib/generators.py` checks it)."""
from __future__ import annotations

from .. import types
from ..errors import TypingError
from ..ir import nodes as n
from ..ir.function import source_name
from ..ir.markers import yield_value


def as_generator(ctx, typed):
    """`typed` (infer.TypedFunction: a generator function's body) returning its Generator
    type (infer is not imported: its expression rules use this module)."""
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


def infer_yield_expression(inf, call: n.Call, args: tuple) -> types.Type:
    """The type of `yield_value(v, target)`, a yield whose value is read (see the module)."""
    target = args[1].literal_value
    declared = [ty for var, ty in inf.declared.items() if target and source_name(var) == target]
    sent = declared[0] if declared else types.unliteral(args[0])
    sent = sent.type if isinstance(sent, types.Optional) else sent
    if isinstance(sent, types.NoneType):
        shown = f"{target} = yield" if target else "yield"
        raise TypingError(f"the value of '{shown}' (what send() delivers) has no type: the "
                          f"yield yields None; declare the type of the values sent with "
                          f"locals={{{target or 'x'!r}: <type>}} (assigning the yield to "
                          f"that variable), or yield a value of that type", call.loc)
    sig = types.signature(types.Optional(sent), types.unliteral(args[0]), args[1])
    inf.calltypes[call] = sig
    return sig.return_type
