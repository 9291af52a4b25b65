"""frozenset: a set's representation and read-only operations (ops.py takes both kinds; the
result of the algebra has the left operand's kind, as in CPython), construction from an
iterable, CPython's hash (so frozensets are dict keys and set items), and the boundary: an
argument is read into a native set and returned as the very same Python object when compiled
code hands it back unchanged (it cannot change), a new one is boxed as a Python frozenset."""
from __future__ import annotations

from llvmlite import ir

from ... import types
from ...errors import TypingError
from ...extending import intrinsic, register_jitable
from ...runtime.boxing import box, unbox
from ...typing.typeof import typeof, typeof_impl
from .._registries import (AbstractTemplate, AttributeTemplate, lower_builtin, register,
                           register_attr, register_global)
from . import table
from .boxing import box_set, unbox_set
from .construct import constructor_signature, empty_set_impl, set_from_iterable_impl
from .model import DELETED_STAND_IN
from .prims import entry_hash, entry_key, set_mask, set_used

#: the methods of set that change it: a frozenset has none of them
MUTATORS = ("add", "update", "remove", "discard", "pop", "clear", "intersection_update",
            "difference_update", "symmetric_difference_update")


@typeof_impl.register(frozenset)
def typeof_frozenset(value, c):
    if not frozenset.__len__(value):
        return None
    item = typeof(next(iter(value)), c.purpose)
    return None if item is None else types.FrozenSet(types.unliteral(item))


unbox(types.FrozenSet)(unbox_set)  # (never changed: the parent is never written back)
box(types.FrozenSet)(box_set)


class FrozenSetConstructor(AbstractTemplate):
    key = frozenset

    def generic(self, args, kws):
        return constructor_signature(self.context, types.FrozenSet, args, kws)


register(FrozenSetConstructor)
register_global(frozenset, types.Function(frozenset))
lower_builtin(frozenset)(empty_set_impl)
lower_builtin(frozenset, types.Any)(set_from_iterable_impl)


@register_attr
class FrozenSetAttributes(AttributeTemplate):
    """Refuses set's mutating methods (found before the set's own templates)."""
    key = types.FrozenSet

    def generic_resolve(self, ty, attr):
        if attr in MUTATORS:
            raise TypingError(f"'frozenset' object has no attribute '{attr}'")
        return None


# -- hash ------------------------------------------------------------------------------------------

@intrinsic
def _shuffle_bits(typingctx, h):
    """CPython's scrambling of one entry's hash before it is xor-ed in (unsigned 64-bit)."""
    if h != types.intp:
        return None

    def codegen(context, builder, sig, args):
        value = args[0]
        mixed = builder.xor(builder.xor(value, _u64(89869747)),
                            builder.shl(value, _u64(16)))
        return builder.mul(mixed, _u64(3644798167))
    return types.intp(h), codegen


@intrinsic
def _finish_hash(typingctx, h, size):
    """Factor in the size, disperse nested patterns, avoid -1 (CPython's frozenset hash)."""
    if h != types.intp or size != types.intp:
        return None

    def codegen(context, builder, sig, args):
        b = builder
        value = b.xor(args[0], b.mul(b.add(args[1], _u64(1)), _u64(1927868237)))
        value = b.xor(value, b.xor(b.lshr(value, _u64(11)), b.lshr(value, _u64(25))))
        value = b.add(b.mul(value, _u64(69069)), _u64(907133923))
        is_minus_one = b.icmp_signed("==", value, _u64(-1))
        return b.select(is_minus_one, _u64(590923713), value)
    return types.intp(h, size), codegen


def _u64(value: int) -> ir.Constant:
    return ir.Constant(ir.IntType(64), value & (2 ** 64 - 1))


@register_jitable
def frozenset_hash(s):
    """Independent of the order: the xor of every live entry's scrambled hash."""
    h = 0
    for slot in range(set_mask(s) + 1):
        stored = entry_hash(s, slot)
        if table.is_live(stored):  # (the stand-in may hide a real hash equal to DELETED)
            real = hash(entry_key(s, slot)) if stored == DELETED_STAND_IN else stored
            h ^= _shuffle_bits(real)
    return _finish_hash(h, set_used(s))


@lower_builtin(hash, types.FrozenSet)
def frozenset_hash_impl(context, builder, sig, args):
    return context.compile_internal(builder, frozenset_hash, sig, args)
