"""Operators on strings: len, comparisons, `in`, indexing and slicing, iteration, `+`, `*`,
hash. Every string made here is canonical (its narrowest kind), as CPython's are, so equal
strings have equal bytes and hash alike."""
from __future__ import annotations

import operator

from llvmlite import ir

from ... import types
from ...core import cgutils
from ...extending import intrinsic, overload, overload_attribute, register_jitable
from ...core.datamodel import register_model
from .._registries import AbstractTemplate, lower_builtin, register
from ..iterators import IndexedIteratorModel, iterator_next, new_iterator
from ..slices import slice_span
from .model import (as_str, bytes_find, is_string, load_char, new_string, store_char, str_copy,
                    str_get, str_hash, str_is_ascii, str_kind, str_length, str_max_code, str_new,
                    str_same_bytes, str_set)

i64 = cgutils.int64_t


@register_jitable
def kind_of(code):
    """The narrowest kind holding code point `code`."""
    if code < 256:
        return 1
    return 2 if code < 65536 else 4


@register_jitable
def char(code):
    """The one-character string of code point `code`."""
    out = str_new(kind_of(code), 1, 1 if code < 128 else 0)
    str_set(out, 0, code)
    return out


@register_jitable
def substring(s, start, step, count):
    """s[start::step] of `count` characters, in its canonical kind."""
    top = 0 if str_is_ascii(s) else str_max_code(s, start, step, count)
    out = str_new(kind_of(top), count, 1 if top < 128 else 0)
    if step == 1 and str_kind(out) == str_kind(s):
        str_copy(out, 0, s, start, count)
    else:
        for i in range(count):
            str_set(out, i, str_get(s, start + i * step))
    return out


@register_jitable
def copy_into(out, at, s):
    """Write all of `s` into `out` from position `at` (out's kind holds every character)."""
    n = str_length(s)
    if str_kind(s) == str_kind(out):
        str_copy(out, at, s, 0, n)
    else:
        for i in range(n):
            str_set(out, at + i, str_get(s, i))


@register_jitable
def concat(a, b):
    la = str_length(a)
    out = str_new(max(str_kind(a), str_kind(b)), la + str_length(b),
                  str_is_ascii(a) & str_is_ascii(b))
    copy_into(out, 0, a)
    copy_into(out, la, b)
    return out


@register_jitable
def equal(a, b):
    n = str_length(a)
    if n != str_length(b) or str_kind(a) != str_kind(b):
        return False
    return str_same_bytes(a, 0, b, 0, n)


@register_jitable
def compare(a, b):
    """-1, 0 or 1 as a < b, a == b, a > b (by code points)."""
    la, lb = str_length(a), str_length(b)
    for i in range(min(la, lb)):
        x, y = str_get(a, i), str_get(b, i)
        if x != y:
            return -1 if x < y else 1
    return (la > lb) - (la < lb)


@register_jitable
def matches_at(s, at, sub):
    """Whether `sub` occurs in `s` at position `at` (which leaves room for it)."""
    n = str_length(sub)
    if str_kind(s) == str_kind(sub):
        return str_same_bytes(s, at, sub, 0, n)
    for i in range(n):
        if str_get(s, at + i) != str_get(sub, i):
            return False
    return True


@register_jitable
def find_in(s, sub, start, end):
    """The first position of `sub` in s[start:end] (bounds already adjusted), or -1."""
    n = str_length(sub)
    if n == 0:
        return start
    if str_kind(sub) > str_kind(s):  # canonical: sub has a character s cannot hold
        return -1
    first = str_get(sub, 0)
    if str_kind(s) == 1:  # memchr to each candidate
        at = bytes_find(s, first, start, end - n + 1) if end - n + 1 > start else -1
        while at >= 0 and not matches_at(s, at, sub):
            at = bytes_find(s, first, at + 1, end - n + 1) if end - n + 1 > at + 1 else -1
        return at
    for i in range(start, end - n + 1):
        if str_get(s, i) == first and matches_at(s, i, sub):
            return i
    return -1


@register_jitable
def repeat(s, times):
    n = str_length(s)
    times = max(times, 0)
    out = str_new(str_kind(s), n * times, str_is_ascii(s))
    for i in range(times):
        str_copy(out, i * n, s, 0, n)
    return out


@register_jitable
def checked_index(s, index):
    n = str_length(s)
    if index < 0:
        index += n
    if index < 0 or index >= n:
        raise IndexError("string index out of range")
    return index


# -- bindings to Python's operators --------------------------------------------------------------

def _both(a, b):
    return is_string(a) and is_string(b)


@overload(len)
def str_len(s):
    if is_string(s):
        return lambda s: str_length(s)


@overload(operator.add)
def str_add(a, b):
    if _both(a, b):
        return lambda a, b: concat(as_str(a), as_str(b))


@overload(operator.mul)
def str_mul(a, b):
    if is_string(a) and isinstance(b, types.Integer):
        return lambda a, b: repeat(a, b)
    if is_string(b) and isinstance(a, types.Integer):
        return lambda a, b: repeat(b, a)


