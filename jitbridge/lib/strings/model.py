"""The string value, its CPython layout, boxing and the primitive intrinsics the rest of the
package is written with (in Python, through the public extension API)."""
from __future__ import annotations

import ctypes
import sys

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...core.datamodel import models, register_model
from ...core.layout import OBJECT_HEADER
from ...extending import intrinsic
from ...runtime import nrt
from ...runtime.boxing import (NativeValue, box, check_exact, is_exact_type, parent_or_new,
                               unbox)
from .._registries import lower_cast

i8, i32, i64, i8p = ir.IntType(8), ir.IntType(32), cgutils.int64_t, cgutils.voidptr_t

# -- the PyUnicode layout (PEP 393), read in place and checked against real strings ----------
LENGTH = OBJECT_HEADER
HASH = LENGTH + 8
STATE = HASH + 8
ASCII_DATA = sys.getsizeof("") - 1            # compact ASCII: characters follow PyASCIIObject
COMPACT_DATA = sys.getsizeof("\xe9") - 2      # other compact strings: after PyCompactUnicodeObject
DATA_POINTER = str.__basicsize__ - 8          # str subclasses: PyUnicodeObject.data.any
KIND_SHIFT, COMPACT_BIT, ASCII_BIT = 2, 1 << 5, 1 << 6


def _read_layout(text: str):
    """(kind, is_ascii, length, data address) of `text`, as generated code reads it."""
    state = ctypes.c_uint32.from_address(id(text) + STATE).value
    if state & COMPACT_BIT:
        data = id(text) + (ASCII_DATA if state & ASCII_BIT else COMPACT_DATA)
    else:
        data = ctypes.c_void_p.from_address(id(text) + DATA_POINTER).value
    kind = (state >> KIND_SHIFT) & 7
    return kind, bool(state & ASCII_BIT), ctypes.c_ssize_t.from_address(id(text) + LENGTH).value, data


def _check_layout():
    class Sub(str):
        pass
    samples = ["abc", "d\xe9f", "\u0100\u0101", "x\U0001f600", Sub("sub\xe9")]
    for text in samples:
        kind, _, length, data = _read_layout(text)
        read = ctypes.string_at(data, length * kind) if kind in (1, 2, 4) else b""
        codec = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}.get(kind)
        if codec is None or length != len(text) or read.decode(codec) != str(text):
            raise ImportError("jitbridge does not support this CPython build's str layout; "
                              "please report it with `python -VV`")


_check_layout()


# -- the native value ----------------------------------------------------------------------------

@register_model(types.UnicodeType)
class UnicodeModel(models.StructModel):
    """data: the characters (kind bytes each, NUL-terminated); meminfo: the owner of `data`
    (NULL for constants and borrowed arguments); parent: the str it was unboxed from."""

    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [
            ("data", types.voidptr), ("length", types.intp), ("kind", types.int32),
            ("is_ascii", types.int32), ("hash", types.intp),
            ("meminfo", types.meminfo_pointer), ("parent", types.pyobject)])


def make_string(context, builder, data, length, kind, is_ascii, meminfo=None, parent=None,
                hash_value=-1):
    """A string value from its fields."""
    s = context.make_helper(builder, types.unicode_type)
    s.data, s.length = data, length
    s.kind, s.is_ascii = kind, is_ascii
    s.hash = ir.Constant(i64, hash_value) if isinstance(hash_value, int) else hash_value
    s.meminfo = meminfo if meminfo is not None else ir.Constant(i8p, None)
    s.parent = parent if parent is not None else ir.Constant(i8p, None)
    return s._getvalue()


def canonical(text: str):
    """(kind, is_ascii, bytes) of `text` in CPython's narrowest representation."""
    top = max(map(ord, text), default=0)
    kind = 1 if top < 256 else 2 if top < 65536 else 4
    codec = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}[kind]
    return kind, top < 128, text.encode(codec)


def constant_string(context, builder, text: str):
    """A string value whose characters are a constant global (no owner)."""
    kind, is_ascii, raw = canonical(text)
    data = cgutils.global_constant(builder.module, "jb.str",
                                   cgutils.make_bytearray(raw + b"\0" * kind))
    return make_string(context, builder, builder.bitcast(data, i8p), ir.Constant(i64, len(text)),
                       ir.Constant(i32, kind), ir.Constant(i32, int(is_ascii)))


@lower_cast(types.StringLiteral, types.UnicodeType)
def literal_to_unicode(context, builder, fromty, toty, val):
    return constant_string(context, builder, fromty.literal_value)


@lower_cast(types.UnicodeType, types.StringLiteral)
def unicode_to_literal(context, builder, fromty, toty, val):
    """An argument a literal request typed as its value (np.asarray(s) compiles per value):
    the type carries the text, the run-time string is not needed."""
    return context.get_constant_null(toty)


