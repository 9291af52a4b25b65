"""Issue 11 (attribute templates indexed by type class): lookups find templates keyed by the
type itself or by any of its classes, most specific first (the type itself, then its classes by
MRO distance), then by priority, newest first; registration order between keys does not
matter."""
import itertools

import pytest

from jitbridge import types
from jitbridge.typing.registry import Registry
from jitbridge.typing.templates import AttributeTemplate


def _template(key, name, priority=0):
    return type(name, (AttributeTemplate,), {"key": key, "priority": priority})


_KEYS = {"by_number": types.Number, "by_int64": types.int64, "by_integer": types.Integer,
         "by_float": types.Float}


@pytest.mark.parametrize("order", list(itertools.permutations(_KEYS)))
def test_most_specific_key_first_in_any_registration_order(order):
    registry = Registry()
    made = {name: registry.register_attr(_template(_KEYS[name], name)) for name in order}
    names = lambda ty: [t.__name__ for t in registry.attribute_templates_for(ty)]  # noqa: E731
    assert names(types.int64) == ["by_int64", "by_integer", "by_number"]
    assert names(types.int32) == ["by_integer", "by_number"]
    assert names(types.float64) == ["by_float", "by_number"]
    assert names(types.boolean) == []
    assert len(made) == 4


def test_same_key_by_priority_then_newest():
    registry = Registry()
    old = registry.register_attr(_template(types.Integer, "old"))
    high = registry.register_attr(_template(types.Integer, "high", priority=1))
    new = registry.register_attr(_template(types.Integer, "new"))
    assert registry.attribute_templates_for(types.int8) == [high, new, old]
