"""list(), sorted() and the list operators: + += * *= comparisons, bool, `is`, slice
assignment and deletion, item deletion. Plain Python over the list primitives."""
from __future__ import annotations

import operator

from .. import types
from ..extending import overload, register_jitable
from ..typing.unify import number_result
from ._registries import AbstractTemplate, register
from .lists_core import (empty_list_maker, list_same, list_truncate, slice_span, truncates,
                         widened_list)


def _is_list(*tys):
    return all(isinstance(t, types.List) for t in tys)


def item_type(iterable):
    """The type iterating over `iterable` gives, for the iterables list() takes; else None.
    (No typing context here: overload functions see only the argument types.)"""
    if isinstance(iterable, (types.List, types.UniTuple, types.RangeType)):
        return types.unliteral(iterable.dtype)
    if isinstance(iterable, types.Array):
        return iterable.dtype if iterable.ndim == 1 else None
    if isinstance(iterable, types.BaseTuple) and not iterable.types:
        return None
    if isinstance(iterable, types.UnicodeType):  # its characters
        return types.unicode_type
    if isinstance(iterable, types.DictType):  # its keys
        return types.unliteral(iterable.key_type)
    item = getattr(iterable, "yield_type", None)  # iterators: enumerate, zip, iter(...)
    return types.unliteral(item) if isinstance(item, types.Type) else None


def _common(a, b):
    return a if a == b else number_result(a, b)


def _sized(ty):
    """Whether len() of `ty` is known before iterating (so the list is allocated once)."""
    return isinstance(ty, (types.List, types.BaseTuple, types.RangeType, types.Array))


# -- list(), sorted() ---------------------------------------------------------------------------

@overload(list)
def list_constructor(iterable=None):
    if iterable is None or isinstance(iterable, (types.Omitted, types.NoneType)):
        return lambda iterable=None: []
    dtype = item_type(iterable)
    if dtype is None:
        return None
    make = empty_list_maker(dtype)
    if _sized(iterable):
        def sized_impl(iterable=None):
            out = make(len(iterable))
            for item in iterable:
                out.append(item)
            return out
        return sized_impl

    def impl(iterable=None):
        out = make(0)
        for item in iterable:
            out.append(item)
        return out
    return impl


@overload(sorted)
def sorted_impl(iterable, key=None, reverse=False):
    if item_type(iterable) is None:
        return None

    def impl(iterable, key=None, reverse=False):
        out = list(iterable)
        out.sort(key=key, reverse=reverse)
        return out
    return impl


# -- + += * *= -------------------------------------------------------------------------------------

@overload(operator.add)
def list_add(a, b):
    if not _is_list(a, b):
        return None
    dtype = _common(a.dtype, b.dtype)
    if dtype is None:
        return None
    make = empty_list_maker(dtype)

    def impl(a, b):
        out = make(len(a) + len(b))
        for item in a:
            out.append(item)
        for item in b:
            out.append(item)
        return out
    return impl


@overload(operator.iadd)
def list_iadd(a, b):
    if isinstance(a, types.List) and item_type(b) is not None and not _widens(a, b):
        def impl(a, b):
            a.extend(b)
            return a
        return impl
    return None


def _widens(a, b) -> bool:
    """Whether `a += b` needs a wider list `a` (ListWideningIadd's case)."""
    return type(a) is types.List and a.dtype.name != "undefined" and \
        truncates(item_type(b), a.dtype)


class ListWideningIadd(AbstractTemplate):
    """`l += other` with items `l` would truncate (`[1] += [2.5]`): the wider list as the
    receiver, which typing gives the display that made `l` (typing/list_widening.py); once
    widened, `list_iadd` types the statement."""
    key = operator.iadd

    def generic(self, args, kws):
        if len(args) != 2 or kws or not isinstance(args[0], types.List) or \
                not _widens(*args):
            return None
        widened = widened_list(self.context, args[0], item_type(args[1]))
        return None if widened is None else types.signature(widened, *args, recvr=widened)


register(ListWideningIadd)


@register_jitable
def _repeat_count(lst, times):
    """len(lst) * times items (none for times <= 0); MemoryError if that overflows."""
    if times <= 0:
        return 0
    if len(lst) > (1 << 62) // times:
        raise MemoryError("cannot allocate the list")
    return len(lst) * times


@register_jitable
def _repeat_into(out, lst, times):
    for _ in range(times):
        for i in range(len(lst)):
            out.append(lst[i])


