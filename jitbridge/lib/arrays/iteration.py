"""`for x in a`: iterate over the first axis (scalars of a 1-D array, row views otherwise)."""
from __future__ import annotations

import operator

from ... import types
from ...core import cgutils
from ...core.datamodel import models, register_model
from .._registries import AbstractTemplate, lower_builtin, register
from .helpers import const, make_array


@register_model(types.ArrayIterator)
class ArrayIteratorModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        members = [("index", types.CPointer(types.intp)), ("array", fe_type.array_type)]
        super().__init__(dmm, fe_type, members)


class ArrayIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.Array):
            return types.signature(types.ArrayIterator(args[0]), args[0])
        return None


register(ArrayIter)


@lower_builtin(iter, types.Array)
def array_iter_impl(context, builder, sig, args):
    """The iterator holds a reference to the array and a pointer to the position."""
    it = context.make_helper(builder, sig.return_type)
    it.index = cgutils.alloca_once_value(builder, const(0))
    it.array = args[0]
    context.incref(builder, sig.args[0], args[0])
    return it._getvalue()


@lower_builtin("iternext", types.ArrayIterator)
def array_iternext_impl(context, builder, sig, args):
    itty = sig.args[0]
    aryty = itty.array_type
    it = context.make_helper(builder, itty, value=args[0])
    ary = make_array(context, builder, aryty, it.array)
    index = builder.load(it.index)
    valid = builder.icmp_signed("<", index, builder.extract_value(ary.shape, 0))
    out = cgutils.alloca_once(builder, context.get_value_type(itty.yield_type), zfill=True)
    with builder.if_then(valid, likely=True):
        item_sig = types.signature(itty.yield_type, aryty, types.intp)
        item = context.get_function(types.Function(operator.getitem), item_sig)(
            builder, [it.array, index])
        builder.store(item, out)
        builder.store(builder.add(index, const(1)), it.index)
    return context.make_tuple(builder, sig.return_type, [builder.load(out), valid])
