"""Exceptions: `raise Cls`, `raise Cls(args...)` and `assert` in compiled code.

With constant arguments the exception is a compile-time value: `raise` stores its pickled
payload and returns the user-exception status (core/callconv.py), touching no Python state.
With runtime arguments the exception value carries them; `raise` boxes them and sets the Python
error holding the GIL (taken just for that), then returns the Python-error status.
"""
from __future__ import annotations

import operator

from .. import types
from ..core.datamodel import models, register_model
from ..errors import TypingError
from ..lowering.registry import VarArg
from ..core.callconv import raise_site
from ..runtime.boxing import BoxContext, box, can_cross_boundary
from ..core import cgutils
from ..core.pythonapi import pyobj as _pyobj
from ..runtime import nrt
from ..runtime.helpers import add_traceback_entry
from ..typing.raising import caught_classes
from ..extending import intrinsic, overload
from ._registries import (AbstractTemplate, AttributeTemplate, lower_builtin, lower_cast,
                          lower_getattr,
                          register, register_attr)


class ExceptionConstruction(AbstractTemplate):
    """`Cls(args...)` where every argument is a compile-time constant."""

    key = types.ExceptionClass

    def generic(self, args, kws):
        cls_ty, *values = args
        if kws:
            raise TypingError("exception constructors take positional arguments only")
        if all(isinstance(v, (types.Literal, types.NoneType)) for v in values):
            consts = tuple(getattr(v, "literal_value", None) for v in values)
            return types.signature(types.ExceptionInstance(cls_ty.exc_class, consts), cls_ty,
                                   *values)
        for value in values:
            if not can_cross_boundary([], value):
                raise TypingError(f"{cls_ty.exc_class.__name__}() argument: Cannot convert "
                                  f"native {value} to a Python object (it has no Python "
                                  "equivalent)")
        arg_types = tuple(types.unliteral(v) for v in values)
        return types.signature(types.ExceptionValue(cls_ty.exc_class, arg_types), cls_ty,
                               *arg_types)


register(ExceptionConstruction)


@lower_builtin(types.ExceptionClass, VarArg(types.Any))
def exception_construction_impl(context, builder, sig, args):
    if isinstance(sig.return_type, types.ExceptionValue):
        value = context.make_tuple(builder, sig.return_type, args[1:])
        context.incref(builder, sig.return_type, value)  # it owns its arguments
        return value
    return context.get_dummy_value()


@register_model(types.ExceptionValue)
class ExceptionValueModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"a{i}", t) for i, t in enumerate(fe_type.arg_types)])


@lower_builtin("raise", types.ExceptionValue)
def raise_value_impl(context, builder, sig, args):
    """Box the arguments, PyErr_SetObject(cls, args) holding the GIL, propagate."""
    exc_ty = sig.args[0]
    c = BoxContext(context, builder)
    api = c.pyapi
    state = api.gil_ensure()
    boxed = []
    for i, ty in enumerate(exc_ty.arg_types):
        item = builder.extract_value(args[0], i)
        context.incref(builder, ty, item)  # boxing steals a reference
        boxed.append(c.box(ty, item))
    arguments = api.tuple_pack(boxed)
    for obj in boxed:
        api.decref(obj)
    api.err_set_object(api.constant_object(exc_ty.exc_class, "exception"), arguments)
    add_traceback_entry(builder, raise_site(context.call_conv.location))
    api.decref(arguments)
    api.gil_release(state)
    context.call_conv.return_python_error(builder)
    return context.get_dummy_value()


# -- the object of `except ... as e` ---------------------------------------------------------
# A MemInfo owning the Python exception (lowering/trycatch.lower_caught makes it); reading it
# takes the GIL, since compiled code may run without it.

register_model(types.CaughtException)(models.MemInfoModel)


@register_attr
class CaughtExceptionAttributes(AttributeTemplate):
    key = types.CaughtException

    def resolve_args(self, ty):
        if ty.arg_types is None:
            raise TypingError(f"the arguments of the caught exception cannot be typed: {ty.why} "
                              "(str(e), repr(e) and 'raise e' work whatever it holds)")
        return _tuple_of(ty.arg_types)


