"""Boxing: native values <-> Python objects, with registries extension types plug into.

`@box(TypeClass) def box_x(typ, val, c) -> PyObject*` and
`@unbox(TypeClass) def unbox_x(typ, obj, c) -> NativeValue`; `c` has `.context`, `.builder`,
`.pyapi`, `.box()` and `.unbox()`. `@check_exact(TypeClass)` registers the cheap test the native
dispatcher uses to decide whether an argument matches a compiled signature without typeof().
"""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.pythonapi import PythonAPI


class NativeValue:
    """An unboxed value, with an i1 `is_error` flag and an optional `cleanup` callback."""

    def __init__(self, value, is_error=None, cleanup=None):
        self.value = value
        self.is_error = is_error if is_error is not None else cgutils.false_bit
        self.cleanup = cleanup


class _TypeClassRegistry:
    """Functions keyed by type class, found through the type's MRO."""

    def __init__(self, what: str):
        self.what = what
        self.funcs: dict = {}

    def register(self, type_class):
        def wrap(func):
            self.funcs[type_class] = func
            return func
        return wrap

    def lookup(self, typ):
        for cls in type(typ).__mro__:
            func = self.funcs.get(cls)
            if func is not None:
                return func
        return None


_boxers = _TypeClassRegistry("box")
_unboxers = _TypeClassRegistry("unbox")
_checkers = _TypeClassRegistry("check_exact")
box = _boxers.register
unbox = _unboxers.register
check_exact = _checkers.register


class BoxingError(TypeError):
    """No box/unbox function is registered for a type."""


class BoxContext:
    """The `c` argument of box/unbox functions."""

    def __init__(self, context, builder, owned: bool = False):
        self.context = context
        self.builder = builder
        self.pyapi = PythonAPI(context, builder)
        #: unboxed values must own what they reference (the Python objects may die soon)
        self.owned = owned

    def box(self, typ, val):
        func = _boxers.lookup(typ)
        if func is None:
            raise BoxingError(f"cannot convert native {typ} to a Python object")
        return func(typ, val, self)

    def unbox(self, typ, obj) -> NativeValue:
        func = _unboxers.lookup(typ)
        if func is None:
            raise BoxingError(f"cannot convert a Python object to native {typ}")
        return func(typ, obj, self)

    def check_exact(self, typ, obj):
        """i1: `obj` certainly has type `typ` (None if no fast check exists for it)."""
        func = _checkers.lookup(typ)
        return None if func is None else func(typ, obj, self)

    def has_exact_check(self, typ) -> bool:
        return has_exact_check(typ)


def can_cross_boundary(argtypes, restype) -> bool:
    """Whether a CPython wrapper can be built: every argument unboxes, the result boxes."""
    return all(_unboxers.lookup(t) is not None for t in argtypes) and \
        _boxers.lookup(restype) is not None


def has_exact_check(typ) -> bool:
    """Whether the native dispatcher can recognise arguments of `typ` without typeof()."""
    return _checkers.lookup(typ) is not None


UnboxContext = BoxContext


# -- builtin scalars --------------------------------------------------------------------------

def _is_type(c, obj, type_name):
    return c.builder.icmp_unsigned("==", c.pyapi.get_type(obj), c.pyapi.get_type_object(type_name))


def _error_if(c, suspicious):
    """is_error: `suspicious` (e.g. the C-API returned -1) and an exception is set."""
    flag = cgutils.alloca_once_value(c.builder, cgutils.false_bit)
    with cgutils.if_unlikely(c.builder, suspicious):
        c.builder.store(cgutils.is_not_null(c.builder, c.pyapi.err_occurred()), flag)
    return c.builder.load(flag)


@box(types.Integer)
def box_integer(typ, val, c):
    if typ.signed:
        return c.pyapi.long_from_longlong(c.builder.sext(val, cgutils.int64_t)
                                          if typ.bitwidth < 64 else val)
    return c.pyapi.long_from_ulonglong(c.builder.zext(val, cgutils.int64_t)
                                       if typ.bitwidth < 64 else val)


@unbox(types.Integer)
def unbox_integer(typ, obj, c):
    getter = c.pyapi.long_as_longlong if typ.signed else c.pyapi.long_as_ulonglong
    value = getter(obj)
    is_error = _error_if(c, c.builder.icmp_signed("==", value, ir.Constant(value.type, -1)))
    if typ.bitwidth < 64:
        value = c.builder.trunc(value, c.context.get_value_type(typ))
    return NativeValue(value, is_error=is_error)


@check_exact(types.Integer)
def check_integer(typ, obj, c):
    return _is_type(c, obj, "PyLong_Type") if typ == types.int64 else cgutils.false_bit


@box(types.Float)
def box_float(typ, val, c):
    if typ.bitwidth == 32:
        val = c.builder.fpext(val, ir.DoubleType())
    return c.pyapi.float_from_double(val)


