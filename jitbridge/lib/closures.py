"""Closure values of lifted inner functions (frontend/closures.py): typing, data, calls."""
from __future__ import annotations

from .. import types
from ..core.datamodel import models, register_model
from ..dispatch import make_dispatcher
from ..frontend.closures import LiftedFunction, make_closure
from ..lowering.registry import VarArg
from ..typing.typeof import typeof_impl
from ._registries import AbstractTemplate, lower_builtin, register, register_global

_dispatchers: dict = {}


def dispatcher_of(lifted: LiftedFunction):
    """The jitted dispatcher of a lifted function (created once)."""
    key = id(lifted)
    if key not in _dispatchers:
        _dispatchers[key] = (lifted, make_dispatcher(lifted.function))
    return _dispatchers[key][1]


class LiftedType(types.Dummy):
    def __init__(self, lifted: LiftedFunction):
        self.lifted = lifted
        super().__init__(f"lifted({lifted.function.__qualname__})")

    @property
    def key(self):
        return id(self.lifted)


class ClosureType(types.Callable, types.Type):
    """A lifted function together with the values it captured."""

    def __init__(self, lifted: LiftedFunction, captured: tuple):
        self.lifted = lifted
        self.captured = tuple(captured)
        super().__init__(f"closure({lifted.function.__name__}, captures {self.captured})")

    @property
    def key(self):
        return (id(self.lifted), self.captured)


@register_model(ClosureType)
class ClosureModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"c{i}", t) for i, t in enumerate(fe_type.captured)])


typeof_impl.register(LiftedFunction)(lambda value, c: LiftedType(value))
register_global(make_closure, types.Function(make_closure))


class MakeClosure(AbstractTemplate):
    key = make_closure

    def generic(self, args, kws):
        lifted_ty, *captured = args
        captured = tuple(types.unliteral(t) for t in captured)
        return types.signature(ClosureType(lifted_ty.lifted, captured), lifted_ty, *captured)


class CallClosure(AbstractTemplate):
    key = ClosureType

    def generic(self, args, kws):
        closure_ty, *actual = args
        sig = dispatcher_of(closure_ty.lifted).type_call((*closure_ty.captured, *actual), kws)
        if sig is None:
            return None
        return types.signature(sig.return_type, closure_ty, *sig.args[len(closure_ty.captured):])


register(MakeClosure)
register(CallClosure)


@lower_builtin(make_closure, VarArg(types.Any))
def make_closure_impl(context, builder, sig, args):
    """Pack the captured values (the closure owns references to them)."""
    closure = context.make_tuple(builder, sig.return_type, args[1:])
    context.incref(builder, sig.return_type, closure)
    return closure


@lower_builtin(ClosureType, ClosureType, VarArg(types.Any))
def call_closure_impl(context, builder, sig, args):
    closure_ty = sig.args[0]
    captured = [builder.extract_value(args[0], i) for i in range(len(closure_ty.captured))]
    argtypes = (*closure_ty.captured, *sig.args[1:])
    name, library = dispatcher_of(closure_ty.lifted).native_callee(argtypes)
    if library is not None:
        context.library.add_linking_library(library)
    return context.call_internal(builder, name, types.signature(sig.return_type, *argtypes),
                                 [*captured, *args[1:]])
