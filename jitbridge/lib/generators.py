"""Compiled generators as values: iteration in compiled code, and Python iterators.

A `types.Generator` value is a MemInfo owning the generator's state (lowering/generators.py
lays it out and emits the generator's `next` function). `iternext` calls that function and
reads whether an item came from the state's resume index. Returned to Python, a generator is a
`NativeGenerator`: a real iterator whose `__next__` runs the same native code (StopIteration
at the end), and which compiled code takes back without copying.
"""
from __future__ import annotations

import ctypes
import importlib

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.datamodel import models, register_model
from ..errors import LoweringError
from ..ir.markers import yield_value
from ..lowering.generators import FINISHED, NATIVE, SENT_OFFSET, THROWN_OFFSET
from ..runtime import nrt
from ..runtime.boxing import NativeValue, box, check_exact, unbox
from ..runtime.capsules import box_meminfo, unbox_meminfo
from ..typing.typeof import typeof, typeof_impl
from ..typing.unify import Conversion, can_convert
from ..errors import TypingError
from ..runtime.boxing import BoxContext
from ._registries import (AbstractTemplate, AttributeTemplate, bound_function, lower_builtin,
                          register, register_attr, register_global)

i64 = cgutils.int64_t

register_model(types.Generator)(models.MemInfoModel)
register_global(yield_value, types.Function(yield_value))


@register
class YieldValue(AbstractTemplate):
    """`yield v` (the lowering suspends the generator there)."""
    key = yield_value

    def generic(self, args, kws):
        if len(args) == 1 and not kws:
            return types.signature(types.none, types.unliteral(args[0]))
        return None


@register
class IterOfGenerator(AbstractTemplate):
    """iter(generator) is the generator itself."""
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], types.Generator):
            return types.signature(args[0], args[0])
        return None


@lower_builtin(iter, types.Generator)
def generator_iter(context, builder, sig, args):
    context.incref(builder, sig.args[0], args[0])
    return args[0]


@lower_builtin("iternext", types.Generator)
def generator_iternext(context, builder, sig, args):
    """(item, valid): run the generator to its next yield (or its end)."""
    gen_type = sig.args[0]
    symbols = NATIVE.get(gen_type)
    if symbols is None:
        raise LoweringError(f"{gen_type} was not compiled in this process")
    name = symbols.next
    context.embed_process_local("generator", f"the compiled generator {gen_type}")
    if symbols.library is not context.library:  # (linked: LLVM inlines the generator's step)
        context.library.add_linking_library(symbols.library)
    state = nrt.meminfo_data(builder, args[0])
    # a generator's state never moves: LLVM may keep its fields in registers across a loop
    state.set_metadata("invariant.load", builder.module.add_metadata([]))
    item = context.call_internal(builder, name,
                                 types.signature(gen_type.yield_type, types.voidptr), [state])
    resume = builder.load(builder.bitcast(state, i64.as_pointer()))
    valid = builder.icmp_signed("!=", resume, ir.Constant(i64, FINISHED))
    return context.make_tuple(builder, sig.return_type, [item, valid])


# -- send() in compiled code -----------------------------------------------------------------

@register_attr
class GeneratorAttributes(AttributeTemplate):
    key = types.Generator

    @bound_function("generator.send")
    def resolve_send(self, gen_type, args, kws):
        if len(args) != 1 or kws:
            return None
        value = types.unliteral(args[0])
        for sent_type in _sent_types(gen_type):
            rank = can_convert(value, sent_type)
            if not isinstance(value, types.NoneType) and (rank is None or rank > Conversion.safe):
                raise TypingError(f"cannot send a value of type {value} to the compiled "
                                  f"generator {gen_type.py_func.__qualname__}(): a yield "
                                  f"takes {sent_type} (or None)")
        return types.signature(gen_type.yield_type, value)


def _sent_types(gen_type) -> set:
    symbols = NATIVE.get(gen_type)
    if symbols is None:
        raise TypingError(f"send() on {gen_type}, which is not compiled yet (a recursive "
                          f"generator)")
    return set(symbols.sent_types.values())


