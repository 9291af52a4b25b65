"""Instances crossing into Python: the proxy class a @jitclass decorator returns, and boxing.

A boxed instance is a proxy holding a capsule that owns one reference to the instance's
MemInfo; unboxing a proxy gives that MemInfo (a new reference), so compiled code and Python
share one object. While a proxy of a MemInfo is alive, boxing the same MemInfo again returns
that proxy (`obj is returned_obj` holds across calls). Members, properties and methods are
reached from Python through compiled accessors (properties on the proxy class)."""
from __future__ import annotations

import weakref


from ... import types
from ...core import cgutils
from ...decorators import njit
from ...frontend.source import compile_source
from ...runtime.boxing import NativeValue, box, check_exact, unbox
from ...runtime.capsules import new_capsule, unbox_meminfo
from ...typing.typeof import typeof_impl
from ...utils import capsule_address
from .model import not_cacheable

#: MemInfo address -> its live proxy (a proxy keeps its MemInfo alive, so the address is
#: unique while the entry exists)
_LIVE: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


class JitClassType(type):
    """Metaclass of proxy classes: calling one runs the compiled constructor."""

    def __new__(mcs, name, bases, namespace):
        if any(getattr(base, "_definition", None) is not None for base in bases) \
                and "_definition" not in namespace:
            raise TypeError("cannot subclass from a jitclass")
        return super().__new__(mcs, name, bases, namespace)

    def __call__(cls, *args, **kws):
        return cls._definition.constructor(*args, **kws)

    @property
    def _numba_type_(cls):  # a data descriptor: wins over the class's own attribute
        return cls._definition.class_type

    @property
    def class_type(cls):
        return cls._definition.class_type


class JitClassProxy(metaclass=JitClassType):
    """Mixin of every proxy class (never instantiated itself). A proxy class derives from the
    decorated class, as Numba's does (`Foo.mro()[1]` is the class as written)."""
    __slots__ = ()
    _definition = None

    def __reduce__(self):
        """A blank instance, then its members (so pickle's memo sees the instance before its
        members, and cycles through members round-trip)."""
        state = {name: getattr(self, name) for name in self._definition.struct}
        return _blank, (type(self),), state

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, value)


def _blank(cls):
    """Unpickle: an instance whose members are all empty (not __init__'s work)."""
    return cls._definition.blank()


def wrap(capsule, cls, address):
    """Called by boxing code: the proxy of the capsule's MemInfo, at `address` (the live one
    if any)."""
    proxy = _LIVE.get(address)
    if proxy is not None:
        return proxy
    proxy = object.__new__(cls)
    proxy._meminfo = capsule
    _LIVE[address] = proxy
    return proxy


def meminfo_address(proxy) -> int:
    """The address of the proxy's MemInfo (tests, debugging)."""
    return capsule_address(proxy._meminfo)


# -- the proxy class ------------------------------------------------------------------------------

def make_proxy(definition):
    """The Python class standing for the jitclass: named as the decorated class."""
    cls = definition.py_class
    namespace = {"__slots__": ("_meminfo",), "__module__": cls.__module__,
                 "__qualname__": cls.__qualname__, "__doc__": cls.__doc__,
                 "_definition": definition, "_numba_type_": definition.instance_type}
    for name in definition.fields:
        namespace[name] = member_property(name)
    for name, (getter, setter) in definition.properties.items():
        namespace[name] = _property(getter, setter)
    for name, dispatcher in definition.methods.items():
        namespace[name] = _method(name, dispatcher)
    for name, dispatcher in definition.static_methods.items():
        namespace[name] = staticmethod(dispatcher)
    definition.blank = njit(compile_source("def blank():\n    return _new()\n", "blank",
                                           globals={"_new": definition.allocator}))
    return JitClassType(cls.__name__, (cls, JitClassProxy), namespace)


def member_property(name: str) -> property:
    getter = njit(compile_source(f"def get(self):\n    return self.{name}\n", "get"))
    setter = njit(compile_source(f"def set(self, value):\n    self.{name} = value\n", "set"))
    return property(lambda self: getter(self), lambda self, value: setter(self, value),
                    doc=f"member {name}")


def _property(getter, setter) -> property:
    put = None if setter is None else (lambda self, value: setter(self, value))
    return property(lambda self: getter(self), put, doc=getter.py_func.__doc__)


def _method(name: str, dispatcher):
    def method(self, *args, **kws):
        return dispatcher(self, *args, **kws)
    method.__name__ = name
    method.__qualname__ = dispatcher.py_func.__qualname__
    method.__doc__ = dispatcher.py_func.__doc__
    return method


# -- box / unbox ----------------------------------------------------------------------------------

@typeof_impl.register(types.DeferredType)
def typeof_deferred(value, c):
    """A deferred type used as a value (`typed.List.empty_list(node_type)` in a method) is a
    reference to the type it was defined as."""
    return types.TypeRef(value.get())


@box(types.ClassInstanceType)
def box_instance(typ, val, c):
    """Steals the native reference (the capsule owns it)."""
    not_cacheable(c.context, typ)
    b = c.builder
    meminfo = c.context.make_helper(b, typ, value=val).meminfo
    capsule = new_capsule(c, meminfo)
    out = cgutils.alloca_once_value(b, c.pyapi.get_null_object())
    with b.if_then(cgutils.is_not_null(b, capsule), likely=True):
        helper = c.pyapi.constant_object(wrap, "the jitclass proxy maker")
        cls = c.pyapi.constant_object(typ.definition.proxy, "the jitclass")
        address = c.pyapi.long_from_ulonglong(b.ptrtoint(meminfo, cgutils.int64_t))
        with b.if_then(cgutils.is_not_null(b, address), likely=True):
            b.store(c.pyapi.call_function_objargs(helper, [capsule, cls, address]), out)
            c.pyapi.decref(address)
        c.pyapi.decref(capsule)
    return b.load(out)


@unbox(types.ClassInstanceType)
def unbox_instance(typ, obj, c):
    """A new reference to the proxy's MemInfo."""
    not_cacheable(c.context, typ)
    meminfo, failed = unbox_meminfo(c, obj, "_meminfo")
    proxy = c.context.make_helper(c.builder, typ)
    proxy.meminfo = meminfo
    return NativeValue(proxy._getvalue(), is_error=failed)


@check_exact(types.ClassInstanceType)
def check_instance(typ, obj, c):
    """An instance of exactly the class's proxy class."""
    cls = c.pyapi.constant_object(typ.definition.proxy, "the jitclass")
    return c.builder.icmp_unsigned("==", c.pyapi.get_type(obj), cls)
