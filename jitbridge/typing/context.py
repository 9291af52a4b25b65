"""TypingContext: resolves calls, attributes and unification using the typing registry."""
from __future__ import annotations

from .. import types
from ..errors import TypingError
from .registry import Registry, registry
from .typeof import Purpose, typeof
from .unify import can_convert, unify_pair


class TypingContext:
    """Answers typing questions for inference; stateless apart from template instances."""

    def __init__(self, reg: Registry = registry):
        self.registry = reg

    # -- values -----------------------------------------------------------------------------
    def resolve_value_type(self, value):
        """Type of a frozen global or constant, or None."""
        return typeof(value, Purpose.constant)

    # -- calls ------------------------------------------------------------------------------
    def resolve_function_type(self, fnty, args: tuple, kws: dict):
        """The call signature of `fnty(*args, **kws)`, or None if no template applies."""
        if isinstance(fnty, types.BoundFunction):
            sig = fnty.template(self, fnty.this).apply(args, kws)
            if sig is not None and sig.recvr is None:
                sig = sig.replace(recvr=fnty.this)
            return sig
        if isinstance(fnty, types.Dispatcher):
            return fnty.dispatcher.type_call(args, kws)
        if isinstance(fnty, types.Function):
            return self.resolve_key(fnty.typing_key, args, kws)
        # calling a value of another callable type: templates keyed by the type's class
        # receive the callee type first
        sig = self.resolve_key(type(fnty), (fnty, *args), kws)
        return sig.replace(args=sig.args[1:]) if sig is not None else None

    def resolve_key(self, key, args: tuple, kws: dict):
        """Try the templates registered for `key` (newest first)."""
        for template in self.registry.templates_for(key):
            sig = template(self).apply(tuple(args), dict(kws))
            if sig is not None:
                return sig
        return None

    def candidates(self, fnty) -> list:
        """Human-readable descriptions of the templates tried for `fnty` (for errors)."""
        key = fnty.typing_key if isinstance(fnty, types.Function) else fnty
        found = []
        for template in self.registry.templates_for(key):
            cases = getattr(template, "cases", None)
            found.extend(map(str, cases) if cases else [template.__name__])
        return found

    # -- attributes -------------------------------------------------------------------------
    def resolve_getattr(self, value_type, attr: str):
        """Type of `value.attr`, or None."""
        for template in self.registry.attributes:
            if _key_matches(template.key, value_type):
                result = template(self).resolve(value_type, attr)
                if result is not None:
                    return result
        return None

    # -- conversions ------------------------------------------------------------------------
    def can_convert(self, src, dst):
        return can_convert(src, dst)

    def conversion_cost(self, actual: tuple, formal: tuple):
        """Sortable cost of passing `actual` argument types to `formal` ones, or None."""
        if len(actual) != len(formal):
            return None
        ranks = [can_convert(a, f) for a, f in zip(actual, formal)]
        if None in ranks:
            return None
        return (max(ranks, default=0), sum(ranks))

    def unify_types(self, *tys):
        """Common type of all `tys`, or None."""
        result = tys[0]
        for ty in tys[1:]:
            result = unify_pair(self, result, ty)
            if result is None:
                return None
        return result

    def error(self, msg: str, loc=None) -> TypingError:
        return TypingError(msg, loc)


def _key_matches(key, value_type) -> bool:
    if isinstance(key, type):
        return isinstance(value_type, key)
    return key == value_type
