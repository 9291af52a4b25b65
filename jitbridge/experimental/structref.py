"""Numba's `numba.experimental.structref`: mutable structs passed by reference (docs/structref.md).

A StructRef value is a jitclass instance without methods: a MemInfo owning a block of fields
(experimental/jitclass/model.py is the representation, shared), so copies in compiled code and
the Python proxy all see one struct. A user subclasses `types.StructRef` and `register`s it
(data model, field access), then `define_proxy`s a `StructRefProxy` subclass: `Proxy(...)`
builds one in Python and in compiled code, and the proxy gets a property per field unless the
class defines that name itself. Boxing the same struct twice gives the same proxy object."""
from __future__ import annotations

import operator
import weakref

from .. import types
from ..core import cgutils
from ..core.datamodel import register_model
from ..decorators import njit
from ..errors import TypingError
from ..extending import (AbstractTemplate, AttributeTemplate, intrinsic, lower_builtin,
                         lower_getattr_generic, lower_setattr, overload, register_attr)
from ..extending import register as register_template
from ..frontend.source import compile_source
from ..runtime.boxing import NativeValue, box, check_exact, unbox
from ..runtime.capsules import new_capsule, unbox_meminfo
from ..typing.registry import registry as typing_registry
from .jitclass.boxing import member_property
from .jitclass.model import InstanceModel, load_member, new_instance, store_member

__all__ = ["StructRefProxy", "define_attributes", "define_boxing", "define_constructor",
           "define_proxy", "new", "register"]

#: MemInfo address -> its live proxy (the proxy keeps the MemInfo alive, so the address is
#: unique while the entry exists)
_LIVE: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
_CONSTRUCTORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_REGISTERED: weakref.WeakSet = weakref.WeakSet()


def _refuse_base(struct_type) -> None:
    if struct_type is types.StructRef:
        raise ValueError(f"cannot register {types.StructRef.__name__} itself: register a "
                         "subclass of it")
    if not (isinstance(struct_type, type) and issubclass(struct_type, types.StructRef)):
        raise ValueError(f"cannot register {struct_type!r}: expected a subclass of "
                         "types.StructRef")


# -- the type's data model and fields in compiled code --------------------------------------------

def register(struct_type):
    """Class decorator: `struct_type` (a subclass of types.StructRef) gets its data model and
    field access in compiled code."""
    _refuse_base(struct_type)
    _REGISTERED.add(struct_type)
    register_model(struct_type)(InstanceModel)
    define_attributes(struct_type)
    return struct_type


def define_attributes(struct_typeclass) -> None:
    """Reading and writing the fields of `struct_typeclass` values in compiled code."""
    register_attr(type(f"{struct_typeclass.__name__}Fields", (_FieldAttributes,),
                       {"key": struct_typeclass}))
    lower_getattr_generic(struct_typeclass)(_get_field)
    lower_setattr(struct_typeclass, None)(_set_field)


class _FieldAttributes(AttributeTemplate):
    def generic_resolve(self, ty, attr):
        return ty.field_dict.get(attr)  # None: the typing error names the type and attribute

    def resolve_setattr(self, target, attr, value):
        field_ty = target.field_dict.get(attr)
        if field_ty is None:
            raise TypingError(f"{target} has no field {attr!r}")
        if self.context.can_convert(value, field_ty) is None:
            raise TypingError(f"cannot store {value} in field {attr!r} of {target} "
                              f"(of type {field_ty})")
        return field_ty


def _get_field(context, builder, ty, value, attr):
    return load_member(context, builder, ty, value, attr)


def _set_field(context, builder, sig, args, attr):
    struct_ty, value_ty = sig.args
    store_member(context, builder, struct_ty, args[0], attr, args[1], value_ty)
    return context.get_dummy_value()


@intrinsic
def new(typingctx, struct_type):
    """`new(MyStructType(fields=...))` in compiled code: a struct of that type, its fields
    empty (zero, or raising AttributeError when read, for references) until assigned."""
    struct_ty = getattr(struct_type, "instance_type", None)
    if not isinstance(struct_ty, types.StructRef):
        raise TypingError(f"structref.new() takes a StructRef type, not {struct_type}")
    if type(struct_ty) not in _REGISTERED:
        raise TypingError(f"{type(struct_ty).__qualname__} is not registered: decorate it "
                          "with @structref.register")

    def codegen(context, builder, sig, args):
        return new_instance(context, builder, struct_ty)
    return struct_ty(struct_type), codegen


# -- identity -------------------------------------------------------------------------------------

class _IdentityTemplate(AbstractTemplate):
    def generic(self, args, kws):
        if len(args) == 2 and not kws and all(isinstance(a, types.StructRef) for a in args):
            return types.signature(types.boolean, *args)
        return None


for _key in (operator.is_, operator.is_not):
    register_template(type(f"StructRefIdentity_{_key.__name__}", (_IdentityTemplate,),
                           {"key": _key}))


@lower_builtin(operator.is_, types.StructRef, types.StructRef)
def _same_struct(context, builder, sig, args):
    first, second = (context.make_helper(builder, t, value=v).meminfo
                     for t, v in zip(sig.args, args))
    return builder.icmp_unsigned("==", first, second)


@lower_builtin(operator.is_not, types.StructRef, types.StructRef)
def _other_struct(context, builder, sig, args):
    return builder.not_(_same_struct(context, builder, sig, args))


# -- the Python proxy -----------------------------------------------------------------------------

