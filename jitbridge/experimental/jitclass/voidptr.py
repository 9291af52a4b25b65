"""jitclass instances as the `void*` user data of C callbacks (Numba #3043; docs/jitclass.md).

`as_voidptr(obj)` is the address of the instance's MemInfo: from Python, a ctypes.c_void_p
that keeps `obj` alive for as long as it exists (ctypes calls and scipy's LowLevelCallable
hold on to it); in compiled code, a borrowed `voidptr`. `from_voidptr(ptr, Cls)` turns such a
pointer back into the instance inside compiled code (a @cfunc), taking its own reference. The
MemInfo carries its class's number (model.class_tag), so a pointer to an instance of another
jitclass or a NULL pointer raises instead of being read as the wrong layout."""
from __future__ import annotations

import ctypes

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...errors import TypingError
from ...extending import intrinsic, overload
from ...runtime import nrt
from .boxing import JitClassProxy, meminfo_address
from .model import class_tag

__all__ = ["InstancePointer", "as_voidptr", "from_voidptr"]


class InstancePointer(ctypes.c_void_p):
    """The address of a jitclass instance; `instance` keeps the instance alive."""


def as_voidptr(obj) -> InstancePointer:
    """The address of jitclass instance `obj`, valid while the returned pointer object is."""
    if not isinstance(obj, JitClassProxy):
        raise TypeError(f"as_voidptr() takes a jitclass instance, not {type(obj).__name__}")
    pointer = InstancePointer(meminfo_address(obj))
    pointer.instance = obj
    return pointer


@intrinsic
def _meminfo_pointer(typingctx, obj):
    def codegen(context, builder, sig, args):
        return context.make_helper(builder, sig.args[0], value=args[0]).meminfo
    return types.voidptr(obj), codegen


@overload(as_voidptr)
def _as_voidptr_compiled(obj):
    """In compiled code: borrowed from `obj`, valid while `obj` is alive."""
    if not isinstance(obj, types.ClassInstanceType):
        raise TypingError(f"as_voidptr() takes a jitclass instance, not {obj}")
    return lambda obj: _meminfo_pointer(obj)


@intrinsic
def from_voidptr(typingctx, ptr, cls):
    """`from_voidptr(ptr, Cls)` in compiled code: the instance of jitclass `Cls` at `ptr`
    (from `as_voidptr`). TypeError if it holds another class's instance, ValueError if NULL."""
    if not isinstance(ptr, (types.RawPointer, types.CPointer)):
        raise TypingError(f"from_voidptr() takes a pointer (voidptr), not {ptr}")
    if not isinstance(cls, types.ClassType):
        raise TypingError(f"from_voidptr() takes a jitclass as its second argument, not {cls}")
    inst_ty = cls.instance_type

    def codegen(context, builder, sig, args):
        meminfo = builder.bitcast(args[0], cgutils.voidptr_t)
        _check_instance(context, builder, meminfo, inst_ty)
        nrt.emit_incref(builder, meminfo)
        instance = context.make_helper(builder, inst_ty)
        instance.meminfo = meminfo
        return instance._getvalue()
    return inst_ty(ptr, cls), codegen


def _check_instance(context, builder, meminfo, inst_ty) -> None:
    name = inst_ty.classname
    with cgutils.if_unlikely(builder, cgutils.is_null(builder, meminfo)):
        context.call_conv.return_user_exc(builder, ValueError, (
            f"from_voidptr(): a NULL pointer is no {name} instance",))
    info = cgutils.gep_inbounds(builder, builder.bitcast(meminfo, nrt.meminfo_p), 0, 2)
    expected = ir.Constant(cgutils.int64_t, class_tag(inst_ty)).inttoptr(cgutils.voidptr_t)
    with cgutils.if_unlikely(builder, builder.icmp_unsigned("!=", builder.load(info), expected)):
        context.call_conv.return_user_exc(builder, TypeError, (
            f"from_voidptr(): the pointer is not to a {name} instance",))