@lower_builtin("generator.send", types.Generator, types.Any)
def generator_send(context, builder, sig, args):
    """CPython's generator.send: the value (boxed while the step runs: the resumed yield
    unboxes it to its type) then the next item; StopIteration when the generator ends."""
    gen_type, value_type = sig.recvr, sig.args[0]
    state = nrt.meminfo_data(builder, args[0])
    resume = builder.load(builder.bitcast(state, i64.as_pointer()))
    sent = _box_sent(context, builder, value_type, args[1], resume)
    slot = builder.bitcast(builder.gep(state, [ir.Constant(i64, SENT_OFFSET)]),
                           cgutils.voidptr_t.as_pointer())
    if sent is not None:
        builder.store(sent, slot)
    status, item = context.call_conv.call_function(builder, _next_function(context, builder,
                                                                            gen_type), [state])
    if sent is not None:
        builder.store(ir.Constant(cgutils.voidptr_t, None), slot)  # (a yield that drops it)
        _release_object(context, builder, sent)
    with builder.if_then(context.call_conv.is_error(builder, status), likely=False):
        context.call_conv.return_status_propagate(builder, status)
    resume = builder.load(builder.bitcast(state, i64.as_pointer()))
    with builder.if_then(builder.icmp_signed("==", resume, ir.Constant(i64, FINISHED)),
                         likely=False):
        context.call_conv.return_user_exc(builder, StopIteration)
    return item


def _box_sent(context, builder, value_type, value, resume):
    """A new reference to the value as a Python object (None when it is None: nothing is
    sent); CPython's errors for a generator not started or finished first."""
    if isinstance(value_type, types.NoneType):
        return None
    call_conv = context.call_conv
    with builder.if_then(builder.icmp_signed("==", resume, ir.Constant(i64, 0)), likely=False):
        call_conv.return_user_exc(builder, TypeError,
                                  ("can't send non-None value to a just-started generator",))
    with builder.if_then(builder.icmp_signed("==", resume, ir.Constant(i64, FINISHED)),
                         likely=False):
        call_conv.return_user_exc(builder, StopIteration)
    c = BoxContext(context, builder)
    gil = c.pyapi.gil_ensure()
    context.incref(builder, value_type, value)  # (boxing consumes it)
    obj = c.box(value_type, value)
    c.pyapi.gil_release(gil)
    with builder.if_then(cgutils.is_null(builder, obj), likely=False):
        call_conv.return_python_error(builder)
    return obj


def _release_object(context, builder, obj) -> None:
    c = BoxContext(context, builder)
    gil = c.pyapi.gil_ensure()
    c.pyapi.decref(obj)
    c.pyapi.gil_release(gil)


def _next_function(context, builder, gen_type):
    symbols = NATIVE.get(gen_type)
    if symbols is None:
        raise LoweringError(f"{gen_type} was not compiled in this process")
    context.embed_process_local("generator", f"the compiled generator {gen_type}")
    if symbols.library is not context.library:
        context.library.add_linking_library(symbols.library)
    fnty = context.call_conv.get_function_type(context.get_value_type(gen_type.yield_type),
                                               [cgutils.voidptr_t])
    return cgutils.get_or_insert_function(builder.module, fnty, symbols.next)


# -- Python side -----------------------------------------------------------------------------

