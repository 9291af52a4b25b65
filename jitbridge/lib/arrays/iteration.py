"""`for x in a`: iterate over the first axis (scalars of a 1-D array, row views otherwise)."""
from __future__ import annotations

import operator

from ... import types
from ...core.datamodel import register_model
from .._registries import AbstractTemplate, lower_builtin, register
from ..iterators import IndexedIteratorModel, iterator_next, new_iterator
from .helpers import make_array


register_model(types.ArrayIterator)(IndexedIteratorModel)


class ArrayIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.Array):
            return types.signature(types.ArrayIterator(args[0]), args[0])
        return None


register(ArrayIter)
lower_builtin(iter, types.Array)(new_iterator)


@lower_builtin("iternext", types.ArrayIterator)
def array_iternext_impl(context, builder, sig, args):
    itty = sig.args[0]
    aryty = itty.array_type
    item_sig = types.signature(itty.yield_type, aryty, types.intp)
    getitem = context.get_function(types.Function(operator.getitem), item_sig)
    return iterator_next(
        context, builder, sig, args,
        length=lambda source: builder.extract_value(make_array(context, builder, aryty,
                                                               source).shape, 0),
        item=lambda source, index: getitem(builder, [source, index]))
