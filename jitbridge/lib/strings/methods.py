"""str methods that search, cut, join and pad (CPython's semantics, argument by argument)."""
from __future__ import annotations

from ... import types
from ...errors import TypingError
from ...extending import intrinsic, overload, overload_method, register_jitable
from .core import concat, copy_into, find_in, kind_of, matches_at, substring
from .model import as_str, is_string, str_get, str_is_ascii, str_kind, str_length, str_new, str_set


def _absent(ty) -> bool:
    return isinstance(ty, (types.Omitted, types.NoneType)) or ty is None


def or_default(value, default):
    """`value`, or `default` where the argument was left out or None (resolved in typing)."""


@overload(or_default)
def _or_default(value, default):
    if _absent(value):
        return lambda value, default: default
    if isinstance(value, types.Optional):  # None or a value: decided when run
        return _optional_or_default
    return lambda value, default: value


def _optional_or_default(value, default):
    if value is None:
        return default
    return value


def str_method(name):
    """Register an @overload_method for runtime strings and string constants alike."""
    def decorate(func):
        for cls in (types.UnicodeType, types.StringLiteral):
            overload_method(cls, name)(func)
        return func
    return decorate


def require(ty, accepted, message):
    """Numba's typing errors for a bad argument (its wording, which users match on). An
    Optional is accepted where None and its value type are."""
    value = ty.type if isinstance(ty, types.Optional) and types.NoneType in accepted else ty
    if not (isinstance(value, accepted) or _absent(value) and types.NoneType in accepted):
        raise TypingError(message.format(ty=ty))


STRINGS = (types.UnicodeType, types.StringLiteral)
INDICES = (types.Integer, types.NoneType)
_SEP = f'"sep" must be {(types.UnicodeType, types.UnicodeCharSeq)}, not {{ty}}'
_INT = (types.Integer, int)


def _check_search(method, sub, start, end):
    if method == "count":
        require(sub, STRINGS, "The substring must be a UnicodeType, not {ty}")
        for bound in (start, end):
            require(bound, INDICES, "The slice indices must be an Integer or None, not {ty}")
        return
    require(sub, STRINGS, f'"substr" must be {types.UnicodeType}, not {{ty}}')
    require(start, INDICES, f'"start" must be {INDICES}, not {{ty}}')
    require(end, INDICES, f'"end" must be {INDICES}, not {{ty}}')


@register_jitable
def adjust(start, end, n):
    """CPython's ADJUST_INDICES: slice-like bounds, `start` not clamped above."""
    if end > n:
        end = n
    elif end < 0:
        end = max(end + n, 0)
    if start < 0:
        start = max(start + n, 0)
    return start, end


@register_jitable
def rfind_in(s, sub, start, end):
    n = str_length(sub)
    if n == 0:
        return end
    if str_kind(sub) > str_kind(s):
        return -1
    for i in range(end - n, start - 1, -1):
        if matches_at(s, i, sub):
            return i
    return -1


def _search(method, finder, missing):
    """find/rfind/index/rindex: `missing` raises instead of returning -1 (index, rindex)."""
    @str_method(method)
    def impl_for(s, sub, start=None, end=None):
        _check_search(method, sub, start, end)

        def impl(s, sub, start=None, end=None):
            lo, hi = adjust(or_default(start, 0), or_default(end, str_length(s)), str_length(s))
            found = -1 if hi - lo < str_length(sub) else finder(as_str(s), as_str(sub), lo, hi)
            if missing and found < 0:
                raise ValueError("substring not found")
            return found
        return impl
    return impl_for


str_find = _search("find", find_in, False)
str_rfind = _search("rfind", rfind_in, False)
str_index = _search("index", find_in, True)
str_rindex = _search("rindex", rfind_in, True)


