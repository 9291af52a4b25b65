"""Low-level list primitives (LLVM) that the Python-level list methods build on.

Everything else about lists (methods, operators, list()) is ordinary Python compiled through
`@overload`, so these few primitives are the only code that touches the payload directly.
"""
from __future__ import annotations

import functools

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ..extending import intrinsic
from .lists_model import SIZE, ListHelper, i64, new_list
from .slices import normalize_slice

#: number kinds by the values they hold: a value of a later kind stored in a container of an
#: earlier one loses its value (2.5 in a list of ints), where CPython keeps it
_KINDS = (types.Boolean, types.Integer, types.Float, types.Complex)


def truncates(item, dtype) -> bool:
    """Whether storing a number of type `item` into items of number type `dtype` would change
    its value by more than rounding (a float into ints or bools, a complex into floats)."""
    kinds = [next((k for k, c in enumerate(_KINDS) if isinstance(t, c)), None)
             for t in (dtype, types.unliteral(item))]
    # (an int stored as a bool, `flags[i] = 1`, is Numba's idiom: it stays a cast)
    return None not in kinds and kinds[1] > max(kinds[0], 1)


def widened_list(context, lst, item):
    """The list type `lst` must become to hold `item` values (a list made by a display in the
    function widens: typing/list_widening.py), or None when they fit. A reflected list (a
    Python argument) keeps its item type: storing values it would truncate is refused."""
    if type(lst) is not types.List or lst.dtype.name == "undefined" or \
            not truncates(item, lst.dtype):
        return None
    item = types.unliteral(item)
    if lst.reflected:
        raise TypingError(f"cannot store {item} values in a {lst}: the item type of a list "
                          "from Python is fixed and the values would be truncated; pass a list "
                          f"of {item} (e.g. [1.0], not [1])")
    dtype = context.unify_types(lst.dtype, item)
    return None if dtype is None else types.List(dtype)


#: Larger lists are refused with MemoryError before allocating (no allocator gives 256 TiB).
MAX_LIST_BYTES = 1 << 48


@functools.lru_cache(maxsize=None)
def empty_list_maker(dtype):
    """An intrinsic `make(capacity)` returning a new empty list(dtype) with that much room.

    One per item type: a list's item type cannot be spelled as an argument value."""

    @intrinsic
    def make_empty_list(typingctx, capacity):
        if not isinstance(types.unliteral(capacity), types.Integer):
            return None

        def codegen(context, builder, sig, args):
            count = context.cast(builder, args[0], sig.args[0], types.intp)
            count = builder.select(builder.icmp_signed("<", count, ir.Constant(i64, 0)),
                                   ir.Constant(i64, 0), count)
            check_size(context, builder, sig.return_type, count)
            return new_list(context, builder, sig.return_type, count).value
        return types.signature(types.List(dtype), capacity), codegen
    return make_empty_list


def check_size(context, builder, list_ty, count):
    itemsize = ListHelper(context, builder, list_ty).itemsize
    limit = ir.Constant(i64, MAX_LIST_BYTES // max(itemsize, 1))
    with cgutils.if_unlikely(builder, builder.icmp_signed(">", count, limit)):
        context.call_conv.return_user_exc(builder, MemoryError, ("cannot allocate the list",))


@intrinsic
def list_truncate(typingctx, lst, size):
    """Drop the items from `size` on (0 <= size <= len(lst)), releasing them."""
    if not isinstance(lst, types.List) or not isinstance(types.unliteral(size), types.Integer):
        return None

    def codegen(context, builder, sig, args):
        helper = ListHelper(context, builder, sig.args[0], args[0])
        helper.check_mutable()
        new_size = context.cast(builder, args[1], sig.args[1], types.intp)
        if context.contains_nrt(sig.args[0].dtype):
            with cgutils.for_range(builder, helper.size, start=new_size) as loop:
                context.decref(builder, sig.args[0].dtype, helper.load(loop.index))
        builder.store(new_size, helper.field(SIZE))
        helper.shrink(new_size)
        helper.mark_dirty()
        return context.get_dummy_value()
    return types.signature(types.none, lst, size), codegen


@intrinsic
def list_move_last(typingctx, lst, index):
    """Move the last item to `index` (0 <= index < len), shifting the items after it up:
    `insert` appends, then moves. Only pointers move, so no reference changes hands."""
    if not isinstance(lst, types.List) or not isinstance(types.unliteral(index), types.Integer):
        return None

    def codegen(context, builder, sig, args):
        helper = ListHelper(context, builder, sig.args[0], args[0])
        helper.check_mutable()
        target = context.cast(builder, args[1], sig.args[1], types.intp)
        last = builder.sub(helper.size, ir.Constant(i64, 1))
        moved = builder.load(helper.item_pointer(last))
        with cgutils.for_range(builder, builder.sub(last, target)) as loop:
            dest = builder.sub(last, loop.index)
            source = builder.sub(dest, ir.Constant(i64, 1))
            builder.store(builder.load(helper.item_pointer(source)), helper.item_pointer(dest))
        builder.store(moved, helper.item_pointer(target))
        helper.mark_dirty()
        return context.get_dummy_value()
    return types.signature(types.none, lst, index), codegen


@intrinsic
def list_check_mutable(typingctx, lst):
    """ValueError if `lst` is a typed list made immutable (a method that may not touch any
    item still refuses it, as Numba)."""
    if not isinstance(lst, types.List):
        return None

    def codegen(context, builder, sig, args):
        ListHelper(context, builder, sig.args[0], args[0]).check_mutable()
        return context.get_dummy_value()
    return types.none(lst), codegen


@intrinsic
def list_same(typingctx, a, b):
    """`a is b` for two lists: the same payload."""
    if not (isinstance(a, types.List) and isinstance(b, types.List)):
        return None

    def codegen(context, builder, sig, args):
        first, second = (ListHelper(context, builder, t, v) for t, v in zip(sig.args, args))
        return builder.icmp_unsigned("==", first.proxy.meminfo, second.proxy.meminfo)
    return types.signature(types.boolean, a, b), codegen


@intrinsic
def slice_span(typingctx, where, length):
    """(start, stop, step, count) of slice `where` over `length` items (Python's rules)."""
    if not isinstance(where, types.SliceType) or not isinstance(types.unliteral(length),
                                                                types.Integer):
        return None

    def codegen(context, builder, sig, args):
        size = context.cast(builder, args[1], sig.args[1], types.intp)
        parts = normalize_slice(context, builder, args[0], size)
        return context.make_tuple(builder, sig.return_type, parts)
    return types.signature(types.UniTuple(types.intp, 4), where, length), codegen