class StructRefProxy:
    """A Python object standing for one struct (Numba's base of proxy classes). Calling a
    subclass runs its compiled constructor (`define_proxy`/`define_constructor`)."""
    __slots__ = ("_type", "_meminfo", "__weakref__")

    @classmethod
    def _numba_box_(cls, ty, mi):
        """The proxy of a struct of type `ty` whose MemInfo `mi` (a capsule owning one
        reference) it keeps."""
        instance = super().__new__(cls)
        instance._type = ty
        instance._meminfo = mi
        return instance

    def __new__(cls, *args):
        return _constructor(cls)(*args)

    @property
    def _numba_type_(self):
        return self._type


def _constructor(cls):
    """The jitted `ctor(*args) -> cls(*args)`, compiled by the overload of `cls`."""
    ctor = _CONSTRUCTORS.get(cls)
    if ctor is None:
        if not typing_registry.templates_for(cls):
            raise TypeError(f"{cls.__qualname__} has no compiled constructor: "
                            f"structref.define_proxy({cls.__name__}, <StructRef class>, "
                            "<fields>) gives it one")
        ctor = _CONSTRUCTORS[cls] = njit(compile_source(
            "def ctor(*args):\n    return cls(*args)\n", "ctor",
            globals={"cls": cls, "__name__": cls.__module__}))
    return ctor


def _boxed(capsule, cls, struct_ty, address: int):
    """Called by boxing code: the live proxy of the MemInfo at `address`, else a new one."""
    proxy = _LIVE.get(address)
    if proxy is None:
        proxy = _LIVE[address] = cls._numba_box_(struct_ty, capsule)
    return proxy


def define_boxing(struct_type, obj_class) -> None:
    """Values of `struct_type` (a registered StructRef class) cross into Python as instances of
    `obj_class` (a StructRefProxy subclass), and back."""
    _refuse_base(struct_type)
    box(struct_type)(lambda typ, val, c: _box_struct(typ, val, c, obj_class))
    unbox(struct_type)(_unbox_struct)
    check_exact(struct_type)(lambda typ, obj, c: _check_struct(typ, obj, c, obj_class))


def _box_struct(typ, val, c, obj_class):
    """Steals the native reference (the capsule owns it)."""
    b = c.builder
    meminfo = c.context.make_helper(b, typ, value=val).meminfo
    capsule = new_capsule(c, meminfo)
    out = cgutils.alloca_once_value(b, c.pyapi.get_null_object())
    with b.if_then(cgutils.is_not_null(b, capsule), likely=True):
        maker = c.pyapi.constant_object(_boxed, "the structref proxy maker")
        cls = c.pyapi.constant_object(obj_class, "the structref proxy class")
        struct_ty = c.pyapi.constant_object(typ, "the structref type")
        address = c.pyapi.long_from_ulonglong(b.ptrtoint(meminfo, cgutils.int64_t))
        with b.if_then(cgutils.is_not_null(b, address), likely=True):
            b.store(c.pyapi.call_function_objargs(maker, [capsule, cls, struct_ty, address]),
                    out)
            c.pyapi.decref(address)
        c.pyapi.decref(capsule)
    return b.load(out)


def _check_struct(typ, obj, c, obj_class):
    """The dispatcher's fast test: `obj` is exactly an `obj_class` holding a struct of type
    `typ` (types are interned, so one struct type is one object)."""
    b = c.builder
    out = cgutils.alloca_once_value(b, cgutils.false_bit)
    cls = c.pyapi.constant_object(obj_class, "the structref proxy class")
    with b.if_then(b.icmp_unsigned("==", c.pyapi.get_type(obj), cls), likely=True):
        held = c.pyapi.object_getattr_string(obj, "_type")
        with b.if_then(cgutils.is_null(b, held), likely=False):
            c.pyapi.err_clear()
        expected = c.pyapi.constant_object(typ, "the structref type")
        b.store(b.icmp_unsigned("==", held, expected), out)
        c.pyapi.decref(held)
    return b.load(out)


def _unbox_struct(typ, obj, c):
    """A new reference to the proxy's MemInfo."""
    meminfo, failed = unbox_meminfo(c, obj, "_meminfo")
    struct = c.context.make_helper(c.builder, typ)
    struct.meminfo = meminfo
    return NativeValue(struct._getvalue(), is_error=failed)


# -- constructors ---------------------------------------------------------------------------------

def define_constructor(py_class, struct_typeclass, fields) -> None:
    """`py_class(<fields>)` in compiled code: a new struct of `struct_typeclass` whose field
    types are the arguments' types."""
    fields = _checked_names(fields)
    params = ", ".join(fields)
    stores = "".join(f"        st.{name} = {name}\n" for name in fields)
    text = (f"def ctor({params}):\n"
            f"    struct_type = _struct_type({params})\n"
            f"    def impl({params}):\n"
            f"        st = _new(struct_type)\n{stores}"
            f"        return st\n"
            f"    return impl\n")

    def struct_type(*argtypes):
        return struct_typeclass(list(zip(fields, map(types.unliteral, argtypes))))
    ctor = compile_source(text, "ctor", globals={"_struct_type": struct_type, "_new": new,
                                                 "__name__": py_class.__module__})
    overload(py_class)(ctor)


def _checked_names(fields) -> list:
    fields = list(fields)
    for name in fields:
        if not (isinstance(name, str) and name.isidentifier()):
            raise ValueError(f"field names must be identifiers, not {name!r}")
    if len(set(fields)) != len(fields):
        raise ValueError(f"duplicate field names in {fields}")
    return fields


def define_proxy(py_class, struct_typeclass, fields) -> None:
    """`py_class` (a StructRefProxy subclass) stands for `struct_typeclass` values: its
    constructor works in Python and compiled code, boxing makes instances of it, and each field
    it does not define itself becomes a property reading and writing the struct."""
    fields = _checked_names(fields)
    define_constructor(py_class, struct_typeclass, fields)
    define_boxing(struct_typeclass, py_class)
    for name in fields:
        if not hasattr(py_class, name):
            setattr(py_class, name, member_property(name))
