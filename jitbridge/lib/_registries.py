"""Shorthands for the registries lib/ modules register into (the public extension surface)."""
from ..lowering.registry import (lower_builtin, lower_cast, lower_constant,  # noqa: F401
                                 lower_getattr, lower_getattr_generic, lower_setattr)
from ..typing.registry import register, register_attr, register_global  # noqa: F401
from ..typing.templates import (AbstractTemplate, AttributeTemplate,  # noqa: F401
                                ConcreteTemplate, bound_function)
