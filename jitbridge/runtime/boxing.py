"""Boxing: native values <-> Python objects, with registries extension types plug into.

`@box(TypeClass) def box_x(typ, val, c) -> PyObject*` and
`@unbox(TypeClass) def unbox_x(typ, obj, c) -> NativeValue`; `c` has `.context`, `.builder`,
`.pyapi`, `.box()` and `.unbox()`. `@check_exact(TypeClass)` registers the cheap test the native
dispatcher uses to decide whether an argument matches a compiled signature without typeof().
"""
from __future__ import annotations

import functools
import inspect
import operator
import sys

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ..core.pythonapi import PythonAPI
from ..registry import ClassTable


class NativeValue:
    """An unboxed value, with an i1 `is_error` flag and an optional `cleanup` callback.

    `value` is owned by whoever asked for it: the consumer either keeps it (a struct member, a
    list item, an objmode output) or calls `cleanup()` once done with it (the wrapper does, after
    the call and on errors). `BoxContext.unbox` guarantees every value with runtime references
    has a cleanup that releases it; a builtin unboxer's own cleanup must release it too.
    """

    def __init__(self, value, is_error=None, cleanup=None):
        self.value = value
        self.is_error = is_error if is_error is not None else cgutils.false_bit
        self.cleanup = cleanup


class _TypeClassRegistry(ClassTable):
    """Functions keyed by type class, found through the type's MRO (registry.ClassTable)."""

    def register(self, type_class):
        def wrap(func):
            self.add(type_class, func)
            return func
        return wrap


_boxers = _TypeClassRegistry("box")
_unboxers = _TypeClassRegistry("unbox")
_checkers = _TypeClassRegistry("check_exact")
box = _boxers.register
unbox = _unboxers.register
check_exact = _checkers.register


class BoxingError(TypeError):
    """No box/unbox function is registered for a type."""


def is_extension(func) -> bool:
    """Box/unbox functions registered through `jitbridge.extending` (or written outside
    jitbridge) follow Numba's conventions: the members an unboxer converts from Python objects
    it looked up itself (often temporaries) must own their references. (Boxers, builtin or
    not, steal the references inside `val`, as Numba's `from_native_value` documents.)
    jitbridge's own register here directly."""
    module = getattr(inspect.unwrap(func), "__module__", None) or ""
    return module == "jitbridge.extending" or not module.startswith("jitbridge.")


class BoxContext:
    """The `c` argument of box/unbox functions.

    Every boxer consumes `val` (steals the references inside it, as in Numba): an extension
    boxer releases what it does not hand on, and `c.box` on its behalf consumes what it is
    given (numba_passthru's boxers rely on both)."""

    def __init__(self, context, builder, owned: bool = False):
        self.context = context
        self.builder = builder
        self.pyapi = PythonAPI(context, builder)
        #: unboxed values must own what they reference (the Python objects may die soon)
        self.owned = owned
        self._members_owned = owned  # for the values `c.unbox` converts on our behalf
        #: what unboxers recorded of the arguments unboxed so far by one wrapper (shared by
        #: its nested contexts): a reflected list passed twice is one native list
        self.unboxed: dict = {}

    def _nested(self, owned: bool, members_owned: bool):
        ctx = BoxContext(self.context, self.builder, owned)
        ctx._members_owned = members_owned
        ctx.unboxed = self.unboxed
        return ctx

    def box(self, typ, val):
        func = _boxers.lookup(typ)
        if func is None and typ == types.undefined:  # an empty list never given items
            raise TypingError("Cannot infer the type of a value returned to Python: it has "
                              "imprecise type (an empty list whose items are never given a "
                              "type); give the list items, or use a typed container")
        if func is None:
            raise BoxingError(f"cannot convert native {typ} to a Python object")
        return func(typ, val, self._nested(self.owned, self.owned))

    def unbox(self, typ, obj) -> NativeValue:
        func = _unboxers.lookup(typ)
        if func is None:
            raise BoxingError(f"cannot convert a Python object to native {typ}")
        owned = self._members_owned
        if is_extension(func):
            native = func(typ, obj, self._nested(owned, members_owned=True))
            return self._releasing(typ, native, native.cleanup)
        native = func(typ, obj, self._nested(owned, owned))
        return native if native.cleanup is not None else self._releasing(typ, native, None)

    def _releasing(self, typ, native, then):
        """`native` with a cleanup that runs `then` and releases a successfully unboxed value."""
        if not self.context.contains_nrt(typ):
            return native
        builder, value, is_error = self.builder, native.value, native.is_error

        def cleanup():
            if then is not None:
                then()
            with builder.if_then(builder.not_(is_error)):
                self.context.decref(builder, typ, value)
        return NativeValue(value, is_error, cleanup)

    def check_exact(self, typ, obj):
        """i1: `obj` certainly has type `typ` (None if no fast check exists for it)."""
        func = _checkers.lookup(typ)
        return None if func is None else func(typ, obj, self)

    def has_exact_check(self, typ) -> bool:
        return has_exact_check(typ)


