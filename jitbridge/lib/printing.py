"""print() in compiled code: the arguments are boxed and handed to Python's print (GIL held
for the call only), so output interleaves correctly with the interpreter's own."""
from __future__ import annotations

import builtins
import functools

import numpy as np

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ..lowering.registry import VarArg
from ..runtime.boxing import BoxContext, box, can_cross_boundary
from ._registries import AbstractTemplate, lower_builtin, register, register_global


class PrintTemplate(AbstractTemplate):
    """print(*values, sep=, end=, flush=): sep and end strings (literal or not) or None;
    `file=` is refused (compiled code has no file objects to hand it)."""
    key = builtins.print

    def generic(self, args, kws):
        _check_keywords(kws)
        if not all(can_cross_boundary([], a) or _print_item(self.context, a) for a in args):
            return None
        sig = types.signature(types.none, *args, *kws.values())
        if not kws:
            return sig
        return sig.replace(impl=functools.partial(print_impl, keywords=tuple(kws)))


def _check_keywords(kws):
    if "file" in kws:
        raise TypingError("print(): the file= argument is not supported in compiled code "
                          "(only sep=, end= and flush=)")
    for name, ty in kws.items():
        if name not in ("sep", "end", "flush"):
            raise TypingError(f"print() got an unexpected keyword argument {name!r}")
        if name != "flush" and not _string_or_none(ty):
            raise TypingError(f"print(): {name} must be None or a string, not {ty}")
        if name == "flush" and not can_cross_boundary([], ty):
            raise TypingError(f"print(): flush= of type {ty} has no Python value to pass on")


def _string_or_none(ty) -> bool:
    ty = ty.type if isinstance(ty, types.Optional) else ty
    return isinstance(types.unliteral(ty), (types.UnicodeType, types.NoneType))


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
def print_impl(context, builder, sig, args, keywords=()):
    """`keywords`: the names of the last len(keywords) arguments (sep=, end=, flush=)."""
    count = len(sig.args) - len(keywords)
    items = list(zip(sig.args, args))
    named = dict(zip(keywords, items[count:]))
    if any(_print_item(context.typing_context, ty) for ty in sig.args[:count]):
        return _print_by_items(context, builder, items[:count], named)
    c = BoxContext(context, builder)
    api = c.pyapi
    state = api.gil_ensure()
    boxed = [boxed_for_text(c, ty, value) for ty, value in items[:count]]
    boxed_named = {name: boxed_for_text(c, ty, value) for name, (ty, value) in named.items()}
    result = _call_print(api, boxed, boxed_named)
    failed = cgutils.is_null(builder, result)
    for obj in (*boxed, *boxed_named.values()):
        with builder.if_then(cgutils.is_not_null(builder, obj)):
            api.decref(obj)
    with builder.if_then(builder.not_(failed)):
        api.decref(result)
    with cgutils.if_unlikely(builder, failed):
        api.gil_release(state)
        context.call_conv.return_python_error(builder)
    api.gil_release(state)
    return context.get_dummy_value()


def _call_print(api, boxed, boxed_named):
    """print(*boxed, **boxed_named): a new reference to its result, NULL on error."""
    callee = api.constant_object(builtins.print, "print")
    if not boxed_named:
        return api.call_function_objargs(callee, boxed)
    keywords = api._call("PyDict_New")
    for name, obj in boxed_named.items():
        api._call("PyDict_SetItemString", keywords, cgutils.const_cstring(api.module, name), obj)
    args = api.tuple_pack(boxed)
    result = api.call(callee, args, keywords)
    api.decref(args)
    api.decref(keywords)
    return result


def _print_by_items(context, builder, items, named):
    """print(a, b, ...) one item at a time, as `print(a, end='')`, `print(sep, end='')`...:
    an item with a `print_item` implementation prints itself."""
    for i, (ty, value) in enumerate(items):
        if i:
            _print_text(context, builder, named, "sep")
        item_sig = _print_item(context.typing_context, ty)
        if item_sig is not None:
            context.get_function("print_item", item_sig)(builder, [value])
        else:
            _print_one(context, builder, ty, value, end="")
    _print_text(context, builder, named, "end")
    return context.get_dummy_value()


def _print_text(context, builder, named, name):
    """Print the sep or end text given, or its default where it is None (as CPython)."""
    ty, value = named.get(name, (types.none, None))
    default = types.StringLiteral(" " if name == "sep" else "\n")
    if isinstance(ty, types.NoneType):
        ty, value = default, context.get_dummy_value()
    if not isinstance(ty, types.Optional):
        _print_one(context, builder, ty, value, end="")
        return
    optional = context.make_helper(builder, ty, value)
    with builder.if_else(optional.valid) as (given, absent):
        with given:
            _print_one(context, builder, ty.type, optional.data, end="")
        with absent:
            _print_one(context, builder, default, context.get_dummy_value(), end="")


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
