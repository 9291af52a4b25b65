"""Typing and lowering of what compiled code does with jitclasses: `Foo(...)` (the compiled
constructor), member reads and writes, properties, methods (bound calls of the method's jitted
function with the instance first), static methods and calling an instance (`__call__`); the
operators and builtins that other dunder methods implement are operators.py's.

Every call lands in the jitted function of the method, typed for the actual argument types, so
a method calling itself on another instance (a tree's recursion) is ordinary recursion of that
function."""
from __future__ import annotations

from ... import types
from ...errors import TypingError
from ...extending import (AbstractTemplate, AttributeTemplate, MethodTemplate, VarArg,
                          lower_builtin, lower_getattr_generic, lower_setattr, register,
                          register_attr)
from .model import call_dispatcher, dispatch_impl, load_member, missing_member, store_member


# -- methods ------------------------------------------------------------------------------------

def _shift_order(order):
    """A call's folded order without the receiver (which the fold saw at position 0)."""
    if order is None:
        return None

    def shift(entry):
        if isinstance(entry, tuple):
            return tuple(i - 1 for i in entry)
        return None if entry is None else entry - 1
    return tuple(shift(e) for e in order[1:])


_METHOD_TEMPLATES: dict = {}


def _method_template(definition, attr: str):
    """The MethodTemplate class typing calls of method `attr` (one per class and method)."""
    key = (definition, attr)
    if key not in _METHOD_TEMPLATES:
        dispatcher = definition.methods[attr]

        def generic(self, args, kws):
            sig = dispatcher.type_call((self.this, *args), kws)
            return types.Signature(sig.return_type, sig.args[1:], recvr=sig.args[0],
                                   order=_shift_order(sig.order),
                                   impl=dispatch_impl(dispatcher, sig))
        _METHOD_TEMPLATES[key] = type(f"JitclassMethod_{attr}", (MethodTemplate,), {
            "key": f"{definition.name}.{attr}", "generic": generic})
    return _METHOD_TEMPLATES[key]


def _getter_type(definition, attr: str):
    getter = definition.properties[attr][0]
    return getter.type_call((definition.instance_type,), {}).return_type


# -- attributes of instances ------------------------------------------------------------------

@register_attr
class InstanceAttributes(AttributeTemplate):
    key = types.ClassInstanceType

    def generic_resolve(self, ty, attr):
        definition = ty.definition
        if attr in ty.struct:
            return ty.struct[attr]
        if attr in definition.properties:
            return _getter_type(definition, attr)
        if attr in definition.methods:
            return types.BoundFunction(_method_template(definition, attr), ty)
        if attr in definition.static_methods:
            return types.Dispatcher(definition.static_methods[attr])
        return None

    def resolve_setattr(self, target, attr, value):
        if not isinstance(target, types.ClassInstanceType):
            return None
        definition = target.definition
        if attr in target.struct:
            member_ty = target.struct[attr]
            if self.context.can_convert(value, member_ty) is None:
                raise TypingError(f"cannot store {value} in member {attr!r} of "
                                  f"{definition.name} (of type {member_ty})")
            return member_ty
        if attr in definition.properties:
            setter = definition.properties[attr][1]
            if setter is None:
                raise TypingError(f"property {attr!r} of {definition.name} has no setter")
            setter.type_call((target, types.unliteral(value)), {})
            return types.unliteral(value)
        return None


#: the types whose instances `obj.attr = v` may set through an Optional
_SETTABLE_THROUGH_OPTIONAL = (types.ClassInstanceType, types.StructRef)


@register_attr
class OptionalInstanceAttributes(AttributeTemplate):
    """`node.next.value = v` where `next` may be None: set on the instance (a jitclass's or a
    StructRef), which the lowering checks is there (TypeError otherwise), as reading its
    attributes does."""
    key = types.Optional

    def resolve_setattr(self, target, attr, value):
        if isinstance(target, types.Optional) and \
                isinstance(target.type, _SETTABLE_THROUGH_OPTIONAL):
            return self.context.resolve_setattr(target.type, attr, value)
        return None


@lower_setattr(types.Optional, None)
def optional_instance_setattr(context, builder, sig, args, attr):
    optional_ty, value_ty = sig.args
    instance = context.cast(builder, args[0], optional_ty, optional_ty.type)
    impl = context.get_setattr(optional_ty.type, attr)
    return impl(context, builder, types.signature(types.none, optional_ty.type, value_ty),
                (instance, args[1]), attr)


@register_attr
class ClassAttributes(AttributeTemplate):
    key = types.ClassType

    def generic_resolve(self, ty, attr):
        found = ty.definition.static_methods.get(attr)
        return None if found is None else types.Dispatcher(found)


@lower_getattr_generic(types.ClassInstanceType)
def instance_getattr(context, builder, ty, value, attr):
    definition = ty.definition
    if attr in ty.struct:
        return load_member(context, builder, ty, value, attr)
    if attr in definition.properties:
        getter = definition.properties[attr][0]
        return call_dispatcher(context, builder, getter, (ty,), _getter_type(definition, attr),
                               [value])
    if attr in definition.static_methods:
        return context.get_dummy_value()
    raise missing_member(ty, attr)


@lower_getattr_generic(types.ClassType)
def class_getattr(context, builder, ty, value, attr):
    return context.get_dummy_value()


@lower_setattr(types.ClassInstanceType, None)
def instance_setattr(context, builder, sig, args, attr):
    inst_ty, value_ty = sig.args
    if attr in inst_ty.struct:
        store_member(context, builder, inst_ty, args[0], attr, args[1], value_ty)
        return context.get_dummy_value()
    setter = inst_ty.definition.properties[attr][1]
    typed = setter.type_call(sig.args, {})
    result = call_dispatcher(context, builder, setter, sig.args, typed.return_type, list(args))
    context.decref(builder, typed.return_type, result)
    return context.get_dummy_value()


# -- Foo(...) and obj(...) ----------------------------------------------------------------------

@register
class ConstructorTemplate(AbstractTemplate):
    """`Foo(args)` where Foo is a jitclass: typed as its compiled constructor's call."""
    key = types.ClassType

    def generic(self, args, kws):
        classty, rest = args[0], args[1:]
        sig = classty.definition.constructor.type_call(rest, kws)
        return types.Signature(sig.return_type, (classty, *sig.args), order=sig.order)


@lower_builtin(types.ClassType, types.ClassType, VarArg(types.Any))
def construct(context, builder, sig, args):
    constructor = sig.args[0].definition.constructor
    return call_dispatcher(context, builder, constructor, sig.args[1:], sig.return_type,
                           list(args[1:]))


@register
class CallTemplate(AbstractTemplate):
    """`obj(args)` for an instance whose class defines __call__."""
    key = types.ClassInstanceType

    def generic(self, args, kws):
        dispatcher = args[0].definition.methods.get("__call__")
        if dispatcher is None:
            return None
        sig = dispatcher.type_call(args, kws)  # its fold saw the instance first
        return sig.replace(order=_shift_order(sig.order))


@lower_builtin(types.ClassInstanceType, types.ClassInstanceType, VarArg(types.Any))
def call_instance(context, builder, sig, args):
    dispatcher = sig.args[0].definition.methods["__call__"]
    return call_dispatcher(context, builder, dispatcher, sig.args, sig.return_type, list(args))