def unbox_once_per_object(c, kind, typ, obj, unbox_fresh, release) -> NativeValue:
    """A reflected argument unboxed by `unbox_fresh(typ, obj, c)`, unless the same Python
    object was already unboxed to `typ` by this wrapper (`f(a, a)`): then it is that native
    value, so identity holds (`a is b`) and changes are written back once, by the cleanup of
    its first unboxing (which runs last). `release(c, typ, value)` is the own cleanup."""
    earlier = c.unboxed.setdefault(kind, [])
    same = [(o, v) for t, o, v in earlier if t == typ]
    if not same:
        native = unbox_fresh(typ, obj, c)
        earlier.append((typ, obj, native.value))
        return native
    b = c.builder
    slot, found = _find_unboxed(c, typ, obj, same)
    failed = cgutils.alloca_once_value(b, cgutils.false_bit)
    with b.if_then(b.not_(b.load(found))):
        native = unbox_fresh(typ, obj, c)
        b.store(native.value, slot)
        b.store(native.is_error, failed)
    value, aliased = b.load(slot), b.load(found)
    earlier.append((typ, obj, value))
    return NativeValue(value, is_error=b.load(failed),
                       cleanup=lambda: _release_shared(c, typ, value, aliased, release))


def _find_unboxed(c, typ, obj, earlier):
    """(slot holding a new reference to the native value of `obj` if one of `earlier`
    (object, value) pairs is it, i1 slot: whether one was)."""
    b = c.builder
    slot = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    found = cgutils.alloca_once_value(b, cgutils.false_bit)
    for other_obj, other_value in earlier:
        is_same = b.and_(b.not_(b.load(found)), b.icmp_unsigned("==", obj, other_obj))
        with b.if_then(is_same):
            c.context.incref(b, typ, other_value)
            b.store(other_value, slot)
            b.store(cgutils.true_bit, found)
    return slot, found


def _release_shared(c, typ, value, aliased, release):
    with c.builder.if_else(aliased) as (shared, own):
        with shared:
            c.context.decref(c.builder, typ, value)
        with own:
            release(c, typ, value)


def can_cross_boundary(argtypes, restype) -> bool:
    """Whether a CPython wrapper can be built: every argument unboxes, the result boxes."""
    return boundary_error(argtypes, restype) is None


def boundary_error(argtypes, restype) -> str | None:
    """Why no CPython wrapper can be built (Numba's messages for an argument with no unboxer
    and a result with no boxer), or None if one can."""
    for ty in argtypes:
        if _unboxers.lookup(ty) is None:
            return f"can't unbox {ty} type"
    if _boxers.lookup(restype) is None:
        return f"cannot convert native {restype} to Python object"
    return None


