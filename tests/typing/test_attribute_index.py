"""Issue 11 (attribute templates indexed by type class): lookups find templates keyed by the
type itself or by any of its classes, newest first, without scanning every template."""
from jitbridge import types
from jitbridge.typing.registry import Registry
from jitbridge.typing.templates import AttributeTemplate


def _template(key, name):
    return type(name, (AttributeTemplate,), {"key": key})


def test_index_finds_instance_and_class_keys_newest_first():
    registry = Registry()
    by_number = registry.register_attr(_template(types.Number, "by_number"))
    by_int64 = registry.register_attr(_template(types.int64, "by_int64"))
    by_integer = registry.register_attr(_template(types.Integer, "by_integer"))
    by_float = registry.register_attr(_template(types.Float, "by_float"))
    assert registry.attribute_templates_for(types.int64) == [by_integer, by_int64, by_number]
    assert registry.attribute_templates_for(types.int32) == [by_integer, by_number]
    assert registry.attribute_templates_for(types.float64) == [by_float, by_number]
    assert registry.attribute_templates_for(types.boolean) == []
