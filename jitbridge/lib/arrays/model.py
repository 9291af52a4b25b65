"""Arrays: data model, typeof, and zero-copy boxing/unboxing through NumPy's C API.

Native layout (Numba-compatible): {meminfo, parent, nitems, itemsize, data, shape[ndim],
strides[ndim]}. Unboxed arguments borrow the ndarray's memory (meminfo NULL, parent = the
ndarray). Arrays made by compiled code own a MemInfo; boxing wraps them in an ndarray whose base
is a capsule holding that reference, so the memory lives exactly as long as the ndarray.
"""
from __future__ import annotations

import ctypes
import functools
import sys

import numpy as np
from llvmlite import ir

from ... import types
from ...codegen import add_symbol
from ...errors import TypingError
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...core.pythonapi import capi_global
from ...runtime import nrt
from ...lowering.registry import lower_cast
from ...runtime.boxing import NativeValue, box, check_exact, unbox
from ...typing.typeof import Purpose, typeof_impl
from ...types.records import dtype_of
from ...registry import require_types
from ..datetimes_kernels import type_of_dtype as datetime_type_of_dtype

NPY_C_CONTIGUOUS, NPY_F_CONTIGUOUS, NPY_ALIGNED, NPY_WRITEABLE = 0x1, 0x2, 0x100, 0x400
#: Offsets in PyArrayObject and PyArray_Descr (stable across NumPy 1.x and 2.x).
DATA_OFF, NDIM_OFF, DIMS_OFF, STRIDES_OFF, DESCR_OFF, FLAGS_OFF = 16, 24, 32, 40, 56, 64
BYTEORDER_OFF, TYPENUM_OFF = 26, 28
#: The byte-order character of a byte-swapped descriptor (a native one is '=', '|' or this
#: machine's own '<'/'>', e.g. after a double newbyteorder()).
SWAPPED_ORDER = ord(">" if sys.byteorder == "little" else "<")
#: ndarray subclasses compiled as plain arrays: they change where the buffer lives, not what its
#: elements mean. Other subclasses (np.ma.MaskedArray, np.matrix, np.recarray) are rejected.
PLAIN_ARRAY_CLASSES = (np.ndarray, np.memmap, np.recarray)

SUPPORTED_DTYPES = ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                    "uint64", "float32", "float64", "complex64", "complex128")


#: id of a dtype object -> (the dtype, its element type): a record type takes ~0.1 ms to
#: build, and arguments of one program share dtype objects
_BY_IDENTITY: dict = {}
#: element type -> the dtype object first typed as it (the native check and unboxing of arrays
#: of such dtypes take a descriptor that is this object without asking Python)
SEEN_DESCRS: dict = {}
_MEMO_LIMIT = 512


def from_dtype(dtype) -> types.Type:
    """The element type of a NumPy dtype (TypeError if unsupported)."""
    dtype = np.dtype(dtype)
    entry = _BY_IDENTITY.get(id(dtype))
    if entry is not None and entry[0] is dtype:
        return entry[1]
    ty = _element_type(dtype)
    if len(_BY_IDENTITY) >= _MEMO_LIMIT:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[id(dtype)] = (dtype, ty)  # (numeric ones too: dtype.name costs ~5 µs)
    if has_layout(ty):
        SEEN_DESCRS.setdefault(ty, dtype)
    return ty


def seen_descr(ty: types.Type) -> np.dtype:
    """The dtype object this process first typed as `ty` (one made now if none was)."""
    return SEEN_DESCRS.setdefault(ty, as_dtype(ty))


