"""Types of @jitclass classes and their instances (Numba's `ClassType`, `ClassInstanceType`),
and `deferred_type`, the placeholder a self-referencing class names in its own spec.

The types hold a *definition* (jitbridge.experimental.jitclass.definition.ClassDefinition):
the members, methods and proxy class of one decorated class. Two classes never share a type,
even with equal names, so the definition's identity is the key."""
from __future__ import annotations

import itertools
import pickle
import uuid
import weakref

from .abstract import Callable, Dummy, Type

_DEFERRED_NUMBERS = itertools.count(1)
#: this process, and its jitclass definitions by number: a type of a class pickle cannot name
#: (defined in a function) unpickles in the process that made it, to the same type
_PROCESS = uuid.uuid4().hex
_DEFINITIONS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _reduce(ty, kind: str):
    """Pickle a class's type by its class when pickle can name it, else by this process's
    number of its definition."""
    proxy = ty.definition.proxy
    if proxy is not None and "<locals>" not in proxy.__qualname__:
        return _type_of_class, (proxy, kind)
    _DEFINITIONS[ty.definition.number] = ty.definition
    return _type_in_process, (_PROCESS, ty.definition.number, kind)


def _type_of_class(proxy, kind: str):
    return getattr(proxy.class_type, kind) if kind == "instance_type" else proxy.class_type


def _type_in_process(process: str, number: int, kind: str):
    definition = _DEFINITIONS.get(number) if process == _PROCESS else None
    if definition is None:
        raise pickle.UnpicklingError("the type of a jitclass defined inside a function only "
                                     "unpickles in the process that defined it")
    return getattr(definition, kind)


class _DefinitionViews:
    """Numba's names for what a class definition holds, on both of its types."""

    @property
    def struct(self) -> dict:
        return self.definition.struct

    @property
    def jit_methods(self) -> dict:
        return self.definition.methods

    @property
    def jit_props(self) -> dict:
        return self.definition.properties

    @property
    def jit_static_methods(self) -> dict:
        return self.definition.static_methods


class ClassType(_DefinitionViews, Callable, Dummy):
    """The type of a @jitclass class object: calling it constructs an instance."""

    def __init__(self, definition):
        self.definition = definition
        super().__init__(f"jitclass.{definition.name}#{definition.number}")

    @property
    def key(self):
        return self.definition

    def __reduce__(self):
        return _reduce(self, "class_type")

    @property
    def instance_type(self) -> "ClassInstanceType":
        return ClassInstanceType(self.definition)

    @property
    def class_name(self) -> str:
        return self.definition.name


class ClassInstanceType(_DefinitionViews, Type):
    """An instance of a @jitclass: a reference to a runtime-counted block holding its members
    (`struct`, name -> type, in spec order)."""

    mutable = True

    def __init__(self, definition):
        self.definition = definition
        super().__init__(f"instance.jitclass.{definition.name}#{definition.number}")

    @property
    def key(self):
        return self.definition

    def __reduce__(self):
        return _reduce(self, "instance_type")

    @property
    def class_type(self) -> ClassType:
        return ClassType(self.definition)

    @property
    def classname(self) -> str:
        return self.definition.name


class DeferredType(Type):
    """A type named before it exists (`node_type = deferred_type()` in a linked list's own
    spec); `define(typ)` says what it is once the class is made."""

    def __init__(self, number: int):
        self.number = number
        self._defined = None
        super().__init__(f"DeferredType#{number}")

    @property
    def key(self):
        return self.number

    def define(self, typ: Type) -> None:
        if self._defined is not None and self._defined != typ:
            raise TypeError(f"{self} is already defined as {self._defined}")
        self._defined = typ

    def get(self) -> Type:
        if self._defined is None:
            raise TypeError(f"{self} was used before define() gave it a type")
        return self._defined


def deferred_type() -> DeferredType:
    """A new placeholder type (Numba's `deferred_type()`)."""
    return DeferredType(next(_DEFERRED_NUMBERS))
