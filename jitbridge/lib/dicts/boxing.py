"""Crossing the boundary: a native dict boxes as a `jitbridge.typed.Dict` wrapping the very same
MemInfo (no copy: a dict filled in compiled code and read in Python is one object's data), and
a typed.Dict unboxes to its MemInfo. Plain Python dicts are refused (typed.Dict is the way in,
as in Numba)."""
from __future__ import annotations

import importlib

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...errors import TypingError
from ...runtime import nrt
from ...runtime.boxing import NativeValue, box, check_exact, unbox
from .model import i8p

#: the attribute of a typed.Dict holding the capsule that owns its MemInfo
OPAQUE = "_opaque"


def wrap_native(capsule, dict_type):
    """Called by boxing code: the typed.Dict owning `capsule` (imported by name: lib never
    imports the typed package, which sits above it)."""
    module = importlib.import_module("jitbridge.typed.typeddict")
    return module.Dict._from_capsule(capsule, dict_type)


@box(types.DictType)
def box_dict(typ, val, c):
    """Steals the native reference (the capsule owns it)."""
    if not typ.is_precise():
        raise TypingError(f"Cannot infer the type of a dict returned to Python: it has "
                          f"imprecise type {typ} (no item is ever stored in it); use "
                          f"typed.Dict.empty(key_type, value_type)")
    b = c.builder
    meminfo = c.context.make_helper(b, typ, value=val).meminfo
    capsule = c.pyapi._call("PyCapsule_New", meminfo, ir.Constant(i8p, None),
                            b.bitcast(nrt.declare(b.module, "jb_nrt_capsule_dtor"), i8p))
    out = cgutils.alloca_once_value(b, c.pyapi.get_null_object())
    with b.if_then(cgutils.is_not_null(b, capsule), likely=True):
        helper = c.pyapi.constant_object(wrap_native, "the typed.Dict maker")
        kind = c.pyapi.constant_object(typ, "the dict type")
        b.store(c.pyapi.call_function_objargs(helper, [capsule, kind]), out)
        c.pyapi.decref(capsule)
    return b.load(out)


@unbox(types.DictType)
def unbox_dict(typ, obj, c):
    """A new reference to the typed.Dict's MemInfo (released after the call)."""
    b = c.builder
    capsule = c.pyapi.object_getattr_string(obj, OPAQUE)
    failed = cgutils.is_null(b, capsule)
    out = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    with b.if_then(b.not_(failed), likely=True):
        meminfo = c.pyapi._call("PyCapsule_GetPointer", capsule, ir.Constant(i8p, None))
        nrt.emit_incref(b, meminfo)
        proxy = c.context.make_helper(b, typ)
        proxy.meminfo = meminfo
        b.store(proxy._getvalue(), out)
        c.pyapi.decref(capsule)
    return NativeValue(b.load(out), is_error=failed)


@check_exact(types.DictType)
def check_dict(typ, obj, c):
    """Left to typeof (the dict type is an attribute of the object)."""
    return cgutils.false_bit
