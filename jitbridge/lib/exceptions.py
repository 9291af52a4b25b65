"""Exceptions: `raise Cls`, `raise Cls(args...)` and `assert` in compiled code.

With constant arguments the exception is a compile-time value: `raise` stores its pickled
payload and returns the user-exception status (core/callconv.py), touching no Python state.
With runtime arguments the exception value carries them; `raise` boxes them and sets the Python
error holding the GIL (taken just for that), then returns the Python-error status.
"""
from __future__ import annotations

from .. import types
from ..core.datamodel import models, register_model
from ..errors import TypingError
from ..lowering.registry import VarArg
from ..core.callconv import raise_site
from ..runtime.boxing import BoxContext, can_cross_boundary
from ..runtime.helpers import add_traceback_entry
from ._registries import AbstractTemplate, lower_builtin, register


class ExceptionConstruction(AbstractTemplate):
    """`Cls(args...)` where every argument is a compile-time constant."""

    key = types.ExceptionClass

    def generic(self, args, kws):
        cls_ty, *values = args
        if kws:
            raise TypingError("exception constructors take positional arguments only")
        if all(isinstance(v, (types.Literal, types.NoneType)) for v in values):
            consts = tuple(getattr(v, "literal_value", None) for v in values)
            return types.signature(types.ExceptionInstance(cls_ty.exc_class, consts), cls_ty,
                                   *values)
        for value in values:
            if not can_cross_boundary([], value):
                raise TypingError(f"{cls_ty.exc_class.__name__}() argument of type {value} has "
                                  "no Python equivalent")
        arg_types = tuple(types.unliteral(v) for v in values)
        return types.signature(types.ExceptionValue(cls_ty.exc_class, arg_types), cls_ty,
                               *arg_types)


register(ExceptionConstruction)


@lower_builtin(types.ExceptionClass, VarArg(types.Any))
def exception_construction_impl(context, builder, sig, args):
    if isinstance(sig.return_type, types.ExceptionValue):
        value = context.make_tuple(builder, sig.return_type, args[1:])
        context.incref(builder, sig.return_type, value)  # it owns its arguments
        return value
    return context.get_dummy_value()


@register_model(types.ExceptionValue)
class ExceptionValueModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"a{i}", t) for i, t in enumerate(fe_type.arg_types)])


@lower_builtin("raise", types.ExceptionValue)
def raise_value_impl(context, builder, sig, args):
    """Box the arguments, PyErr_SetObject(cls, args) holding the GIL, propagate."""
    exc_ty = sig.args[0]
    c = BoxContext(context, builder)
    api = c.pyapi
    state = api.gil_ensure()
    boxed = []
    for i, ty in enumerate(exc_ty.arg_types):
        item = builder.extract_value(args[0], i)
        context.incref(builder, ty, item)  # boxing steals a reference
        boxed.append(c.box(ty, item))
    arguments = api.tuple_pack(boxed)
    for obj in boxed:
        api.decref(obj)
    api.err_set_object(api.constant_object(exc_ty.exc_class, "exception"), arguments)
    add_traceback_entry(builder, raise_site(context.call_conv.location))
    api.decref(arguments)
    api.gil_release(state)
    context.call_conv.return_python_error(builder)
    return context.get_dummy_value()
