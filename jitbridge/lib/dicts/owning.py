"""Values stored in a dict own what they point to: a dict may outlive the call (a typed.Dict
filled by a compiled function called from Python), while a str argument only borrows its
characters from the caller's object for the call's duration, and an array argument may view
an ndarray without a MemInfo."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...runtime import nrt
from ..strings.model import new_string

i64 = cgutils.int64_t


def owned(context, builder, ty, value):
    """A new reference to `value` that borrows nothing (strings in tuples included)."""
    if isinstance(ty, types.UnicodeType):
        return _owned_string(context, builder, value)
    if isinstance(ty, types.Array):
        return _owned_array(context, builder, ty, value)
    if isinstance(ty, types.BaseTuple) and any(_may_borrow(t) for t in ty.types):
        items = [owned(context, builder, t, builder.extract_value(value, i))
                 for i, t in enumerate(ty.types)]
        return context.make_tuple(builder, ty, items)
    context.incref(builder, ty, value)
    return value


def _may_borrow(ty) -> bool:
    if isinstance(ty, types.BaseTuple):
        return any(_may_borrow(t) for t in ty.types)
    return isinstance(ty, (types.UnicodeType, types.Array))


def _owned_string(context, builder, value):
    """The string itself (increfed) if it owns its characters or is a constant, else a copy."""
    s = context.make_helper(builder, types.unicode_type, value=value)
    out = cgutils.alloca_once(builder, value.type)
    borrowed = builder.and_(cgutils.is_null(builder, s.meminfo),
                            cgutils.is_not_null(builder, s.parent))
    with builder.if_else(borrowed, likely=False) as (copy, keep):
        with copy:
            kind = builder.sext(s.kind, i64)
            fresh = new_string(context, builder, kind, s.length, builder.sext(s.is_ascii, i64))
            target = context.make_helper(builder, types.unicode_type, value=fresh)
            cgutils.memcpy(builder, target.data, s.data, builder.mul(s.length, kind))
            target.hash = s.hash
            builder.store(target._getvalue(), out)
        with keep:
            context.incref(builder, types.unicode_type, value)
            builder.store(value, out)
    return builder.load(out)


def _owned_array(context, builder, ty, value):
    """The array with a MemInfo: one keeping its ndarray alive if it only borrowed it (as
    Numba's arrays always hold theirs; this takes a Python reference, so the GIL must be
    held: compiled code called from Python holds it unless nogil=True)."""
    ary = context.make_helper(builder, ty, value=value)
    borrowed = builder.and_(cgutils.is_null(builder, ary.meminfo),
                            cgutils.is_not_null(builder, ary.parent))
    context.incref(builder, ty, value)
    with builder.if_then(borrowed, likely=False):
        ary.meminfo = nrt.adopt_pyobject(builder, ary.data, ary.parent)
    return ary._getvalue()
