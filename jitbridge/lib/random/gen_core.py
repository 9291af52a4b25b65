"""gen_core: np.random.Generator objects in compiled code.

Design
------
A Generator's native value is `{meminfo, obj, state, next_uint64, next_uint32, next_double}`:
the Python object, and the bit generator's state address and the three C functions NumPy
exports for it (`bit_generator.ctypes`, NumPy's documented interface for "Extending via
Numba/CFFI/ctypes"). Compiled code calls those functions on that state, so it draws from and
advances the very stream the Python object uses: after `f(rng)` Python's `rng` continues where
compiled code stopped, for every bit generator (PCG64, MT19937, Philox, SFC64 ...).

An argument borrows the object (the caller holds it for the call); a Generator made inside
compiled code (`np.random.default_rng(seed)`, one call into Python to build it) owns its
object through a MemInfo whose destructor drops the reference holding the GIL. The function
pointers stay valid as long as the object: NumPy caches the ctypes interface on the bit
generator, which the Generator keeps. Boxing returns the identical object.

The distribution algorithms of NumPy's Generator are reimplemented natively on top of
`next_u64`/`next_u32`/`next_double` (randomgen_* modules); nothing calls back into Python
per draw.
"""
from __future__ import annotations

import ctypes

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.pythonapi import PythonAPI
from ...errors import TypingError
from ...extending import (intrinsic, models, overload, overload_attribute, register_model,
                          typeof_impl)
from ...runtime import nrt
from ...runtime.boxing import NativeValue, box, check_exact, unbox

i8p = cgutils.voidptr_t
i64 = ir.IntType(64)
FUNCTION_FIELDS = ("next_u64", "next_u32", "next_double")


NumPyRandomGeneratorType = types.NumPyRandomGeneratorType
generator_type = types.npy_rng


@typeof_impl.register(np.random.Generator)
def _typeof_generator(value, c):
    return generator_type


@register_model(NumPyRandomGeneratorType)
class GeneratorModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        members = [("meminfo", types.meminfo_pointer), ("obj", types.pyobject),
                   ("state", types.voidptr)]
        members += [(name, types.voidptr) for name in FUNCTION_FIELDS]
        super().__init__(dmm, fe_type, members)


@typeof_impl.register(np.random.BitGenerator)
def _typeof_bit_generator(value, c):
    return types.npy_bitgen


@register_model(types.NumPyRandomBitGeneratorType)
class BitGeneratorModel(GeneratorModel):
    """A Generator's value seen as its bit generator's: the same state and functions, and the
    same reference to the Generator (which keeps its bit generator alive). It has no boxing,
    as in Numba: `rng.bit_generator` stays inside compiled code."""


@intrinsic
def _bit_generator_of(typingctx, gen):
    if not is_generator(gen):
        return None

    def codegen(context, builder, sig, args):
        context.incref(builder, gen, args[0])
        return args[0]  # (the two models are the same structure)
    return types.npy_bitgen(gen), codegen


@overload_attribute(NumPyRandomGeneratorType, "bit_generator")
def generator_bit_generator(gen):
    return lambda gen: _bit_generator_of(gen)


def is_generator(ty) -> bool:
    return isinstance(ty, NumPyRandomGeneratorType)


# -- crossing the boundary -------------------------------------------------------------------

def _address(func) -> int:
    return ctypes.cast(func, ctypes.c_void_p).value


def bitgen_interface(generator) -> tuple:
    """(state, next_uint64, next_uint32, next_double) addresses of `generator`'s bit
    generator; called by unboxing code."""
    iface = generator.bit_generator.ctypes
    return (iface.state_address, _address(iface.next_uint64), _address(iface.next_uint32),
            _address(iface.next_double))


def _fill_from_object(c, proxy, obj):
    """Store the interface of Generator `obj` in `proxy`; returns i1 'failed' (error set)."""
    b = c.builder
    helper = c.context.embed_object(b, bitgen_interface, "the helper")
    tup = c.pyapi.call_function_objargs(helper, [obj])
    failed = cgutils.is_null(b, tup)
    with b.if_then(b.not_(failed), likely=True):
        for index, name in enumerate(("state",) + FUNCTION_FIELDS):
            value = c.pyapi.long_as_ulonglong(c.pyapi.tuple_getitem(tup, index))
            setattr(proxy, name, b.inttoptr(value, i8p))
        c.pyapi.decref(tup)
    return failed


@unbox(NumPyRandomGeneratorType)
def unbox_generator(typ, obj, c):
    """Borrowed for an argument; owned (MemInfo) where the value may outlive the object's
    other references."""
    proxy = cgutils.create_struct_proxy(typ)(c.context, c.builder)
    proxy.obj = obj
    proxy.meminfo = nrt.adopt_pyobject(c.builder, obj, obj) if c.owned else \
        ir.Constant(i8p, None)
    failed = _fill_from_object(c, proxy, obj)
    return NativeValue(proxy._getvalue(), is_error=failed)


