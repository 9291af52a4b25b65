"""The data model manager: type class -> model factory, with `register_model` for extensions."""
from __future__ import annotations

from ... import types
from ...registry import ClassTable
from . import models as m


class DataModelManager:
    """Looks up (and caches) the data model of a type by walking its class MRO."""

    def __init__(self):
        self._factories = ClassTable("data model")
        self._cache: dict = {}

    def register(self, type_class, factory) -> None:
        self._factories.add(type_class, factory)
        self._cache.clear()

    def lookup(self, fe_type) -> m.DataModel:
        try:
            return self._cache[fe_type]
        except KeyError:
            pass
        factory = self._factories.lookup(fe_type)
        if factory is not None:
            model = self._cache[fe_type] = factory(self, fe_type)
            return model
        raise KeyError(f"no data model registered for type {fe_type} ({type(fe_type).__name__})")

    def __getitem__(self, fe_type) -> m.DataModel:
        return self.lookup(fe_type)


default_manager = DataModelManager()
# (a dropped jitted function's type: its model goes with it)
types.functions.DROPPED_HOOKS.append(lambda ty: default_manager._cache.pop(ty, None))


def register_model(type_class):
    """Class decorator: `@register_model(MyType) class MyModel(models.StructModel)`."""

    def wrap(factory):
        default_manager.register(type_class, factory)
        return factory

    return wrap


_DEFAULTS = {
    types.Boolean: m.BooleanModel, types.Integer: m.integer_model, types.Float: m.float_model,
    types.Complex: m.ComplexModel, types.UniTuple: m.UniTupleModel, types.Tuple: m.TupleModel,
    types.Dummy: m.DummyModel, types.Opaque: m.OpaqueModel, types.CPointer: m.PointerModel,
    types.RawPointer: m.OpaqueModel, types.RangeType: m.RangeModel,
    types.RangeIteratorType: m.RangeIteratorModel, types.MemInfoPointer: m.MemInfoModel,
    types.SliceType: m.SliceModel,
}
for _cls, _factory in _DEFAULTS.items():
    default_manager.register(_cls, _factory)
