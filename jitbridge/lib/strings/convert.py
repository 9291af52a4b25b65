"""Conversions: str(x), int(s), float(s), ord, chr. Integers are converted in compiled code;
floats go through CPython's own repr and parser (holding the GIL for the call), so the digits
are exactly CPython's."""
from __future__ import annotations

import functools
import unicodedata

import numpy as np
from llvmlite import ir

from ... import types
from ...core import cgutils
from ...extending import intrinsic, overload, register_jitable
from ...runtime.boxing import BoxContext
from .core import char
from .pycall import python_text
from .methods import is_space
from .model import is_string, new_string, str_get, str_length, str_new, str_set

i64 = cgutils.int64_t


@register_jitable
def drop_digit(value):
    """value / 10 rounded toward zero, exact for every int64 (no negation to overflow)."""
    return (value - value % (-10 if value < 0 else 10)) // 10


@register_jitable
def int_to_str(value):
    negative = value < 0
    digits, rest = 1, value
    while rest <= -10 or rest >= 10:
        digits, rest = digits + 1, drop_digit(rest)
    out = str_new(1, digits + negative, 1)
    if negative:
        str_set(out, 0, 45)
    for i in range(digits):
        str_set(out, digits + negative - 1 - i, 48 + abs(value % (-10 if negative else 10)))
        value = drop_digit(value)
    return out


@intrinsic
def _python_conversion(typingctx, value, result):
    """CPython's str(float) (result: a string type) or float(str) (result: float64)."""
    out = types.unicode_type if is_string(result) else types.float64

    def codegen(context, builder, sig, args):
        c = BoxContext(context, builder)
        state = c.pyapi.gil_ensure()
        context.incref(builder, sig.args[0], args[0])
        obj = c.box(sig.args[0], args[0])
        convert = "PyObject_Str" if out is types.unicode_type else "PyNumber_Float"
        converted = c.pyapi._call(convert, obj)
        c.pyapi.decref(obj)
        failed = cgutils.is_null(builder, converted)
        with cgutils.if_unlikely(builder, failed):
            c.pyapi.gil_release(state)
            context.call_conv.return_python_error(builder)
        native = _copied(context, builder, c, converted, out)
        c.pyapi.decref(converted)
        c.pyapi.gil_release(state)
        return native
    return out(value, result), codegen


def _copied(context, builder, c, obj, out):
    """The native value of Python object `obj`, owning its own memory."""
    if out is types.float64:
        return c.pyapi.float_as_double(obj)
    borrowed = c.unbox(types.unicode_type, obj).value
    proxy = context.make_helper(builder, types.unicode_type, value=borrowed)
    length = proxy.length
    fresh = new_string(context, builder, ir.Constant(i64, 1), length, ir.Constant(i64, 1))
    data = context.make_helper(builder, types.unicode_type, value=fresh).data
    cgutils.memcpy(builder, data, proxy.data, length)  # repr of a float is ASCII
    return fresh


@overload(str)
def str_of(value):
    if is_string(value):
        return lambda value: value
    if isinstance(value, types.Boolean):
        return lambda value: "True" if value else "False"
    if value == types.uint64:  # (beyond int64: CPython's own digits)
        return lambda value: python_text(value, "__str__", ())
    if isinstance(value, types.Integer):
        return lambda value: int_to_str(value)
    if isinstance(value, types.Float) and value.bitwidth == 64:
        return lambda value: _python_conversion(value, "")
    if isinstance(value, types.Float):  # NumPy's text of the narrower type
        return lambda value: python_text(value, "__str__", ())


@overload(float)
def float_of(value):
    if is_string(value):
        return lambda value: _python_conversion(value, 0.0)


_INT_MIN = -(1 << 63)


@register_jitable
def _digit_value(code):
    """The value of an ASCII digit or letter (a-z: 10-35), 99 for anything else."""
    if 48 <= code <= 57:
        return code - 48
    if 97 <= code <= 122 or 65 <= code <= 90:
        return (code | 32) - 87
    return 99


@functools.cache
def digit_zeros():
    """The code point of the '0' of each run of non-ASCII decimal digits (Unicode's Nd
    characters come in runs 0-9), sorted; computed once, when int(str) is first compiled.
    Unicode has none beyond plane 1 (a test checks it for the running Python's database),
    so the scan stops there: 15 ms instead of 0.5 s."""
    return np.array([c for c in range(128, DIGITS_END)
                     if unicodedata.decimal(chr(c), -1) == 0], dtype=np.int64)


#: the end of the code points that may be decimal digits (see digit_zeros)
DIGITS_END = 0x20000


