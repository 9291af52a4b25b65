"""Closure values of lifted inner functions (frontend/closures.py): typing, data, calls."""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..core.datamodel import models, register_model
from ..errors import ForceLiteralArg, LoweringError, TypingError
from ..ir.markers import LiftedFunction, cell_get, cell_set, make_closure
from ..lowering.registry import VarArg
from ..typing.typeof import typeof_impl
from ._registries import AbstractTemplate, lower_builtin, register, register_global

class LiftedType(types.Dummy):
    def __init__(self, lifted: LiftedFunction):
        self.lifted = lifted
        super().__init__(f"lifted({lifted.function.__qualname__})")

    @property
    def key(self):
        return self.lifted  # (compared by identity: each lift is its own function)


class ClosureType(types.Callable, types.Type):
    """A lifted function together with the values it captured."""

    def __init__(self, lifted: LiftedFunction, captured: tuple):
        self.lifted = lifted
        self.captured = tuple(captured)
        super().__init__(f"closure({lifted.function.__name__}, captures {self.captured})")

    @property
    def key(self):
        return (id(self.lifted), self.captured)

    def with_literal_captured(self, literals: dict) -> "ClosureType":
        """The closure typed with literal types for some captured values ({index: type}):
        how a call is typed when the lifted function asks for them (typing/literally.py);
        the value keeps the plain type, the call converts them (`CallTypedAs`)."""
        return ClosureType(self.lifted, tuple(literals.get(i, t)
                                              for i, t in enumerate(self.captured)))

    def jitted_callee(self, call_args):
        """(dispatcher, its argument types) a call with these argument types runs: the stack
        guard of recursive functions asks (lowering/guards.py)."""
        return self.lifted.dispatcher, (*self.captured, *call_args)

    @property
    def borrows_frame(self) -> bool:
        """Whether the closure holds addresses of an enclosing function's variables."""
        return any(getattr(t, "borrows_frame", False) for t in self.captured)


class CellRef(types.Type):
    """The address of variable `var` (of type `value_type`) of an enclosing compiled function:
    how a closure captures a variable by reference."""

    borrows_frame = True

    def __init__(self, value_type, var: str):
        self.value_type, self.var = value_type, var
        super().__init__(f"ref({var}: {value_type})")

    @property
    def key(self):
        return (self.value_type, self.var)


@register_model(CellRef)
class CellRefModel(models.PrimitiveModel):
    """A pointer to the variable's slot (it owns no reference: the variable does)."""

    def __init__(self, dmm, fe_type):
        slot = dmm.lookup(fe_type.value_type).get_value_type()
        super().__init__(dmm, fe_type, slot.as_pointer())


@register_model(ClosureType)
class ClosureModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"c{i}", t) for i, t in enumerate(fe_type.captured)])


typeof_impl.register(LiftedFunction)(lambda value, c: LiftedType(value))
for _marker in (make_closure, cell_get, cell_set):
    register_global(_marker, types.Function(_marker))


class MakeClosure(AbstractTemplate):
    key = make_closure

    def generic(self, args, kws):
        lifted_ty, *captured = args
        lifted = lifted_ty.lifted
        captured = tuple(types.unliteral(t) for t in captured)
        held = tuple(CellRef(t, name) if name in lifted.by_ref and not isinstance(t, CellRef)
                     else t for name, t in zip(lifted.captured, captured))
        return types.signature(ClosureType(lifted, held), lifted_ty, *captured)


class CellGet(AbstractTemplate):
    key = cell_get

    def generic(self, args, kws):
        (ref,) = args
        return types.signature(ref.value_type, ref)


class CellSet(AbstractTemplate):
    """Assigning a variable captured by reference: its type is fixed by the enclosing function,
    so a value that does not convert to it without loss is a typing error, not a cast."""

    key = cell_set

    def generic(self, args, kws):
        ref, value = args
        if self.context.unify_types(ref.value_type, types.unliteral(value)) != ref.value_type:
            raise TypingError(f"inner function assigns a {types.unliteral(value)} to {ref.var!r}, "
                              f"a variable of the enclosing function of type {ref.value_type}; "
                              f"give {ref.var!r} that type in the enclosing function first")
        return types.signature(types.none, ref, ref.value_type)


def _dispatcher_of(context, lifted: LiftedFunction):
    """The jitted dispatcher of a lifted function (made on first call, kept on the lift)."""
    if lifted.dispatcher is None:
        lifted.dispatcher = context.make_dispatcher(lifted.function)
    return lifted.dispatcher