@lower_getattr(types.CaughtException, "args")
def caught_args_impl(context, builder, ty, value, attr):
    """exc.args unboxed to the types its raise statements gave them, TypeError if it holds
    others (it was raised elsewhere: by a callee or a builtin)."""
    args_type = _tuple_of(ty.arg_types)
    c = BoxContext(context, builder, owned=True)
    state = c.pyapi.gil_ensure()
    args = c.pyapi.object_getattr_string(_caught_object(builder, value), "args")
    exact = _numbers_exact(c, args, ty.arg_types)
    native = c.unbox(args_type, args)
    c.pyapi.decref(args)
    with builder.if_then(builder.not_(builder.or_(native.is_error, exact)), likely=False):
        context.decref(builder, args_type, native.value)  # (unboxed, but a bool as an int ...)
    with builder.if_then(builder.or_(native.is_error, builder.not_(exact)), likely=False):
        wanted = "(" + ", ".join(map(str, ty.arg_types)) + ("," if len(ty.arg_types) == 1
                                                             else "") + ")"
        c.pyapi.err_set_string("PyExc_TypeError", "the arguments of the caught exception are "
                               f"not of the types {wanted} its try body raises it with (it "
                               "was raised elsewhere: by a callee or a builtin)")
        c.pyapi.gil_release(state)
        context.call_conv.return_python_error(builder)
    c.pyapi.gil_release(state)
    return native.value


def _numbers_exact(c, args, arg_types):
    """i1: `args` has len(arg_types) items and those of number types are of exactly those
    types (unboxing would take True as an int, 2.0 as a complex)."""
    builder = c.builder
    size = c.pyapi.tuple_size(args)
    ok = cgutils.alloca_once_value(builder, builder.icmp_signed(
        "==", size, size.type(len(arg_types))))
    with builder.if_then(builder.load(ok)):
        for index, ty in enumerate(arg_types):
            if isinstance(ty, (types.Boolean, types.Number)):
                check = c.check_exact(ty, c.pyapi.tuple_getitem(args, index))
                if check is not None:
                    builder.store(builder.and_(builder.load(ok), check), ok)
    return builder.load(ok)


def _tuple_of(arg_types):
    return types.Tuple(arg_types) if len(set(arg_types)) > 1 else \
        types.UniTuple(arg_types[0], len(arg_types)) if arg_types else types.Tuple(())


def _caught_object(builder, meminfo):
    return nrt.meminfo_data(builder, meminfo)


@box(types.CaughtException)
def box_caught(typ, val, c):
    """The exception object itself (steals `val`)."""
    obj = _caught_object(c.builder, val)
    c.pyapi.incref(obj)
    c.context.decref(c.builder, typ, val)
    return obj


def _text_intrinsic(capi_name: str):
    """An intrinsic `f(exc)`: the str made by `capi_name` (PyObject_Str/Repr) of exc."""
    def definition(typingctx, exc):
        if not isinstance(exc, types.CaughtException):
            return None

        def codegen(context, builder, sig, args):
            c = BoxContext(context, builder, owned=True)
            state = c.pyapi.gil_ensure()
            convert = cgutils.declare_c_function(builder.module, capi_name, _pyobj, [_pyobj])
            text = builder.call(convert, [_caught_object(builder, args[0])])
            failed = cgutils.is_null(builder, text)
            slot = cgutils.alloca_once(builder, context.get_value_type(types.unicode_type),
                                       zfill=True)
            with builder.if_then(builder.not_(failed), likely=True):
                builder.store(c.unbox(types.unicode_type, text).value, slot)  # (owns text)
                c.pyapi.decref(text)
            c.pyapi.gil_release(state)
            with builder.if_then(failed, likely=False):
                context.call_conv.return_python_error(builder)
            return builder.load(slot)
        return types.unicode_type(exc), codegen
    definition.__name__ = f"caught_{capi_name.rpartition('_')[2].lower()}"
    return intrinsic(definition)


_caught_str, _caught_repr = _text_intrinsic("PyObject_Str"), _text_intrinsic("PyObject_Repr")


@overload(str)
def caught_str(value):
    if isinstance(value, types.CaughtException):
        return lambda value: _caught_str(value)


@overload(repr)
def caught_repr(value):
    if isinstance(value, types.CaughtException):
        return lambda value: _caught_repr(value)


