"""print() in compiled code: the arguments are boxed and handed to Python's print (GIL held
for the call only), so output interleaves correctly with the interpreter's own."""
from __future__ import annotations

import builtins

from .. import types
from ..core import cgutils
from ..lowering.registry import VarArg
from ..runtime.boxing import BoxContext, box, can_cross_boundary
from ._registries import AbstractTemplate, lower_builtin, register, register_global


class PrintTemplate(AbstractTemplate):
    key = builtins.print

    def generic(self, args, kws):
        if kws or not all(can_cross_boundary([], a) for a in args):
            return None
        return types.signature(types.none, *args)


register(PrintTemplate)
register_global(builtins.print, types.Function(builtins.print))


@box(types.StringLiteral)
def box_string_literal(typ, val, c):
    return c.pyapi.string_from_string(typ.literal_value)


@lower_builtin(builtins.print, VarArg(types.Any))
def print_impl(context, builder, sig, args):
    c = BoxContext(context, builder)
    api = c.pyapi
    state = api.gil_ensure()
    boxed = []
    for ty, value in zip(sig.args, args):
        context.incref(builder, ty, value)  # boxing steals a reference
        boxed.append(c.box(ty, value))
    result = api.call_function_objargs(api.constant_object(builtins.print, "print"), boxed)
    failed = cgutils.is_null(builder, result)
    for obj in boxed:
        with builder.if_then(cgutils.is_not_null(builder, obj)):
            api.decref(obj)
    with builder.if_then(builder.not_(failed)):
        api.decref(result)
    with cgutils.if_unlikely(builder, failed):
        api.gil_release(state)
        context.call_conv.return_python_error(builder)
    api.gil_release(state)
    return context.get_dummy_value()
