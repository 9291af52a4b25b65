"""`memoryview` arguments and results (Numba's MemoryView): a memoryview is typed as the array
NumPy makes of it (dtype, ndim, layout, read-only) and held as that array, whose MemInfo owns
the ndarray view (so the buffer's export, which keeps the memory from moving) while `parent`
is the memoryview itself, which boxing hands back unchanged. Supported: len, indexing and
item assignment with Python's errors, 1-d slicing (a memoryview), nbytes/readonly/itemsize/
ndim/shape/strides and the contiguity flags, np.asarray(mv); np.frombuffer(mv) is buffers.py's."""
from __future__ import annotations

import functools
import operator

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import register_model
from ...core.pythonapi import capi_global
from ...errors import TypingError
from ...extending import intrinsic, overload, overload_attribute, register_jitable
from ...runtime import nrt
from ...runtime.boxing import NativeValue, box, check_exact, parent_or_new, unbox
from ...typing.typeof import typeof
from .helpers import make_array
from .model import ArrayModel, as_dtype

i8p = cgutils.voidptr_t

register_model(types.MemoryView)(ArrayModel)


# -- Python <-> compiled ---------------------------------------------------------------------------

def _is_exactly(typ, obj) -> bool:
    return type(obj) is memoryview and typeof(obj) == typ


def _held(typ, obj):
    """(the ndarray view of memoryview `obj`, which holds the buffer's export, and `obj`):
    what the MemInfo of the unboxed value keeps alive, as NumPy's views keep their base."""
    if not _is_exactly(typ, obj):
        raise TypeError(f"expected {typ}, got {type(obj).__name__}")
    return np.asarray(obj), obj


@check_exact(types.MemoryView)
def check_memoryview(typ, obj, c):
    checker = c.pyapi.constant_object(functools.partial(_is_exactly, typ), "memoryview_check")
    answer = c.pyapi.call_function_objargs(checker, [obj])
    true = c.builder.bitcast(capi_global(c.builder.module, "_Py_TrueStruct"), i8p)
    same = c.builder.icmp_unsigned("==", answer, true)
    with c.builder.if_then(cgutils.is_not_null(c.builder, answer)):
        c.pyapi.decref(answer)
    return same


@unbox(types.MemoryView)
def unbox_memoryview(typ, obj, c):
    b = c.builder
    helper = c.pyapi.constant_object(functools.partial(_held, typ), "memoryview_held")
    held = c.pyapi.call_function_objargs(helper, [obj])  # NULL (an error set) if it raised
    failed = cgutils.is_null(b, held)
    slot = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    with b.if_then(b.not_(failed), likely=True):
        array = b.call(cgutils.declare_c_function(b.module, "PyTuple_GetItem", i8p,
                                                  [i8p, cgutils.int64_t]),
                       [held, ir.Constant(cgutils.int64_t, 0)])
        native = c.unbox(typ.as_array, array)  # borrowed: meminfo NULL, parent the ndarray
        value = c.context.make_helper(b, typ, value=native.value)
        value.meminfo = nrt.adopt_pyobject(b, value.data, held)  # (its own reference)
        value.parent = obj
        c.pyapi.decref(held)
        b.store(value._getvalue(), slot)
    return NativeValue(b.load(slot), is_error=failed)


@box(types.MemoryView)
def box_memoryview(typ, val, c):
    """The memoryview it came from, else one over a new ndarray of its items. Steals `val`."""
    b = c.builder
    value = c.context.make_helper(b, typ, value=val)

    def make_new():  # (boxing the array steals `val`)
        array = c.box(typ.as_array, val)
        make = cgutils.declare_c_function(b.module, "PyMemoryView_FromObject", i8p, [i8p])
        view = b.call(make, [array])  # (NULL with an error set if the boxing failed)
        c.pyapi.decref(array)
        return view
    return parent_or_new(c, value.parent, make_new,
                         on_parent=lambda: c.context.decref(b, typ, val))


def _retyped(source, target):
    """codegen: the value of `source` as `target` (one data model), a new reference, with no
    parent (an ndarray's or a memoryview's: boxing must not hand either back for the other)."""
    def codegen(context, builder, sig, args):
        context.incref(builder, sig.args[0], args[0])
        out = make_array(context, builder, sig.return_type, args[0])
        out.parent = ir.Constant(i8p, None)
        return out._getvalue()
    return target(source), codegen