def _string_and_scalar(a, b):
    """A string compared with a number or None: never equal (CPython's result)."""
    scalars = (types.Number, types.Boolean, types.NoneType)
    return is_string(a) and isinstance(b, scalars) or is_string(b) and isinstance(a, scalars)


@overload(operator.eq)
def str_eq(a, b):
    if _both(a, b):
        return lambda a, b: equal(as_str(a), as_str(b))
    if _string_and_scalar(a, b):
        return lambda a, b: False


@overload(operator.ne)
def str_ne(a, b):
    if _both(a, b):
        return lambda a, b: not equal(as_str(a), as_str(b))
    if _string_and_scalar(a, b):
        return lambda a, b: True


def _ordering(op, test):
    @overload(op)
    def str_order(a, b):
        if _both(a, b):
            return lambda a, b: test(compare(as_str(a), as_str(b)))
    return str_order


str_lt = _ordering(operator.lt, register_jitable(lambda c: c < 0))
str_le = _ordering(operator.le, register_jitable(lambda c: c <= 0))
str_gt = _ordering(operator.gt, register_jitable(lambda c: c > 0))
str_ge = _ordering(operator.ge, register_jitable(lambda c: c >= 0))


@overload(operator.contains)
def str_contains(s, sub):
    if _both(s, sub):
        return lambda s, sub: find_in(as_str(s), as_str(sub), 0, str_length(s)) >= 0


@overload(hash)
def str_hash_impl(s):
    if is_string(s):
        return lambda s: str_hash(s)


@overload(operator.getitem)
def str_getitem(s, index):
    if not is_string(s):
        return None
    if isinstance(index, types.Integer):
        return lambda s, index: char(str_get(s, checked_index(s, index)))
    if isinstance(index, types.SliceType):
        def impl(s, index):
            start, step, count = slice_span(index, str_length(s))
            return substring(as_str(s), start, step, count)
        return impl


# -- iteration: one-character strings --------------------------------------------------------------

register_model(types.UnicodeIteratorType)(IndexedIteratorModel)


class StrIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.UnicodeType) and not kws:
            return types.signature(types.UnicodeIteratorType(args[0]), args[0])
        return None


register(StrIter)
lower_builtin(iter, types.UnicodeType)(new_iterator)


def one_char(context, builder, code):
    """A new one-character string of code point `code` (LLVM)."""
    def below(limit):
        return builder.icmp_unsigned("<", code, ir.Constant(i64, limit))
    wide = builder.select(below(65536), ir.Constant(i64, 2), ir.Constant(i64, 4))
    kind = builder.select(below(256), ir.Constant(i64, 1), wide)
    ascii = builder.zext(below(128), i64)
    out = new_string(context, builder, kind, ir.Constant(i64, 1), ascii)
    proxy = context.make_helper(builder, types.unicode_type, value=out)
    store_char(builder, proxy.data, builder.sext(proxy.kind, i64), ir.Constant(i64, 0), code)
    return out


@lower_builtin("iternext", types.UnicodeIteratorType)
def str_iternext(context, builder, sig, args):
    def length(source):
        return context.make_helper(builder, types.unicode_type, value=source).length

    def item(source, index):
        proxy = context.make_helper(builder, types.unicode_type, value=source)
        return one_char(context, builder, load_char(builder, proxy.data, proxy.kind, index))
    return iterator_next(context, builder, sig, args, length=length, item=item)


# -- truth, literal iteration, Numba's private attributes -----------------------------------------

class StrTruth(AbstractTemplate):
    """bool(s) and `not s` (also what `if s:` lowers through)."""

    def generic(self, args, kws):
        if len(args) == 1 and not kws and is_string(args[0]):
            return types.signature(types.boolean, types.unicode_type)
        return None


for _key in (bool, operator.not_):
    register(type(f"Str_{_key.__name__}", (StrTruth,), {"key": _key}))


@lower_builtin(bool, types.UnicodeType)
def str_bool(context, builder, sig, args):
    length = context.make_helper(builder, types.unicode_type, value=args[0]).length
    return cgutils.is_not_null(builder, length)


@lower_builtin(operator.not_, types.UnicodeType)
def str_not(context, builder, sig, args):
    return builder.not_(str_bool(context, builder, sig, args))


class LiteralIter(AbstractTemplate):
    """Iterating a string constant iterates its runtime value."""
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.StringLiteral) and not kws:
            return types.signature(types.UnicodeIteratorType(types.unicode_type), args[0])
        return None


register(LiteralIter)


@lower_builtin(iter, types.StringLiteral)
def literal_iter(context, builder, sig, args):
    value = context.cast(builder, args[0], sig.args[0], types.unicode_type)
    return new_iterator(context, builder, sig.replace(args=(types.unicode_type,)), [value])


def _private_attribute(name, getter):
    def typing(s):
        def impl(s):
            return getter(s)
        return impl
    for cls in (types.UnicodeType, types.StringLiteral):
        overload_attribute(cls, name)(typing)


_private_attribute("_is_ascii", str_is_ascii)
_private_attribute("_kind", str_kind)
_private_attribute("_length", str_length)