@box(NumPyRandomGeneratorType)
def box_generator(typ, val, c):
    """The original object (a new reference); the native reference is released."""
    obj = cgutils.create_struct_proxy(typ)(c.context, c.builder, value=val).obj
    c.pyapi.incref(obj)
    c.context.decref(c.builder, typ, val)
    return obj


@check_exact(NumPyRandomGeneratorType)
def check_generator(typ, obj, c):
    expected = c.context.embed_object(c.builder, np.random.Generator, "the class")
    return c.builder.icmp_unsigned("==", c.pyapi.get_type(obj), expected)


# -- drawing from the bit generator ----------------------------------------------------------

def _bitgen_call(context, builder, gen_type, gen, field, restype):
    proxy = cgutils.create_struct_proxy(gen_type)(context, builder, value=gen)
    fnty = ir.FunctionType(restype, [i8p])
    func = builder.bitcast(getattr(proxy, field), fnty.as_pointer())
    return builder.call(func, [proxy.state])


@intrinsic
def next_u64(typingctx, gen):
    """The bit generator's next 64 bits (uint64)."""
    if not is_generator(gen):
        return None

    def codegen(context, builder, sig, args):
        return _bitgen_call(context, builder, gen, args[0], "next_u64", i64)
    return types.uint64(gen), codegen


@intrinsic
def next_u32(typingctx, gen):
    """The bit generator's next 32 bits, widened to uint64 (so arithmetic stays unsigned)."""
    if not is_generator(gen):
        return None

    def codegen(context, builder, sig, args):
        value = _bitgen_call(context, builder, gen, args[0], "next_u32", ir.IntType(32))
        return builder.zext(value, i64)
    return types.uint64(gen), codegen


@intrinsic
def next_double(typingctx, gen):
    """The bit generator's next double in [0, 1)."""
    if not is_generator(gen):
        return None

    def codegen(context, builder, sig, args):
        return _bitgen_call(context, builder, gen, args[0], "next_double", ir.DoubleType())
    return types.float64(gen), codegen


@intrinsic
def mul_wide(typingctx, a, b):
    """The 128-bit product of two uint64 as (high, low) words."""
    result = types.UniTuple(types.uint64, 2)

    def codegen(context, builder, sig, args):
        i128 = ir.IntType(128)
        prod = builder.mul(builder.zext(args[0], i128), builder.zext(args[1], i128))
        high = builder.trunc(builder.lshr(prod, ir.Constant(i128, 64)), i64)
        return context.make_tuple(builder, result, [high, builder.trunc(prod, i64)])
    return result(types.uint64, types.uint64), codegen


# -- np.random.default_rng inside compiled code ----------------------------------------------

def make_generator(seed):
    """np.random.default_rng(seed) (seed < 0 means None); called by compiled code."""
    return np.random.default_rng(None if seed < 0 else seed)


@intrinsic
def _new_generator(typingctx, seed):
    """A new Generator built by one call into Python (the GIL is taken for it); a Python
    exception propagates."""
    def codegen(context, builder, sig, args):
        c = _BuildContext(context, builder)
        state = c.pyapi.gil_ensure()
        helper = context.embed_object(builder, make_generator, "the helper")
        seed_obj = c.pyapi.long_from_longlong(args[0])
        obj = c.pyapi.call_function_objargs(helper, [seed_obj])
        c.pyapi.decref(seed_obj)
        proxy = cgutils.create_struct_proxy(generator_type)(context, builder)
        failed = cgutils.alloca_once_value(builder, cgutils.is_null(builder, obj))
        with builder.if_then(builder.not_(builder.load(failed)), likely=True):
            proxy.obj = obj
            proxy.meminfo = nrt.adopt_pyobject(builder, obj, obj)
            builder.store(_fill_from_object(c, proxy, obj), failed)
            c.pyapi.decref(obj)  # the MemInfo holds it now
        c.pyapi.gil_release(state)
        with builder.if_then(builder.load(failed), likely=False):
            context.call_conv.return_python_error(builder)
        return proxy._getvalue()
    return generator_type(types.int64), codegen


class _BuildContext:
    """What `_fill_from_object` needs of a boxing context, for code outside the boundary."""

    def __init__(self, context, builder):
        self.context, self.builder = context, builder
        self.pyapi = PythonAPI(context, builder)


@overload(np.random.default_rng)
def np_default_rng(seed=None):
    """Seeded with None or a non-negative integer; a Generator passes through unchanged."""
    if seed is None or isinstance(seed, (types.NoneType, types.Omitted)):
        return lambda seed=None: _new_generator(-1)
    if isinstance(seed, types.Integer) and not isinstance(seed, types.Boolean):
        def impl(seed=None):
            if seed < 0:
                raise ValueError("expected non-negative integer")
            return _new_generator(seed)
        return impl
    if is_generator(seed):
        return lambda seed=None: seed
    raise TypingError(f"np.random.default_rng(): seed must be None, a non-negative integer or "
                      f"a Generator, got {seed}")
