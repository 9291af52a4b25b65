"""First-class function values (`types.FunctionType(sig)`): jitted functions and cfuncs stored
in variables, tuples and arguments, chosen at run time and called through a pointer.

A value is (address, c_abi): the address of a jitted specialisation, called in the compiled
calling convention so that its exceptions reach the caller (Numba's first-class functions go
through a C wrapper that drops them, numba#8246), or of a cfunc's C function (c_abi true).
"""
from __future__ import annotations

import sys
import weakref

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.datamodel import models, register_model
from ..lowering.ccall import call_c_pointer
from ..runtime.boxing import NativeValue, box, unbox
from ..typing.typeof import typeof
from ._registries import AbstractTemplate, lower_builtin, lower_cast, register
from ..errors import TypingError
from ..extending import VarArg

i8p = cgutils.voidptr_t


@register_model(types.FunctionType)
class FunctionValueModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("address", types.voidptr), ("c_abi", types.boolean)])


def _value(context, builder, fnty, address, c_abi: bool):
    value = context.make_helper(builder, fnty)
    value.address = builder.bitcast(address, i8p)
    value.c_abi = ir.Constant(ir.IntType(1), int(c_abi))
    return value._getvalue()


# -- making values ------------------------------------------------------------------------------

#: jitted functions whose specialisations became function values (to box them back)
_converted: "weakref.WeakSet" = weakref.WeakSet()


def _specialisation(context, builder, dispatcher, sig):
    """The compiled function of `dispatcher` for `sig.args` (typed already), as a callee: a
    declaration of it (linked in, or called where it is loaded), or the address in the slot
    of one still compiling further up the stack."""
    argtypes = tuple(sig.args)
    name, library = dispatcher.native_callee(argtypes)
    if library is None and name != builder.function.name:
        return context.slot_callee(builder, dispatcher.pending_slot(argtypes), sig,
                                   f"{dispatcher.__qualname__}{argtypes} failed to compile")
    if library is not None:
        context.library.add_callee(library, name)
    return cgutils.get_or_insert_function(builder.module, context._internal_fnty(sig), name)


@lower_cast(types.Dispatcher, types.FunctionType)
def dispatcher_as_value(context, builder, fromty, toty, val):
    """The address of the specialisation for the value's argument types (compiled when the
    types were unified)."""
    _converted.add(fromty.dispatcher)
    callee = _specialisation(context, builder, fromty.dispatcher, toty.sig)
    return _value(context, builder, toty, callee, False)


@lower_cast(types.ExternalFunctionPointer, types.FunctionType)
def cfunc_as_value(context, builder, fromty, toty, val):
    return _value(context, builder, toty, val, True)


# -- calling ------------------------------------------------------------------------------------

class FunctionValueCall(AbstractTemplate):
    key = types.FunctionType

    def generic(self, args, kws):
        fnty, *actual = args
        if kws or self.context.conversion_cost(tuple(actual), fnty.sig.args) is None:
            return None
        return types.signature(fnty.sig.return_type, fnty, *fnty.sig.args)


register(FunctionValueCall)


@lower_builtin(types.FunctionType, types.FunctionType, VarArg(types.Any))
def call_function_value(context, builder, sig, args):
    fnty = sig.args[0]
    value = context.make_helper(builder, fnty, value=args[0])
    values = [context.cast(builder, v, t, f)
              for v, t, f in zip(args[1:], sig.args[1:], fnty.sig.args)]
    result = cgutils.alloca_once(builder, context.get_value_type(fnty.sig.return_type))
    with builder.if_else(value.c_abi) as (c_function, jitted):
        with c_function:
            builder.store(call_c_pointer(context, builder, fnty.sig, value.address, values),
                          result)
        with jitted:
            callee = builder.bitcast(value.address, context._internal_fnty(fnty.sig).as_pointer())
            builder.store(context._call_propagating(builder, callee, values), result)
    return builder.load(result)


# -- one of several jitted functions (types.FunctionSet) -----------------------------------------

register_model(types.FunctionSet)(lambda dmm, fe_type: models.PrimitiveModel(
    dmm, fe_type, cgutils.intp_t))


