"""print() in compiled code: the arguments are boxed and handed to Python's print (GIL held
for the call only), so output interleaves correctly with the interpreter's own."""
from __future__ import annotations

import builtins

import numpy as np

from .. import types
from ..core import cgutils
from ..lowering.registry import VarArg
from ..runtime.boxing import BoxContext, box, can_cross_boundary
from ._registries import AbstractTemplate, lower_builtin, register, register_global


class PrintTemplate(AbstractTemplate):
    key = builtins.print

    def generic(self, args, kws):
        if kws or not all(can_cross_boundary([], a) or _print_item(self.context, a) for a in args):
            return None
        return types.signature(types.none, *args)


def _print_item(typing_context, ty):
    """The signature of the `print_item` an extension registered for values of `ty` (Numba's
    hook for printing a type of its own), or None."""
    return typing_context.resolve_key("print_item", (ty,), {})


#: narrow NumPy scalars: boxed as their NumPy type, whose text is NumPy's (str(np.float32(1.1))
#: is "1.1"), not the text of the float64 holding the same value
NUMPY_TEXT = {types.float32: np.float32, types.complex64: np.complex64}


def boxed_for_text(c, ty, value):
    """A new reference to the Python value of `value` whose text is CPython's for `ty`
    (boxing steals a reference, so `value` is increfed first)."""
    c.context.incref(c.builder, ty, value)
    obj = c.box(ty, value)
    cls = NUMPY_TEXT.get(types.unliteral(ty))
    if cls is None:
        return obj
    scalar = c.pyapi.call_function_objargs(c.pyapi.constant_object(cls, cls.__name__), [obj])
    c.pyapi.decref(obj)
    return scalar


register(PrintTemplate)
register_global(builtins.print, types.Function(builtins.print))


@box(types.StringLiteral)
def box_string_literal(typ, val, c):
    return c.pyapi.string_from_string(typ.literal_value)


@lower_builtin(builtins.print, VarArg(types.Any))
def print_impl(context, builder, sig, args):
    if any(_print_item(context.typing_context, ty) for ty in sig.args):
        return _print_by_items(context, builder, sig, args)
    c = BoxContext(context, builder)
    api = c.pyapi
    state = api.gil_ensure()
    boxed = []
    for ty, value in zip(sig.args, args):
        boxed.append(boxed_for_text(c, ty, value))
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


def _print_by_items(context, builder, sig, args):
    """print(a, b, ...) one item at a time, as `print(a, end='')`, `print(' ', end='')`...:
    an item with a `print_item` implementation prints itself."""
    separator = types.StringLiteral(" ")
    for i, (ty, value) in enumerate(zip(sig.args, args)):
        if i:
            _print_one(context, builder, separator, context.get_dummy_value(), end="")
        item_sig = _print_item(context.typing_context, ty)
        if item_sig is not None:
            context.get_function("print_item", item_sig)(builder, [value])
        else:
            _print_one(context, builder, ty, value, end="")
    _print_one(context, builder, types.StringLiteral(""), context.get_dummy_value(), end="\n")
    return context.get_dummy_value()


def _print_one(context, builder, ty, value, end):
    c = BoxContext(context, builder)
    api = c.pyapi
    state = api.gil_ensure()
    boxed = boxed_for_text(c, ty, value)
    api.print_object(boxed)
    if end:
        newline = api.string_from_string(end)
        api.print_object(newline)
        api.decref(newline)
    api.decref(boxed)
    api.gil_release(state)
