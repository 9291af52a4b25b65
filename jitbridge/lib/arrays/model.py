"""Arrays: data model, typeof, and zero-copy boxing/unboxing through NumPy's C API.

Native layout (Numba-compatible): {meminfo, parent, nitems, itemsize, data, shape[ndim],
strides[ndim]}. Unboxed arguments borrow the ndarray's memory (meminfo NULL, parent = the
ndarray). Arrays made by compiled code own a MemInfo; boxing wraps them in an ndarray whose base
is a capsule holding that reference, so the memory lives exactly as long as the ndarray.
"""
from __future__ import annotations

import ctypes

import numpy as np
from llvmlite import ir

from ... import types
from ...codegen import add_symbol
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...runtime import nrt
from ...lowering.registry import lower_cast
from ...runtime.boxing import NativeValue, box, check_exact, type_error_unless, unbox
from ...typing.typeof import typeof_impl

NPY_C_CONTIGUOUS, NPY_F_CONTIGUOUS, NPY_ALIGNED, NPY_WRITEABLE = 0x1, 0x2, 0x100, 0x400
#: Offsets in PyArrayObject and PyArray_Descr (stable across NumPy 1.x and 2.x).
DATA_OFF, NDIM_OFF, DIMS_OFF, STRIDES_OFF, DESCR_OFF, FLAGS_OFF = 16, 24, 32, 40, 56, 64
TYPENUM_OFF = 28

SUPPORTED_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                    "uint64", "float32", "float64", "complex64", "complex128")


def from_dtype(dtype) -> types.Type:
    """The element type of a NumPy dtype (TypeError if unsupported)."""
    dtype = np.dtype(dtype)
    if dtype.fields is not None:
        return _record_type(dtype)
    if dtype.name not in SUPPORTED_DTYPES or not dtype.isnative:
        raise TypeError(f"unsupported array dtype {dtype}")
    return types.boolean if dtype.name == "bool" else getattr(types, dtype.name)


def _record_type(dtype: np.dtype) -> types.Record:
    fields = [(name, from_dtype(dtype.fields[name][0]), dtype.fields[name][1])
              for name in dtype.names]
    return types.Record(fields, dtype.itemsize, dtype.isalignedstruct)


def as_dtype(ty: types.Type) -> np.dtype:
    """The NumPy dtype of an element type."""
    ty = types.unliteral(ty)
    if isinstance(ty, types.Record):
        return np.dtype({"names": [f[0] for f in ty.fields],
                         "formats": [as_dtype(f[1]) for f in ty.fields],
                         "offsets": [f[2] for f in ty.fields], "itemsize": ty.size},
                        align=ty.aligned)
    return np.dtype("bool" if isinstance(ty, types.Boolean) else ty.name)


def typenum(ty: types.Type) -> int:
    return as_dtype(ty).num


@register_model(types.Array)
class ArrayModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        ndim = fe_type.ndim
        members = [("meminfo", types.meminfo_pointer), ("parent", types.pyobject),
                   ("nitems", types.intp), ("itemsize", types.intp),
                   ("data", types.CPointer(fe_type.dtype)),
                   ("shape", types.UniTuple(types.intp, ndim)),
                   ("strides", types.UniTuple(types.intp, ndim))]
        super().__init__(dmm, fe_type, members)


@register_model(types.DType)
class DTypeModel(models.DummyModel):
    pass


@typeof_impl.register(np.ndarray)
def typeof_ndarray(value, c):
    try:
        dtype = from_dtype(value.dtype)
    except TypeError:
        return None
    if value.ndim == 0:
        return None
    flags = value.flags
    layout = "C" if flags.c_contiguous else ("F" if flags.f_contiguous else "A")
    return types.Array(dtype, value.ndim, layout, readonly=not flags.writeable)


@typeof_impl.register(np.dtype)
def typeof_dtype(value, c):
    try:
        return types.DType(from_dtype(value))
    except TypeError:
        return None


@typeof_impl.register(type)
def typeof_class(value, c):
    """np.float64 (the class) -> NumberClass(float64): a `dtype=` value and a converter."""
    if isinstance(value, type) and issubclass(value, np.generic):
        try:
            return types.NumberClass(from_dtype(value))
        except TypeError:
            return None
    return typeof_impl.dispatch(object)(value, c)


# -- C-API symbols --------------------------------------------------------------------------------

def _bind_numpy_capi() -> None:
    capsule = np._core._multiarray_umath._ARRAY_API if hasattr(np, "_core") else \
        np.core.multiarray._ARRAY_API
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype, get_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    table = (ctypes.c_void_p * 300).from_address(get_pointer(capsule, None))
    for name, index in (("PyArray_DescrFromType", 45), ("PyArray_NewFromDescr", 94),
                        ("PyArray_SetBaseObject", 282)):
        add_symbol(name, table[index])
    add_symbol("PyArray_Type", id(np.ndarray))


_bind_numpy_capi()


# -- unboxing -------------------------------------------------------------------------------------