def has_exact_check(typ) -> bool:
    """Whether the native dispatcher can recognise arguments of `typ` without typeof() (never
    of a literal type: the check would be of the value, see literal_dispatch.py)."""
    return not isinstance(typ, types.Literal) and _checkers.lookup(typ) is not None


UnboxContext = BoxContext


# -- builtin scalars --------------------------------------------------------------------------

def is_exact_type(c, obj, type_name):
    """Whether Py_TYPE(obj) is the C-API type object `type_name` ("PyBytes_Type")."""
    return c.builder.icmp_unsigned("==", c.pyapi.get_type(obj), c.pyapi.get_type_object(type_name))


def parent_or_new(c, parent, make_new, on_parent=None):
    """The boxed object of a value that may remember the Python object it came from:
    `parent` itself (a new reference) when not NULL, else the object `make_new()` emits;
    `on_parent()` emits what the parent branch alone must do (release the native value)."""
    b = c.builder
    out = cgutils.alloca_once(b, cgutils.voidptr_t)
    with b.if_else(cgutils.is_not_null(b, parent)) as (has_parent, fresh):
        with has_parent:
            c.pyapi.incref(parent)
            b.store(parent, out)
            if on_parent is not None:
                on_parent()
        with fresh:
            b.store(make_new(), out)
    return b.load(out)


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
    """Any int (or `__index__`) in typ's range; others: OverflowError, never a wrapped value."""
    if typ.bitwidth == 64 and not typ.signed:
        return _unbox_uint64(typ, obj, c)
    value = c.pyapi.long_as_longlong(obj)
    failed = _error_if(c, c.builder.icmp_signed("==", value, ir.Constant(value.type, -1)))
    _name_the_range(c, typ, obj, failed)
    if typ.bitwidth == 64:
        return NativeValue(value, is_error=failed)
    low, high = (ir.Constant(value.type, bound) for bound in _integer_range(typ))
    outside = c.builder.or_(c.builder.icmp_signed("<", value, low),
                            c.builder.icmp_signed(">", value, high))
    outside = c.builder.and_(c.builder.not_(failed), outside)
    with cgutils.if_unlikely(c.builder, outside):
        boxed = c.pyapi.long_from_longlong(value)
        _raise_out_of_range(c, typ, boxed)
        c.pyapi.decref(boxed)
    value = c.builder.trunc(value, c.context.get_value_type(typ))
    return NativeValue(value, is_error=c.builder.or_(failed, outside))


def _unbox_uint64(typ, obj, c):
    """PyLong_AsUnsignedLongLong wants an exact int: go through `__index__` first."""
    b = c.builder
    index = c.pyapi._call("PyNumber_Index", obj)
    got_int = cgutils.is_not_null(b, index)
    value = cgutils.alloca_once_value(b, ir.Constant(cgutils.int64_t, 0))
    failed = cgutils.alloca_once_value(b, b.not_(got_int))
    with b.if_then(got_int, likely=True):
        b.store(c.pyapi.long_as_ulonglong(index), value)
        minus_one = b.icmp_signed("==", b.load(value), ir.Constant(cgutils.int64_t, -1))
        overflow = _error_if(c, minus_one)
        with cgutils.if_unlikely(b, overflow):  # negative or >= 2**64
            c.pyapi.err_clear()
            _raise_out_of_range(c, typ, index)
        b.store(overflow, failed)
        c.pyapi.decref(index)
    return NativeValue(b.load(value), is_error=b.load(failed))


def _name_the_range(c, typ, obj, failed):
    """An int that failed to convert overflowed: say so in the same words as above."""
    with cgutils.if_unlikely(c.builder, failed):
        is_int = c.pyapi._call("PyType_IsSubtype", c.pyapi.get_type(obj),
                               c.pyapi.get_type_object("PyLong_Type"))
        with c.builder.if_then(cgutils.is_not_null(c.builder, is_int)):
            c.pyapi.err_clear()
            _raise_out_of_range(c, typ, obj)


