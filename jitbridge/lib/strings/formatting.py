"""Text of values: repr(), hex()/oct()/bin(), format(x, spec), str.format(), str() of any value,
and what f-strings compile to (frontend/expressions.py: `f"{x!r:>8}"` is
`format(repr(x), ">8")`).

Integers and booleans are converted in compiled code. Formatting with a spec, the repr of a
float or a string, and `str.format` run CPython's own C implementations on the boxed values
(holding the GIL for the call, as str(float) does in convert.py): the mini-language and
shortest round-trip float digits are then exactly CPython's, by construction.
"""
from __future__ import annotations

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method, register_jitable
from ...typing.registry import registry
from .model import is_string, str_get, str_new, str_set
from .pycall import (BOXABLE as _BOXABLE, NUMPY_TEXT as _NUMPY_TEXT, container_boxable,
                     python_text, text_boxable)

_DIGITS = "0123456789abcdef"


# -- integers in other bases ---------------------------------------------------------------------

@register_jitable
def int_in_base(value, shift, prefix):
    """CPython's hex/oct/bin text of an integer: sign, prefix, digits of base 2**shift."""
    base = 1 << shift
    negative = value < 0
    digits, rest = 1, value
    while rest <= -base or rest >= base:
        digits, rest = digits + 1, _drop_base_digit(rest, base)
    start = negative + len(prefix)
    out = str_new(1, start + digits, 1)
    if negative:
        str_set(out, 0, 45)
    for i in range(len(prefix)):
        str_set(out, negative + i, ord(prefix[i]))
    for i in range(digits):
        digit = abs(value % (-base if negative else base))
        str_set(out, start + digits - 1 - i, ord(_DIGITS[digit]))
        value = _drop_base_digit(value, base)
    return out


@register_jitable
def _drop_base_digit(value, base):
    """value / base rounded toward zero, exact for every int64 (no negation to overflow)."""
    return (value - value % (-base if value < 0 else base)) // base


def _base_overload(shift, prefix):
    spec = "#" + prefix[1]

    def typer(x):
        if x == types.uint64:  # (beyond int64: CPython's own digits)
            return lambda x: python_text(x, "__format__", (spec,))
        if isinstance(x, (types.Integer, types.Boolean)):
            return lambda x: int_in_base(types.int64(x), shift, prefix)
    return typer


for _fn, _shift, _prefix in ((hex, 4, "0x"), (oct, 3, "0o"), (bin, 1, "0b")):
    overload(_fn)(_base_overload(_shift, _prefix))


# -- repr, str, format -----------------------------------------------------------------------------

def _own_method(value, name):
    """Whether values of type `value` have a compiled `name` method (an @overload_method)."""
    return any(hasattr(t, f"resolve_{name}") for t in registry.attribute_templates_for(value))


@overload(repr)
def repr_of(value):
    if isinstance(value, (types.Boolean, types.Integer)):
        return lambda value: str(value)
    if isinstance(value, _BOXABLE) or container_boxable(value):
        return lambda value: python_text(value, "__repr__", ())
    if _own_method(value, "__repr__"):
        return lambda value: value.__repr__()
    return _opaque_text(value)


def _opaque_text(value):
    """The text of a value that has no Python counterpart here (Numba's spelling)."""
    text = f"<object type:{value}>"
    return lambda value: text


@register_jitable
def _escaped_size(code):
    return 1 if code < 128 else 4 if code < 256 else 6 if code < 0x10000 else 10


@register_jitable
def escape_non_ascii(s):
    """`s` with each non-ASCII character as \\xhh, \\uhhhh or \\Uhhhhhhhh (ascii()'s escapes)."""
    size = 0
    for i in range(len(s)):
        size += _escaped_size(str_get(s, i))
    if size == len(s):
        return s
    out, at = str_new(1, size, 1), 0
    for i in range(len(s)):
        code = str_get(s, i)
        width = _escaped_size(code) - 2
        if width < 0:
            str_set(out, at, code)
            at += 1
            continue
        str_set(out, at, 92)
        str_set(out, at + 1, 120 if width == 2 else 117 if width == 4 else 85)
        for k in range(width):
            str_set(out, at + 2 + k, ord(_DIGITS[(code >> (4 * (width - 1 - k))) & 15]))
        at += width + 2
    return out


@overload(ascii)
def ascii_of(value):
    return lambda value: escape_non_ascii(repr(value))


@overload(format)
def format_of(value, format_spec=""):
    narrow = types.unliteral(value) in _NUMPY_TEXT  # (NumPy formats those as Python's types)
    known = isinstance(value, _BOXABLE) or _str_impl(value) is not None
    if _empty_spec(format_spec) and known and not narrow:
        return lambda value, format_spec="": str(value)  # format(x, "") is str(x) for those
    if not isinstance(value, _BOXABLE) and not container_boxable(value):
        raise TypingError(f"format() of a value of type {value} is not supported (an f-string "
                          "field or format() takes numbers, bools, strings, None, containers "
                          "of those and values with a compiled __str__)")
    if not is_string(format_spec) and not isinstance(format_spec, types.Omitted):
        raise TypingError(f"format(): the format spec must be a str, not {format_spec}")
    return lambda value, format_spec="": python_text(value, "__format__", (format_spec,))


def _empty_spec(spec) -> bool:
    return isinstance(spec, types.Omitted) or (
        isinstance(spec, types.StringLiteral) and spec.literal_value == "")


@overload_method(types.UnicodeType, "format")
@overload_method(types.StringLiteral, "format")
def str_format(template, *args):
    values = args[0].types if args and isinstance(args[0], types.BaseTuple) else args
    if all(map(text_boxable, values)):
        return lambda template, *args: python_text(template, "format", args)
    wrong = next(t for t in values if not text_boxable(t))
    raise TypingError(f"str.format() of a value of type {wrong} is not supported (numbers, "
                      "bools, strings, None and containers of those are)")


@overload(str)
def str_of_other(object=""):
    """str(), str(object=x), and str(x) for what convert.py's str(x) does not convert."""
    if isinstance(object, types.Omitted):
        return lambda object="": ""
    if is_string(object) or isinstance(object, (types.Boolean, types.Integer, types.Float)):
        return lambda object="": str(object)  # (a keyword call: convert.py's takes it)
    return _str_impl(object)


def _str_impl(value):
    if isinstance(value, (types.NoneType, types.Complex)) or container_boxable(value):
        return lambda object="": python_text(object, "__str__", ())
    if _own_method(value, "__str__"):
        return lambda object="": object.__str__()
    if _own_method(value, "__repr__"):
        return lambda object="": object.__repr__()
    if isinstance(value, types.Opaque) and not isinstance(value, types.Function):
        text = f"<object type:{value}>"
        return lambda object="": text
    return None


__all__ = ["int_in_base"]