def _element_type(dtype: np.dtype) -> types.Type:
    if dtype.fields is not None:
        return _record_type(dtype)
    if dtype.subdtype is not None:
        return types.NestedArray(from_dtype(dtype.subdtype[0]), dtype.subdtype[1])
    if dtype.kind in "SU" and dtype.isnative and dtype.itemsize:
        return types.CharSeq(dtype.itemsize) if dtype.kind == "S" else \
            types.UnicodeCharSeq(dtype.itemsize // 4)
    if dtype.kind in "mM" and dtype.isnative:
        return _datetime_type(dtype)
    if dtype.name not in SUPPORTED_DTYPES or not dtype.isnative:
        raise TypeError(f"unsupported array dtype {dtype}")
    return types.boolean if dtype.name == "bool" else getattr(types, dtype.name)


def _datetime_type(dtype: np.dtype) -> types.Type:
    """NPDatetime/NPTimedelta, with their operations loaded: array functions on them are
    typed before any scalar of theirs reaches typing."""
    ty = datetime_type_of_dtype(dtype)
    require_types((ty,))
    return ty


def _record_type(dtype: np.dtype) -> types.Record:
    fields = [(name, _field_type(name, dtype.fields[name][0]), dtype.fields[name][1])
              for name in dtype.names]
    titles = [(dtype.fields[name][2], name) for name in dtype.names
              if len(dtype.fields[name]) > 2 and dtype.fields[name][2] is not None]
    return types.Record(fields, dtype.itemsize, dtype.isalignedstruct, titles)


def _field_type(name: str, dtype: np.dtype) -> types.Type:
    try:
        return from_dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"field {name!r}: {exc}") from None


def as_dtype(ty: types.Type) -> np.dtype:
    """The NumPy dtype of an element type."""
    return dtype_of(types.unliteral(ty))


def has_layout(ty: types.Type) -> bool:
    """Whether dtypes of `ty` differ by more than their type number (records: fields and
    offsets; char sequences: length; datetimes: unit), so a descriptor is compared, and made,
    as a whole."""
    return isinstance(ty, (types.Record, types.CharSeq, types.NPDatetime, types.NPTimedelta))


def typenum(ty: types.Type) -> int:
    return as_dtype(ty).num


@functools.lru_cache(maxsize=None)
def equivalent_typenums(ty: types.Type) -> tuple:
    """Type numbers of the builtin dtypes with ty's kind and size: int64 is both NPY_LONG ('l')
    and NPY_LONGLONG ('q') on LP64 platforms; a record's is NPY_VOID (its layout is compared
    separately)."""
    dtype = as_dtype(ty)
    if dtype.kind not in "biufc":
        return (dtype.num,)
    same = {np.dtype(code).num for code in np.typecodes["All"]
            if np.dtype(code).kind == dtype.kind and np.dtype(code).itemsize == dtype.itemsize}
    return tuple(sorted(same))


def has_record_layout(expected: types.Type, dtype) -> bool:
    """Whether `dtype` is the record (or char sequence) type `expected` field for field (names,
    offsets, field dtypes and byte orders, itemsize, alignment): exactly what typeof says."""
    try:
        return from_dtype(dtype) == expected
    except Exception:  # called from native checks, which treat any failure as "no match"
        return False


def describe_value(value) -> str:
    """An argument's type in mismatch messages, saying why an array has no array type."""
    cls = type(value)
    name = f"{cls.__module__}.{cls.__qualname__}".removeprefix("builtins.")
    if not isinstance(value, np.ndarray):
        return name
    if cls not in PLAIN_ARRAY_CLASSES:
        return f"{name} (ndarray subclasses are not supported: convert it to a plain ndarray)"
    if not value.dtype.isnative:
        return f"{name} (dtype {value.dtype}: non-native byte order is not supported)"
    ty = typeof_ndarray(value, None)
    return str(ty) if ty is not None else f"{name} (dtype {value.dtype}, {value.ndim}-d)"


def raise_array_mismatch(expected: str, value):
    """The TypeError of an array that does not match its expected type (called by native code)."""
    raise TypeError(f"expected a NumPy array matching {expected}, got {describe_value(value)}")


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
    if type(value) not in PLAIN_ARRAY_CLASSES:
        return None
    try:
        dtype = from_dtype(value.dtype)
    except TypeError:
        return None
    flags = value.flags
    layout = "C" if flags.c_contiguous else ("F" if flags.f_contiguous else "A")
    frozen = c is not None and c.purpose is Purpose.constant  # globals are read-only constants
    return types.Array(dtype, value.ndim, layout, readonly=frozen or not flags.writeable)