def _integer_range(typ):
    if typ.signed:
        return -(1 << (typ.bitwidth - 1)), (1 << (typ.bitwidth - 1)) - 1
    return 0, (1 << typ.bitwidth) - 1


def _raise_out_of_range(c, typ, value_obj):
    """Set OverflowError("Python int V out of range for T") (a Python call: errors only)."""
    raiser = c.pyapi.constant_object(functools.partial(out_of_range, str(typ)), "overflow")
    result = c.pyapi.call_function_objargs(raiser, [value_obj])
    with c.builder.if_then(cgutils.is_not_null(c.builder, result)):
        c.pyapi.decref(result)  # (never: it always raises)


def out_of_range(type_name: str, value):
    raise OverflowError(f"Python int {int.__repr__(operator.index(value))} out of range for "
                        f"{type_name}")


def _is_scalar_of(c, obj, typ, python_type=None):
    """Whether obj is exactly `python_type` (for the type a Python number is typed as) or a
    NumPy scalar class typed `typ` (np.float64, np.int32, np.longlong...): `a[i]` and
    `a.sum()` return those, and users pass them back all the time."""
    found = is_exact_type(c, obj, python_type) if python_type else cgutils.false_bit
    for cls in _numpy_scalar_classes(typ):
        same = c.builder.icmp_unsigned("==", c.pyapi.get_type(obj),
                                       c.pyapi.constant_object(cls, f"numpy.{cls.__name__}"))
        found = c.builder.or_(found, same)
    return found


@functools.lru_cache(maxsize=None)
def _numpy_scalar_classes(typ) -> tuple:
    """The NumPy scalar classes whose values typeof() types `typ`; none while NumPy is not
    imported (no such value exists yet; a later one takes the slower typed path)."""
    np = sys.modules.get("numpy")
    if np is None:
        return ()
    dtype = np.dtype(str(typ))
    return tuple(sorted({cls for cls in np.sctypeDict.values() if np.dtype(cls) == dtype},
                        key=lambda cls: cls.__name__))


@check_exact(types.Integer)
def check_integer(typ, obj, c):
    return _is_scalar_of(c, obj, typ, "PyLong_Type" if typ == types.int64 else None)


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
    return _is_scalar_of(c, obj, typ, "PyFloat_Type" if typ == types.float64 else None)


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
    return _is_scalar_of(c, obj, typ, "PyBool_Type")


@box(types.Complex)
def box_complex(typ, val, c):
    real, imag = (c.builder.extract_value(val, i) for i in range(2))
    if typ.bitwidth == 64:
        real, imag = (c.builder.fpext(v, ir.DoubleType()) for v in (real, imag))
    return c.pyapi.complex_from_doubles(real, imag)


@unbox(types.Complex)
def unbox_complex(typ, obj, c):
    """Through complex(obj) unless obj is a Python complex: the PyComplex_*AsDouble getters
    read only the real part of a NumPy complex scalar."""
    b = c.builder
    exact = is_exact_type(c, obj, "PyComplex_Type")
    source = cgutils.alloca_once_value(b, obj)
    with b.if_then(b.not_(exact), likely=False):
        b.store(c.pyapi.call_function_objargs(c.pyapi.get_type_object("PyComplex_Type"), [obj]),
                source)
    failed = cgutils.is_null(b, b.load(source))
    value = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    with b.if_then(b.not_(failed), likely=True):
        parts = [c.pyapi._call(name, b.load(source)) for name in ("PyComplex_RealAsDouble",
                                                                  "PyComplex_ImagAsDouble")]
        if typ.bitwidth == 64:
            parts = [b.fptrunc(p, ir.FloatType()) for p in parts]
        b.store(cgutils.pack_struct(b, parts), value)
        with b.if_then(b.not_(exact)):
            c.pyapi.decref(b.load(source))
    return NativeValue(b.load(value), is_error=cgutils.is_not_null(b, c.pyapi.err_occurred()))


