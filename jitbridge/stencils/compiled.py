"""Stencils made inside compiled code: `stencil(lambda a: ..., cval=1.0)(A)`, `@stencil`
on an inner function. The kernel is the lifted inner function; the options must be constants
(their literal types carry the values), so the StencilFunc is made when the call is typed, and
its value at run time is nothing (calls are bound when compiling)."""
from __future__ import annotations

from .. import types
from ..errors import TypingError
from ..extending import AbstractTemplate, lower_builtin, register
from ..lowering.registry import VarArg
from ..typing.registry import register_global
from .stencil import StencilFunc, stencil
from .typing import StencilFuncType

#: (kernel function, options) -> its StencilFunc: typing runs to a fixpoint, and every pass
#: must see the same type
_MADE: dict = {}


class StencilDecoratorType(types.Callable, types.Dummy):
    """`stencil(cval=...)` in compiled code: the decorator the options make."""

    def __init__(self, options: tuple):
        self.options = options
        super().__init__(f"stencil_decorator({dict(options)})")

    @property
    def key(self):
        return self.options


class StencilMake(AbstractTemplate):
    key = stencil

    def generic(self, args, kws):
        options = _constant_options(kws)
        if args and isinstance(args[0], types.StringLiteral) and len(args) == 1:
            stencil(args[0].literal_value, **dict(options))  # the mode's checks
            args = ()
        if not args:
            result = StencilDecoratorType(options)
        elif len(args) == 1:
            result = StencilFuncType(_stencil_of(args[0], options))
        else:
            return None
        return types.signature(result, *args, *kws.values())


class StencilDecorate(AbstractTemplate):
    key = StencilDecoratorType

    def generic(self, args, kws):
        decorator, *rest = args
        if kws or len(rest) != 1:
            return None
        return types.signature(StencilFuncType(_stencil_of(rest[0], decorator.options)),
                               *rest)


def _stencil_of(kernel_type, options: tuple) -> StencilFunc:
    func = _kernel_function(kernel_type)
    key = (func, options)
    if key not in _MADE:
        _MADE[key] = stencil(func, **dict(options))
    return _MADE[key]


def _kernel_function(kernel_type):
    lifted = getattr(kernel_type, "lifted", None)
    if lifted is not None:
        if kernel_type.captured:
            raise TypingError("a stencil kernel defined in compiled code cannot use variables "
                              f"of the function defining it ({', '.join(lifted.captured)}): "
                              "pass them to the stencil as arguments")
        return lifted.function
    if isinstance(kernel_type, types.Dispatcher):
        return kernel_type.dispatcher.py_func
    if isinstance(kernel_type, types.Function) and hasattr(kernel_type.typing_key, "__code__"):
        return kernel_type.typing_key
    raise TypingError(f"stencil() needs a kernel function, not {kernel_type}")


def _constant_options(kws: dict) -> tuple:
    return tuple(sorted((name, _constant(name, ty)) for name, ty in kws.items()))


def _constant(name: str, ty):
    if isinstance(ty, types.Literal):
        return ty.literal_value
    if isinstance(ty, types.BaseTuple) and all(isinstance(t, (types.Literal, types.BaseTuple))
                                               for t in ty):
        return tuple(_constant(name, t) for t in ty)
    raise TypingError(f"the stencil option {name}= must be a constant in compiled code "
                      f"(got a value of type {ty})")


@lower_builtin(stencil, VarArg(types.Any))
def make_stencil(context, builder, sig, args):
    return context.get_dummy_value()


@lower_builtin(StencilDecoratorType, StencilDecoratorType, VarArg(types.Any))
def decorate_stencil(context, builder, sig, args):
    return context.get_dummy_value()


register(StencilMake)
register(StencilDecorate)
register_global(stencil, types.Function(stencil))
