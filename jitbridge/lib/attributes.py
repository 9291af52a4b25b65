"""getattr(obj, name[, default]) and hasattr(obj, name) with names known at compile time.

`getattr(x, "name")` written with the name in the source is `x.name` itself (the frontend
emits the attribute read, so methods bind as usual); these templates take the other calls,
whose name is a constant of another origin (a global string). The attribute is resolved
from `obj`'s type when compiling: a missing one gives the default, or raises AttributeError
when the call runs, as Python does.
"""
from __future__ import annotations

from .. import types
from ..errors import NumbaTypeError, TypingError
from ..extending import overload_method
from .numbers import raise_if
from ._registries import AbstractTemplate, lower_builtin, register, register_global

#: attributes every Python object has (object's own), whatever compiled code can do with them
_OBJECT_ATTRIBUTES = frozenset(dir(object))


def _literal_name(fn: str, name) -> str:
    if not isinstance(name, types.StringLiteral):
        raise NumbaTypeError(f"{fn}(): argument 'name' must be a literal string (a constant "
                             f"known when compiling), not a value of type {name}")
    return name.literal_value


class GetattrTemplate(AbstractTemplate):
    key = getattr

    def generic(self, args, kws):
        if kws or len(args) not in (2, 3):
            return None
        name = _literal_name("getattr", args[1])
        found = self.context.resolve_getattr(args[0], name)
        if isinstance(found, types.BoundFunction):
            raise TypingError(f"getattr(): the method {name!r} of {args[0]} can only be read "
                              f"with its name written in the call (getattr(x, {name!r})) or as "
                              f"x.{name}")
        if found is None:
            found = types.unliteral(args[2]) if len(args) == 3 else types.none
        return types.signature(found, *args)


class HasattrTemplate(AbstractTemplate):
    key = hasattr

    def generic(self, args, kws):
        if kws or len(args) != 2:
            return None
        name = _literal_name("hasattr", args[1])
        found = name in _OBJECT_ATTRIBUTES or \
            self.context.resolve_getattr(args[0], name) is not None
        return types.signature(types.literal(found), *args)


for _template in (GetattrTemplate, HasattrTemplate):
    register(_template)
    register_global(_template.key, types.Function(_template.key))


@lower_builtin(getattr, types.Any, types.StringLiteral)
@lower_builtin(getattr, types.Any, types.StringLiteral, types.Any)
def getattr_impl(context, builder, sig, args):
    ty, name = sig.args[0], sig.args[1].literal_value
    found = context.typing_context.resolve_getattr(ty, name) is not None
    impl = context.get_getattr(ty, name) if found else None
    if impl is not None:
        return impl(context, builder, ty, args[0], name)  # a new reference, as x.name's
    if len(args) == 3:
        value = context.cast(builder, args[2], sig.args[2], sig.return_type)
        context.incref(builder, sig.return_type, value)  # (arguments are borrowed)
        return value
    raise_if(context, builder, context.get_constant(types.boolean, True), AttributeError,
             f"'{ty}' has no attribute '{name}'")
    return context.get_dummy_value()


@lower_builtin(hasattr, types.Any, types.StringLiteral)
def hasattr_impl(context, builder, sig, args):
    return context.get_constant(types.boolean, sig.return_type.literal_value)


@overload_method(types.Hashable, "__hash__")
@overload_method(types.NoneType, "__hash__")
def hash_method(x):
    """x.__hash__() is hash(x) for the values hash() takes."""
    return lambda x: hash(x)