@intrinsic
def as_array(typingctx, mv):
    """The memoryview's items as an array (sharing them)."""
    if isinstance(mv, types.MemoryView):
        return _retyped(mv, mv.as_array)


@intrinsic
def as_memoryview(typingctx, a):
    """An array's items as a memoryview (sharing them)."""
    if isinstance(a, types.Array):
        return _retyped(a, types.MemoryView(a.dtype, a.ndim, a.layout, a.readonly))


# -- len, indexing, slicing ---------------------------------------------------------------------

@overload(len)
def memoryview_len(mv):
    if isinstance(mv, types.MemoryView):
        if mv.ndim == 0:
            raise TypingError("len() of a 0-dim memoryview: it has no length")
        return lambda mv: as_array(mv).shape[0]


@register_jitable
def _checked(i, n):
    if i < -n or i >= n:
        raise IndexError("index out of bounds on dimension 1")
    return i + n if i < 0 else i


def _index_kind(mv, index):
    """'item' (an integer on a 1-d view), 'slice' (1-d), or a TypingError."""
    index = types.unliteral(index)
    if not isinstance(mv.dtype, (types.Integer, types.Float, types.Boolean)):
        raise TypingError(f"memoryview: indexing a view of {mv.dtype} is not supported (nor "
                          "in Python: its format is not one of struct's)")
    if mv.ndim != 1:
        raise TypingError(f"indexing a {mv.ndim}-d memoryview is not supported in compiled "
                          "code (only 1-d ones): use np.asarray(mv)")
    if isinstance(index, types.Integer):
        return "item"
    if isinstance(index, types.SliceType):
        return "slice"
    raise TypingError(f"memoryview: invalid slice key {index}")


@overload(operator.getitem)
def memoryview_getitem(mv, index):
    if not isinstance(mv, types.MemoryView):
        return None
    if _index_kind(mv, index) == "item":
        return lambda mv, index: as_array(mv)[_checked(index, len(mv))]
    return lambda mv, index: as_memoryview(as_array(mv)[index])


@overload(operator.setitem)
def memoryview_setitem(mv, index, value):
    if not isinstance(mv, types.MemoryView):
        return None
    if mv.readonly:
        raise TypingError("cannot modify read-only memory (a read-only memoryview)")
    if _index_kind(mv, index) != "item":
        raise TypingError(f"memoryview item assignment takes an integer index, not {index}")
    char = as_dtype(mv.dtype).char
    wanted = (types.Integer, types.Boolean) if isinstance(mv.dtype, types.Integer) else \
        (types.Integer, types.Boolean, types.Float)
    if not isinstance(types.unliteral(value), wanted):
        raise TypingError(f"memoryview: invalid type for format '{char}': {value}")
    lo, hi = _bounds(mv.dtype, value)
    message = f"memoryview: invalid value for format '{char}'"

    def impl(mv, index, value):
        if value < lo or value > hi:
            raise ValueError(message)
        as_array(mv)[_checked(index, len(mv))] = value
    return impl


def _bounds(item, value):
    """The values an item of an integer format takes (Python refuses others, never wraps)."""
    if isinstance(item, types.Integer) and isinstance(types.unliteral(value), types.Integer):
        info = np.iinfo(as_dtype(item))
        return info.min, info.max
    return -np.inf, np.inf  # (floats and booleans take every value)


# -- attributes, np.asarray -----------------------------------------------------------------------

def _array_attribute(name: str):
    """The overload of a memoryview attribute its array has too (same value)."""
    def typer(mv):
        return lambda mv: getattr(as_array(mv), name)
    typer.__name__ = f"memoryview_{name}"
    return typer


for _name in ("nbytes", "itemsize", "ndim", "shape", "strides"):
    overload_attribute(types.MemoryView, _name)(_array_attribute(_name))


@overload_attribute(types.MemoryView, "readonly")
def memoryview_readonly(mv):
    flag = mv.readonly
    return lambda mv: flag


@overload_attribute(types.MemoryView, "c_contiguous")
def memoryview_c_contiguous(mv):
    return lambda mv: as_array(mv).flags.c_contiguous


@overload_attribute(types.MemoryView, "f_contiguous")
def memoryview_f_contiguous(mv):
    return lambda mv: as_array(mv).flags.f_contiguous


@overload_attribute(types.MemoryView, "contiguous")
def memoryview_contiguous(mv):
    return lambda mv: as_array(mv).flags.contiguous


@overload(np.asarray)
def memoryview_asarray(a):
    if isinstance(a, types.MemoryView):
        return lambda a: as_array(a)
