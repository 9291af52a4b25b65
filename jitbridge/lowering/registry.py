"""The lowering registry: implementations of typed operations, filled by lib/ and extensions.

`@lower_builtin(key, *argtypes)` registers `impl(context, builder, sig, args)`; an argtype is a
Type class (isinstance match), a Type instance (equality), `types.Any`, or `VarArg(pattern)`.
Selection (registry.py): explicit priority, then the most specific argument patterns, then the
newest registration; ambiguous pairs are refused when registered.
"""
from __future__ import annotations

from .. import types
from ..registry import ImplTable, VarArg, require_types  # noqa: F401  (VarArg: public)

#: the pseudo-keys casts, constants and attributes are filed under
_CAST, _CONSTANT = "jitbridge.cast", "jitbridge.constant"


def _attr_key(kind: str, attr) -> str:
    """The key of `kind` ("getattr" or "setattr") implementations of `attr` (None: any)."""
    return f"jitbridge.{kind}" if attr is None else f"jitbridge.{kind}.{attr}"


class LoweringRegistry:
    """Implementations of functions, attributes, casts and constants."""

    def __init__(self):
        self.table = ImplTable("lowering")

    def _decorator(self, key, patterns: tuple, priority: int):
        def wrap(impl):
            self.table.add(key, patterns, impl, priority)
            return impl
        return wrap

    def lower_builtin(self, key, *argtypes, priority: int = 0):
        return self._decorator(key, argtypes, priority)

    def add_function(self, key, argtypes, impl, priority: int = 0) -> None:
        self.table.add(key, tuple(argtypes), impl, priority)

    def lower_getattr(self, ty, attr, priority: int = 0):
        return self._decorator(_attr_key("getattr", attr), (ty,), priority)

    def lower_getattr_generic(self, ty, priority: int = 0):
        return self.lower_getattr(ty, None, priority)

    def lower_setattr(self, ty, attr, priority: int = 0):
        return self._decorator(_attr_key("setattr", attr), (ty,), priority)

    def lower_setattr_generic(self, ty, priority: int = 0):
        return self.lower_setattr(ty, None, priority)

    def lower_cast(self, fromty, toty, priority: int = 0):
        return self._decorator(_CAST, (fromty, toty), priority)

    def lower_constant(self, ty, priority: int = 0):
        return self._decorator(_CONSTANT, (ty,), priority)

    # -- lookups -------------------------------------------------------------------------------
    def find_function(self, key, argtypes: tuple):
        return self.table.select(key, tuple(argtypes))

    def find_getattr(self, ty, attr: str):
        return self._find_attr("getattr", ty, attr)

    def find_setattr(self, ty, attr: str):
        return self._find_attr("setattr", ty, attr)

    def _find_attr(self, kind: str, ty, attr: str):
        """A named attribute's implementation before a generic one's."""
        return self.table.select(_attr_key(kind, attr), (ty,)) or \
            self.table.select(_attr_key(kind, None), (ty,))

    def find_cast(self, fromty, toty):
        return self.table.select(_CAST, (fromty, toty))

    def find_constant(self, ty):
        require_types((ty,))
        return self.table.select(_CONSTANT, (ty,))


registry = LoweringRegistry()
lower_builtin = registry.lower_builtin
lower_getattr = registry.lower_getattr
lower_getattr_generic = registry.lower_getattr_generic
lower_setattr = registry.lower_setattr
lower_setattr_generic = registry.lower_setattr_generic
lower_cast = registry.lower_cast
lower_constant = registry.lower_constant
