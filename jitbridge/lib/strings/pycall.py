"""CPython's text of compiled values: `python_text(x, "__format__", (spec,))` runs the method
of the boxed value with the GIL held and copies the str it returns into a compiled string
(used for float digits, the format mini-language, str.format, and the repr of strings)."""
from __future__ import annotations

from ... import types
from ...core import cgutils
from ...extending import intrinsic
from ...runtime.boxing import BoxContext
from ..printing import NUMPY_TEXT, boxed_for_text as _boxed
from .model import new_string

#: value types handed to CPython (boxed: each converts to its own Python value)
BOXABLE = (types.Number, types.Boolean, types.UnicodeType, types.StringLiteral, types.NoneType)


def container_boxable(ty) -> bool:
    """Whether `ty` is a container (list, set, dict, tuple, array) that boxes to its Python
    counterpart, every item included: str(), repr() and format() of it are CPython's."""
    if isinstance(ty, types.Array):
        return True
    if isinstance(ty, types.BaseTuple):
        return all(map(text_boxable, ty.types))
    if isinstance(ty, (types.List, types.Set)):
        return text_boxable(ty.dtype)
    if isinstance(ty, types.DictType):
        return text_boxable(ty.key_type) and text_boxable(ty.value_type)
    return False


def text_boxable(ty) -> bool:
    return isinstance(ty, BOXABLE) or container_boxable(ty)


@intrinsic
def python_text(typingctx, receiver, method, args):
    """`receiver.method(*args)` run by CPython on the boxed values, as a new string."""
    if not isinstance(method, types.StringLiteral) or not isinstance(args, types.BaseTuple) or \
            not all(map(text_boxable, (receiver, *args.types))):
        return None
    name = method.literal_value

    def codegen(context, builder, sig, values):
        c = BoxContext(context, builder)
        state = c.pyapi.gil_ensure()
        items = [builder.extract_value(values[2], i) for i in range(len(sig.args[2]))]
        objects = [_boxed(c, ty, v) for ty, v in zip((sig.args[0], *sig.args[2].types),
                                                     (values[0], *items))]
        return string_of_call(c, state, objects, name)
    return types.unicode_type(receiver, method, args), codegen


def string_of_call(c, state, objects: list, name: str):
    """`objects[0].name(*objects[1:])` (new references, released here) as a new string, then
    the GIL (`state`) released; a Python exception becomes the compiled function's error."""
    context, builder = c.context, c.builder
    unboxed = cgutils.false_bit  # a container's boxing may fail (its error is set)
    for obj in objects:
        unboxed = builder.or_(unboxed, cgutils.is_null(builder, obj))
    with cgutils.if_unlikely(builder, unboxed):
        for obj in objects:
            c.pyapi.decref(obj)  # (Py_DecRef ignores NULL)
        c.pyapi.gil_release(state)
        context.call_conv.return_python_error(builder)
    result = c.pyapi.call_method(objects[0], name, objects[1:])
    for obj in objects:
        c.pyapi.decref(obj)
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, result)):
        c.pyapi.gil_release(state)
        context.call_conv.return_python_error(builder)
    text = copied_string(context, builder, c, result)
    c.pyapi.decref(result)
    c.pyapi.gil_release(state)
    return text


def copied_string(context, builder, c, obj):
    """A string owning a copy of the characters of Python str `obj` (borrowed)."""
    borrowed = context.make_helper(builder, types.unicode_type,
                                   value=c.unbox(types.unicode_type, obj).value)
    kind = builder.sext(borrowed.kind, cgutils.int64_t)
    fresh = new_string(context, builder, kind, borrowed.length,
                       builder.sext(borrowed.is_ascii, cgutils.int64_t))
    data = context.make_helper(builder, types.unicode_type, value=fresh).data
    cgutils.memcpy(builder, data, borrowed.data, builder.mul(borrowed.length, kind))
    return fresh


__all__ = ["NUMPY_TEXT", "python_text", "copied_string", "BOXABLE"]
