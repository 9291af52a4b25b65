"""Conversions: str(x), int(s), float(s), ord, chr. Integers are converted in compiled code;
floats go through CPython's own repr and parser (holding the GIL for the call), so the digits
are exactly CPython's."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...extending import intrinsic, overload, register_jitable
from ...runtime.boxing import BoxContext
from .core import char
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
    if isinstance(value, types.Integer):
        return lambda value: int_to_str(value)
    if isinstance(value, types.Float):
        return lambda value: _python_conversion(value, "")


@overload(float)
def float_of(value):
    if is_string(value):
        return lambda value: _python_conversion(value, 0.0)


@register_jitable
def parse_int(s):
    n, i = str_length(s), 0
    while i < n and is_space(str_get(s, i)):
        i += 1
    while n > i and is_space(str_get(s, n - 1)):
        n -= 1
    sign = 1
    if i < n and (str_get(s, i) == 43 or str_get(s, i) == 45):
        sign, i = 44 - str_get(s, i), i + 1
    if i >= n:
        raise ValueError("invalid literal for int() with base 10")
    total = 0
    for k in range(i, n):
        code = str_get(s, k)
        if code < 48 or code > 57:
            raise ValueError("invalid literal for int() with base 10")
        total = total * 10 + (code - 48)
    return sign * total


@overload(int)
def int_of(value):
    if is_string(value):
        return lambda value: parse_int(value)


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

