"""Typing and lowering of `literally(x)` (the retyping machinery is typing/literally.py)."""
from __future__ import annotations

from .. import types
from ..errors import ForceLiteralArg
from ..ir.markers import literally
from ._registries import AbstractTemplate, lower_builtin, register, register_global

register_global(literally, types.Function(literally))


class Literally(AbstractTemplate):
    """literally(x) is x when x has a literal type; otherwise typing asks the caller for
    one (the value's origin decides: a constant, or an argument of the function)."""
    key = literally

    def generic(self, args, kws):
        if len(args) != 1 or kws:
            return None
        if isinstance(args[0], types.Literal):  # (the value passed is any of its type's)
            return types.signature(args[0], types.unliteral(args[0]))
        if getattr(args[0], "initial_value", None) is not None:  # a display of constants
            return types.signature(args[0], args[0])  # (as Numba: its type carries them)
        raise ForceLiteralArg({0}, f"Invalid use of non-Literal type in literally({args[0]}): "
                                   "its value must be a constant or an argument of the "
                                   "function")


register(Literally)


@lower_builtin(literally, types.Any)
def literally_impl(context, builder, sig, args):
    if not isinstance(sig.return_type, types.Literal):  # a display of constants: itself
        context.incref(builder, sig.return_type, args[0])
        return args[0]
    return context.get_constant_generic(builder, sig.return_type,
                                        sig.return_type.literal_value)
