"""The open-addressing hash table behind sets, in Python over the primitives of prims.py
(compiled once per item type).

It is written to be reused by other hashed containers (a dict keeps its values beside the
keys; only the primitives' entry layout differs): CPython's set probing (slot = hash & mask
and its next LINEAR_PROBES neighbours, then slot = 5 * slot + perturb + 1 with perturb shifted
right 5 bits each step, so every bit of the hash takes part), tombstones for deleted
entries (lookups probe past them, inserts reuse the first one met), and a rebuild (dropping
the tombstones, at least doubling the live keys' room) whenever live plus deleted entries
would pass 2/3 of the slots; sized sources reserve their length first. Keys are compared by
`==` of the item type after their stored hashes match; the stored hash is CPython's `hash()`,
except that DELETED (also a hash) is stored as DELETED_STAND_IN.
"""
from __future__ import annotations

from ...extending import register_jitable
from .model import DELETED, DELETED_STAND_IN, EMPTY
from .prims import (entry_delete, entry_hash, entry_key, entry_put, new_like, set_counts,
                    set_fill, set_mask, set_used, table_swap)

MIN_SLOTS = 8
PERTURB_SHIFT = 5
LINEAR_PROBES = 9
LOW_59_BITS = (1 << 59) - 1  # an arithmetic shift by 5, masked: CPython's unsigned perturb


@register_jitable
def stored_hash(key):
    h = hash(key)
    return DELETED_STAND_IN if h == DELETED else h


@register_jitable
def is_live(h):
    return h != EMPTY and h != DELETED


@register_jitable
def _next(slot, perturb, mask):
    return (slot * 5 + perturb + 1) & mask


@register_jitable
def _window(slot, mask):
    """How many neighbours of `slot` a probe also checks before jumping: CPython's linear
    probes, which stay in the cache lines already fetched."""
    return LINEAR_PROBES if slot + LINEAR_PROBES <= mask else 0


@register_jitable
def lookup(s, key, h):
    """The slot holding `key` (of the set's item type, stored hash `h`), or -1 - the slot an
    insert would take. The table has an EMPTY slot (inserts grow it first)."""
    mask = set_mask(s)
    if mask < 0:
        return -1
    slot = h & mask
    perturb = h
    free = -1
    while True:
        for at in range(slot, slot + _window(slot, mask) + 1):
            found = entry_hash(s, at)
            if found == EMPTY:
                return -1 - (at if free < 0 else free)
            if found == DELETED:
                if free < 0:
                    free = at
            elif found == h and entry_key(s, at) == key:
                return at
        perturb = (perturb >> PERTURB_SHIFT) & LOW_59_BITS
        slot = _next(slot, perturb, mask)


@register_jitable
def _empty_slot(s, h):
    """The first EMPTY slot on `h`'s probe sequence (for keys known to be absent)."""
    mask = set_mask(s)
    slot = h & mask
    perturb = h
    while True:
        for at in range(slot, slot + _window(slot, mask) + 1):
            if entry_hash(s, at) == EMPTY:
                return at
        perturb = (perturb >> PERTURB_SHIFT) & LOW_59_BITS
        slot = _next(slot, perturb, mask)


@register_jitable
def slots_for(used):
    """The smallest table for `used` keys: a power of two with used under 2/3 of it."""
    size = MIN_SLOTS
    while size * 2 <= used * 3:
        size <<= 1
    return size


@register_jitable
def reserve(s, count):
    """Make room for `count` more keys without growing again (sized sources)."""
    if (set_fill(s) + count) * 3 > (set_mask(s) + 1) * 2:
        rebuild(s, slots_for(set_used(s) + count))


@register_jitable
def rebuild(s, nslots):
    """Move the live keys into a fresh table of `nslots` slots, dropping the tombstones."""
    fresh = new_like(s, nslots)
    for slot in range(set_mask(s) + 1):
        h = entry_hash(s, slot)
        if is_live(h):
            entry_put(fresh, _empty_slot(fresh, h), h, entry_key(s, slot))
    used = set_used(s)
    set_counts(fresh, used, used)
    table_swap(s, fresh)


@register_jitable
def insert(s, key):
    """Add `key` (of the set's item type); False if it was there already."""
    if (set_fill(s) + 1) * 3 > (set_mask(s) + 1) * 2:
        rebuild(s, slots_for(set_used(s) * 3 // 2 + 1))  # doubles when full: amortised O(1)
    h = stored_hash(key)
    found = lookup(s, key, h)
    if found >= 0:
        return False
    slot = -1 - found
    fill = set_fill(s) + (1 if entry_hash(s, slot) == EMPTY else 0)
    entry_put(s, slot, h, key)
    set_counts(s, set_used(s) + 1, fill)
    return True


@register_jitable
def contains(s, key):
    return lookup(s, key, stored_hash(key)) >= 0


@register_jitable
def remove(s, key):
    """Remove `key` if present; whether it was."""
    found = lookup(s, key, stored_hash(key))
    if found < 0:
        return False
    entry_delete(s, found)
    set_counts(s, set_used(s) - 1, set_fill(s))
    return True


@register_jitable
def pop_any(s):
    """Remove and return some key (the first live entry); KeyError if the set is empty."""
    if set_used(s) == 0:
        raise KeyError("pop from an empty set")
    slot = 0
    while not is_live(entry_hash(s, slot)):
        slot += 1
    key = entry_key(s, slot)
    entry_delete(s, slot)
    set_counts(s, set_used(s) - 1, set_fill(s))
    return key


@register_jitable
def clear(s):
    table_swap(s, new_like(s, 0))


@register_jitable
def copy(s):
    """A new set of the same keys (tombstones dropped)."""
    out = new_like(s, slots_for(set_used(s)))
    for slot in range(set_mask(s) + 1):
        h = entry_hash(s, slot)
        if is_live(h):
            entry_put(out, _empty_slot(out, h), h, entry_key(s, slot))
    set_counts(out, set_used(s), set_used(s))
    return out