@str_method("count")
def str_count(s, sub, start=None, end=None):
    _check_search("count", sub, start, end)

    def impl(s, sub, start=None, end=None):
        lo, hi = adjust(or_default(start, 0), or_default(end, str_length(s)), str_length(s))
        n = str_length(sub)
        if hi - lo < n:
            return 0
        if n == 0:
            return hi - lo + 1
        total, at = 0, find_in(s, sub, lo, hi)
        while at >= 0:
            total += 1
            at = find_in(s, sub, at + n, hi)
        return total
    return impl


@intrinsic
def string_tuple(typingctx, items):
    """A tuple of string constants and values as a UniTuple of runtime strings."""
    if not isinstance(items, types.BaseTuple) or not all(map(is_string, items.types)):
        return None
    result = types.UniTuple(types.unicode_type, len(items))

    def codegen(context, builder, sig, args):
        values = [context.cast(builder, builder.extract_value(args[0], i), ty, types.unicode_type)
                  for i, ty in enumerate(items.types)]
        for value in values:
            context.incref(builder, types.unicode_type, value)
        return context.make_tuple(builder, result, values)
    return result(items), codegen


@register_jitable
def has_affix(s, affix, start, end, at_end):
    lo, hi = adjust(start, end, str_length(s))
    n = str_length(affix)
    if hi - lo < n or lo > str_length(s):
        return False
    return matches_at(s, hi - n if at_end else lo, affix)


def _affix(method, at_end):
    @str_method(method)
    def impl_for(s, prefix, start=None, end=None):
        is_tuple = isinstance(prefix, types.BaseTuple) and all(map(is_string, prefix.types))
        if not is_tuple:
            require(prefix, STRINGS, "The arg 'prefix' should be a string or a tuple of strings")
        for name, bound in (("start", start), ("end", end)):
            require(bound, INDICES, f"When specified, the arg '{name}' must be an Integer or None")

        def impl(s, prefix, start=None, end=None):
            return has_affix(as_str(s), as_str(prefix), or_default(start, 0),
                             or_default(end, str_length(s)), at_end)

        def any_impl(s, prefix, start=None, end=None):
            lo, hi = or_default(start, 0), or_default(end, str_length(s))
            for affix in string_tuple(prefix):
                if has_affix(s, affix, lo, hi, at_end):
                    return True
            return False
        return any_impl if is_tuple else impl
    return impl_for


str_startswith = _affix("startswith", False)
str_endswith = _affix("endswith", True)


def _remove_affix(method, at_end):
    @str_method(method)
    def impl_for(s, affix):
        if not is_string(affix):
            raise TypingError(f"{method}() argument must be str, not {affix}")

        def impl(s, affix):
            s, affix = as_str(s), as_str(affix)
            if len(affix) == 0 or not has_affix(s, affix, 0, len(s), at_end):
                return s
            return s[:len(s) - len(affix)] if at_end else s[len(affix):]
        return impl
    return impl_for


str_removeprefix = _remove_affix("removeprefix", False)
str_removesuffix = _remove_affix("removesuffix", True)


# -- whitespace ------------------------------------------------------------------------------------

@register_jitable
def is_space(code):
    """Python's str.isspace of one code point (Unicode White_Space and bidi B/S/WS)."""
    if code < 128:
        return (9 <= code <= 13) or (28 <= code <= 32)
    return (code == 0x85 or code == 0xA0 or code == 0x1680 or 0x2000 <= code <= 0x200A
            or code == 0x2028 or code == 0x2029 or code == 0x202F or code == 0x205F
            or code == 0x3000)


@register_jitable
def in_chars(code, chars):
    for i in range(str_length(chars)):
        if str_get(chars, i) == code:
            return True
    return False


@register_jitable
def strippable(code, chars, whitespace):
    return is_space(code) if whitespace else in_chars(code, chars)