@unbox(types.Float)
def unbox_float(typ, obj, c):
    value = c.pyapi.float_as_double(obj)
    is_error = _error_if(c, c.builder.fcmp_ordered("==", value, ir.Constant(value.type, -1.0)))
    if typ.bitwidth == 32:
        value = c.builder.fptrunc(value, ir.FloatType())
    return NativeValue(value, is_error=is_error)


@check_exact(types.Float)
def check_float(typ, obj, c):
    return _is_type(c, obj, "PyFloat_Type") if typ == types.float64 else cgutils.false_bit


@box(types.Boolean)
def box_boolean(typ, val, c):
    return c.pyapi.bool_from_bool(val)


@unbox(types.Boolean)
def unbox_boolean(typ, obj, c):
    istrue = c.pyapi.object_istrue(obj)
    is_error = c.builder.icmp_signed("<", istrue, ir.Constant(istrue.type, 0))
    return NativeValue(c.builder.icmp_signed(">", istrue, ir.Constant(istrue.type, 0)),
                       is_error=is_error)


@check_exact(types.Boolean)
def check_boolean(typ, obj, c):
    return _is_type(c, obj, "PyBool_Type")


@box(types.Complex)
def box_complex(typ, val, c):
    real, imag = (c.builder.extract_value(val, i) for i in range(2))
    if typ.bitwidth == 64:
        real, imag = (c.builder.fpext(v, ir.DoubleType()) for v in (real, imag))
    return c.pyapi.complex_from_doubles(real, imag)


@unbox(types.Complex)
def unbox_complex(typ, obj, c):
    parts = [c.pyapi._call(name, obj) for name in ("PyComplex_RealAsDouble",
                                                   "PyComplex_ImagAsDouble")]
    if typ.bitwidth == 64:
        parts = [c.builder.fptrunc(p, ir.FloatType()) for p in parts]
    is_error = cgutils.is_not_null(c.builder, c.pyapi.err_occurred())
    return NativeValue(cgutils.pack_struct(c.builder, parts), is_error=is_error)


@check_exact(types.Complex)
def check_complex(typ, obj, c):
    return _is_type(c, obj, "PyComplex_Type") if typ == types.complex128 else cgutils.false_bit


@box(types.NoneType)
def box_none(typ, val, c):
    return c.pyapi.make_none()


@unbox(types.NoneType)
def unbox_none(typ, obj, c):
    return NativeValue(c.context.get_dummy_value())


@check_exact(types.NoneType)
def check_none(typ, obj, c):
    return c.builder.icmp_unsigned("==", obj, c.pyapi.borrow_none())


# -- tuples -----------------------------------------------------------------------------------

@box(types.BaseTuple)
def box_tuple(typ, val, c):
    tup = c.pyapi.tuple_new(len(typ))
    for i, elem_ty in enumerate(typ.types):
        item = c.box(elem_ty, c.builder.extract_value(val, i))
        c.pyapi.tuple_setitem(tup, i, item)
    return tup


def type_error_unless(c, ok, message: str):
    """is_error (with a TypeError set) unless `ok`."""
    with cgutils.if_unlikely(c.builder, c.builder.not_(ok)):
        c.pyapi.err_set_string("PyExc_TypeError", message)
    return c.builder.not_(ok)


@unbox(types.BaseTuple)
def unbox_tuple(typ, obj, c):
    """Validated first: a tuple of exactly len(typ) items (lists may hold anything)."""
    b = c.builder
    ok = _is_type(c, obj, "PyTuple_Type")
    out = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    failed = cgutils.alloca_once_value(b, type_error_unless(
        c, ok, f"expected a tuple of {len(typ)} items for {typ}"))
    with b.if_then(ok):
        size = c.pyapi.tuple_size(obj)
        right = b.icmp_signed("==", size, ir.Constant(size.type, len(typ)))
        b.store(type_error_unless(c, right, f"expected a tuple of {len(typ)} items for {typ}"),
                failed)
        with b.if_then(right):
            value = ir.Constant(c.context.get_value_type(typ), ir.Undefined)
            error = cgutils.false_bit
            for i, elem_ty in enumerate(typ.types):
                native = c.unbox(elem_ty, c.pyapi.tuple_getitem(obj, i))
                value = b.insert_value(value, native.value, i)
                error = b.or_(error, native.is_error)
            b.store(value, out)
            b.store(error, failed)
    return NativeValue(b.load(out), is_error=b.load(failed))


@check_exact(types.BaseTuple)
def check_tuple(typ, obj, c):
    if not all(c.has_exact_check(t) for t in typ.types):
        return cgutils.false_bit
    builder = c.builder
    result = cgutils.alloca_once_value(builder, cgutils.false_bit)
    with builder.if_then(_is_type(c, obj, "PyTuple_Type")):
        size = c.pyapi.tuple_size(obj)
        with builder.if_then(builder.icmp_signed("==", size, ir.Constant(size.type, len(typ)))):
            ok = cgutils.true_bit
            for i, elem_ty in enumerate(typ.types):
                ok = builder.and_(ok, c.check_exact(elem_ty, c.pyapi.tuple_getitem(obj, i)))
            builder.store(ok, result)
    return builder.load(result)
