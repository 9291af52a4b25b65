"""Character classes and case mapping (isalpha ... upper, lower) from CPython's own Unicode
database: tables are computed from `str` methods the first time a method needs them, compressed
in blocks of 128 code points, and frozen into the compiled code as constant arrays."""
from __future__ import annotations

import functools
import unicodedata

import numpy as np

from ...extending import register_jitable
from .core import kind_of
from .methods import is_space, str_method
from .model import str_get, str_is_ascii, str_length, str_new, str_set

#: every code point with a class or a case mapping lies below LIMIT or in plane 14's first
#: block (variation selectors: printable, identifier characters); checked by the tests
LIMIT, PLANE14, PLANE14_SIZE = 0x40000, 0xE0000, 0x1000
CODES = [*range(LIMIT), *range(PLANE14, PLANE14 + PLANE14_SIZE)]
SHIFT = 7
(ALPHA, DECIMAL, DIGIT, NUMERIC, UPPER, LOWER, TITLE, IGNORABLE, PRINTABLE, ID_START,
 ID_CONTINUE) = (1 << i for i in range(11))
CASED = UPPER | LOWER | TITLE
#: marks a code point whose mapping has several characters (looked up in the special table)
SPECIAL = -(1 << 22)
_MID_LETTERS = "'.:\xb7\u0387\u055f\u05f4\u2018\u2019\u2024\u2027\ufe13\ufe52\ufe55\uff07\uff0e\uff1a"
#: the case mappings, by the index convert_case takes them in
MAPPINGS = (str.upper, str.lower, str.title, str.casefold)
TO_UPPER, TO_LOWER, TO_TITLE, TO_FOLD, UNCHANGED = range(5)
#: the methods mixing mappings (after the plain ones, which are their mapping's number)
CAPITALIZE, TITLE_CASE, SWAPCASE = 5, 6, 7


def _flags(ch: str) -> int:
    category = unicodedata.category(ch)
    ignorable = category in ("Mn", "Me", "Cf", "Lm", "Sk") or ch in _MID_LETTERS
    return (ch.isalpha() * ALPHA | ch.isdecimal() * DECIMAL | ch.isdigit() * DIGIT
            | ch.isnumeric() * NUMERIC | ch.isupper() * UPPER | ch.islower() * LOWER
            | (category == "Lt") * TITLE | ignorable * IGNORABLE | ch.isprintable() * PRINTABLE
            | ch.isidentifier() * ID_START | ("a" + ch).isidentifier() * ID_CONTINUE)


def _compress(values: np.ndarray):
    """(index, blocks): values[c] == blocks[index[c >> SHIFT] << SHIFT | c & mask]."""
    blocks = values.reshape(-1, 1 << SHIFT)
    unique, index = np.unique(blocks, axis=0, return_inverse=True)
    return index.astype(np.int32).ravel(), np.ascontiguousarray(unique.ravel())


@functools.cache
def flag_table():
    """(index, blocks) of each code point's class flags (computed once per process)."""
    return _compress(np.array([_flags(chr(code)) for code in CODES], np.uint16))


@functools.cache
def case_table(which: int):
    """(index, blocks, special codes, their expansions) of one mapping of MAPPINGS: a delta
    per code point, or SPECIAL where it maps to several characters."""
    change = MAPPINGS[which]
    deltas, specials = np.zeros(len(CODES), np.int32), {}
    for position, code in enumerate(CODES):
        mapped = change(chr(code))
        if len(mapped) == 1:
            deltas[position] = ord(mapped) - code
        else:
            deltas[position] = SPECIAL
            specials[code] = [ord(c) for c in mapped] + [0] * (3 - len(mapped))
    codes = np.array(sorted(specials), np.int64)
    expansions = np.array([specials[c] for c in sorted(specials)], np.int64).reshape(-1, 3)
    return (*_compress(deltas), codes, expansions)


@register_jitable
def lookup(index, blocks, code):
    if code >= LIMIT:
        if code < PLANE14 or code >= PLANE14 + PLANE14_SIZE:
            return 0
        code += LIMIT - PLANE14
    return blocks[(index[code >> SHIFT] << SHIFT) | (code & ((1 << SHIFT) - 1))]


# -- predicates ------------------------------------------------------------------------------------

def _predicate(method, test):
    """A method true when `test(flags, code)` holds for every character of a non-empty string."""
    @str_method(method)
    def impl_for(s):
        index, blocks = flag_table()

        def impl(s):
            n = str_length(s)
            for i in range(n):
                code = str_get(s, i)
                if not test(lookup(index, blocks, code), code):
                    return False
            return n > 0
        return impl
    return impl_for


str_isalpha = _predicate("isalpha", register_jitable(lambda f, c: f & ALPHA != 0))
str_isdigit = _predicate("isdigit", register_jitable(lambda f, c: f & DIGIT != 0))
str_isdecimal = _predicate("isdecimal", register_jitable(lambda f, c: f & DECIMAL != 0))
str_isnumeric = _predicate("isnumeric", register_jitable(lambda f, c: f & NUMERIC != 0))
str_isspace = _predicate("isspace", register_jitable(lambda f, c: is_space(c)))
str_isalnum = _predicate("isalnum", register_jitable(
    lambda f, c: f & (ALPHA | DECIMAL | DIGIT | NUMERIC) != 0))


@str_method("isprintable")
def str_isprintable(s):
    index, blocks = flag_table()

    def impl(s):  # unlike the others, true for the empty string
        for i in range(str_length(s)):
            if not lookup(index, blocks, str_get(s, i)) & PRINTABLE:
                return False
        return True
    return impl