def _repeat(lst, times_first):
    make = empty_list_maker(lst.dtype)
    if times_first:
        def rmul_impl(times, lst):
            out = make(_repeat_count(lst, times))
            _repeat_into(out, lst, times)
            return out
        return rmul_impl

    def impl(lst, times):
        out = make(_repeat_count(lst, times))
        _repeat_into(out, lst, times)
        return out
    return impl


@overload(operator.mul)
def list_mul(a, b):
    if isinstance(a, types.List) and isinstance(types.unliteral(b), types.Integer):
        return _repeat(a, False)
    if isinstance(b, types.List) and isinstance(types.unliteral(a), types.Integer):
        return _repeat(b, True)
    return None


@overload(operator.imul)
def list_imul(a, b):
    if not (isinstance(a, types.List) and isinstance(types.unliteral(b), types.Integer)):
        return None

    def impl(a, b):
        n = len(a)
        _repeat_count(a, b)  # refuses an overflowing size before growing
        if b <= 0:
            list_truncate(a, 0)
        for _ in range(b - 1):
            for i in range(n):
                a.append(a[i])
        return a
    return impl


# -- comparisons, truth, identity -----------------------------------------------------------

@register_jitable
def _first_difference(a, b):
    """The first index where a and b differ, or the shorter length."""
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


def _lexicographic(op):
    def typer(a, b):
        if not _is_list(a, b):
            return None
        if isinstance(a.dtype, types.NoneType) and isinstance(b.dtype, types.NoneType):
            return lambda a, b: op(len(a), len(b))  # (equal items: Python never orders them)

        def impl(a, b):
            i = _first_difference(a, b)
            if i < len(a) and i < len(b):
                return op(a[i], b[i])
            return op(len(a), len(b))
        return impl
    return typer


for _op in (operator.lt, operator.le, operator.gt, operator.ge):
    overload(_op)(_lexicographic(_op))


@overload(operator.eq)
def list_eq(a, b):
    if _is_list(a, b):
        return lambda a, b: len(a) == len(b) and _first_difference(a, b) == len(a)
    return None


@overload(operator.ne)
def list_ne(a, b):
    if _is_list(a, b):
        return lambda a, b: not (len(a) == len(b) and _first_difference(a, b) == len(a))
    return None


@overload(bool)
def list_bool(lst):
    if isinstance(lst, types.List):
        return lambda lst: len(lst) != 0
    return None


@overload(operator.is_)
def list_is(a, b):
    if _is_list(a, b):
        return lambda a, b: list_same(a, b)
    return None


@overload(operator.is_not)
def list_is_not(a, b):
    if _is_list(a, b):
        return lambda a, b: not list_same(a, b)
    return None


# -- slice assignment, deletion -----------------------------------------------------------------

@overload(operator.setitem)
def list_setslice(lst, where, values):
    if not (isinstance(lst, types.List) and isinstance(where, types.SliceType)):
        return None
    if item_type(values) is None:
        return None
    mismatch = "length mismatch for extended slice and sequence" if isinstance(
        lst, types.ListType) else ("attempt to assign a sequence of another size to an "
                                   "extended slice (cannot resize a list through a slice "
                                   "with step != 1)")  # typed lists: Numba's message

    def impl(lst, where, values):
        start, stop, step, count = slice_span(where, len(lst))
        items = list(values)  # a snapshot: `values` may be `lst` itself
        if step == 1:
            tail = lst[max(start, stop):]
            list_truncate(lst, start)
            lst.extend(items)
            lst.extend(tail)
            return
        if len(items) != count:
            raise ValueError(mismatch)
        for k in range(count):
            lst[start + k * step] = items[k]
    return impl


@register_jitable
def _delete_every(lst, first, step, count):
    """Delete `count` items from `first` on, `step` (> 0) apart, keeping the others' order."""
    kept = first
    for source in range(first, len(lst)):
        offset = source - first
        if offset % step == 0 and offset // step < count:
            continue
        lst[kept] = lst[source]
        kept += 1
    list_truncate(lst, kept)


@overload(operator.delitem)
def list_delitem(lst, where):
    if isinstance(lst, types.List) and isinstance(where, types.SliceType):
        def impl(lst, where):
            start, _, step, count = slice_span(where, len(lst))
            if count > 0 and step < 0:
                start, step = start + (count - 1) * step, -step
            if count > 0:
                _delete_every(lst, start, step, count)
        return impl
    if isinstance(lst, types.List) and isinstance(types.unliteral(where), types.Integer):
        def item_impl(lst, where):
            index = where + len(lst) if where < 0 else where
            if index < 0 or index >= len(lst):
                raise IndexError("list assignment index out of range")
            lst.pop(index)
        return item_impl
    return None
