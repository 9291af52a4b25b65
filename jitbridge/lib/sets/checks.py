"""The native dispatcher's test of set and frozenset arguments: the exact class, and the first
item (the one typeof types the set by) of the element type. Without it every call with a set
argument re-typed its arguments in the Python fallback (70-90 µs a call)."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...runtime.boxing import check_exact

i64 = cgutils.int64_t
i8p = cgutils.voidptr_t


def _capi(c, name, restype, argtypes, *args):
    return c.builder.call(cgutils.declare_c_function(c.builder.module, name, restype, argtypes),
                          list(args))


def _first_item_fits(c, typ, obj, class_name: str):
    """i1: type(obj) is the class and its first item passes the element type's check."""
    if not c.has_exact_check(typ.dtype):
        return cgutils.false_bit
    b = c.builder
    result = cgutils.alloca_once_value(b, cgutils.false_bit)
    exact = b.icmp_unsigned("==", c.pyapi.get_type(obj), c.pyapi.get_type_object(class_name))
    with b.if_then(exact):
        size = _capi(c, "PySet_Size", i64, [i8p], obj)
        with b.if_then(b.icmp_signed(">", size, ir.Constant(i64, 0))):
            items = _capi(c, "PyObject_GetIter", i8p, [i8p], obj)
            with b.if_then(cgutils.is_not_null(b, items)):
                first = _capi(c, "PyIter_Next", i8p, [i8p], items)
                with b.if_then(cgutils.is_not_null(b, first)):
                    b.store(c.check_exact(typ.dtype, first), result)
                    c.pyapi.decref(first)
                c.pyapi.decref(items)
    return b.load(result)


@check_exact(types.Set)
def check_set(typ, obj, c):
    if typ.frozen:
        return _first_item_fits(c, typ, obj, "PyFrozenSet_Type")
    return _first_item_fits(c, typ, obj, "PySet_Type") if typ.reflected else cgutils.false_bit