@lower_cast(types.Dispatcher, types.FunctionSet)
def dispatcher_in_set(context, builder, fromty, toty, val):
    return ir.Constant(cgutils.intp_t, toty.index(fromty.dispatcher))


@lower_cast(types.FunctionSet, types.FunctionSet)
def set_in_larger_set(context, builder, fromty, toty, val):
    """The same function's index in the larger set."""
    result = ir.Constant(cgutils.intp_t, 0)
    for index, dispatcher in enumerate(fromty.dispatchers):
        chosen = builder.icmp_signed("==", val, ir.Constant(val.type, index))
        result = builder.select(chosen, ir.Constant(cgutils.intp_t, toty.index(dispatcher)),
                                result)
    return result


def _each_member(builder, fset, index, emit) -> None:
    """Emit `emit(dispatcher)` for the member that `index` selects (a switch)."""
    done = builder.append_basic_block("member.done")
    switch = builder.switch(index, done)
    for position, dispatcher in enumerate(fset.dispatchers):
        block = builder.append_basic_block(f"member.{position}")
        switch.add_case(ir.Constant(index.type, position), block)
        builder.position_at_end(block)
        emit(dispatcher)
        builder.branch(done)
    builder.position_at_end(done)


@lower_cast(types.FunctionSet, types.FunctionType)
def set_as_value(context, builder, fromty, toty, val):
    slot = cgutils.alloca_once(builder, context.get_value_type(toty), zfill=True)
    _each_member(builder, fromty, val, lambda d: builder.store(dispatcher_as_value(
        context, builder, types.Dispatcher(d), toty, None), slot))
    return builder.load(slot)


class FunctionSetCall(AbstractTemplate):
    """A call compiles every member for the arguments; their results must share a type."""
    key = types.FunctionSet

    def generic(self, args, kws):
        fset, *actual = args
        if kws:
            raise TypingError(f"a call of one of {_names(fset)} (chosen at run time) takes "
                              "positional arguments only")
        found = [self.context.resolve_function_type(types.Dispatcher(d), tuple(actual), {})
                 for d in fset.dispatchers]
        if None in found:
            failed = fset.dispatchers[found.index(None)].py_func.__qualname__
            raise TypingError(f"{failed}, one of {_names(fset)} chosen at run time, does not "
                              f"compile for arguments {tuple(actual)}")
        result = self.context.unify_types(*(sig.return_type for sig in found))
        if result is None:
            returned = ", ".join(str(sig.return_type) for sig in found)
            raise TypingError(f"{_names(fset)}, chosen at run time, return values of no "
                              f"common type ({returned})")
        return types.signature(result, fset, *actual).replace(impl=_set_call(found))


register(FunctionSetCall)


def _names(fset) -> str:
    return ", ".join(d.py_func.__qualname__ for d in fset.dispatchers)


def _set_call(member_sigs):
    """The lowering of a call to a FunctionSet whose members resolved to `member_sigs`."""
    def impl(context, builder, sig, args):
        fset, result_ty = sig.args[0], sig.return_type
        slot = cgutils.alloca_once(builder, context.get_value_type(result_ty), zfill=True)

        def call(dispatcher):
            member_sig = member_sigs[fset.index(dispatcher)]
            values = _member_arguments(context, builder, member_sig, args[1:], sig.args[1:])
            member_sig = member_sig.as_function()
            callee = _specialisation(context, builder, dispatcher, member_sig)
            value = context._call_propagating(builder, callee, values)
            builder.store(context.cast(builder, value, member_sig.return_type, result_ty),
                          slot)
        _each_member(builder, fset, args[0], call)
        return builder.load(slot)
    return impl


def _member_arguments(context, builder, member_sig, values, value_types) -> list:
    """The call's values for one member's parameters: in its parameter order when its typing
    folded them (`order`; None where a parameter's default is used)."""
    order = member_sig.order or range(len(member_sig.args))
    return [context.get_constant_null(param) if position is None else
            context.cast(builder, values[position], value_types[position], param)
            for position, param in zip(order, member_sig.args)]