def _load_at(builder, obj, offset, ty):
    ptr = builder.gep(obj, [ir.Constant(cgutils.int64_t, offset)])
    return builder.load(builder.bitcast(ptr, ty.as_pointer()))


@unbox(types.Array)
def unbox_array(typ, obj, c):
    """Borrow the ndarray's buffer (meminfo NULL, parent = obj), after checking that `obj`
    really is an array of this type (list items and objmode outputs are not pre-checked)."""
    b = c.builder
    ary = c.context.make_helper(b, typ)
    ok = _matches(c, typ, obj)
    failed = type_error_unless(c, ok, f"expected a NumPy array matching {typ}")
    with b.if_then(ok, likely=True):
        _unbox_checked(c, typ, obj, ary)
    return NativeValue(ary._getvalue(), is_error=failed)


def _matches(c, typ, obj):
    """An ndarray (or subclass) with this ndim, dtype number and a compatible layout."""
    b = c.builder
    result = cgutils.alloca_once_value(b, cgutils.false_bit)
    subtype = c.pyapi._call("PyType_IsSubtype", c.pyapi.get_type(obj),
                            c.pyapi.get_type_object("PyArray_Type"))
    with b.if_then(cgutils.is_not_null(b, subtype)):
        ok, flags = _same_kind(b, typ, obj)
        if typ.layout in ("C", "F"):
            bit = NPY_C_CONTIGUOUS if typ.layout == "C" else NPY_F_CONTIGUOUS
            ok = b.and_(ok, cgutils.is_not_null(b, b.and_(flags, ir.Constant(flags.type, bit))))
        if not typ.readonly:
            ok = b.and_(ok, cgutils.is_not_null(b, b.and_(flags, ir.Constant(flags.type,
                                                                          NPY_WRITEABLE))))
        b.store(ok, result)
    return b.load(result)


def _same_kind(b, typ, obj):
    """(i1: the ndarray `obj` has typ's ndim and dtype number, its flags word)."""
    ndim = _load_at(b, obj, NDIM_OFF, ir.IntType(32))
    descr = _load_at(b, obj, DESCR_OFF, cgutils.voidptr_t)
    num = _load_at(b, descr, TYPENUM_OFF, ir.IntType(32))
    flags = _load_at(b, obj, FLAGS_OFF, ir.IntType(32))
    ok = b.and_(b.icmp_signed("==", ndim, ir.Constant(ndim.type, typ.ndim)),
                b.icmp_signed("==", num, ir.Constant(num.type, typenum(typ.dtype))))
    return ok, flags


def _unbox_checked(c, typ, obj, ary):
    b = c.builder
    dims = _load_at(b, obj, DIMS_OFF, cgutils.int64_t.as_pointer())
    strides = _load_at(b, obj, STRIDES_OFF, cgutils.int64_t.as_pointer())
    shape = [b.load(b.gep(dims, [ir.Constant(cgutils.int64_t, i)])) for i in range(typ.ndim)]
    steps = [b.load(b.gep(strides, [ir.Constant(cgutils.int64_t, i)])) for i in range(typ.ndim)]
    nitems = ir.Constant(cgutils.int64_t, 1)
    for extent in shape:
        nitems = b.mul(nitems, extent)
    data = _load_at(b, obj, DATA_OFF, cgutils.voidptr_t)
    meminfo = nrt.adopt_pyobject(b, data, obj) if c.owned else None
    fill_array(c.context, b, ary, data, shape, steps, typ, parent=obj, nitems=nitems,
               meminfo=meminfo)


def fill_array(context, builder, ary, data, shape, strides, typ, meminfo=None, parent=None,
               nitems=None):
    """Populate an array struct proxy from its parts."""
    i64 = cgutils.int64_t
    if nitems is None:
        nitems = ir.Constant(i64, 1)
        for extent in shape:
            nitems = builder.mul(nitems, extent)
    ary.meminfo = meminfo if meminfo is not None else ir.Constant(cgutils.voidptr_t, None)
    ary.parent = parent if parent is not None else ir.Constant(cgutils.voidptr_t, None)
    ary.nitems = nitems
    ary.itemsize = ir.Constant(i64, as_dtype(typ.dtype).itemsize)
    ary.data = builder.bitcast(data, context.get_value_type(types.CPointer(typ.dtype)))
    ary.shape = cgutils.pack_array(builder, list(shape), i64)
    ary.strides = cgutils.pack_array(builder, list(strides), i64)


@check_exact(types.Array)
def check_array(typ, obj, c):
    """Exactly an ndarray of this dtype, ndim, layout and writeability (as typeof would say)."""
    b = c.builder
    result = cgutils.alloca_once_value(b, cgutils.false_bit)
    if typ.readonly or isinstance(typ.dtype, types.Record):  # records: typeof decides
        return cgutils.false_bit
    is_ndarray = b.icmp_unsigned("==", c.pyapi.get_type(obj), c.pyapi.get_type_object("PyArray_Type"))
    with b.if_then(is_ndarray):
        ok, flags = _same_kind(b, typ, obj)
        ok = b.and_(ok, _layout_matches(b, flags, typ.layout))
        writeable = b.and_(flags, ir.Constant(flags.type, NPY_WRITEABLE))
        b.store(b.and_(ok, cgutils.is_not_null(b, writeable)), result)
    return b.load(result)