# -- boxing ------------------------------------------------------------------------------------

def _load_at(builder, obj, offset, ty):
    ptr = builder.gep(obj, [ir.Constant(i64, offset)])
    return builder.load(builder.bitcast(ptr, ty.as_pointer()))


def _object_data(builder, obj, state):
    """PyUnicode_DATA(obj) from its state bits."""
    compact = builder.icmp_unsigned("!=", builder.and_(state, ir.Constant(i32, COMPACT_BIT)),
                                    ir.Constant(i32, 0))
    ascii = builder.icmp_unsigned("!=", builder.and_(state, ir.Constant(i32, ASCII_BIT)),
                                  ir.Constant(i32, 0))
    inline = builder.select(ascii, ir.Constant(i64, ASCII_DATA), ir.Constant(i64, COMPACT_DATA))
    separate = _load_at(builder, obj, DATA_POINTER, i8p)
    return builder.select(compact, builder.gep(obj, [inline]), separate)


@unbox(types.UnicodeType)
def unbox_unicode(typ, obj, c):
    """Zero-copy: the value reads the str's own buffer. An argument borrows it (the caller
    keeps the str alive for the call); an owned value keeps the str alive with a MemInfo."""
    b = c.builder
    is_str = c.pyapi._call("PyType_IsSubtype", c.pyapi.get_type(obj),
                           c.pyapi.get_type_object("PyUnicode_Type"))
    failed = cgutils.is_null(b, is_str)
    slot = cgutils.alloca_once(b, c.context.get_value_type(typ), zfill=True)
    with b.if_else(failed, likely=False) as (bad, good):
        with bad:
            c.pyapi.err_set_string("PyExc_TypeError", "expected a str")
        with good:
            b.store(_unbox_str(c, obj), slot)
    return NativeValue(b.load(slot), is_error=failed)


@unbox(types.StringLiteral)
def unbox_string_literal(typ, obj, c):
    """An argument typed by its value (literal dispatch, see literal_dispatch.py): the
    specialisation runs for that value only, so it carries no data."""
    return NativeValue(c.context.get_constant_null(typ))


def _unbox_str(c, obj):
    b = c.builder
    state = _load_at(b, obj, STATE, i32)
    data = _object_data(b, obj, state)
    meminfo = nrt.adopt_pyobject(b, data, obj) if c.owned else None
    kind = b.and_(b.lshr(state, ir.Constant(i32, KIND_SHIFT)), ir.Constant(i32, 7))
    is_ascii = b.lshr(b.and_(state, ir.Constant(i32, ASCII_BIT)), ir.Constant(i32, 6))
    return make_string(c.context, b, data, _load_at(b, obj, LENGTH, i64), kind, is_ascii,
                       meminfo=meminfo, parent=obj, hash_value=_load_at(b, obj, HASH, i64))


@check_exact(types.UnicodeType)
def check_unicode(typ, obj, c):
    return is_exact_type(c, obj, "PyUnicode_Type")


@box(types.UnicodeType)
def box_unicode(typ, val, c):
    """The str it came from if any (same object, as CPython passes it), else a new str.
    Steals `val`."""
    b = c.builder
    s = c.context.make_helper(b, typ, value=val)
    make = cgutils.declare_c_function(b.module, "PyUnicode_FromKindAndData", i8p,
                                      [i32, i8p, i64])
    boxed = parent_or_new(c, s.parent, lambda: b.call(make, [s.kind, s.data, s.length]))
    c.context.decref(b, typ, val)
    return boxed


# -- primitives for the Python-level implementations ---------------------------------------------

def _as_unicode(context, builder, ty, val):
    return context.cast(builder, val, ty, types.unicode_type)


def _first_string(context, builder, sig, args):
    """The helper (data, length, kind...) of an intrinsic's first argument, a constant or
    runtime string."""
    value = _as_unicode(context, builder, sig.args[0], args[0])
    return context.make_helper(builder, types.unicode_type, value=value)


def is_string(ty) -> bool:
    return isinstance(ty, (types.UnicodeType, types.StringLiteral))


def _field_intrinsic(name, result):
    """An intrinsic reading field `name` of a string."""
    def definition(typingctx, s):
        if not is_string(s):
            return None

        def codegen(context, builder, sig, args):
            value = _as_unicode(context, builder, sig.args[0], args[0])
            field = getattr(context.make_helper(builder, types.unicode_type, value=value), name)
            return builder.sext(field, i64) if field.type != i64 else field
        return result(s), codegen
    definition.__name__ = f"_str_{name}"
    return intrinsic(definition)


str_kind = _field_intrinsic("kind", types.intp)
str_is_ascii = _field_intrinsic("is_ascii", types.intp)
str_length = _field_intrinsic("length", types.intp)