@typeof_impl.register(np.dtype)
def typeof_dtype(value, c):
    try:
        return types.DType(from_dtype(value))
    except TypeError as exc:
        if value.names is not None and c is not None and c.purpose is Purpose.constant:
            raise TypingError(f"unsupported record dtype {value}: {exc}") from None  # located
        return None


_ABSTRACT_SCALAR_CLASSES = frozenset((
    np.generic, np.number, np.integer, np.signedinteger, np.unsignedinteger, np.inexact,
    np.floating, np.complexfloating, np.flexible, np.character))


@typeof_impl.register(type)
def typeof_class(value, c):
    """np.float64 (the class) -> NumberClass(float64): a `dtype=` value and a converter;
    np.floating (abstract: no dtype) -> AbstractNumberClass, for np.issubdtype."""
    if isinstance(value, type) and issubclass(value, np.generic):
        if value in _ABSTRACT_SCALAR_CLASSES:
            return types.AbstractNumberClass(value)
        try:
            return types.NumberClass(from_dtype(value))
        except TypeError:
            return None
    return typeof_impl.dispatch(object)(value, c)


# -- dtype classes and dtypes as arguments: the type is the whole value ------------------------

@unbox(types.NumberClass)
@unbox(types.DType)
def unbox_dtype_like(typ, obj, c):
    return NativeValue(c.context.get_dummy_value())


@box(types.NumberClass)
def box_number_class(typ, val, c):
    obj = c.pyapi.constant_object(as_dtype(typ.instance_type).type, "dtype class")
    c.pyapi.incref(obj)
    return obj


@check_exact(types.NumberClass)
def check_number_class(typ, obj, c):
    expected = c.pyapi.constant_object(as_dtype(typ.instance_type).type, "dtype class")
    return c.builder.icmp_unsigned("==", obj, expected)


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
    add_symbol("jb_numpy_memmap_type", id(np.memmap))
    add_symbol("jb_numpy_recarray_type", id(np.recarray))


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
    with cgutils.if_unlikely(b, b.not_(ok)):
        explain = functools.partial(raise_array_mismatch, str(typ))
        c.pyapi.decref(c.pyapi.call_function_objargs(  # NULL: it raises
            c.pyapi.constant_object(explain, "array_mismatch"), [obj]))
    with b.if_then(ok, likely=True):
        _unbox_checked(c, typ, obj, ary)
    return NativeValue(ary._getvalue(), is_error=b.not_(ok))


def _matches(c, typ, obj):
    """A plain ndarray (or np.memmap, np.recarray) with typ's ndim and dtype and a compatible
    layout."""
    b = c.builder
    result = cgutils.alloca_once_value(b, cgutils.false_bit)
    cls = c.pyapi.get_type(obj)
    plain = cgutils.false_bit
    for name in ("PyArray_Type", "jb_numpy_memmap_type", "jb_numpy_recarray_type"):
        plain = b.or_(plain, b.icmp_unsigned("==", cls, c.pyapi.get_type_object(name)))
    with b.if_then(plain):
        ok, flags = _same_kind(c, typ, obj)
        if typ.layout in ("C", "F"):
            bit = NPY_C_CONTIGUOUS if typ.layout == "C" else NPY_F_CONTIGUOUS
            ok = b.and_(ok, cgutils.is_not_null(b, b.and_(flags, ir.Constant(flags.type, bit))))
        if not typ.readonly:
            ok = b.and_(ok, cgutils.is_not_null(b, b.and_(flags, ir.Constant(flags.type,
                                                                          NPY_WRITEABLE))))
        b.store(ok, result)
    return b.load(result)


def _same_kind(c, typ, obj):
    """(i1: the ndarray `obj` has typ's ndim and element type, its flags word)."""
    b = c.builder
    ndim = _load_at(b, obj, NDIM_OFF, ir.IntType(32))
    flags = _load_at(b, obj, FLAGS_OFF, ir.IntType(32))
    same_ndim = b.icmp_signed("==", ndim, ir.Constant(ndim.type, typ.ndim))
    descr = _load_at(b, obj, DESCR_OFF, cgutils.voidptr_t)
    return _same_dtype(c, typ.dtype, descr, same_ndim), flags


