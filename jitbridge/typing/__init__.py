"""Typing: untyped IR + argument types -> typed side tables (typemap, calltypes, return type)."""
from .context import TypingContext  # noqa: F401
from .infer import TypedFunction, infer_types  # noqa: F401
from .registry import registry  # noqa: F401
from .templates import (AbstractTemplate, AttributeTemplate, CallableTemplate,  # noqa: F401
                        ConcreteTemplate, bound_function)
from .typeof import Purpose, as_numba_type, typeof, typeof_impl  # noqa: F401