@register_jitable
def strip_span(s, chars, whitespace, left, right):
    lo, hi = 0, str_length(s)
    while left and lo < hi and strippable(str_get(s, lo), chars, whitespace):
        lo += 1
    while right and hi > lo and strippable(str_get(s, hi - 1), chars, whitespace):
        hi -= 1
    return lo, hi


def _strip(method, left, right):
    @str_method(method)
    def impl_for(s, chars=None):
        require(chars, STRINGS + (types.NoneType,),
                "The arg must be a UnicodeType or None (the 'chars' argument is {ty})")
        whitespace = _absent(chars)
        if isinstance(chars, types.Optional):  # None or a str: decided when run
            def optional_impl(s, chars=None):
                lo, hi = strip_span(as_str(s), as_str(or_default(chars, s)), chars is None,
                                    left, right)
                return substring(as_str(s), lo, 1, hi - lo)
            return optional_impl

        def impl(s, chars=None):
            lo, hi = strip_span(as_str(s), as_str(or_default(chars, s)), whitespace, left, right)
            return substring(as_str(s), lo, 1, hi - lo)
        return impl
    return impl_for


str_strip = _strip("strip", True, True)
str_lstrip = _strip("lstrip", True, False)
str_rstrip = _strip("rstrip", False, True)


# -- split and join --------------------------------------------------------------------------------

@register_jitable
def split_on(s, sep, maxsplit):
    if str_length(sep) == 0:
        raise ValueError("empty separator")
    out = []
    lo, n = 0, str_length(s)
    at = find_in(s, sep, 0, n)
    while at >= 0 and maxsplit != 0:
        out.append(substring(s, lo, 1, at - lo))
        lo = at + str_length(sep)
        maxsplit -= 1
        at = find_in(s, sep, lo, n) if n - lo >= str_length(sep) else -1
    out.append(substring(s, lo, 1, n - lo))
    return out


@register_jitable
def split_whitespace(s, maxsplit):
    out = []
    i, n = 0, str_length(s)
    while True:
        while i < n and is_space(str_get(s, i)):
            i += 1
        if i == n:
            break
        if maxsplit == 0:  # the rest, trailing whitespace included (as CPython)
            out.append(substring(s, i, 1, n - i))
            break
        j = i
        while j < n and not is_space(str_get(s, j)):
            j += 1
        out.append(substring(s, i, 1, j - i))
        maxsplit -= 1
        i = j
    return out


@register_jitable
def rsplit_on(s, sep, maxsplit):
    if str_length(sep) == 0:
        raise ValueError("empty separator")
    out = []
    hi, m = str_length(s), str_length(sep)
    at = rfind_in(s, sep, 0, hi) if hi >= m else -1
    while at >= 0 and maxsplit != 0:
        out.append(substring(s, at + m, 1, hi - at - m))
        hi = at
        maxsplit -= 1
        at = rfind_in(s, sep, 0, hi) if hi >= m else -1
    out.append(substring(s, 0, 1, hi))
    return reverse_in_place(out)


@register_jitable
def rsplit_whitespace(s, maxsplit):
    out = []
    j = str_length(s)
    while True:
        while j > 0 and is_space(str_get(s, j - 1)):
            j -= 1
        if j == 0:
            break
        if maxsplit == 0:
            out.append(substring(s, 0, 1, j))
            break
        i = j
        while i > 0 and not is_space(str_get(s, i - 1)):
            i -= 1
        out.append(substring(s, i, 1, j - i))
        maxsplit -= 1
        j = i
    return reverse_in_place(out)


@register_jitable
def reverse_in_place(items):
    i, j = 0, len(items) - 1
    while i < j:
        items[i], items[j] = items[j], items[i]
        i, j = i + 1, j - 1
    return items


def _split(method, on_sep, on_space):
    @str_method(method)
    def impl_for(s, sep=None, maxsplit=-1):
        require(sep, STRINGS + (types.NoneType,), _SEP)
        require(maxsplit, (types.Integer, types.Omitted), f'"maxsplit" must be {_INT}, not {{ty}}')
        if _absent(sep):
            return lambda s, sep=None, maxsplit=-1: on_space(as_str(s), maxsplit)
        return lambda s, sep=None, maxsplit=-1: on_sep(as_str(s), as_str(sep), maxsplit)
    return impl_for


