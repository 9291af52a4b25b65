"""Literal dispatch: typing a call again when its callee asks for literal argument types.

`literally(x)`, `SentryLiteralArgs` and the callees that met them raise `ForceLiteralArg`
naming values of the call being typed. The caller's inference traces each such value to its
origin: a constant gives its literal type and the call is typed again with it; an argument
of the caller whose type is literal gives that type; any other argument is asked for in turn
(`ForceLiteralArg` on the caller's own parameters, which its dispatcher compiles again with
the literal types of the values it was called with). A value with no such origin cannot be
made literal: the request's `unsatisfied` message, located at the call.
"""
from __future__ import annotations

import inspect

from .. import types
from ..errors import CompilerError, ForceLiteralArg, TypingError
from ..ir import nodes as n
from ..ir.markers import make_closure

#: requests a call may answer before the callee is deemed to ask again and again
_MAX_ROUNDS = 32


def resolve_with_literals(inf, call, fnty, args: tuple, kws: dict, request):
    """The signature of `call` typed again with the literal types `request` asks for."""
    given = [*args, *kws.values()]
    for _ in range(_MAX_ROUNDS):
        fnty = _make_literal(inf, call, fnty, given, request)
        try:
            return inf.ctx.resolve_function_type(
                fnty, tuple(given[:len(args)]), dict(zip(kws, given[len(args):])))
        except ForceLiteralArg as again:
            request = again
    raise _repeated(call)


def _make_literal(inf, call, fnty, given: list, request):
    """Replace the requested values' types by literal ones (in place), or raise; returns
    the callee's type (a closure's with literal types of the captured values asked for)."""
    names = [*call.args, *(name for _, name in call.kws)]
    new_fnty, forced = _literal_captures(inf, call, fnty, request)
    changed = new_fnty is not fnty
    for index in sorted(request.requested):
        if call.star or index >= len(names):
            raise TypingError(request.unsatisfied, call.loc)
        if isinstance(given[index], types.Literal):
            continue  # the callee already had it and asks again
        origin = _origin(inf, names[index])
        literal = _literal_of(inf, origin)
        if literal is not None:
            given[index], changed = literal, True
        elif isinstance(origin, n.Arg):
            forced.add(origin.index)
        else:
            raise _not_constant(request, given[index], index, call)
    if forced:
        raise ForceLiteralArg(forced, request.unsatisfied)
    if not changed:
        raise _repeated(call)
    return new_fnty


def _not_constant(request, ty, index: int, call) -> TypingError:
    """The callee needs a value the caller computes at run time."""
    return TypingError(f"{request.unsatisfied} The callee needs argument {index + 1} of this "
                       f"call (a {ty}) as a compile-time constant (literally() or a literal "
                       "dispatch), but here it is computed at run time", call.loc)


def _literal_captures(inf, call, fnty, request):
    """(callee type, caller's parameters to ask for) for the values a called closure captured
    that the request asks literal types for (`request.captured`: their indices among the
    values of the call that made the closure, lib/closures.py): traced to their origin in
    that call, the closure's type is given their literal types (`with_literal_captured`)."""
    captured = getattr(request, "captured", ())
    if not captured:
        return fnty, set()
    maker = _closure_maker(inf, call.func)
    if maker is None or not hasattr(fnty, "with_literal_captured"):
        raise TypingError("Cannot request literal type: literally() of a value an inner "
                          "function captured, in a call of it away from the function that "
                          "defines it; call it there, or pass the value as an argument",
                          call.loc)
    literals, forced = {}, set()
    for index in captured:
        origin = _origin(inf, maker.args[index + 1])
        literal = _literal_of(inf, origin)
        if literal is not None:
            literals[index] = literal
        elif isinstance(origin, n.Arg):
            forced.add(origin.index)
        else:
            raise TypingError(request.unsatisfied, call.loc)
    return (fnty.with_literal_captured(literals) if literals else fnty), forced


def _closure_maker(inf, name: str):
    """The `make_closure(lifted, *captured)` call variable `name` holds, or None."""
    maker = _origin(inf, name)
    func = _origin(inf, maker.func) if isinstance(maker, n.Call) else None
    return maker if isinstance(func, n.Global) and func.value is make_closure else None


def _origin(inf, name: str):
    """The expression variable `name` holds, followed through plain copies of variables
    assigned once (`v = 1000; w = v`); None when assigned more than once."""
    for _ in range(len(inf.defs) + 1):
        if name not in inf.assigned_once:
            return None
        value = inf.defs.get(name)
        if not isinstance(value, n.Var):
            return value
        name = value.name
    return None


def _literal_of(inf, origin):
    """The literal type of a constant, or of an argument whose type is literal, else None."""
    if isinstance(origin, n.Const):
        return _literal_or_none(origin.value)
    if isinstance(origin, n.Arg):
        ty = inf.argtypes[origin.index]
        if isinstance(ty, types.Literal):
            return ty
        if isinstance(ty, types.Omitted):  # a parameter left to its default
            return _literal_or_none(ty.value)
    return None


def _literal_or_none(value):
    try:
        return types.literal(value)
    except TypeError:
        return None


def request_in_call(request, order, callee: str, shift: int = 0):
    """`request` (indices of a callee's parameters, the first `shift` of them not the call's)
    as the indices of the call's values its parameters took (`order`, see binder.py)."""
    params = {i - shift for i in request.requested}
    positions = params if order is None else {order[i] for i in params if i >= 0}
    if min(params) < 0 or not all(isinstance(p, int) for p in positions):
        raise TypingError(f"Cannot request literal type: {callee}() asks for a literal "
                          "receiver, *args or default value")
    return ForceLiteralArg(positions, request.unsatisfied)


def literal_request_refused(qualname: str, argtypes) -> TypingError:
    """A function compiled for given argument types (an explicit signature, a cfunc) whose
    typing asks for literal types: only a call's values could give them."""
    shown = ", ".join(map(str, argtypes))
    return TypingError(f"Cannot request literal type: {qualname}() is compiled for the "
                       f"signature ({shown}), but literally() asks for an argument's value, "
                       "known only when it is called without a signature")


def _repeated(call) -> CompilerError:
    return CompilerError("Repeated literal typing request: the callee asks again for literal "
                         "types it was given", call.loc)


class SentryLiteralArgs:
    """Numba's `SentryLiteralArgs(names)`: in an @overload typing function,
    `SentryLiteralArgs(['x']).for_function(ov).bind(x, y)` asks for a literal type for each
    named parameter whose type is not literal (the call is typed again with it)."""

    def __init__(self, literal_args):
        self.literal_args = tuple(literal_args)

    def for_function(self, func):
        return self.for_pysig(inspect.signature(func))

    def for_pysig(self, pysig):
        return BoundLiteralArgs(pysig, self.literal_args)


class BoundLiteralArgs:
    """`SentryLiteralArgs` bound to the parameters of a typing function."""

    def __init__(self, pysig, literal_args):
        self.pysig, self.literal_args = pysig, literal_args

    def bind(self, *args, **kwargs):
        """Check the argument types the typing function received (ForceLiteralArg if some
        named ones are not literal)."""
        bound = self.pysig.bind(*args, **kwargs).arguments
        wanted = [i for i, name in enumerate(self.pysig.parameters)
                  if name in self.literal_args and
                  not isinstance(bound.get(name), types.Literal)]
        if wanted:
            raise ForceLiteralArg(wanted)