class CallClosure(AbstractTemplate):
    key = ClosureType

    def generic(self, args, kws):
        closure_ty, *actual = args
        count = len(closure_ty.captured)
        try:
            sig = _dispatcher_of(self.context, closure_ty.lifted).type_call(
                (*closure_ty.captured, *actual), kws)
        except ForceLiteralArg as request:  # literal types for the call's own values
            raise _without_captured(request, count) from None
        if sig is None:
            return None
        result = types.signature(sig.return_type, closure_ty, *sig.args[count:])
        if any(isinstance(t, types.Literal) for t in closure_ty.captured):
            result = result.replace(impl=CallTypedAs(closure_ty))
        if sig.order is None:
            return result
        # the call's own values follow the captured ones: keywords and defaults folded
        return result.replace(order=tuple(_shifted(i, count) for i in sig.order[count:]))


class ForceLiteralCaptured(ForceLiteralArg):
    """A request for literal types of values of a closure call, and of values the closure
    captured (`captured`: their indices among the captured values): the caller traces those
    to the call that made the closure (typing/literally.py)."""

    def __init__(self, requested, unsatisfied: str, captured):
        super().__init__(requested, unsatisfied)
        self.captured = frozenset(captured)


def _without_captured(request, count: int):
    """The request of the lifted function, for the values of the closure call."""
    own = {i - count for i in request.requested if i >= count}
    captured = {i for i in request.requested if i < count}
    if not captured:
        return ForceLiteralArg(own, request.unsatisfied)
    return ForceLiteralCaptured(own, request.unsatisfied, captured)


def _shifted(index, count: int):
    """A folded parameter's position among the call's values, without the captured ones."""
    if isinstance(index, tuple):
        return tuple(i - count for i in index)
    return None if index is None else index - count


for _template in (MakeClosure, CellGet, CellSet, CallClosure):
    register(_template)


@lower_builtin(make_closure, VarArg(types.Any))
def make_closure_impl(context, builder, sig, args):
    """Pack the captured values (the closure owns references to them) and the addresses of the
    variables captured by reference (a recursive inner function passes on those it got)."""
    lifted = sig.return_type.lifted
    values = [_variable_address(v) if name in lifted.by_ref and not isinstance(t, CellRef)
              else v for v, t, name in zip(args[1:], sig.args[1:], lifted.captured)]
    closure = context.make_tuple(builder, sig.return_type, values)
    context.incref(builder, sig.return_type, closure)
    return closure


def _variable_address(value):
    """The slot a variable's value was loaded from (lowering keeps each variable in an alloca
    and passes arguments as loads of it)."""
    if isinstance(value, ir.LoadInstr) and isinstance(value.operands[0], ir.AllocaInstr):
        return value.operands[0]
    raise LoweringError("a variable captured by reference is not addressable here")


@lower_builtin(cell_get, CellRef)
def cell_get_impl(context, builder, sig, args):
    value = builder.load(args[0])
    context.incref(builder, sig.return_type, value)  # implementations return new references
    return value


@lower_builtin(cell_set, CellRef, types.Any)
def cell_set_impl(context, builder, sig, args):
    ref, value = args
    value_type = sig.args[0].value_type
    context.incref(builder, value_type, value)  # the variable keeps a reference
    old = builder.load(ref)
    builder.store(value, ref)
    context.decref(builder, value_type, old)
    return context.get_dummy_value()


@lower_builtin(ClosureType, ClosureType, VarArg(types.Any))
def call_closure_impl(context, builder, sig, args):
    return _call_closure(context, builder, sig.args[0], sig, args)


class CallTypedAs:
    """The implementation of a call typed with literal types for some captured values: the
    closure's plain values are converted to them (compared by the type, as typing compares
    the signatures carrying it)."""

    def __init__(self, typed: ClosureType):
        self.typed = typed

    def __eq__(self, other):
        return isinstance(other, CallTypedAs) and other.typed == self.typed

    def __hash__(self):
        return hash(self.typed)

    def __call__(self, context, builder, sig, args):
        return _call_closure(context, builder, self.typed, sig, args)


def _call_closure(context, builder, closure_ty, sig, args):
    """Call the lifted function of `closure_ty` (the type the call was typed with) on the
    values the closure value (of type sig.args[0]) holds and the call's own values."""
    held = sig.args[0].captured
    captured = [context.cast(builder, builder.extract_value(args[0], i), held[i], typed)
                for i, typed in enumerate(closure_ty.captured)]
    argtypes = (*closure_ty.captured, *sig.args[1:])
    dispatcher = closure_ty.lifted.dispatcher  # (made when the call was typed)
    name, library = dispatcher.native_callee(argtypes)
    callee_sig = types.signature(sig.return_type, *argtypes)
    if library is not None:
        context.library.add_linking_library(library)
    elif name != builder.function.name:  # still compiling further up: mutual recursion
        return context.call_through_slot(builder, dispatcher.pending_slot(argtypes), callee_sig,
                                         [*captured, *args[1:]],
                                         f"{dispatcher.__qualname__}{argtypes} failed to compile")
    return context.call_internal(builder, name, callee_sig, [*captured, *args[1:]])