@str_method("isidentifier")
def str_isidentifier(s):
    index, blocks = flag_table()

    def impl(s):
        n = str_length(s)
        if n == 0 or not lookup(index, blocks, str_get(s, 0)) & ID_START:
            return False
        for i in range(1, n):
            if not lookup(index, blocks, str_get(s, i)) & ID_CONTINUE:
                return False
        return True
    return impl


def _cased(method, wanted, unwanted):
    """isupper/islower: no character of the opposite case (or titlecase), at least one cased."""
    @str_method(method)
    def impl_for(s):
        index, blocks = flag_table()

        def impl(s):
            cased = False
            for i in range(str_length(s)):
                f = lookup(index, blocks, str_get(s, i))
                if f & unwanted:
                    return False
                cased = cased or f & wanted != 0
            return cased
        return impl
    return impl_for


str_isupper = _cased("isupper", UPPER, LOWER | TITLE)
str_islower = _cased("islower", LOWER, UPPER | TITLE)


@str_method("istitle")
def str_istitle(s):
    index, blocks = flag_table()

    def impl(s):
        cased, previous_cased = False, False
        for i in range(str_length(s)):
            f = lookup(index, blocks, str_get(s, i))
            upper = f & (UPPER | TITLE) != 0
            if upper or f & LOWER:
                if previous_cased == upper:  # capitals follow uncased, small letters cased
                    return False
                previous_cased, cased = True, True
            else:
                previous_cased = False
        return cased
    return impl


@str_method("isascii")
def str_isascii(s):
    return lambda s: str_is_ascii(s) != 0


# -- case mapping ----------------------------------------------------------------------------------

@register_jitable
def special_position(codes, code):
    lo, hi = 0, len(codes)
    while lo < hi:
        mid = (lo + hi) // 2
        if codes[mid] < code:
            lo = mid + 1
        else:
            hi = mid
    return lo


@register_jitable
def final_sigma(s, at, index, blocks):
    """Whether the capital sigma at `at` ends a word (lower() gives the final form)."""
    i = at - 1
    while i >= 0 and lookup(index, blocks, str_get(s, i)) & IGNORABLE:
        i -= 1
    if i < 0 or not lookup(index, blocks, str_get(s, i)) & CASED:
        return False
    i = at + 1
    while i < str_length(s) and lookup(index, blocks, str_get(s, i)) & IGNORABLE:
        i += 1
    return i == str_length(s) or not lookup(index, blocks, str_get(s, i)) & CASED


@register_jitable
def mapped(s, i, which, flags, table):
    """(up to three code points, count) that character `i` of `s` maps to under `table`."""
    code = str_get(s, i)
    if which == UNCHANGED:
        return code, 0, 0, 1
    index, blocks, codes, expansions = table
    delta = lookup(index, blocks, code)
    if delta != SPECIAL:
        if which == TO_LOWER and code == 0x3A3 and final_sigma(s, i, flags[0], flags[1]):
            return 0x3C2, 0, 0, 1
        return code + delta, 0, 0, 1
    row = special_position(codes, code)
    a, b, c = expansions[row, 0], expansions[row, 1], expansions[row, 2]
    return a, b, c, 1 + (b != 0) + (c != 0)


@register_jitable
def choose(mode, i, previous_cased, f):
    """Which mapping character `i` takes in `mode` (a method: upper ... swapcase)."""
    if mode <= TO_FOLD:
        return mode
    if mode == CAPITALIZE:
        return TO_TITLE if i == 0 else TO_LOWER
    if mode == TITLE_CASE:
        return TO_LOWER if previous_cased else TO_TITLE
    if f & UPPER:
        return TO_LOWER
    return TO_UPPER if f & LOWER else UNCHANGED


@register_jitable
def map_char(s, i, mode, previous_cased, tabs):
    flags = tabs[0]
    f = lookup(flags[0], flags[1], str_get(s, i))
    which = choose(mode, i, previous_cased, f)
    table = tabs[1] if which == TO_UPPER else tabs[2] if which == TO_LOWER else tabs[3]
    a, b, c, count = mapped(s, i, which, flags, table)
    return a, b, c, count, f & CASED != 0


@register_jitable
def convert_case(s, tabs, mode):
    """Measure, then write the mapped characters."""
    length, top, previous = 0, 0, False
    for i in range(str_length(s)):
        a, b, c, count, previous = map_char(s, i, mode, previous, tabs)
        length += count
        top = max(top, a, b, c)
    out = str_new(kind_of(top), length, 1 if top < 128 else 0)
    at, previous = 0, False
    for i in range(str_length(s)):
        a, b, c, count, previous = map_char(s, i, mode, previous, tabs)
        str_set(out, at, a)
        if count > 1:
            str_set(out, at + 1, b)
        if count > 2:
            str_set(out, at + 2, c)
        at += count
    return out


def _case(method, mode, tables):
    @str_method(method)
    def impl_for(s):
        tabs = (flag_table(), *(case_table(t) for t in tables))

        def impl(s):
            return convert_case(s, tabs, mode)
        return impl
    return impl_for


# each mode reads (upper-slot, lower-slot, title-or-fold-slot) tables
str_upper = _case("upper", TO_UPPER, (TO_UPPER, TO_UPPER, TO_UPPER))
str_lower = _case("lower", TO_LOWER, (TO_LOWER, TO_LOWER, TO_LOWER))
str_casefold = _case("casefold", TO_FOLD, (TO_FOLD, TO_FOLD, TO_FOLD))
str_capitalize = _case("capitalize", CAPITALIZE, (TO_UPPER, TO_LOWER, TO_TITLE))
str_title = _case("title", TITLE_CASE, (TO_UPPER, TO_LOWER, TO_TITLE))
str_swapcase = _case("swapcase", SWAPCASE, (TO_UPPER, TO_LOWER, TO_TITLE))