@register_jitable
def _code_digit(code, zeros):
    """The value of the digit or letter `code` (int() takes every Unicode decimal digit, as
    CPython does), 99 for any other character."""
    if code < 128:
        return _digit_value(code)
    run = np.searchsorted(zeros, code, side="right") - 1
    return code - zeros[run] if run >= 0 and code - zeros[run] < 10 else 99


@register_jitable
def _prefix_base(s, i, n):
    """The base a 0x/0o/0b prefix at i names, else 0."""
    if i + 1 < n and str_get(s, i) == 48:
        letter = str_get(s, i + 1) | 32
        if letter == 120:
            return 16
        if letter == 111:
            return 8
        if letter == 98:
            return 2
    return 0


@intrinsic
def _raise_invalid_literal(typingctx, s, base):
    """Raise CPython's ValueError for int(s, base), its message formatted by CPython (a
    compiled message would cost every int(s) call site the code of repr and concatenation)."""
    def codegen(context, builder, sig, args):
        c = BoxContext(context, builder)
        with cgutils.if_unlikely(builder, cgutils.true_bit):
            state = c.pyapi.gil_ensure()
            context.incref(builder, sig.args[0], args[0])
            obj = c.box(sig.args[0], args[0])
            c.pyapi.err_format("PyExc_ValueError", "invalid literal for int() with base %lld: %R",
                               args[1], obj)
            c.pyapi.decref(obj)
            c.pyapi.gil_release(state)
            context.call_conv.return_python_error(builder)
        return context.get_dummy_value()
    return types.none(s, types.int64), codegen


@register_jitable
def _stripped_sign(s):
    """(start, end, negative) of the digits of `s` without surrounding spaces and sign."""
    n, i = str_length(s), 0
    while i < n and is_space(str_get(s, i)):
        i += 1
    while n > i and is_space(str_get(s, n - 1)):
        n -= 1
    negative = i < n and str_get(s, i) == 45
    if i < n and (str_get(s, i) == 43 or negative):
        i += 1
    return i, n, negative


@register_jitable
def _accumulate(acc, digit, base):
    """acc * base - digit (accumulated negatively: int64's minimum is reachable), or 1 when it
    would not fit in int64."""
    low = (_INT_MIN + digit) // base
    if (_INT_MIN + digit) % base != 0:
        low += 1
    return 1 if acc < low else acc * base - digit


@register_jitable
def parse_int(s, base, zeros):
    """CPython's int(s, base): spaces, sign, 0x/0o/0b prefixes, single underscores between
    digits, any Unicode decimal digits (`zeros`: digit_zeros()); OverflowError beyond int64."""
    if base != 0 and (base < 2 or base > 36):
        raise ValueError("int() base must be >= 2 and <= 36, or 0")
    i, n, negative = _stripped_sign(s)
    prefix = _prefix_base(s, i, n)
    prefixed = prefix != 0 and (base == 0 or base == prefix)
    radix = prefix if prefixed else 10 if base == 0 else base
    i += 2 if prefixed else 0
    acc, digits, underscore_ok, pending = 0, 0, prefixed, False
    for k in range(i, n):
        code = str_get(s, k)
        if code == 95 and underscore_ok:
            underscore_ok, pending = False, True
            continue
        digit = _code_digit(code, zeros)
        if digit >= radix or (base == 0 and prefix == 0 and digits > 0 and acc == 0 and digit):
            _raise_invalid_literal(s, base)
        acc = _accumulate(acc, digit, radix)
        if acc == 1:
            raise OverflowError("int() of a string beyond the range of int64")
        digits, underscore_ok, pending = digits + 1, True, False
    if digits == 0 or pending:
        _raise_invalid_literal(s, base)
    if not negative and acc == _INT_MIN:
        raise OverflowError("int() of a string beyond the range of int64")
    return acc if negative else -acc


@overload(int)
def int_of(value, base=10):
    if is_string(value) and isinstance(base, (types.Integer, types.Omitted)):
        zeros = digit_zeros()
        return lambda value, base=10: parse_int(value, base, zeros)


@overload(ord)
def ord_of(c):
    if is_string(c):
        def impl(c):
            if str_length(c) != 1:
                raise TypeError("ord() expected a character")
            return str_get(c, 0)
        return impl


@overload(chr)
def chr_of(code):
    if isinstance(code, types.Integer):
        def impl(code):
            if code < 0 or code > 0x10FFFF:
                raise ValueError("chr() arg not in range(0x110000)")
            return char(code)
        return impl