@lower_builtin("raise", types.CaughtException)
def raise_caught_impl(context, builder, sig, args):
    """`raise e`: the very object, with its traceback (CPython adds the raising line)."""
    api = BoxContext(context, builder).pyapi
    state = api.gil_ensure()
    obj = _caught_object(builder, args[0])
    api.err_set_object(api.get_type(obj), obj)
    add_traceback_entry(builder, raise_site(context.call_conv.location))
    api.gil_release(state)
    context.call_conv.return_python_error(builder)
    return context.get_dummy_value()


# -- isinstance(e, classes), type(e) is cls ----------------------------------------------------

register_model(types.CaughtExceptionClass)(models.MemInfoModel)


class CaughtIsinstance(AbstractTemplate):
    """isinstance(e, classes): True when every class the clause catches is one of them (a
    literal, so a branch on it is pruned), else tested at run time."""
    key = isinstance
    priority = 1  # (before the compile-time isinstance of other values)

    def generic(self, args, kws):
        if len(args) != 2 or kws or not isinstance(args[0], types.CaughtException):
            return None
        classes = caught_classes(args[1])
        if classes is None:
            raise TypingError(f"isinstance() of a caught exception takes exception classes, "
                              f"not {args[1]}")
        caught = args[0].classes or (BaseException,)
        if all(issubclass(c, classes) for c in caught):
            return types.signature(types.literal(True), *args)
        return types.signature(types.boolean, *args)


register(CaughtIsinstance)


@lower_builtin(isinstance, types.CaughtException, types.Any)
def caught_isinstance_impl(context, builder, sig, args):
    if isinstance(sig.return_type, types.Literal):
        return context.get_constant(types.boolean, True)
    api = BoxContext(context, builder).pyapi
    state = api.gil_ensure()
    obj = _caught_object(builder, args[0])
    found = cgutils.false_bit
    for cls in caught_classes(sig.args[1]):
        hit = api.object_isinstance(obj, api.constant_object(cls, "exception"))
        found = builder.or_(found, builder.icmp_signed(">", hit, hit.type(0)))
    api.gil_release(state)
    return found


class CaughtType(AbstractTemplate):
    key = type
    priority = 1

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.CaughtException):
            return types.signature(types.CaughtExceptionClass(args[0]), *args)
        return None


register(CaughtType)


@lower_builtin(type, types.CaughtException)
def caught_type_impl(context, builder, sig, args):
    context.incref(builder, sig.args[0], args[0])  # (the same object: a new reference)
    return args[0]


def _class_operands(args) -> bool:
    return len(args) == 2 and isinstance(args[0], types.CaughtExceptionClass) \
        and isinstance(args[1], types.ExceptionClass)


class CaughtClassIs(AbstractTemplate):
    """type(e) is cls, type(e) == cls (and their negations): the exact class."""

    def generic(self, args, kws):
        return types.signature(types.boolean, *args) if _class_operands(args) else None


_CLASS_TESTS = {operator.is_: False, operator.eq: False, operator.is_not: True,
                operator.ne: True}
for _op, _negated in _CLASS_TESTS.items():
    register(type(f"CaughtClass_{_op.__name__}", (CaughtClassIs,), {"key": _op}))

    @lower_builtin(_op, types.CaughtExceptionClass, types.ExceptionClass)
    def caught_class_is_impl(context, builder, sig, args, _negated=_negated):
        api = BoxContext(context, builder).pyapi
        state = api.gil_ensure()
        same = builder.icmp_unsigned("==", api.get_type(_caught_object(builder, args[0])),
                                     api.constant_object(sig.args[1].exc_class, "exception"))
        api.gil_release(state)
        return builder.not_(same) if _negated else same


@lower_cast(types.ExceptionValue, types.ExceptionValue)
def exception_value_cast(context, builder, fromty, toty, val):
    """Each argument to the type holding both exactly (ExceptionValue.unify); casts borrow,
    as a tuple's do."""
    items = [context.cast(builder, builder.extract_value(val, i), f, t)
             for i, (f, t) in enumerate(zip(fromty.arg_types, toty.arg_types))]
    return context.make_tuple(builder, toty, items)
