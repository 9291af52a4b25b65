"""Exceptions: `raise Cls`, `raise Cls(const, ...)` and `assert` in compiled code.

An exception instance is a compile-time value (class plus constant arguments); lowering
`raise` stores its pickled payload and returns the user-exception status (core/callconv.py).
"""
from __future__ import annotations

from .. import types
from ..errors import TypingError
from ..lowering.registry import VarArg
from ._registries import AbstractTemplate, lower_builtin, register


class ExceptionConstruction(AbstractTemplate):
    """`Cls(args...)` where every argument is a compile-time constant."""

    key = types.ExceptionClass

    def generic(self, args, kws):
        cls_ty, *values = args
        if kws:
            raise TypingError("exception constructors take positional arguments only")
        consts = []
        for value in values:
            if isinstance(value, types.Literal):
                consts.append(value.literal_value)
            elif isinstance(value, types.NoneType):
                consts.append(None)
            else:
                raise TypingError(f"arguments of {cls_ty.exc_class.__name__}() in compiled code "
                                  f"must be constants; got a runtime value of type {value}")
        instance = types.ExceptionInstance(cls_ty.exc_class, tuple(consts))
        return types.signature(instance, cls_ty, *values)


register(ExceptionConstruction)


@lower_builtin(types.ExceptionClass, VarArg(types.Any))
def exception_construction_impl(context, builder, sig, args):
    return context.get_dummy_value()
