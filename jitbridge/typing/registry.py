"""The typing registry: templates for functions and attributes, filled by lib/ and extensions.

Function templates are filed under the stable key of what they type (registry.py) and tried in
order of explicit `priority` (a template class attribute, default 0), jitbridge's own before
extensions' (as Numba's builtins are) and in the fixed order of lib/'s areas (providers.py),
then registration order. Attribute templates are indexed
by the type or type class they describe and tried nearest class first (MRO distance), then by
priority, newest first.
"""
from __future__ import annotations

from .. import types
from ..providers import area_rank
from ..registry import note_registrant, require_key, require_types, same_key, stable_key
from .templates import AttributeTemplate, Template


class Registry:
    """Typing templates by key, plus types of global values."""

    def __init__(self):
        self._functions: dict = {}
        self._attributes: dict = {}
        self._registered = 0
        self._globals: dict = {}

    def register(self, template: type) -> type:
        """Register a function template (decorator)."""
        note_registrant()
        self._registered += 1
        entries = self._functions.setdefault(stable_key(template.key), [])
        entries.append((_order(template, self._registered), template))
        entries.sort(key=lambda entry: entry[0])
        return template

    def register_attr(self, template: type) -> type:
        """Register an AttributeTemplate (decorator)."""
        assert issubclass(template, AttributeTemplate)
        note_registrant()
        self._registered += 1
        entry = (-getattr(template, "priority", 0), -self._registered, template)
        self._attributes.setdefault(stable_key(template.key), []).append(entry)
        return template

    def attribute_templates_for(self, value_type) -> list:
        """The attribute templates whose key is `value_type` or one of its classes: the type's
        own first, then by MRO distance; an index lookup per class, not a scan."""
        require_types((value_type,))
        found = []
        for distance, key in enumerate([value_type, *type(value_type).__mro__]):
            for priority, newest, template in self._attributes.get(stable_key(key), ()):
                if same_key(template.key, key):
                    found.append(((distance, priority, newest), template))
        return [template for _, template in sorted(found, key=lambda entry: entry[0])]

    def register_global(self, value, typ) -> None:
        """Make the global `value` type as `typ` in compiled code (`value` may be given by its
        stable key, so that a lazily provided module need not import the object)."""
        self._globals.setdefault(stable_key(value), []).insert(0, (value, typ))

    def templates_for(self, key) -> list:
        name = stable_key(key)
        require_key(name)
        return [t for _, t in self._functions.get(name, ()) if same_key(t.key, key)]

    def global_type(self, value):
        name = stable_key(value)
        require_key(name)
        return next((typ for v, typ in self._globals.get(name, ())
                     if v is value or isinstance(v, str)), None)


def _order(template, serial: int) -> tuple:
    """Sort key: higher priority first, then jitbridge's own (lib/, including its @overloads)
    before extensions', jitbridge's in the fixed order of its areas (they load lazily, in any
    order), then registration order."""
    module = getattr(getattr(template, "origin", None) or template, "__module__", "")
    extension = not module.startswith("jitbridge.")
    return (-getattr(template, "priority", 0), extension, area_rank(module), serial)


registry = Registry()
register = registry.register
register_attr = registry.register_attr
register_global = registry.register_global
infer_getattr = register_attr  # Numba's names (numba.core.typing.templates)


def infer(template: type) -> type:
    """Numba's decorator registering a typing template (an AttributeTemplate as such)."""
    if issubclass(template, AttributeTemplate):
        return register_attr(template)
    return register(template)


def infer_global(value, typ=None):
    """Numba's decorator: the template types calls of the global `value`, which compiled code
    sees as `typ` (by default the function type keyed by `value`). Given `typ`, the global's
    type is registered at once, as Numba's `infer_global(value, typ)` does without a template."""
    if typ is not None:
        register_global(value, typ)

    def decorate(template: type) -> type:
        if getattr(template, "key", None) is None:  # (Numba's templates of a global have none)
            template.key = value
        register(template)
        if typ is None:
            register_global(value, types.Function(value))
        return template
    return decorate


__all__ = ["Registry", "registry", "register", "register_attr", "register_global", "Template",
           "infer", "infer_getattr", "infer_global"]
