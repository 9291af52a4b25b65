"""Typing templates: how a function, operator or attribute is typed for given argument types.

`ConcreteTemplate` lists signatures and picks the cheapest conversion; `AbstractTemplate` computes
a signature in `generic()`; `AttributeTemplate` resolves attributes and bound methods of a type.
"""
from __future__ import annotations

from ..types import BoundFunction, Signature, Type, signature  # noqa: F401


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
        try:
            result = typer(*args, **kws)
        except TypeError:  # arity mismatch means "does not apply"
            return None
        if result is None or isinstance(result, Signature):
            return result
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
