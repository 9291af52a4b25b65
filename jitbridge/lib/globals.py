"""Types of frozen global values the builtins make callable (math's functions: lib/math.py),
and attributes of module values."""
from __future__ import annotations

from .. import types
from ..ir.markers import unpack_sequence
from ..typing.typeof import Purpose, typeof
from ._registries import AttributeTemplate, lower_getattr_generic, register_attr, register_global

_MISSING = object()

_BUILTINS = (bool, int, float, complex, abs, min, max, round, divmod, pow, len, range, iter)

for _value in (*_BUILTINS, unpack_sequence):
    register_global(_value, types.Function(_value))


@register_attr
class ModuleAttributes(AttributeTemplate):
    """`mod.name` where `mod` is a module value (an @overload may return one, or a variable
    may hold one): the attribute, frozen as a constant exactly as a global `np.arange` is."""

    key = types.Module

    def generic_resolve(self, ty, attr):
        value = getattr(ty.pymod, attr, _MISSING)
        return None if value is _MISSING else typeof(value, Purpose.constant)


@lower_getattr_generic(types.Module)
def module_attribute_impl(context, builder, ty, value, attr):
    constant = getattr(ty.pymod, attr)
    return context.get_constant_generic(builder, typeof(constant, Purpose.constant), constant)
