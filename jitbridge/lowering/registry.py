"""The lowering registry: implementations of typed operations, filled by lib/ and extensions.

`@lower_builtin(key, *argtypes)` registers `impl(context, builder, sig, args)`; an argtype is a
Type class (isinstance match), a Type instance (equality), `types.Any`, or `VarArg(pattern)`.
"""
from __future__ import annotations

from ..utils import registry_key
from .. import types


class VarArg:
    """Matches any number of trailing arguments of `pattern`."""

    def __init__(self, pattern):
        self.pattern = pattern


def match_type(pattern, ty) -> bool:
    """Whether type `ty` fits an argtype `pattern`."""
    if pattern is types.Any:
        return True
    if isinstance(pattern, type):
        return isinstance(ty, pattern)
    return pattern == ty


def match_args(patterns: tuple, args: tuple) -> bool:
    if patterns and isinstance(patterns[-1], VarArg):
        fixed, rest = patterns[:-1], patterns[-1].pattern
        return (len(args) >= len(fixed) and all(map(match_type, fixed, args))
                and all(match_type(rest, a) for a in args[len(fixed):]))
    return len(patterns) == len(args) and all(map(match_type, patterns, args))


class LoweringRegistry:
    """Implementations by key; newer registrations take priority."""

    def __init__(self):
        self.functions: dict = {}
        self.getattrs: list = []
        self.setattrs: list = []
        self.casts: list = []
        self.constants: list = []

    def lower_builtin(self, key, *argtypes):
        def wrap(impl):
            self.add_function(key, argtypes, impl)
            return impl
        return wrap

    def add_function(self, key, argtypes, impl, accept=None) -> None:
        """Register `impl`; `accept(argtypes) -> bool` can narrow what it applies to."""
        entry = (argtypes, impl) if accept is None else (argtypes, impl, accept)
        self.functions.setdefault(registry_key(key), []).insert(0, entry)

    def lower_getattr(self, ty, attr):
        def wrap(impl):
            self.getattrs.insert(0, (ty, attr, impl))
            return impl
        return wrap

    def lower_getattr_generic(self, ty):
        return self.lower_getattr(ty, None)

    def lower_setattr(self, ty, attr):
        def wrap(impl):
            self.setattrs.insert(0, (ty, attr, impl))
            return impl
        return wrap

    def lower_cast(self, fromty, toty):
        def wrap(impl):
            self.casts.insert(0, (fromty, toty, impl))
            return impl
        return wrap

    def lower_constant(self, ty):
        def wrap(impl):
            self.constants.insert(0, (ty, impl))
            return impl
        return wrap

    # -- lookups -------------------------------------------------------------------------------
    def find_function(self, key, argtypes: tuple):
        for patterns, impl, *accept in self.functions.get(registry_key(key), ()):
            if match_args(patterns, argtypes) and (not accept or accept[0](argtypes)):
                return impl
        return None

    def find_getattr(self, ty, attr: str):
        for pattern, name, impl in self.getattrs:
            if name in (attr, None) and match_type(pattern, ty):
                return impl
        return None

    def find_setattr(self, ty, attr: str):
        for pattern, name, impl in self.setattrs:
            if name in (attr, None) and match_type(pattern, ty):
                return impl
        return None

    def find_cast(self, fromty, toty):
        for src, dst, impl in self.casts:
            if match_type(src, fromty) and match_type(dst, toty):
                return impl
        return None

    def find_constant(self, ty):
        for pattern, impl in self.constants:
            if match_type(pattern, ty):
                return impl
        return None



registry = LoweringRegistry()
lower_builtin = registry.lower_builtin
lower_getattr = registry.lower_getattr
lower_getattr_generic = registry.lower_getattr_generic
lower_setattr = registry.lower_setattr
lower_cast = registry.lower_cast
lower_constant = registry.lower_constant