def _typed_data(builder, data, kind_bytes):
    return builder.bitcast(data, ir.IntType(8 * kind_bytes).as_pointer())


def load_char(builder, data, kind, index):
    """The code point at `index` of a buffer of `kind` bytes per character (i64)."""
    out = cgutils.alloca_once(builder, i64)
    with builder.if_else(builder.icmp_signed("==", kind, ir.Constant(kind.type, 1))) as (one, wide):
        with one:
            builder.store(builder.zext(builder.load(builder.gep(data, [index])), i64), out)
        with wide:
            is_two = builder.icmp_signed("==", kind, ir.Constant(kind.type, 2))
            with builder.if_else(is_two) as (two, four):
                for block, size in ((two, 2), (four, 4)):
                    with block:
                        ptr = builder.gep(_typed_data(builder, data, size), [index])
                        builder.store(builder.zext(builder.load(ptr), i64), out)
    return builder.load(out)


def store_char(builder, data, kind, index, code):
    """Store code point `code` at `index` of a buffer of `kind` bytes per character."""
    for size in (1, 2, 4):
        with builder.if_then(builder.icmp_signed("==", kind, ir.Constant(kind.type, size))):
            ptr = builder.gep(_typed_data(builder, data, size), [index])
            builder.store(builder.trunc(code, ir.IntType(8 * size)), ptr)