str_split = _split("split", split_on, split_whitespace)
str_rsplit = _split("rsplit", rsplit_on, rsplit_whitespace)


@register_jitable
def is_line_break(code):
    return (10 <= code <= 13 or 28 <= code <= 30 or code == 0x85 or code == 0x2028
            or code == 0x2029)


@str_method("splitlines")
def str_splitlines(s, keepends=False):
    accepted = (types.Integer, int, types.Boolean, bool)
    require(keepends, accepted + (types.Omitted,), f'"keepends" must be {accepted}, not {{ty}}')

    def impl(s, keepends=False):
        out = []
        i, n = 0, str_length(s)
        while i < n:
            j = i
            while j < n and not is_line_break(str_get(s, j)):
                j += 1
            eol = j
            if j < n:
                j += 2 if str_get(s, j) == 13 and j + 1 < n and str_get(s, j + 1) == 10 else 1
                if keepends:
                    eol = j
            out.append(substring(s, i, 1, eol - i))
            i = j
        return out
    return impl


def _string_items(seq) -> bool:
    if isinstance(seq, types.BaseTuple):
        return all(map(is_string, seq.types))
    return isinstance(seq, types.List) and is_string(seq.dtype) or is_string(seq) or \
        _iterated_strings(seq)


def _iterated_strings(seq) -> bool:
    """Iterators (map, filter, generators...), sets and dicts of strings."""
    item = getattr(seq, "yield_type", None)
    if isinstance(seq, types.DictType):
        item = seq.key_type
    elif isinstance(seq, types.Set):
        item = seq.dtype
    return isinstance(item, types.Type) and is_string(item)


@register_jitable
def join_items(sep, parts):
    count, length, kind, ascii = 0, 0, str_kind(sep), str_is_ascii(sep)
    for part in parts:
        count += 1
        length += str_length(part)
        kind, ascii = max(kind, str_kind(part)), ascii & str_is_ascii(part)
    if count == 0:
        return substring(sep, 0, 1, 0)
    out = str_new(kind, length + (count - 1) * str_length(sep), ascii)
    at, first = 0, True
    for part in parts:
        if not first:
            copy_into(out, at, sep)
            at += str_length(sep)
        copy_into(out, at, part)
        at, first = at + str_length(part), False
    return out


@str_method("join")
def str_join(sep, parts):
    if not _string_items(parts):
        raise TypingError(f"str.join() takes an iterable of str, not {parts}")
    if isinstance(parts, types.BaseTuple):
        return lambda sep, parts: join_items(as_str(sep), string_tuple(parts))
    if _iterated_strings(parts):  # (iterators give their items once: join_items reads twice)
        return lambda sep, parts: join_items(as_str(sep), list(parts))
    return lambda sep, parts: join_items(as_str(sep), parts)


@str_method("replace")
def str_replace(s, old, new, count=-1):
    require(old, STRINGS, "The object must be a UnicodeType.")
    require(new, STRINGS, "The object must be a UnicodeType.")
    require(count, (types.Integer, types.Omitted),
            "Unsupported parameters. The parameters must be Integer.")

    def impl(s, old, new, count=-1):
        n, m = str_length(s), str_length(old)
        out, lo, done = substring(s, 0, 1, 0), 0, 0
        if m == 0:
            limit = n + 1 if count < 0 else min(count, n + 1)
            for i in range(limit):
                out = concat(concat(out, new), substring(s, i, 1, 1 if i < n else 0))
            return concat(out, substring(s, limit, 1, n - limit)) if limit <= n else out
        at = find_in(s, old, 0, n) if n >= m else -1
        while at >= 0 and done != count:
            out = concat(concat(out, substring(s, lo, 1, at - lo)), new)
            lo, done = at + m, done + 1
            at = find_in(s, old, lo, n) if n - lo >= m else -1
        return concat(out, substring(s, lo, 1, n - lo))
    return impl