def _same_dtype(c, dtype, descr, precondition):
    """i1: `precondition` and the descriptor holds `dtype` in native byte order: compared by
    kind and size through equivalent type numbers (not one number: 'q' is int64 too), and
    for records by their whole layout."""
    b = c.builder
    num = _load_at(b, descr, TYPENUM_OFF, ir.IntType(32))
    order = _load_at(b, descr, BYTEORDER_OFF, ir.IntType(8))
    ok = b.and_(precondition, b.icmp_unsigned("!=", order, ir.Constant(order.type, SWAPPED_ORDER)))
    same_num = cgutils.false_bit
    for expected in equivalent_typenums(dtype):
        same_num = b.or_(same_num, b.icmp_signed("==", num, ir.Constant(num.type, expected)))
    ok = b.and_(ok, same_num)
    return _same_record_layout(c, dtype, descr, ok) if has_layout(dtype) else ok


def _same_record_layout(c, record, descr, precondition):
    """i1: `precondition` and the record descriptor has exactly this layout (a Python-level
    comparison: a record of another layout must never be read with this one's offsets)."""
    b = c.builder
    result = cgutils.alloca_once_value(b, cgutils.false_bit)
    with b.if_then(precondition):
        seen = c.pyapi.process_constant(functools.partial(seen_descr, record), "dtype")
        same_object = b.icmp_unsigned("==", descr, b.bitcast(seen, descr.type))
        with b.if_else(same_object, likely=True) as (known, other):
            with known:  # the very dtype object typed before: no Python call
                b.store(cgutils.true_bit, result)
            with other:
                checker = c.pyapi.constant_object(functools.partial(has_record_layout, record),
                                                  "record")
                answer = c.pyapi.call_function_objargs(checker, [descr])
                true = b.bitcast(capi_global(b.module, "_Py_TrueStruct"), cgutils.voidptr_t)
                b.store(b.icmp_unsigned("==", answer, true), result)
                c.pyapi.decref(answer)
    return b.load(result)


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
    is_ndarray = b.icmp_unsigned("==", c.pyapi.get_type(obj), c.pyapi.get_type_object("PyArray_Type"))
    with b.if_then(is_ndarray):
        ok, flags = _same_kind(c, typ, obj)
        ok = b.and_(ok, _layout_matches(b, flags, typ.layout))
        writeable = b.and_(flags, ir.Constant(flags.type, NPY_WRITEABLE))
        # a read-only array type is exactly the arrays whose writeable flag is clear
        same_writeability = (cgutils.is_null if typ.readonly else cgutils.is_not_null)(b, writeable)
        b.store(b.and_(ok, same_writeability), result)
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
            # an array adopted from an ndarray (unboxed inside an extension's struct) is that
            # ndarray again while its geometry is the ndarray's: identity, as in Python
            with b.if_else(_same_geometry(c, typ, ary, parent)) as (adopted, made):
                with adopted:
                    c.pyapi.incref(parent)
                    b.store(parent, out)
                    c.context.decref(b, typ, val)  # the native reference was stolen
                with made:
                    b.store(_new_ndarray(c, typ, ary, _capsule(c, meminfo)), out)
        with borrowed:
            b.store(_box_borrowed(c, typ, ary, parent), out)
    return b.load(out)


def _capsule(c, meminfo):
    """A capsule owning `meminfo` (stolen), the base of an ndarray over its memory."""
    return c.pyapi._call("PyCapsule_New", meminfo, ir.Constant(cgutils.voidptr_t, None),
                         c.builder.bitcast(nrt.declare(c.builder.module, "jb_nrt_capsule_dtor"),
                                           cgutils.voidptr_t))


