"""The hash table's algorithms, in Python over the primitives of prims.py (compiled once per
dict type): CPython's open addressing (perturbed probing), growth to used*3 slots when the
entries run out (2/3 of the slots), deletion leaving a DUMMY slot and a dead entry, and
compaction of dead entries on resize, so iteration order is CPython's insertion order."""
from __future__ import annotations

from ...extending import register_jitable
from .keyhash import key_hash
from .model import DUMMY, EMPTY
from .prims import (alloc_tables, cast_key, cast_value, dict_isize, dict_nentries, dict_used,
                    entry_hash, entry_key, entry_kill, entry_live, entry_move,
                    entry_replace_value, entry_value, entry_write, index_get, index_set,
                    new_like, set_nentries, set_used)

MINSIZE = 8
PERTURB_SHIFT = 5
LOW_59_BITS = (1 << 59) - 1  # an arithmetic shift by 5, masked: CPython's unsigned perturb


@register_jitable
def usable(isize):
    return (isize << 1) // 3


@register_jitable
def _next_slot(slot, perturb, mask):
    return (slot * 5 + perturb + 1) & mask


@register_jitable
def find(d, key, h):
    """(slot, number): the slot holding `key` and its entry number, or (the slot an insert
    would take, -1). `key` has the dict's key type."""
    isize = dict_isize(d)
    if isize == 0:
        return -1, -1
    mask = isize - 1
    slot = h & mask
    perturb = h
    free = -1
    while True:
        number = index_get(d, slot)
        if number == EMPTY:
            return (slot if free < 0 else free), -1
        if number == DUMMY:
            if free < 0:
                free = slot
        elif entry_hash(d, number) == h and entry_key(d, number) == key:
            return slot, number
        perturb = (perturb >> PERTURB_SHIFT) & LOW_59_BITS
        slot = _next_slot(slot, perturb, mask)


@register_jitable
def _slot_of(d, h, number):
    """The slot holding `number` (an entry of hash `h`, or EMPTY: the free slot where an
    entry of hash `h` goes)."""
    mask = dict_isize(d) - 1
    slot = h & mask
    perturb = h
    while index_get(d, slot) != number:
        perturb = (perturb >> PERTURB_SHIFT) & LOW_59_BITS
        slot = _next_slot(slot, perturb, mask)
    return slot


@register_jitable
def resize(d, isize):
    """Compact the live entries to the front and rebuild an index table of `isize` slots."""
    count = 0
    for number in range(dict_nentries(d)):
        if entry_live(d, number):
            if number != count:
                entry_move(d, number, count)
            count += 1
    alloc_tables(d, isize, usable(isize))
    set_nentries(d, count)
    for number in range(count):
        index_set(d, _slot_of(d, entry_hash(d, number), EMPTY), number)


@register_jitable
def _grow(d):
    target = dict_used(d) * 3
    isize = MINSIZE
    while isize < target:
        isize <<= 1
    resize(d, isize)


@register_jitable
def insert(d, key, value):
    """d[key] = value, `key` and `value` already of the dict's types."""
    h = key_hash(key)
    slot, number = find(d, key, h)
    if number >= 0:
        entry_replace_value(d, number, value)
        return
    if dict_nentries(d) >= usable(dict_isize(d)):
        _grow(d)
        slot = _slot_of(d, h, EMPTY)
    number = dict_nentries(d)
    entry_write(d, number, h, key, value)
    index_set(d, slot, number)
    set_nentries(d, number + 1)
    set_used(d, dict_used(d) + 1)


@register_jitable
def setitem(d, key, value):
    insert(d, cast_key(d, key), cast_value(d, value))


@register_jitable
def lookup(d, key):
    """The entry number of `key` (converted to the key type), or -1."""
    k = cast_key(d, key)
    return find(d, k, key_hash(k))[1]


@register_jitable
def remove(d, slot, number):
    index_set(d, slot, DUMMY)
    entry_kill(d, number)
    set_used(d, dict_used(d) - 1)


@register_jitable
def delete(d, key):
    """Remove `key`; False when it is absent."""
    k = cast_key(d, key)
    slot, number = find(d, k, key_hash(k))
    if number < 0:
        return False
    remove(d, slot, number)
    return True


@register_jitable
def pop_entry(d, number):
    """Remove entry `number`, returning its (key, value)."""
    key, value = entry_key(d, number), entry_value(d, number)
    remove(d, _slot_of(d, entry_hash(d, number), number), number)
    return key, value


@register_jitable
def last_live(d):
    """The number of the last live entry (the dict is not empty); dead entries after it are
    dropped, so repeated popitem() stays O(1) as in CPython."""
    number = dict_nentries(d) - 1
    while not entry_live(d, number):
        number -= 1
    set_nentries(d, number + 1)
    return number


@register_jitable
def next_live(d, number):
    """The first live entry at or after `number` (dict_nentries(d) if none)."""
    end = dict_nentries(d)
    while number < end and not entry_live(d, number):
        number += 1
    return number


@register_jitable
def clear(d):
    for number in range(dict_nentries(d)):
        if entry_live(d, number):
            entry_kill(d, number)
    set_used(d, 0)
    set_nentries(d, 0)
    if dict_isize(d) != 0:
        alloc_tables(d, MINSIZE, usable(MINSIZE))


@register_jitable
def copy(d):
    out = new_like(d)
    for number in range(dict_nentries(d)):
        if entry_live(d, number):
            insert(out, entry_key(d, number), entry_value(d, number))
    return out