@box(types.FunctionSet)
def box_function_set(typ, val, c):
    """The function object itself (one of the set's, chosen by the index)."""
    found = c.pyapi.get_null_object()
    for index, dispatcher in enumerate(typ.dispatchers):
        obj = c.context.embed_object(c.builder, dispatcher, "the jitted function")
        chosen = c.builder.icmp_signed("==", val, ir.Constant(val.type, index))
        found = c.builder.select(chosen, obj, found)
    c.pyapi.incref(found)
    return found


# -- crossing into and out of Python ------------------------------------------------------------

def address_of(obj, fnty) -> tuple:
    """(address, c_abi) of the function `obj` (a jitted function, compiled for the signature's
    argument types, or a cfunc of exactly that signature) as a value of `fnty`."""
    sig = fnty.sig
    try:
        kind = typeof(obj)
    except (TypeError, ValueError):
        kind = None
    if isinstance(kind, types.ExternalFunctionPointer):  # a cfunc
        if obj.signature.args == sig.args and obj.signature.return_type == sig.return_type:
            return obj.address, True
        raise TypeError(f"expected a function of signature {sig}, got a cfunc of {obj.signature}")
    overloads = getattr(obj, "overloads", None)
    if overloads is None or not hasattr(obj, "native_callee"):
        raise TypeError(f"expected a jitted function or a cfunc of signature {sig}, "
                        f"got {type(obj).__name__}")
    if tuple(sig.args) not in obj.overloads:
        obj.compile(tuple(sig.args))
    result = obj.overloads[tuple(sig.args)]
    if result.signature.return_type != sig.return_type:
        raise TypeError(f"{obj.py_func.__qualname__}{tuple(sig.args)} returns "
                        f"{result.signature.return_type}, not {sig.return_type}")
    _converted.add(obj)
    return result.library.get_pointer_to_function(result.native_name), False


def object_at(address: int, c_abi: bool):
    """The function object whose code is at `address` (boxing a function value)."""
    if c_abi:  # (jitbridge.cfunc, imported with jitbridge, knows its cfuncs by address)
        found = sys.modules["jitbridge.cfunc"]._by_address.get(address)
        if found is not None:
            return found
    for dispatcher in list(_converted):
        for result in list(dispatcher.overloads.values()):
            library = result.library
            if library is not None and library.get_pointer_to_function(result.native_name) == address:
                return dispatcher
    raise RuntimeError(f"no function object is known for the code at {address:#x}")


@unbox(types.FunctionType)
def unbox_function_value(typ, obj, c):
    helper = c.pyapi.import_module_noblock("jitbridge.lib.function_values")
    convert = c.pyapi.object_getattr_string(helper, "address_of")
    fnty = c.pyapi.unserialize(c.pyapi.serialize_object(typ, "the function type"))
    pair = c.pyapi.call_function_objargs(convert, [obj, fnty])
    for held in (fnty, convert, helper):
        c.pyapi.decref(held)
    slot = cgutils.alloca_once_value(c.builder, c.context.get_constant_null(typ))
    with c.builder.if_then(cgutils.is_not_null(c.builder, pair)):
        address = c.builder.inttoptr(c.pyapi.long_as_ulonglong(c.pyapi.tuple_getitem(pair, 0)),
                                     i8p)
        c_abi = c.pyapi.object_istrue(c.pyapi.tuple_getitem(pair, 1))
        value = c.context.make_helper(c.builder, typ)
        value.address = address
        value.c_abi = c.builder.icmp_signed("!=", c_abi, ir.Constant(c_abi.type, 0))
        c.builder.store(value._getvalue(), slot)
        c.pyapi.decref(pair)
    return NativeValue(c.builder.load(slot), is_error=cgutils.is_null(c.builder, pair))


@box(types.FunctionType)
def box_function_value(typ, val, c):
    value = c.context.make_helper(c.builder, typ, value=val)
    helper = c.pyapi.import_module_noblock("jitbridge.lib.function_values")
    find = c.pyapi.object_getattr_string(helper, "object_at")
    address = c.pyapi.long_from_ulonglong(c.builder.ptrtoint(value.address, cgutils.int64_t))
    c_abi = c.pyapi.bool_from_bool(value.c_abi)
    found = c.pyapi.call_function_objargs(find, [address, c_abi])
    for held in (c_abi, address, find, helper):
        c.pyapi.decref(held)
    return found
