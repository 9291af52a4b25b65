"""`@jitclass(spec)`: compile a Python class into a native reference type."""
from __future__ import annotations

import inspect

from ...typing.typeof import as_numba_type, register_exact_class
from . import spec as specs
from .boxing import make_proxy
from .definition import ClassDefinition


def jitclass(cls_or_spec=None, spec=None):
    """Numba's `jitclass`: `@jitclass(spec)`, `@jitclass` (members from annotations), or
    `jitclass(cls, spec)`. `spec` lists (name, type) pairs or maps names to types (type
    objects or strings); class annotations add the members it leaves out."""
    if inspect.isclass(cls_or_spec):
        return _make(cls_or_spec, spec)
    if cls_or_spec is not None and spec is not None:
        raise TypeError("jitclass(spec) takes the spec once: jitclass(spec), "
                        "jitclass(spec=spec) or jitclass(cls, spec)")
    return lambda cls: _make(cls, cls_or_spec if spec is None else spec)


def _make(cls, spec):
    if not inspect.isclass(cls):
        raise TypeError(f"@jitclass decorates classes, not {cls!r}")
    fields = specs.parse_spec(spec, cls)
    definition = ClassDefinition(cls, fields, specs.class_members(cls, fields))
    definition.proxy = proxy = make_proxy(definition)
    as_numba_type.register(proxy, definition.instance_type)
    register_exact_class(proxy, definition.instance_type)
    return proxy
