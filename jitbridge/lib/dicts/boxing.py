"""Crossing the boundary: a native dict boxes as a `jitbridge.typed.Dict` wrapping the very same
MemInfo (no copy: a dict filled in compiled code and read in Python is one object's data), and
a typed.Dict unboxes to its MemInfo. Plain Python dicts are refused (typed.Dict is the way in,
as in Numba)."""
from __future__ import annotations

import importlib


from ... import types
from ...core import cgutils
from ...errors import TypingError
from ...runtime.boxing import NativeValue, box, check_exact, unbox
from ...runtime.capsules import box_meminfo, holds_type, unbox_meminfo

#: the attribute of a typed.Dict holding the capsule that owns its MemInfo
OPAQUE = "_opaque"


def _typed_dict_class():
    """jitbridge.typed.Dict (imported by name: lib never imports the typed package, which
    sits above it)."""
    return importlib.import_module("jitbridge.typed.typeddict").Dict


@box(types.DictType)
def box_dict(typ, val, c):
    """Steals the native reference (the capsule owns it)."""
    if not typ.is_precise():
        raise TypingError(f"Cannot infer the type of a dict returned to Python: it has "
                          f"imprecise type {typ} (no item is ever stored in it); use "
                          f"typed.Dict.empty(key_type, value_type)")
    meminfo = c.context.make_helper(c.builder, typ, value=val).meminfo
    # (the class's own maker, embedded: an import_module per call cost more than the rest)
    return box_meminfo(c, meminfo, _typed_dict_class()._from_capsule, "typed.Dict", typ)


@unbox(types.DictType)
def unbox_dict(typ, obj, c):
    """A new reference to the typed.Dict's MemInfo (released after the call)."""
    meminfo, failed = unbox_meminfo(c, obj, OPAQUE)
    proxy = c.context.make_helper(c.builder, typ)
    proxy.meminfo = meminfo
    return NativeValue(proxy._getvalue(), is_error=failed)


@check_exact(types.DictType)
def check_dict(typ, obj, c):
    """A typed.Dict whose dict type is `typ`."""
    return holds_type(c, obj, _typed_dict_class(), "_dict_type", typ)
