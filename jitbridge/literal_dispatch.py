"""Literal dispatch: a jitted function whose typing asks for literal argument types
(`literally(x)`, or a callee that did: `ForceLiteralArg`, see typing/literally.py) is
compiled once per value of those arguments, with their literal types.

The request is remembered per plain argument types, so later calls go straight to the
literal specialisation. Such specialisations are never in the native dispatch table (its
checks look at classes, not values): calls from Python take the slow path, which types the
values again.
"""
from __future__ import annotations

from . import types
from .errors import CompilerError, ForceLiteralArg, LiteralTypingError
from .runtime.boxing import Defaulted
from .typing.literally import literal_request_refused, request_in_call


class LiteralDispatch:
    """The dispatcher's side of literal dispatch (a mixin of DispatcherMixin)."""

    _literal_requests: dict = None  # plain argument types -> parameter indices asked literal

    def _resolve_values(self, values: tuple, argtypes: tuple):
        """From Python: the specialisation for `values` (one per parameter) of `argtypes`."""
        plain = argtypes
        while True:
            wanted = self._wanted_literal(plain)
            if wanted:
                argtypes = tuple(_literal_value_type(values[i], t) if i in wanted else t
                                 for i, t in enumerate(plain))
            try:
                return self._resolve(argtypes)
            except ForceLiteralArg as request:
                self._note_literal_request(plain, wanted, request)

    def _resolve_types(self, given: tuple, plain: tuple, order):
        """From compiled code: the specialisation for folded argument types `given` (some
        literal) whose plain types are `plain`; a request for a value whose type is not
        literal goes to the caller, for the values of its call (`order`)."""
        while True:
            wanted = self._wanted_literal(plain)
            argtypes = plain
            if wanted:
                missing = {i for i in wanted if _literal_type(given[i]) is None}
                if missing:
                    raise request_in_call(ForceLiteralArg(missing), order, self.__qualname__)
                argtypes = tuple(_literal_type(given[i]) if i in wanted else t
                                 for i, t in enumerate(plain))
            pending = self._compiling.get(argtypes)
            if pending is not None:
                return types.Signature(pending[1] or self._recursive_return_type(argtypes),
                                       argtypes)
            try:
                return self._resolve(argtypes, lazy=True).signature
            except ForceLiteralArg as request:
                self._note_literal_request(plain, wanted, request)

    def _compile_explicit(self, argtypes, return_type):
        """`compile(signature)`: the types are given, so no value can make one literal."""
        try:
            return self._compile(argtypes, return_type)
        except ForceLiteralArg:
            raise literal_request_refused(self.__qualname__, argtypes) from None

    def _wanted_literal(self, plain) -> frozenset:
        requests = self._literal_requests
        return requests.get(plain, frozenset()) if requests else frozenset()

    def _note_literal_request(self, plain, wanted, request) -> None:
        if request.requested <= wanted:
            raise CompilerError(f"Repeated literal typing request: {self.__qualname__}() asks "
                                "again for literal types it was given")
        if self._literal_requests is None:
            self._literal_requests = {}
        self._literal_requests[plain] = wanted | request.requested


def _literal_value_type(value, plain):
    """The literal type of an argument's value (a Python call)."""
    if type(value) is Defaulted:
        value = value.value
    try:
        return types.literal(value)
    except TypeError:
        kind = type(value)
        raise LiteralTypingError(f"Cannot request literal type: {kind.__module__}."
                                 f"{kind.__qualname__} values ({plain}) have no literal "
                                 "type") from None


def _literal_type(ty):
    """`ty` if literal, the literal of an omitted parameter's default, else None."""
    if isinstance(ty, types.Literal):
        return ty
    if isinstance(ty, types.Omitted):
        try:
            return types.literal(ty.value)
        except TypeError:
            return None
    return None
