"""The set methods that take other collections, with CPython's signatures: union,
intersection, difference and their `_update` forms take any number of iterables
(`s.union()` is a copy), symmetric_difference(_update), issubset, issuperset and isdisjoint
one iterable. An iterable that is not a set of the same items is first read into a set like
the receiver; its items must be of the set's item type (an int set takes any integers), since
a compiled set holds one type (CPython would mix `{1} | {2.5}`)."""
from __future__ import annotations

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method, register_jitable
from . import table
from .ops import METHODS, _intersection_update, _remove_all, _update_from
from .prims import key_cast


def _items_of(ty):
    """The item type iterating over `ty` gives, when known here (else None)."""
    ty = types.unliteral(ty)
    if isinstance(ty, (types.Set, types.List)):
        return ty.dtype
    if isinstance(ty, types.Array):
        return ty.dtype if ty.ndim == 1 else None
    if isinstance(ty, types.UniTuple):
        return types.unliteral(ty.dtype)
    if isinstance(ty, types.RangeType):
        return types.int64
    if isinstance(ty, (types.UnicodeType, types.StringLiteral)):
        return types.unicode_type
    return None


def _check_other(s, other, method):
    """TypingError unless `other` iterates over `s`'s item type."""
    item = _items_of(other)
    fits = item == s.dtype or (isinstance(item, types.Integer) and
                               isinstance(s.dtype, types.Integer))
    if fits:
        return
    if isinstance(other, types.Set):
        raise TypingError(f"All Sets must be of the same type, got {s} and {other}")
    raise TypingError(f"set.{method}() of {s}: all arguments must be sets or iterables of "
                      f"{s.dtype} (a compiled set holds one item type), not {other}")


def as_set_like(s, other):
    """`other` as a set of `s`'s items: itself when it is one, else a new set of its items."""


@overload(as_set_like)
def _as_set_like(s, other):
    if isinstance(other, types.Set) and other.dtype == s.dtype:
        return lambda s, other: other

    def impl(s, other):
        out = table.new_like(s, table.slots_for(0))
        for item in other:
            table.insert(out, key_cast(out, item))
        return out
    return impl


def _folding(step):
    """fold(acc, others): acc after `step(acc, other)` for each of the others in turn."""
    def fold(acc, others):
        pass

    @overload(fold)
    def fold_impl(acc, others):
        if len(others) == 0:
            return lambda acc, others: acc
        return lambda acc, others: fold(step(acc, as_set_like(acc, others[0])), others[1:])
    return fold


def _in_place(update):
    @register_jitable
    def step(s, other):
        update(s, other)
        return s
    return step


#: name -> (step, whether the receiver is copied first: the method returns a new set)
VARIADIC = {
    "union": (_in_place(_update_from), True),
    "intersection": (_in_place(_intersection_update), True),
    "difference": (_in_place(_remove_all), True),
    "intersection_update": (_in_place(_intersection_update), False),
    "difference_update": (_in_place(_remove_all), False),
}
SINGLE = ("symmetric_difference", "symmetric_difference_update", "issubset", "issuperset",
          "isdisjoint")


def _variadic(name, step, copy_first):
    fold = _folding(step)

    @overload_method(types.Set, name)
    def method(s, *others):
        if not isinstance(s, types.Set):
            return None
        for other in others:
            _check_other(s, other, name)
        if copy_first:
            return lambda s, *others: fold(table.copy(s), others)

        def update(s, *others):
            fold(s, others)
        return update
    return method


def _single(name, impl):
    @overload_method(types.Set, name)
    def method(s, other):
        if not isinstance(s, types.Set):
            return None
        _check_other(s, other, name)
        return lambda s, other: impl(s, as_set_like(s, other))
    return method


for _name, (_step, _copy) in VARIADIC.items():
    _variadic(_name, _step, _copy)
for _name in SINGLE:
    _single(_name, register_jitable(METHODS[_name]))
