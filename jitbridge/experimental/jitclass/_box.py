"""Numba's `numba.experimental.jitclass._box` functions on a jitclass instance's Python
proxy: the address of its MemInfo (for `numba.core.runtime.nrt.MemInfo`) and the address of
its members, laid out as a C struct of the spec's types in order (ctypes interop)."""
from __future__ import annotations

from ... import types
from ...decorators import njit
from ...errors import TypingError
from ...extending import intrinsic
from ...runtime import nrt
from .boxing import JitClassProxy, meminfo_address
from .model import member_pointer

__all__ = ["box_get_meminfoptr", "box_get_dataptr"]


def box_get_meminfoptr(obj) -> int:
    """The address of the instance's MemInfo (borrowed: `obj` keeps it alive)."""
    return meminfo_address(_checked(obj))


def box_get_dataptr(obj) -> int:
    """The address of the instance's first member (borrowed: valid while `obj` lives)."""
    return _members_address(_checked(obj))


def _checked(obj):
    if not isinstance(obj, JitClassProxy):
        raise TypeError(f"expected a jitclass instance, got {type(obj).__name__}")
    return obj


@intrinsic
def _address_of_members(typingctx, obj):
    if not isinstance(obj, types.ClassInstanceType):
        raise TypingError(f"expected a jitclass instance, got {obj}")

    def codegen(context, builder, sig, args):
        if obj.struct:  # the members, wherever the payload puts them
            _, ptr = member_pointer(context, builder, obj, args[0], next(iter(obj.struct)))
        else:
            meminfo = context.make_helper(builder, obj, value=args[0]).meminfo
            ptr = nrt.meminfo_data(builder, meminfo)
        return builder.ptrtoint(ptr, context.get_value_type(types.uintp))
    return types.uintp(obj), codegen


@njit
def _members_address(obj):
    return _address_of_members(obj)