@check_exact(types.Complex)
def check_complex(typ, obj, c):
    return _is_scalar_of(c, obj, typ, "PyComplex_Type" if typ == types.complex128 else None)


@box(types.NoneType)
def box_none(typ, val, c):
    return c.pyapi.make_none()


@unbox(types.NoneType)
def unbox_none(typ, obj, c):
    return NativeValue(c.context.get_dummy_value())


@check_exact(types.NoneType)
def check_none(typ, obj, c):
    return c.builder.icmp_unsigned("==", obj, c.pyapi.borrow_none())


@box(types.EllipsisType)
def box_ellipsis(typ, val, c):
    ellipsis = c.pyapi.get_type_object("_Py_EllipsisObject")  # a borrowed singleton, like None
    c.pyapi.incref(ellipsis)
    return ellipsis


@unbox(types.EllipsisType)
def unbox_ellipsis(typ, obj, c):
    return NativeValue(c.context.get_dummy_value())


@check_exact(types.EllipsisType)
def check_ellipsis(typ, obj, c):
    return c.builder.icmp_unsigned("==", obj, c.pyapi.get_type_object("_Py_EllipsisObject"))


class Defaulted:
    """A parameter a call from Python left to its default: typed Omitted(default), as a call
    from compiled code leaves it, so the default stays a compile-time constant (np.sort's
    kind='quicksort' passed on by a wrapper) and is never unboxed."""

    __slots__ = ("value", "type")

    def __init__(self, value):
        self.value, self.type = value, types.Omitted(value)


@unbox(types.Omitted)
def unbox_omitted(typ, obj, c):
    """A parameter left to its default: its value is the type's constant, nothing to read."""
    return NativeValue(c.context.get_constant_null(typ))


@check_exact(types.Omitted)
def check_omitted(typ, obj, c):
    """The dispatcher's binding put a Defaulted marker where the call left the parameter out
    (always the same default for one parameter, so the class is the whole test)."""
    return c.builder.icmp_unsigned("==", c.pyapi.get_type(obj),
                                   c.pyapi.constant_object(Defaulted, "Defaulted"))


# -- tuples -----------------------------------------------------------------------------------

@box(types.BaseTuple)
def box_tuple(typ, val, c):
    tup = c.pyapi.tuple_new(len(typ))
    for i, elem_ty in enumerate(typ.types):
        item = c.box(elem_ty, c.builder.extract_value(val, i))
        c.pyapi.tuple_setitem(tup, i, item)
    return tup


def is_exact_instance(c, obj, typ, what: str):
    """i1: type(obj) is typ.instance_class (enum members, namedtuples: subclasses differ)."""
    cls = c.pyapi.constant_object(typ.instance_class, what)
    return c.builder.icmp_unsigned("==", c.pyapi.get_type(obj), cls)


def call_class(c, typ, what: str, boxed, call):
    """`call(typ.instance_class, boxed)` (a new reference), consuming `boxed`; NULL if
    boxing failed (`boxed` NULL) or the call raised."""
    result = cgutils.alloca_once_value(c.builder, c.pyapi.get_null_object())
    with c.builder.if_then(cgutils.is_not_null(c.builder, boxed)):
        cls = c.pyapi.constant_object(typ.instance_class, what)
        c.builder.store(call(cls, boxed), result)
        c.pyapi.decref(boxed)
    return c.builder.load(result)


def type_error_unless(c, ok, message: str):
    """is_error (with a TypeError set) unless `ok`."""
    with cgutils.if_unlikely(c.builder, c.builder.not_(ok)):
        c.pyapi.err_set_string("PyExc_TypeError", message)
    return c.builder.not_(ok)


