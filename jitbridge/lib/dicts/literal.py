"""Dict displays with string-constant keys and values of different types (Numba's
LiteralStrKeyDict): `{'a': 1, 'b': 2j}` is a read-only record of its values, indexed by
constant keys (`d['a']` picks a value at compile time); it cannot be mutated, looked up with
a run-time key or returned to Python."""
from __future__ import annotations

import operator

from ... import types
from ...core.datamodel import models, register_model
from ...errors import TypingError
from ...extending import intrinsic, overload, overload_method
from .._registries import lower_cast

#: the constant the frontend passes first in `dict(tag, k1, v1, ...)` for a display
#: (frontend/expressions.py: DICT_DISPLAY)
DISPLAY = "\0jitbridge dict display"
MUTATORS = ("setdefault", "pop", "popitem", "clear", "update")


def is_display(ty) -> bool:
    return isinstance(ty, types.StringLiteral) and ty.literal_value == DISPLAY


def literal_str_key_dict(keys, values):
    """The type of a display of constant `keys`: a repeated key keeps its first place and
    takes its last value, as in CPython."""
    last = {}
    for key, value in zip(keys, values):
        last[key.literal_value] = types.display_item_type(value)
    return types.LiteralStrKeyDict(tuple(last), tuple(last.values()))


@register_model(types.LiteralStrKeyDict)
class LiteralStrKeyDictModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [(f"v{i}", t)
                                        for i, t in enumerate(fe_type.tuple_type.types)])


@lower_cast(types.LiteralStrKeyDict, types.LiteralStrKeyDict)
def literal_dict_to_literal_dict(context, builder, fromty, toty, val):
    return val  # the same fields: only constant value types are forgotten


def build_literal_dict(context, builder, sig, args):
    """The record of a display's values (the last one given for each key; new references)."""
    ty = sig.return_type
    chosen = {}
    for i in range(1, len(args), 2):
        chosen[sig.args[i].literal_value] = (sig.args[i + 1], args[i + 1])
    out = context.make_helper(builder, ty)
    for index, (key, item_ty) in enumerate(zip(ty.keys, ty.tuple_type.types)):
        from_ty, value = chosen[key]
        value = context.cast(builder, value, from_ty, item_ty)
        context.incref(builder, item_ty, value)
        setattr(out, f"v{index}", value)
    return out._getvalue()


def _literal_dict(d) -> bool:
    return isinstance(d, types.LiteralStrKeyDict)


@intrinsic
def _value_at(typingctx, d, index):
    """The value for the key at constant position `index` (a new reference)."""
    if not _literal_dict(d) or not isinstance(index, types.IntegerLiteral):
        return None
    position = index.literal_value
    result = d.tuple_type.types[position]

    def codegen(context, builder, sig, args):
        value = getattr(context.make_helper(builder, sig.args[0], value=args[0]), f"v{position}")
        context.incref(builder, result, value)
        return value
    return result(d, index), codegen


@intrinsic
def _values(typingctx, d):
    """The values as a tuple (new references)."""
    if not _literal_dict(d):
        return None

    def codegen(context, builder, sig, args):
        proxy = context.make_helper(builder, sig.args[0], value=args[0])
        values = [getattr(proxy, f"v{i}") for i in range(len(d.keys))]
        for ty, value in zip(sig.return_type.types, values):
            context.incref(builder, ty, value)
        return context.make_tuple(builder, sig.return_type, values)
    return d.tuple_type(d), codegen


@overload(operator.getitem, prefer_literal=True)
def literal_getitem(d, key):
    if not _literal_dict(d):
        return None
    if not isinstance(key, types.StringLiteral):
        raise TypingError("Cannot getitem() on a literal dictionary with a key not known "
                          "when compiling (only constant string keys)")
    if key.literal_value not in d.keys:
        raise TypingError(f"Key {key.literal_value!r} is not in dict.")
    position = d.keys.index(key.literal_value)
    return lambda d, key: _value_at(d, position)


@overload(operator.contains, prefer_literal=True)
def literal_contains(d, key):
    if _literal_dict(d) and isinstance(key, types.StringLiteral):
        found = key.literal_value in d.keys
        return lambda d, key: found
    return None


@overload(len)
def literal_len(d):
    if _literal_dict(d):
        size = len(d.keys)
        return lambda d: size
    return None


@overload_method(types.LiteralStrKeyDict, "get")
def literal_get(d, key, default=None):
    raise TypingError("Cannot get() on a literal dictionary")


@overload(operator.setitem)
def literal_setitem(d, key, value):
    if _literal_dict(d):
        raise TypingError("Cannot mutate a literal dictionary")
    return None


@overload(operator.delitem)
def literal_delitem(d, key):
    if _literal_dict(d):
        raise TypingError("Cannot mutate a literal dictionary")
    return None


def _refuse(name):
    @overload_method(types.LiteralStrKeyDict, name)
    def mutator(d, *args):
        raise TypingError("Cannot mutate a literal dictionary")
    return mutator


for _name in MUTATORS:
    _refuse(_name)


@intrinsic
def _keys(typingctx, d):
    """The keys as a tuple of strings."""
    if not _literal_dict(d):
        return None

    def codegen(context, builder, sig, args):
        return context.make_tuple(builder, sig.return_type,
                                  [_key_string(context, builder, k) for k in d.keys])
    return types.UniTuple(types.unicode_type, len(d.keys))(d), codegen


def _key_string(context, builder, key):
    return context.cast(builder, context.get_dummy_value(), types.literal(key),
                        types.unicode_type)


@overload_method(types.LiteralStrKeyDict, "keys")
def literal_keys(d):
    return lambda d: _keys(d)


@overload_method(types.LiteralStrKeyDict, "values")
def literal_values(d):
    return lambda d: _values(d)


@intrinsic
def _items(typingctx, d):
    """((key, value), ...) (new references)."""
    if not _literal_dict(d):
        return None
    pair_types = [types.Tuple([types.unicode_type, t]) for t in d.tuple_type.types]

    def codegen(context, builder, sig, args):
        proxy = context.make_helper(builder, sig.args[0], value=args[0])
        pairs = []
        for i, (key, pair_ty) in enumerate(zip(d.keys, pair_types)):
            text = _key_string(context, builder, key)
            value = getattr(proxy, f"v{i}")
            context.incref(builder, pair_ty.types[1], value)
            pairs.append(context.make_tuple(builder, pair_ty, [text, value]))
        return context.make_tuple(builder, sig.return_type, pairs)
    return types.Tuple(pair_types)(d), codegen


@overload_method(types.LiteralStrKeyDict, "items")
def literal_items(d):
    return lambda d: _items(d)


@overload_method(types.LiteralStrKeyDict, "copy")
def literal_copy(d):
    return lambda d: d


@overload(operator.eq)
def literal_eq(a, b):
    if _literal_dict(a) and _literal_dict(b):
        if a.keys != b.keys:
            return lambda a, b: False
        return lambda a, b: _values(a) == _values(b)
    return None