class NativeGenerator:
    """A compiled generator running in Python: `next()` runs its native code."""

    __slots__ = ("_opaque", "_type", "_step", "__weakref__")

    def __init__(self, capsule, gen_type):
        self._opaque, self._type = capsule, gen_type
        self._step = _python_next(gen_type)

    def __iter__(self):
        return self

    def __next__(self):
        return self._step(self)

    def __repr__(self):
        return f"<compiled generator object {self._type.py_func.__qualname__}>"

    def send(self, value):
        """Resume the generator with `value` as the value of the yield it is suspended at
        (CPython's generator.send): the next item it yields, or StopIteration."""
        if value is None:
            return self._step(self)
        state = _state_address(self._opaque)
        resume = ctypes.c_int64.from_address(state).value
        if resume == 0:
            raise TypeError("can't send non-None value to a just-started generator")
        if resume == FINISHED:
            raise StopIteration
        sent_type = NATIVE[self._type].sent_types.get(resume)
        if sent_type is None:  # (a statement `yield v`: the value is dropped, as in CPython)
            return self._step(self)
        _check_sent(self, value, sent_type)
        return self._step_passing(state + SENT_OFFSET, value)

    def throw(self, typ, val=None, tb=None):
        """Raise an exception at the yield the generator is suspended at (as CPython's
        generator.throw): the next item it yields, or what it raises."""
        exc = _exception_to_throw(typ, val, tb)
        state = _state_address(self._opaque)
        resume = ctypes.c_int64.from_address(state)
        if resume.value in (0, FINISHED):  # not started, or done: nothing runs
            resume.value = FINISHED
            raise exc
        return self._step_passing(state + THROWN_OFFSET, exc)

    def _step_passing(self, slot_address: int, obj):
        """One step with `obj` in the state's slot at `slot_address` (borrowed: `obj` lives
        until the step returns), the slot emptied after."""
        slot = ctypes.c_void_p.from_address(slot_address)
        slot.value = id(obj)
        try:
            return self._step(self)
        finally:
            slot.value = None

    def close(self):
        """Throw GeneratorExit in (running the finally clauses around the yield); a generator
        that yields instead is a RuntimeError, as in CPython."""
        try:
            self.throw(GeneratorExit)
        except (GeneratorExit, StopIteration):
            return None
        raise RuntimeError("generator ignored GeneratorExit")


_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype, _capsule_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object,
                                                                       ctypes.c_char_p]
_MEMINFO_DATA = 24  # (runtime/nrt.py's meminfo_t: refcount, dtor, dtor info, data, size)


def _state_address(capsule) -> int:
    return ctypes.c_void_p.from_address(_capsule_pointer(capsule, None) + _MEMINFO_DATA).value


def _check_sent(gen, value, sent_type) -> None:
    """A value sent must have the type of the yield's value, or convert to it without loss
    (an int sent where a float64 is taken): never a truncation or a reinterpretation."""
    try:
        ty = typeof(value)
    except Exception:  # (a value compiled code cannot hold)
        ty = None
    rank = None if ty is None else can_convert(ty, sent_type)
    if rank is None or rank > Conversion.safe:
        shown = ty if ty is not None else type(value).__name__
        raise TypeError(f"cannot send a value of type {shown} to the compiled generator "
                        f"{gen._type.py_func.__qualname__}(): the yield it is suspended at "
                        f"takes {sent_type} (or None)")


def _exception_to_throw(typ, val, tb):
    """The exception instance generator.throw(typ, val, tb) raises."""
    if isinstance(typ, BaseException):
        if val is not None:
            raise TypeError("instance exception may not have a separate value")
        exc = typ
    elif isinstance(typ, type) and issubclass(typ, BaseException):
        exc = val if isinstance(val, typ) else typ() if val is None else \
            typ(*val) if isinstance(val, tuple) else typ(val)
    else:
        raise TypeError(f"exceptions must be classes or instances deriving from "
                        f"BaseException, not {type(typ).__name__}")
    return exc.with_traceback(tb) if tb is not None else exc


#: Generator type -> the builtin function running its native step for Python
_PYTHON_NEXT: dict = {}


def _python_next(gen_type):
    step = _PYTHON_NEXT.get(gen_type)
    if step is None:  # (the compiler sits above lib: found by name)
        symbols = NATIVE[gen_type]
        address = symbols.library.get_pointer_to_function(symbols.python_next)
        make = importlib.import_module("jitbridge.compiler").make_pycfunction
        step = _PYTHON_NEXT[gen_type] = make(address, "next", None)
    return step


@typeof_impl.register(NativeGenerator)
def _typeof_generator(value, context):
    return value._type


def wrap_native(capsule, gen_type):
    return NativeGenerator(capsule, gen_type)


@box(types.Generator)
def box_generator(typ, val, c):
    """Steals the native reference (the capsule owns it)."""
    return box_meminfo(c, val, wrap_native, "compiled generator", typ)


@unbox(types.Generator)
def unbox_generator(typ, obj, c):
    """A new reference to the NativeGenerator's MemInfo (released after the call)."""
    meminfo, failed = unbox_meminfo(c, obj, "_opaque")
    return NativeValue(meminfo, is_error=failed)


@check_exact(types.Generator)
def check_generator(typ, obj, c):
    """Left to typeof (the generator type is an attribute of the object)."""
    return cgutils.false_bit