@unbox(types.BaseTuple)
def unbox_tuple(typ, obj, c):
    """Validated first: a tuple of exactly len(typ) items (lists may hold anything)."""
    b = c.builder
    ok = is_exact_type(c, obj, "PyTuple_Type")
    out = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    failed = cgutils.alloca_once_value(
        b, type_error_unless(c, ok, f"expected a tuple of {len(typ)} items for {typ}"))
    with b.if_then(ok):
        size = c.pyapi.tuple_size(obj)
        right = b.icmp_signed("==", size, ir.Constant(size.type, len(typ)))
        with cgutils.if_unlikely(b, b.not_(right)):  # Numba's words (ValueError, as unpacking)
            c.pyapi.err_format("PyExc_ValueError", f"size mismatch for tuple, expected "
                               f"{len(typ)} element(s) but got %zd", size)
        b.store(b.not_(right), failed)
        with b.if_then(right):
            _unbox_items(c, typ, obj, out, failed)
    # released after use by the cleanup BoxContext.unbox adds (partial failures: above)
    return NativeValue(b.load(out), is_error=b.load(failed))


def _unbox_items(c, typ, obj, out, failed):
    """Unbox the items into `out`; at the first failure release those done and stop."""
    b = c.builder
    if isinstance(typ, types.UniTuple) and isinstance(typ.dtype, (types.Number, types.Boolean)):
        return _unbox_scalar_items(c, typ, obj, out, failed)
    done = b.append_basic_block("tuple.items.done")
    unboxed = []
    for i, elem_ty in enumerate(typ.types):
        native = c.unbox(elem_ty, c.pyapi.tuple_getitem(obj, i))
        unboxed.append(native)
        with b.if_then(native.is_error, likely=False):
            for item in reversed(unboxed):
                if item.cleanup is not None:
                    item.cleanup()
            b.store(cgutils.true_bit, failed)
            b.branch(done)
        b.store(native.value, cgutils.gep_inbounds(b, out, 0, i))
    b.branch(done)
    b.position_at_end(done)


def _unbox_scalar_items(c, typ, obj, out, failed):
    """A tuple of N scalars: one loop, so code size (and LLVM time) does not grow with N."""
    b = c.builder
    done = b.append_basic_block("tuple.items.done")
    with cgutils.for_range(b, ir.Constant(ir.IntType(64), len(typ))) as loop:
        item = c.pyapi._call("PyTuple_GetItem", obj, loop.index)
        native = c.unbox(typ.dtype, item)
        with b.if_then(native.is_error, likely=False):
            b.store(cgutils.true_bit, failed)
            b.branch(done)
        b.store(native.value, cgutils.gep_inbounds(b, out, 0, loop.index))
    b.branch(done)
    b.position_at_end(done)


@check_exact(types.BaseTuple)
def check_tuple(typ, obj, c):
    return check_tuple_items(typ, obj, c, is_exact_type(c, obj, "PyTuple_Type"))


def check_tuple_items(typ, obj, c, is_right_class):
    """i1: `is_right_class`, the tuple has len(typ) items and each passes its exact check
    (False at once when an item type has no exact check)."""
    if not all(c.has_exact_check(t) for t in typ.types):
        return cgutils.false_bit
    builder = c.builder
    result = cgutils.alloca_once_value(builder, cgutils.false_bit)
    with builder.if_then(is_right_class):
        size = c.pyapi.tuple_size(obj)
        with builder.if_then(builder.icmp_signed("==", size, ir.Constant(size.type, len(typ)))):
            done = builder.append_basic_block("tuple.check.done")
            # early exits, not an and-chain: LLVM's SLP vectorizer is quadratic on long chains
            for i, elem_ty in enumerate(typ.types):
                ok = c.check_exact(elem_ty, c.pyapi.tuple_getitem(obj, i))
                with builder.if_then(builder.not_(ok), likely=False):
                    builder.branch(done)
            builder.store(cgutils.true_bit, result)
            builder.branch(done)
            builder.position_at_end(done)
    return builder.load(result)