def _new_ndarray(c, typ, ary, base, writeable=None):
    """An ndarray over ary's data whose base is `base` (stolen; may be NULL); `writeable` (i32
    flag bits, default NPY_WRITEABLE) lets a view keep its parent's read-only flag."""
    b = c.builder
    if writeable is None or typ.readonly:  # a read-only type (a broadcast view) stays one
        writeable = ir.Constant(ir.IntType(32), 0 if typ.readonly else NPY_WRITEABLE)
    shape = cgutils.alloca_once_value(b, ary.shape)
    strides = cgutils.alloca_once_value(b, ary.strides)
    descr = _new_descr(c, typ.dtype)
    arr = c.pyapi._call("PyArray_NewFromDescr", c.pyapi.get_type_object("PyArray_Type"), descr,
                        ir.Constant(ir.IntType(32), typ.ndim), b.bitcast(shape, cgutils.voidptr_t),
                        b.bitcast(strides, cgutils.voidptr_t), b.bitcast(ary.data, cgutils.voidptr_t),
                        b.or_(ir.Constant(ir.IntType(32), NPY_ALIGNED), writeable),
                        ir.Constant(cgutils.voidptr_t, None))
    with b.if_then(cgutils.is_not_null(b, base)):
        with b.if_else(cgutils.is_null(b, arr)) as (failed, ok):
            with failed:
                c.pyapi.decref(base)
            with ok:
                c.pyapi._call("PyArray_SetBaseObject", arr, base)
    return arr


def _new_descr(c, dtype):
    """A new reference to the descriptor of `dtype` (PyArray_NewFromDescr steals it). A record's
    is its own dtype object: the builtin descriptor of NPY_VOID has no fields and size 0."""
    if not has_layout(dtype):
        return c.pyapi._call("PyArray_DescrFromType", ir.Constant(ir.IntType(32), typenum(dtype)))
    descr = c.pyapi.constant_object(as_dtype(dtype), "record_dtype")
    c.pyapi.incref(descr)
    return descr


def _box_borrowed(c, typ, ary, parent):
    """The parent itself when the geometry is unchanged, else a view based on the parent; a
    copy when there is no parent."""
    b = c.builder
    out = cgutils.alloca_once(b, cgutils.voidptr_t)
    with b.if_else(cgutils.is_null(b, parent)) as (unowned, owned):
        with unowned:
            b.store(_box_unowned(c, typ, ary), out)
        with owned:
            c.pyapi.incref(parent)  # the result's own reference, or the view's stolen base
            with b.if_else(_same_geometry(c, typ, ary, parent)) as (same, view):
                with same:
                    b.store(parent, out)
                with view:
                    # a view of a read-only array stays read-only (it may be immutable bytes)
                    flags = _load_at(b, parent, FLAGS_OFF, ir.IntType(32))
                    writeable = b.and_(flags, ir.Constant(flags.type, NPY_WRITEABLE))
                    b.store(_new_ndarray(c, typ, ary, parent, writeable), out)
    return b.load(out)


def _box_unowned(c, typ, ary):
    """A copy of memory no Python object owns (a frozen global's constant bytes, a C pointer):
    the result must neither write into it nor outlive it."""
    b = c.builder
    out = cgutils.alloca_once_value(b, ir.Constant(cgutils.voidptr_t, None))
    view = _new_ndarray(c, typ, ary, ir.Constant(cgutils.voidptr_t, None))
    with b.if_then(cgutils.is_not_null(b, view), likely=True):
        b.store(c.pyapi.call_method(view, "copy"), out)
        c.pyapi.decref(view)
    return b.load(out)


def _same_geometry(c, typ, ary, parent):
    b = c.builder
    slot = cgutils.alloca_once_value(b, cgutils.false_bit)
    with b.if_then(cgutils.is_not_null(b, parent)):
        data = _load_at(b, parent, DATA_OFF, cgutils.voidptr_t)
        ndim = _load_at(b, parent, NDIM_OFF, ir.IntType(32))
        same = b.and_(b.icmp_unsigned("==", data, b.bitcast(ary.data, cgutils.voidptr_t)),
                      b.icmp_signed("==", ndim, ir.Constant(ndim.type, typ.ndim)))
        # a record array's first field (arr['a']) starts where the array does
        same = _same_dtype(c, typ.dtype, _load_at(b, parent, DESCR_OFF, cgutils.voidptr_t), same)
        if typ.readonly:  # a read-only view of a writeable array is a view of its own
            flags = _load_at(b, parent, FLAGS_OFF, ir.IntType(32))
            same = b.and_(same, cgutils.is_null(b, b.and_(flags, ir.Constant(flags.type,
                                                                              NPY_WRITEABLE))))
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
