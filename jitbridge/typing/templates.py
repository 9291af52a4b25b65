"""Typing templates: how a function, operator or attribute is typed for given argument types.

`ConcreteTemplate` lists signatures and picks the cheapest conversion; `AbstractTemplate` computes
a signature in `generic()`; `AttributeTemplate` resolves attributes and bound methods of a type.
"""
from __future__ import annotations

import inspect

from ..errors import CompilerError, TypingError, describe_function, describe_types
from ..types import BoundFunction, Signature, Type, signature  # noqa: F401


def call_extension(culprit, role: str, argtypes: tuple, func, *args, **kws):
    """`func(*args, **kws)`: extension code (`culprit`) typing `argtypes`. Its exceptions become
    TypingErrors naming the culprit, the types and the error (chained), so that a broken
    extension is reported as the extension's bug."""
    try:
        return func(*args, **kws)
    except (CompilerError, RecursionError, MemoryError):
        raise
    except Exception as exc:
        if getattr(exc, "passes_through_extensions", False):  # typing's own retry signals
            raise
        raise TypingError(f"{role} {describe_function(culprit)} raised {type(exc).__name__}: "
                          f"{exc} (argument types {describe_types(argtypes)})") from exc


def origin_of(template):
    """The user-visible function behind a template instance (for error messages)."""
    cls = type(template)
    return getattr(cls, "origin", None) or vars(cls).get("generic") or cls


def accepts(func, args: tuple, kws: dict) -> bool:
    """Whether `func` can be called with these many arguments (keywords by name)."""
    try:
        inspect.signature(func).bind(*args, **kws)
    except TypeError:
        return False
    except ValueError:  # no introspectable signature: let the call decide
        return True
    return True


class Template:
    """Base: `key` is the typed object (a Python function, operator or type class)."""

    key = None

    def __init__(self, context):
        self.context = context

    def apply(self, args: tuple, kws: dict) -> Signature | None:
        """The signature for these argument types, or None if this template does not apply."""
        raise NotImplementedError


class ConcreteTemplate(Template):
    """A fixed list of `cases` (signatures); the best-converting case wins."""

    cases: list = []

    def apply(self, args, kws):
        if kws:
            return None
        best, best_cost = None, None
        for case in self.cases:
            cost = self.context.conversion_cost(args, case.args)
            if cost is not None and (best_cost is None or cost < best_cost):
                best, best_cost = case, cost
        return best


class AbstractTemplate(Template):
    """Computes the signature in `generic(args, kws)`."""

    def generic(self, args: tuple, kws: dict) -> Signature | None:
        raise NotImplementedError

    def apply(self, args, kws):
        return self.generic(args, kws)


class CallableTemplate(Template):
    """`generic()` returns a typer function called with the argument types (type_callable)."""

    def generic(self):
        raise NotImplementedError

    def apply(self, args, kws):
        typer = self.generic()
        if not accepts(typer, args, kws):  # arity mismatch means "does not apply"
            return None
        result = call_extension(typer, "the typer", args, typer, *args, **kws)
        if result is None or isinstance(result, Signature):
            return result
        if not isinstance(result, Type):
            raise TypingError(f"the typer {describe_function(typer)} returned {result!r} "
                              f"({type(result).__name__}) for argument types "
                              f"{describe_types(args)}; a typer returns a jitbridge type, a "
                              "signature or None")
        return signature(result, *args)


class AttributeTemplate:
    """Resolves `value.attr` for values of type `key` via `resolve_<attr>(ty)` methods."""

    key = None

    def __init__(self, context):
        self.context = context

    def resolve(self, value_type: Type, attr: str) -> Type | None:
        method = getattr(self, f"resolve_{attr}", None)
        if method is not None:
            return method(value_type)
        return self.generic_resolve(value_type, attr)

    def generic_resolve(self, value_type: Type, attr: str) -> Type | None:
        return None


class MethodTemplate(AbstractTemplate):
    """Types a bound method call; `this` is the receiver type."""

    def __init__(self, context, this: Type):
        super().__init__(context)
        self.this = this


def bound_function(name: str):
    """Decorate a method `f(self, ty, args, kws) -> Signature` typing calls of method `name`."""

    def wrapper(func):
        classes: dict = {}  # one MethodTemplate class per AttributeTemplate class

        def resolve(self, this):
            owner = type(self)
            template = classes.get(owner)
            if template is None:
                template = type(f"Method_{name}", (MethodTemplate,), {
                    "key": name,
                    "generic": lambda tmpl, args, kws: func(owner(tmpl.context), tmpl.this,
                                                            args, kws)})
                classes[owner] = template
            return BoundFunction(template, this)
        resolve.__name__ = f"resolve_{name.rsplit('.', 1)[-1]}"
        return resolve

    return wrapper
