"""Python objects that own a native MemInfo through a capsule (typed.Dict, typed.List,
compiled generators, jitclass instances): boxing hands the MemInfo to a maker called from
compiled code; unboxing reads it back from the object's capsule attribute."""
from __future__ import annotations

from llvmlite import ir

from ..core import cgutils
from . import nrt

i8p = cgutils.voidptr_t


def new_capsule(c, meminfo):
    """A capsule stealing `meminfo` (its destructor releases it), or NULL with an error."""
    dtor = c.builder.bitcast(nrt.declare(c.builder.module, "jb_nrt_capsule_dtor"), i8p)
    return c.pyapi._call("PyCapsule_New", meminfo, ir.Constant(i8p, None), dtor)


def box_meminfo(c, meminfo, maker, label: str, *constants):
    """`maker(capsule, *constants)` called on a capsule stealing `meminfo`; the Python
    object it returns, or NULL with an error. `constants` (Python objects) are embedded."""
    b = c.builder
    capsule = new_capsule(c, meminfo)
    out = cgutils.alloca_once_value(b, c.pyapi.get_null_object())
    with b.if_then(cgutils.is_not_null(b, capsule), likely=True):
        helper = c.pyapi.constant_object(maker, f"the {label} maker")
        args = [c.pyapi.constant_object(value, label) for value in constants]
        b.store(c.pyapi.call_function_objargs(helper, [capsule, *args]), out)
        c.pyapi.decref(capsule)
    return b.load(out)


def unbox_meminfo(c, obj, attribute: str):
    """(a new reference to the MemInfo in `obj.<attribute>`'s capsule or NULL, whether that
    failed: the error is set)."""
    b = c.builder
    capsule = c.pyapi.object_getattr_string(obj, attribute)
    out = cgutils.alloca_once_value(b, ir.Constant(i8p, None))
    failed = cgutils.alloca_once_value(b, cgutils.is_null(b, capsule))
    with b.if_then(cgutils.is_not_null(b, capsule), likely=True):
        meminfo = c.pyapi._call("PyCapsule_GetPointer", capsule, ir.Constant(i8p, None))
        b.store(cgutils.is_null(b, meminfo), failed)
        with b.if_then(cgutils.is_not_null(b, meminfo), likely=True):
            nrt.emit_incref(b, meminfo)
            b.store(meminfo, out)
        c.pyapi.decref(capsule)
    return b.load(out), b.load(failed)


def holds_type(c, obj, cls: type, attribute: str, typ):
    """i1: `type(obj) is cls` and `obj.<attribute> is typ`: the native dispatcher's test of a
    typed container argument, whose type is an attribute of the object (types are interned,
    so identity is equality; both objects are unpickled once per process, so cached code
    tests this process's own). Without it every call typed the argument in Python (~50 µs)."""
    b = c.builder
    result = cgutils.alloca_once_value(b, cgutils.false_bit)
    expected_class = c.pyapi.constant_object(cls, cls.__qualname__)
    with b.if_then(b.icmp_unsigned("==", c.pyapi.get_type(obj), expected_class), likely=True):
        found = c.pyapi.object_getattr_string(obj, attribute)
        with b.if_then(cgutils.is_null(b, found), likely=False):
            c.pyapi.err_clear()
        with b.if_then(cgutils.is_not_null(b, found), likely=True):
            expected = c.pyapi.constant_object(typ, "container type")
            b.store(b.icmp_unsigned("==", found, expected), result)
            c.pyapi.decref(found)
    return b.load(result)
