"""Numba's `numba.core.typing.templates` (`jitbridge.core.typing.templates`): the template
classes, and the registration decorators Numba's extension authors import from there."""
from __future__ import annotations

from ..types import Signature, signature  # noqa: F401
from .registry import infer, infer_getattr, infer_global  # noqa: F401
from .templates import (AbstractTemplate, AttributeTemplate, CallableTemplate,  # noqa: F401
                        ConcreteTemplate, MethodTemplate, Template, bound_function)
