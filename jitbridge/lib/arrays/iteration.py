"""`for x in a`: iterate over the first axis (scalars of a 1-D array, row views otherwise)."""
from __future__ import annotations

import operator

from ... import types
from ...core.datamodel import register_model
from ...errors import TypingError
from .._registries import AbstractTemplate, lower_builtin, register
from ..iterators import (IndexedIteratorModel, iterator_facts, iterator_next,
                         iterator_next_unchecked, iterator_remaining, new_iterator)
from .helpers import make_array


register_model(types.ArrayIterator)(IndexedIteratorModel)


class ArrayIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.Array):
            if args[0].ndim == 0:
                raise TypingError("iteration over a 0-d array")  # NumPy's TypeError
            return types.signature(types.ArrayIterator(args[0]), args[0])
        return None


register(ArrayIter)
lower_builtin(iter, types.Array)(new_iterator)


def _first_axis_length(context, builder, aryty):
    return lambda source: builder.extract_value(
        make_array(context, builder, aryty, source).shape, 0)


def _item_getter(context, builder, itty):
    item_sig = types.signature(itty.yield_type, itty.array_type, types.intp)
    getitem = context.get_function(types.Function(operator.getitem), item_sig)
    return lambda source, index: getitem(builder, [source, index])


@lower_builtin("iternext", types.ArrayIterator)
def array_iternext_impl(context, builder, sig, args):
    itty = sig.args[0]
    return iterator_next(context, builder, sig, args,
                         length=_first_axis_length(context, builder, itty.array_type),
                         item=_item_getter(context, builder, itty))


@lower_builtin("iternext_unchecked", types.ArrayIterator)
def array_iternext_unchecked_impl(context, builder, sig, args):
    return iterator_next_unchecked(context, builder, sig, args,
                                   item=_item_getter(context, builder, sig.args[0]))


@lower_builtin("iter_remaining", types.ArrayIterator)
def array_iter_remaining_impl(context, builder, sig, args):
    return iterator_remaining(context, builder, sig, args,
                              length=_first_axis_length(context, builder, sig.args[0].array_type))


lower_builtin("iter_facts", types.ArrayIterator)(iterator_facts)


from . import iter_flat, iter_nditer  # noqa: F401,E402  (a.flat, ndenumerate, ndindex, nditer)
