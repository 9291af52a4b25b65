"""The typing registry: templates for functions and attributes, filled by lib/ and extensions."""
from __future__ import annotations

from ..utils import registry_key
from .templates import AttributeTemplate, Template


class Registry:
    """Typing templates by key, plus types of global values."""

    def __init__(self):
        self.functions: dict = {}
        #: attribute templates by key (a type class, or one type), with registration numbers
        self._attributes: dict = {}
        self._registered = 0
        self.global_types: dict = {}

    def register(self, template: type) -> type:
        """Register a function template (decorator). jitbridge's own templates are tried before
        extensions' whatever the import order, as Numba's builtins are; each group in
        registration order."""
        templates = self.functions.setdefault(registry_key(template.key), [])
        rank = _rank(template)
        position = next((i for i, t in enumerate(templates) if _rank(t) > rank), len(templates))
        templates.insert(position, template)
        return template

    def register_attr(self, template: type) -> type:
        """Register an AttributeTemplate (decorator); later registrations are tried first."""
        assert issubclass(template, AttributeTemplate)
        self._registered += 1
        self._attributes.setdefault(template.key, []).append((self._registered, template))
        return template

    def attribute_templates_for(self, value_type) -> list:
        """The attribute templates whose key is `value_type` or one of its classes, newest
        first: an index lookup per class of the type, not a scan of every template."""
        keys = [value_type, *type(value_type).__mro__]
        found = [entry for key in keys for entry in self._attributes.get(key, ())]
        return [template for _, template in sorted(found, key=lambda entry: -entry[0])]

    def register_global(self, value, typ) -> None:
        """Make the global `value` type as `typ` in compiled code."""
        self.global_types[registry_key(value)] = (value, typ)

    def templates_for(self, key) -> list:
        return self.functions.get(registry_key(key), [])

    def global_type(self, value):
        entry = self.global_types.get(registry_key(value))
        return entry[1] if entry is not None and entry[0] is value else None



def _rank(template) -> int:
    """0 for jitbridge's own templates (lib/, including its @overloads), 1 for extensions."""
    origin = getattr(template, "origin", None) or template
    return 0 if getattr(origin, "__module__", "").startswith("jitbridge.") else 1


registry = Registry()
register = registry.register
register_attr = registry.register_attr
register_global = registry.register_global
__all__ = ["Registry", "registry", "register", "register_attr", "register_global", "Template"]
