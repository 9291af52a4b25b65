"""List displays whose items share no type (`[1, 'a']`, Numba's LiteralList): a read-only
record of the items, indexed by constants (`l[0]` picks an item when compiling). Its length,
truth, `in`, `==`, `count`, `copy` and `tuple()` work; mutation and run-time indices are
refused when typing, as the item a run-time index selects has no type known when compiling."""
from __future__ import annotations

import operator

from .. import types
from ..core import cgutils
from ..core.datamodel import models, register_model
from ..errors import TypingError
from ..extending import intrinsic, overload, overload_method
from ..runtime.boxing import box, box_tuple
from ._registries import lower_cast

MUTATORS = ("append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse")
NO_GETITEM = "Cannot __getitem__ on a literal list, return type cannot be statically determined"
NO_MUTATION = "Cannot mutate a literal list"


def stored_types(ty: types.LiteralList) -> tuple:
    """The types the items are kept as (constants widened)."""
    return tuple(types.unliteral(t) for t in ty.types)


@register_model(types.LiteralList)
class LiteralListModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"f{i}", t) for i, t in enumerate(stored_types(fe_type))])


@lower_cast(types.LiteralList, types.LiteralList)
def literal_list_to_literal_list(context, builder, fromty, toty, val):
    return val  # conversions only forget constants: the stored items are the same


def build_literal_list(context, builder, sig, args):
    """The record of a display's items (new references)."""
    out = context.make_helper(builder, sig.return_type)
    for i, (given, stored, value) in enumerate(zip(sig.args, stored_types(sig.return_type),
                                                   args)):
        value = context.cast(builder, value, given, stored)
        context.incref(builder, stored, value)
        setattr(out, f"f{i}", value)
    return out._getvalue()


@box(types.LiteralList)
def box_literal_list(typ, val, c):
    """A Python list of the boxed items (what the display gives in Python)."""
    b = c.builder
    items = box_tuple(types.tuple_of(stored_types(typ)), val, c)
    result = cgutils.alloca_once_value(b, c.pyapi.get_null_object())
    with b.if_then(cgutils.is_not_null(b, items)):
        list_class = c.pyapi.get_type_object("PyList_Type")
        b.store(c.pyapi.call_function_objargs(list_class, [items]), result)
        c.pyapi.decref(items)
    return b.load(result)


def _literal_list(ty) -> bool:
    return isinstance(ty, types.LiteralList)


def _items(context, builder, ty, value) -> list:
    proxy = context.make_helper(builder, ty, value=value)
    return [getattr(proxy, f"f{i}") for i in range(ty.count)]


@intrinsic
def _item(typingctx, lst, index):
    """The item at constant position `index` (a new reference)."""
    if not _literal_list(lst) or not isinstance(index, types.IntegerLiteral):
        return None
    position = index.literal_value
    result = stored_types(lst)[position]

    def codegen(context, builder, sig, args):
        value = _items(context, builder, sig.args[0], args[0])[position]
        context.incref(builder, result, value)
        return value
    return result(lst, index), codegen


@intrinsic
def as_tuple(typingctx, lst):
    """The items as a tuple (new references)."""
    if not _literal_list(lst):
        return None
    result = types.tuple_of(stored_types(lst))

    def codegen(context, builder, sig, args):
        values = _items(context, builder, sig.args[0], args[0])
        for ty, value in zip(result.types, values):
            context.incref(builder, ty, value)
        return context.make_tuple(builder, result, values)
    return result(lst), codegen


@overload(operator.getitem, prefer_literal=True)
def literal_list_getitem(lst, index):
    if not _literal_list(lst):
        return None
    if not isinstance(index, types.IntegerLiteral):
        raise TypingError(f"{NO_GETITEM} (the index must be an integer constant, not {index})")
    position = index.literal_value
    if not -lst.count <= position < lst.count:
        raise TypingError(f"literal list index {position} out of range for {lst.count} items")
    position %= lst.count
    return lambda lst, index: _item(lst, position)


@overload(len)
def literal_list_len(lst):
    if _literal_list(lst):
        size = lst.count
        return lambda lst: size
    return None


@overload(bool)
def literal_list_bool(lst):
    if _literal_list(lst):
        truth = lst.count != 0
        return lambda lst: truth
    return None


@overload(tuple)
def literal_list_tuple(lst):
    if _literal_list(lst):
        return lambda lst: as_tuple(lst)
    return None


@overload(operator.eq)
def literal_list_eq(a, b):
    """Item by item, as Python compares lists (items of unrelated types differ)."""
    if _literal_list(a) and _literal_list(b):
        return lambda a, b: as_tuple(a) == as_tuple(b)
    return None


@overload(operator.ne)
def literal_list_ne(a, b):
    if _literal_list(a) and _literal_list(b):
        return lambda a, b: not (as_tuple(a) == as_tuple(b))
    return None


@overload(operator.contains)
def literal_list_contains(lst, value):
    if _literal_list(lst):
        return lambda lst, value: value in as_tuple(lst)
    return None


@overload_method(types.LiteralList, "count")
def literal_list_count(lst, value):
    return lambda lst, value: as_tuple(lst).count(value)


@overload_method(types.LiteralList, "copy")
def literal_list_copy(lst):
    return lambda lst: lst  # read-only: sharing the record is a copy


@overload_method(types.LiteralList, "index")
def literal_list_index(lst, *args):
    raise TypingError("list.index is unsupported for literal lists")


@overload(operator.setitem)
def literal_list_setitem(lst, index, value):
    if _literal_list(lst):
        raise TypingError(NO_MUTATION)
    return None


@overload(operator.delitem)
def literal_list_delitem(lst, index):
    if _literal_list(lst):
        raise TypingError(NO_MUTATION)
    return None


def _refuse(name):
    @overload_method(types.LiteralList, name)
    def mutator(lst, *args):
        raise TypingError(f"{NO_MUTATION} (list.{name})")
    return mutator


for _name in MUTATORS:
    _refuse(_name)