@intrinsic
def str_get(typingctx, s, index):
    """The code point of `s` at `index` (unchecked)."""
    if not is_string(s) or not isinstance(index, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        value = _as_unicode(context, builder, sig.args[0], args[0])
        proxy = context.make_helper(builder, types.unicode_type, value=value)
        index = context.cast(builder, args[1], sig.args[1], types.intp)
        return load_char(builder, proxy.data, proxy.kind, index)
    return types.intp(s, types.intp), codegen


@intrinsic
def str_set(typingctx, s, index, code):
    """Write code point `code` at `index` of a string being built (unchecked)."""
    if not isinstance(s, types.UnicodeType):
        return None

    def codegen(context, builder, sig, args):
        proxy = context.make_helper(builder, types.unicode_type, value=args[0])
        store_char(builder, proxy.data, proxy.kind, args[1], args[2])
        return context.get_dummy_value()
    return types.none(s, types.intp, types.intp), codegen


def new_string(context, builder, kind, length, is_ascii):
    """A string of `length` characters to fill in, owning an NRT buffer (NUL-terminated)."""
    nbytes = builder.mul(builder.add(length, ir.Constant(i64, 1)), kind)
    mi = _allocate_with_header(builder, nbytes)
    data = nrt.meminfo_data(builder, mi)
    store_char(builder, data, kind, length, ir.Constant(i64, 0))
    return make_string(context, builder, data, length, builder.trunc(kind, i32),
                       builder.trunc(is_ascii, i32), meminfo=mi)


def _allocate_with_header(builder, nbytes):
    """A MemInfo whose data follows its header in one malloc block (jb_nrt_free frees the
    header, hence the whole block): half the allocations of nrt.allocate, whose data is
    64-byte aligned for vector code that strings do not need."""
    module = builder.module
    raw = builder.call(cgutils.declare_c_function(module, "malloc", i8p, [i64]),
                       [builder.add(nbytes, ir.Constant(i64, nrt.HEADER))])
    mi = builder.bitcast(raw, nrt.meminfo_p)
    builder.store(ir.Constant(nrt.meminfo_t, [1, None, None, None, 0]), mi)
    fields = builder.gep(mi, [ir.Constant(i32, 0), ir.Constant(i32, 3)]), \
        builder.gep(mi, [ir.Constant(i32, 0), ir.Constant(i32, 4)])
    builder.store(builder.gep(raw, [ir.Constant(i64, nrt.HEADER)]), fields[0])
    builder.store(nbytes, fields[1])
    stats = module.globals.get(nrt.STATS_SYMBOL)
    if stats is None:
        stats = ir.GlobalVariable(module, ir.ArrayType(i64, 2), nrt.STATS_SYMBOL)
    counter = builder.gep(stats, [ir.Constant(i32, 0), ir.Constant(i32, 0)])
    builder.atomic_rmw("add", counter, ir.Constant(i64, 1), "monotonic")
    return raw


@intrinsic
def str_new(typingctx, kind, length, is_ascii):
    """An uninitialised string (filled with str_set / str_copy)."""
    def codegen(context, builder, sig, args):
        return new_string(context, builder, *args)
    return types.unicode_type(types.intp, types.intp, types.intp), codegen


@intrinsic
def str_copy(typingctx, dst, dst_start, src, src_start, count):
    """Copy `count` characters between strings of the same kind (unchecked)."""
    if not isinstance(dst, types.UnicodeType) or not is_string(src):
        return None

    def codegen(context, builder, sig, args):
        d = context.make_helper(builder, types.unicode_type, value=args[0])
        s = context.make_helper(builder, types.unicode_type,
                                value=_as_unicode(context, builder, sig.args[2], args[2]))
        kind = builder.sext(d.kind, i64)
        target = builder.gep(d.data, [builder.mul(args[1], kind)])
        source = builder.gep(s.data, [builder.mul(args[3], kind)])
        cgutils.memcpy(builder, target, source, builder.mul(args[4], kind))
        return context.get_dummy_value()
    return types.none(dst, types.intp, src, types.intp, types.intp), codegen


@intrinsic
def str_same_bytes(typingctx, a, a_start, b, b_start, count):
    """Whether `count` characters of same-kind strings are equal (memcmp)."""
    if not is_string(a) or not is_string(b):
        return None

    def codegen(context, builder, sig, args):
        x = _first_string(context, builder, sig, args)
        y = context.make_helper(builder, types.unicode_type,
                                value=_as_unicode(context, builder, sig.args[2], args[2]))
        kind = builder.sext(x.kind, i64)
        memcmp = cgutils.declare_c_function(builder.module, "memcmp", i32, [i8p, i8p, i64])
        result = builder.call(memcmp, [builder.gep(x.data, [builder.mul(args[1], kind)]),
                                       builder.gep(y.data, [builder.mul(args[3], kind)]),
                                       builder.mul(args[4], kind)])
        return builder.icmp_signed("==", result, ir.Constant(i32, 0))
    return types.boolean(a, types.intp, b, types.intp, types.intp), codegen


@intrinsic
def str_hash(typingctx, s):
    """CPython's hash(s): the cached one, else _Py_HashBytes of the canonical buffer."""
    if not is_string(s):
        return None

    def codegen(context, builder, sig, args):
        proxy = _first_string(context, builder, sig, args)
        out = cgutils.alloca_once_value(builder, proxy.hash)
        with builder.if_then(builder.icmp_signed("==", proxy.hash, ir.Constant(i64, -1))):
            hash_bytes = cgutils.declare_c_function(builder.module, "_Py_HashBytes", i64, [i8p, i64])
            nbytes = builder.mul(proxy.length, builder.sext(proxy.kind, i64))
            builder.store(builder.call(hash_bytes, [proxy.data, nbytes]), out)
        return builder.load(out)
    return types.intp(s), codegen


@intrinsic
def bytes_find(typingctx, s, code, start, end):
    """memchr for a one-byte-kind string: the position of `code` in s[start:end], or -1."""
    if not is_string(s):
        return None

    def codegen(context, builder, sig, args):
        proxy = _first_string(context, builder, sig, args)
        _, code, start, end = args
        memchr = cgutils.declare_c_function(builder.module, "memchr", i8p, [i8p, i32, i64])
        begin = builder.gep(proxy.data, [start])
        found = builder.call(memchr, [begin, builder.trunc(code, i32), builder.sub(end, start)])
        offset = builder.sub(builder.ptrtoint(found, i64), builder.ptrtoint(proxy.data, i64))
        return builder.select(cgutils.is_null(builder, found), ir.Constant(i64, -1), offset)
    return types.intp(s, types.intp, types.intp, types.intp), codegen


@intrinsic
def as_str(typingctx, s):
    """A string constant as a runtime string, so that the helpers it is passed to compile once
    for runtime strings instead of once per constant (and run as fast)."""
    if not is_string(s):
        return None

    def codegen(context, builder, sig, args):
        value = _as_unicode(context, builder, sig.args[0], args[0])
        context.incref(builder, types.unicode_type, value)
        return value
    return types.unicode_type(s), codegen


@intrinsic
def str_max_code(typingctx, s, start, step, count):
    """The largest code point of s[start::step][:count] (0 if empty): one tight loop per kind,
    which LLVM vectorises for the common contiguous case."""
    if not is_string(s):
        return None

    def codegen(context, builder, sig, args):
        proxy = _first_string(context, builder, sig, args)
        _, start, step, count = args
        top = cgutils.alloca_once_value(builder, ir.Constant(i64, 0))
        kind = builder.sext(proxy.kind, i64)
        for size in (1, 2, 4):
            with builder.if_then(builder.icmp_signed("==", kind, ir.Constant(i64, size))):
                data = _typed_data(builder, proxy.data, size)
                with cgutils.for_range(builder, count) as loop:
                    at = builder.add(start, builder.mul(loop.index, step))
                    code = builder.zext(builder.load(builder.gep(data, [at])), i64)
                    old = builder.load(top)
                    builder.store(builder.select(builder.icmp_unsigned(">", code, old), code, old), top)
        return builder.load(top)
    return types.intp(s, types.intp, types.intp, types.intp), codegen