# -- padding and partition -------------------------------------------------------------------------

@register_jitable
def pad(s, left, right, fill):
    n = str_length(s)
    out = str_new(max(str_kind(s), kind_of(fill)), left + n + right,
                  str_is_ascii(s) & (1 if fill < 128 else 0))
    for i in range(left):
        str_set(out, i, fill)
    copy_into(out, left, s)
    for i in range(right):
        str_set(out, left + n + i, fill)
    return out


@register_jitable
def fill_code(fillchar):
    if str_length(fillchar) != 1:
        raise TypeError("The fill character must be exactly one character long")
    return str_get(fillchar, 0)


def _padding(method, split):
    @str_method(method)
    def impl_for(s, width, fillchar=" "):
        require(width, (types.Integer,), "The width must be an Integer, not {ty}")
        require(fillchar, STRINGS + (types.Omitted,), "The fillchar must be a UnicodeType, not {ty}")

        def impl(s, width, fillchar=" "):
            extra = max(width - str_length(s), 0)
            left = split(extra, width)
            return pad(s, left, extra - left, fill_code(fillchar))
        return impl
    return impl_for


str_ljust = _padding("ljust", register_jitable(lambda extra, width: 0))
str_rjust = _padding("rjust", register_jitable(lambda extra, width: extra))
# CPython centres odd padding to the left when the width is odd
str_center = _padding("center", register_jitable(
    lambda extra, width: extra // 2 + (extra & width & 1)))


@str_method("zfill")
def str_zfill(s, width):
    require(width, (types.Integer,), "<width> must be an Integer, not {ty}")

    def impl(s, width):
        n = str_length(s)
        extra = max(width - n, 0)
        out = pad(s, extra, 0, 48)
        if extra and n and (str_get(s, 0) == 43 or str_get(s, 0) == 45):
            str_set(out, 0, str_get(s, 0))
            str_set(out, extra, 48)
        return out
    return impl


def _partition(method, finder, missing_left):
    @str_method(method)
    def impl_for(s, sep):
        require(sep, STRINGS, _SEP)

        def impl(s, sep):
            n, m = str_length(s), str_length(sep)
            if m == 0:
                raise ValueError("empty separator")
            at = finder(s, sep, 0, n) if n >= m else -1
            empty = substring(s, 0, 1, 0)
            if at < 0:
                return (empty, empty, s) if missing_left else (s, empty, empty)
            return substring(s, 0, 1, at), substring(sep, 0, 1, m), substring(s, at + m, 1, n - at - m)
        return impl
    return impl_for


str_partition = _partition("partition", find_in, False)
str_rpartition = _partition("rpartition", rfind_in, True)


@str_method("expandtabs")
def str_expandtabs(s, tabsize=8):
    require(tabsize, (types.Integer, types.Omitted), f'"tabsize" must be {_INT}, not {{ty}}')

    def impl(s, tabsize=8):
        length, column = 0, 0
        for i in range(str_length(s)):
            code = str_get(s, i)
            step = (tabsize - column % tabsize if tabsize > 0 else 0) if code == 9 else 1
            column = 0 if code == 10 or code == 13 else column + step
            length += step
        out = str_new(str_kind(s), length, str_is_ascii(s))
        at, column = 0, 0
        for i in range(str_length(s)):
            code = str_get(s, i)
            step = (tabsize - column % tabsize if tabsize > 0 else 0) if code == 9 else 1
            for k in range(step):
                str_set(out, at + k, 32 if code == 9 else code)
            column = 0 if code == 10 or code == 13 else column + step
            at += step
        return out
    return impl