def _layout_matches(builder, flags, layout):
    has = [cgutils.is_not_null(builder, builder.and_(flags, ir.Constant(flags.type, bit)))
           for bit in (NPY_C_CONTIGUOUS, NPY_F_CONTIGUOUS)]
    if layout == "C":
        return has[0]
    if layout == "F":
        return builder.and_(builder.not_(has[0]), has[1])
    return builder.not_(builder.or_(*has))


# -- boxing ---------------------------------------------------------------------------------------

@box(types.Array)
def box_array(typ, val, c):
    """Steals the native reference."""
    b = c.builder
    ary = c.context.make_helper(b, typ, value=val)
    out = cgutils.alloca_once(b, cgutils.voidptr_t)
    meminfo, parent = ary.meminfo, ary.parent
    with b.if_else(cgutils.is_not_null(b, meminfo)) as (owned, borrowed):
        with owned:
            capsule = c.pyapi._call("PyCapsule_New", meminfo, ir.Constant(cgutils.voidptr_t, None),
                                    b.bitcast(nrt.declare(b.module, "jb_nrt_capsule_dtor"),
                                              cgutils.voidptr_t))
            b.store(_new_ndarray(c, typ, ary, capsule), out)
        with borrowed:
            b.store(_box_borrowed(c, typ, ary, parent), out)
    return b.load(out)


def _new_ndarray(c, typ, ary, base):
    """An ndarray over ary's data whose base is `base` (stolen; may be NULL)."""
    b = c.builder
    shape = cgutils.alloca_once_value(b, ary.shape)
    strides = cgutils.alloca_once_value(b, ary.strides)
    descr = c.pyapi._call("PyArray_DescrFromType", ir.Constant(ir.IntType(32), typenum(typ.dtype)))
    arr = c.pyapi._call("PyArray_NewFromDescr", c.pyapi.get_type_object("PyArray_Type"), descr,
                        ir.Constant(ir.IntType(32), typ.ndim), b.bitcast(shape, cgutils.voidptr_t),
                        b.bitcast(strides, cgutils.voidptr_t), b.bitcast(ary.data, cgutils.voidptr_t),
                        ir.Constant(ir.IntType(32), NPY_WRITEABLE | NPY_ALIGNED),
                        ir.Constant(cgutils.voidptr_t, None))
    with b.if_then(cgutils.is_not_null(b, base)):
        with b.if_else(cgutils.is_null(b, arr)) as (failed, ok):
            with failed:
                c.pyapi.decref(base)
            with ok:
                c.pyapi._call("PyArray_SetBaseObject", arr, base)
    return arr


def _box_borrowed(c, typ, ary, parent):
    """The parent itself when the geometry is unchanged, else a view based on the parent."""
    b = c.builder
    out = cgutils.alloca_once(b, cgutils.voidptr_t)
    with b.if_else(b.and_(cgutils.is_not_null(b, parent), _same_geometry(c, typ, ary, parent))) \
            as (same, view):
        with same:
            c.pyapi.incref(parent)
            b.store(parent, out)
        with view:
            with b.if_then(cgutils.is_not_null(b, parent)):
                c.pyapi.incref(parent)
            b.store(_new_ndarray(c, typ, ary, parent), out)
    return b.load(out)


def _same_geometry(c, typ, ary, parent):
    b = c.builder
    slot = cgutils.alloca_once_value(b, cgutils.false_bit)
    with b.if_then(cgutils.is_not_null(b, parent)):
        data = _load_at(b, parent, DATA_OFF, cgutils.voidptr_t)
        ndim = _load_at(b, parent, NDIM_OFF, ir.IntType(32))
        same = b.and_(b.icmp_unsigned("==", data, b.bitcast(ary.data, cgutils.voidptr_t)),
                      b.icmp_signed("==", ndim, ir.Constant(ndim.type, typ.ndim)))
        b.store(same, slot)
        with b.if_then(same):
            dims = _load_at(b, parent, DIMS_OFF, cgutils.int64_t.as_pointer())
            strides = _load_at(b, parent, STRIDES_OFF, cgutils.int64_t.as_pointer())
            for i in range(typ.ndim):
                idx = ir.Constant(cgutils.int64_t, i)
                for ptr, field in ((dims, ary.shape), (strides, ary.strides)):
                    equal = b.icmp_signed("==", b.load(b.gep(ptr, [idx])), b.extract_value(field, i))
                    same = b.and_(same, equal)
            b.store(same, slot)
    return b.load(slot)


@lower_cast(types.Array, types.Array)
def array_to_array(context, builder, fromty, toty, val):
    """Layout relaxation (C/F -> A): the same struct."""
    return val
