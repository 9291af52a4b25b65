"""Set methods and operators, in Python over the table (table.py): remove discard pop clear
copy, the algebra (union intersection difference symmetric_difference, their `_update`
forms, `| & - ^` and `|= &= -= ^=`) and the comparisons (issubset issuperset isdisjoint,
`<= < >= > == !=`), for sets and frozensets alike (frozen.py refuses the mutating ones). As in
Numba, the algebra takes sets of one item type only."""
from __future__ import annotations

import operator

from ... import types
from ...errors import TypingError
from ...extending import overload, overload_method, register_jitable
from . import table
from .prims import entry_hash, entry_key, key_cast, set_mask, set_used, table_swap


def _same_sets(a, b) -> bool:
    """Whether (a, b) is a pair of sets of one item type; TypingError for a set with another
    value (Numba's messages)."""
    if not isinstance(a, types.Set):
        return False
    if not isinstance(b, types.Set):
        raise TypingError("All arguments must be Sets")
    if a.dtype != b.dtype:
        raise TypingError(f"All Sets must be of the same type, got {a} and {b}")
    return True


def _set_method(name, impl):
    @overload_method(types.Set, name)
    def method(s):
        return impl if isinstance(s, types.Set) else None
    return method


# -- single-set methods ----------------------------------------------------------------------

def _remove(s, value):
    if not table.remove(s, key_cast(s, value)):
        raise KeyError(value)


def _discard(s, value):
    table.remove(s, key_cast(s, value))


@overload_method(types.Set, "remove")
def set_remove(s, value):
    return _remove if isinstance(s, types.Set) else None


@overload_method(types.Set, "discard")
def set_discard(s, value):
    return _discard if isinstance(s, types.Set) else None


_set_method("pop", lambda s: table.pop_any(s))
_set_method("clear", lambda s: table.clear(s))
_set_method("copy", lambda s: table.copy(s))


# -- iteration over the live keys ------------------------------------------------------------

@register_jitable
def _keep_where(s, other, keep_if_in):
    """A new set of `s`'s keys that are (keep_if_in) or are not in `other`."""
    return _keep_into(table.new_like(s, table.slots_for(0)), s, other, keep_if_in)


@register_jitable
def _keep_into(out, s, other, keep_if_in):
    """`out` given `s`'s keys that are (keep_if_in) or are not in `other`."""
    for slot in range(set_mask(s) + 1):
        if table.is_live(entry_hash(s, slot)):
            key = entry_key(s, slot)
            if table.contains(other, key) == keep_if_in:
                table.insert(out, key)
    return out


@register_jitable
def _all_in(s, other):
    """Every key of `s` is in `other`."""
    if set_used(s) > set_used(other):
        return False
    for slot in range(set_mask(s) + 1):
        if table.is_live(entry_hash(s, slot)) and not table.contains(other, entry_key(s, slot)):
            return False
    return True


@register_jitable
def _update_from(s, other):
    for slot in range(set_mask(other) + 1):
        if table.is_live(entry_hash(other, slot)):
            table.insert(s, entry_key(other, slot))


@register_jitable
def _remove_all(s, other):
    for slot in range(set_mask(other) + 1):
        if table.is_live(entry_hash(other, slot)):
            table.remove(s, entry_key(other, slot))


@register_jitable
def _toggle_all(s, other):
    for slot in range(set_mask(other) + 1):
        if table.is_live(entry_hash(other, slot)):
            key = entry_key(other, slot)
            if not table.remove(s, key):
                table.insert(s, key)


# -- the algebra -----------------------------------------------------------------------------

@register_jitable
def _intersection(a, b):
    """Probes the larger set with the smaller's keys; the result has `a`'s kind (a set or a
    frozenset, as CPython's)."""
    if set_used(a) <= set_used(b):
        return _keep_where(a, b, True)
    return _keep_into(table.new_like(a, table.slots_for(0)), b, a, True)


@register_jitable
def _intersection_update(a, b):
    table_swap(a, _keep_where(a, b, True))  # the old table dies with the temporary


def _returning_first(update):
    """`a op= b`: update `a` in place, then the statement rebinds it to itself."""
    @register_jitable
    def inplace(a, b):
        update(a, b)
        return a
    return inplace


_ior, _iand = _returning_first(_update_from), _returning_first(_intersection_update)
_isub, _ixor = _returning_first(_remove_all), _returning_first(_toggle_all)


@register_jitable
def _isdisjoint(a, b):
    """Probes the larger set with the smaller's keys (the two may differ in kind)."""
    return _none_in(a, b) if set_used(a) <= set_used(b) else _none_in(b, a)


@register_jitable
def _none_in(small, large):
    for slot in range(set_mask(small) + 1):
        if table.is_live(entry_hash(small, slot)) and table.contains(large,
                                                                     entry_key(small, slot)):
            return False
    return True


@register_jitable
def _equal(a, b):
    return set_used(a) == set_used(b) and _all_in(a, b)


@register_jitable
def _proper_subset(a, b):
    return set_used(a) < set_used(b) and _all_in(a, b)


METHODS = {
    "union": lambda a, b: _ior(table.copy(a), b),
    "intersection": lambda a, b: _intersection(a, b),
    "difference": lambda a, b: _keep_where(a, b, False),
    "symmetric_difference": lambda a, b: _ixor(table.copy(a), b),
    "intersection_update": lambda a, b: _intersection_update(a, b),
    "difference_update": lambda a, b: _remove_all(a, b),
    "symmetric_difference_update": lambda a, b: _toggle_all(a, b),
    "issubset": lambda a, b: _all_in(a, b),
    "issuperset": lambda a, b: _all_in(b, a),
    "isdisjoint": lambda a, b: _isdisjoint(a, b),
}


# -- operators -------------------------------------------------------------------------------

OPERATORS = {
    operator.or_: METHODS["union"], operator.and_: METHODS["intersection"],
    operator.sub: METHODS["difference"], operator.xor: METHODS["symmetric_difference"],
    operator.ior: _ior, operator.iand: _iand, operator.isub: _isub, operator.ixor: _ixor,
    operator.eq: lambda a, b: _equal(a, b), operator.ne: lambda a, b: not _equal(a, b),
    operator.le: METHODS["issubset"], operator.ge: METHODS["issuperset"],
    operator.lt: lambda a, b: _proper_subset(a, b), operator.gt: lambda a, b: _proper_subset(b, a),
}


#: `a op= b` of a frozenset `a` binds a new frozenset (it has no in-place operators)
FROZEN_INPLACE = {operator.ior: OPERATORS[operator.or_], operator.iand: OPERATORS[operator.and_],
                  operator.isub: OPERATORS[operator.sub], operator.ixor: OPERATORS[operator.xor]}


def _operator(op, impl):
    @overload(op)
    def set_operator(a, b):
        if not _same_sets(a, b):
            return None
        return FROZEN_INPLACE.get(op, impl) if a.frozen else impl
    return set_operator


for _op, _impl in OPERATORS.items():
    _operator(_op, _impl)
