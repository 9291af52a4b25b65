"""Making dicts: `dict()` and `{}` (item types refined by later inserts), dict literals (the
frontend passes `{k: v, ...}` as `dict(((k, v), ...))`), `dict(iterable of pairs)`,
`dict(other_dict)`, and `new_dict(key_type, value_type)` for typed.Dict."""
from __future__ import annotations

from ... import types
from ...errors import TypingError
from ...extending import intrinsic, overload_method
from ...lowering.registry import VarArg
from .._registries import AbstractTemplate, lower_builtin, register, register_global
from ...typing.unify import Conversion, can_convert
from . import table
from .literal import build_literal_dict, is_display, literal_str_key_dict
from .model import new_dict

EMPTY_DICT = types.DictType(types.undefined, types.undefined)


def _pair_types(context, pairs):
    """(key type, value type) unifying (key, value) tuples' types, or a TypingError."""
    return _display_types(context, [p.types[0] for p in pairs], [p.types[1] for p in pairs])


def _display_types(context, keys, values):
    return tuple(_unified(context, [types.unliteral(t) for t in found], what)
                 for found, what in ((keys, "keys"), (values, "values")))


def display_type(context, items):
    """The type of display `{k1: v1, ...}` from `items` (k1, v1, k2, v2 ...): a typed dict,
    or a LiteralStrKeyDict where the keys are string constants and a value does not convert
    safely to the first value's type (Numba's rule)."""
    keys, values = items[0::2], items[1::2]
    if all(isinstance(k, types.StringLiteral) for k in keys) and not _safe_to_first(values):
        return literal_str_key_dict(keys, values)
    dict_type = checked_dict_type(*_display_types(context, keys, values))
    constants = [types.display_initial_value([k, v]) for k, v in zip(keys, values)]
    if None in constants:
        return dict_type
    return types.DictType(*dict_type.keyvalue_type, initial_value=dict(constants))


def _safe_to_first(values) -> bool:
    first = types.unliteral(values[0])
    return all((rank := can_convert(types.unliteral(v), first)) is not None and
               rank <= Conversion.safe for v in values)


def _unified(context, found, what: str):
    result = found[0]
    for ty in found[1:]:
        merged = context.unify_types(result, ty)
        if merged is None:
            raise TypingError(f"dict {what} have incompatible types "
                              f"{', '.join(map(str, found))}: Cannot cast {ty} to {result}")
        result = merged
    return result


def checked_dict_type(key, value) -> types.DictType:
    """DictType(key, value), refusing the item types Numba refuses (with its messages)."""
    for role, ty in (("key", key), ("value", value)):
        if isinstance(ty, types.Optional) or (role == "key" and isinstance(ty, types.NoneType)):
            raise TypingError(f"Dict.{role}_type cannot be of type {ty}")
        if _forbidden(ty, role):
            raise TypingError(f"{ty} as {role} is forbidden")
    return types.DictType(key, value)


def _forbidden(ty, role: str) -> bool:
    """Mutable containers are not keys (unhashable); a list made in compiled code may be a
    value, but not a reflected one (an argument's: its writes back to Python would be lost)."""
    if isinstance(ty, types.List):
        return role == "key" or ty.reflected
    return type(ty).__name__ in ("Set", "DictType") and role == "key"


def _is_pair(ty) -> bool:
    return isinstance(ty, types.BaseTuple) and len(ty) == 2


def iterated_pair(context, iterable):
    sig = context.resolve_function_type(types.Function(iter), (iterable,), {})
    item = None if sig is None else sig.return_type.yield_type
    return item if _is_pair(item) else None


class DictConstructor(AbstractTemplate):
    key = dict

    def generic(self, args, kws):
        if args and is_display(args[0]) and not kws:
            return types.signature(display_type(self.context, args[1:]), *args)
        if kws or len(args) > 1:
            return None
        if not args:
            return types.signature(EMPTY_DICT)
        source = args[0]
        if isinstance(source, types.DictType):
            return types.signature(source, source)
        if isinstance(source, types.BaseTuple) and all(map(_is_pair, source.types)):
            if not len(source):
                return types.signature(EMPTY_DICT, source)
            return types.signature(checked_dict_type(*_pair_types(self.context, source.types)),
                                   source)
        pair = iterated_pair(self.context, source)
        if pair is None:
            raise TypingError(f"No implementation of function dict() for argument types "
                              f"({source}): it takes an iterable of (key, value) pairs")
        key, value = (types.unliteral(t) for t in pair.types)
        return types.signature(checked_dict_type(key, value), source)


register(DictConstructor)
register_global(dict, types.Function(dict))


@lower_builtin(dict)
def dict_empty_impl(context, builder, sig, args):
    return new_dict(context, builder, sig.return_type)


@lower_builtin(dict, VarArg(types.Any))
def dict_display_impl(context, builder, sig, args):
    """A display: dict(tag, k1, v1, ...) (a LiteralStrKeyDict is built by literal.py)."""
    if isinstance(sig.return_type, types.LiteralStrKeyDict):
        return build_literal_dict(context, builder, sig, args)
    out = new_dict(context, builder, sig.return_type)
    for i in range(1, len(args), 2):
        set_sig = types.signature(types.none, sig.return_type, *sig.args[i:i + 2])
        context.compile_internal(builder, table.setitem, set_sig, [out, *args[i:i + 2]])
    return out


@lower_builtin(dict, types.Any)
def dict_from_impl(context, builder, sig, args):
    source_ty = sig.args[0]
    if isinstance(source_ty, types.DictType):
        return context.compile_internal(builder, _copy, sig, args)
    out = new_dict(context, builder, sig.return_type)
    if isinstance(source_ty, types.BaseTuple):
        for i, pair_ty in enumerate(source_ty.types):
            pair = builder.extract_value(args[0], i)
            key, value = (builder.extract_value(pair, j) for j in range(2))
            set_sig = types.signature(types.none, sig.return_type, *pair_ty.types)
            context.compile_internal(builder, table.setitem, set_sig, [out, key, value])
        return out
    fill_sig = types.signature(types.none, sig.return_type, source_ty)
    context.compile_internal(builder, _fill, fill_sig, [out, args[0]])
    return out


def _copy(d):
    return d.copy()


def _fill(d, iterable):
    for key, value in iterable:
        table.setitem(d, key, value)


def _type_of(ty):
    """The type a type argument names (`int64`, `types.unicode_type`, a TypeRef)."""
    if isinstance(ty, (types.NumberClass, types.TypeRef)):
        return ty.instance_type
    return None


@intrinsic
def new_typed_dict(typingctx, key_type, value_type):
    """An empty dict of the given key and value types (Numba's dictobject.new_dict)."""
    key, value = _type_of(key_type), _type_of(value_type)
    if key is None or value is None:
        return None

    def codegen(context, builder, sig, args):
        return new_dict(context, builder, sig.return_type)
    return checked_dict_type(key, value)(key_type, value_type), codegen


class DictTypeRefCall(AbstractTemplate):
    """`Dict()` / `Dict(iterable)` (the typed.Dict class, or a dict type used as a value): as
    dict(), but a mapping is refused, as in Numba."""
    key = types.TypeRef

    def generic(self, args, kws):
        ref, *rest = args
        if not isinstance(ref.instance_type, types.DictType) or kws or len(rest) > 1:
            return None
        if not rest:
            made = ref.instance_type
            return types.signature(checked_dict_type(made.key_type, made.value_type), ref)
        if isinstance(rest[0], types.DictType):
            raise TypingError(f"No implementation of function Dict() for argument types "
                              f"({rest[0]}): typed.Dict(mapping) is not supported (as in "
                              "Numba); use dict(mapping) or mapping.copy()")
        sig = DictConstructor(self.context).generic(tuple(rest), {})
        return sig and types.signature(sig.return_type, ref, *sig.args)


register(DictTypeRefCall)


@lower_builtin(types.TypeRef, types.TypeRef)
def dict_typeref_call_impl(context, builder, sig, args):
    return new_dict(context, builder, sig.return_type)


@lower_builtin(types.TypeRef, types.TypeRef, types.Any)
def dict_typeref_from_impl(context, builder, sig, args):
    return dict_from_impl(context, builder, types.signature(sig.return_type, *sig.args[1:]),
                          args[1:])


@overload_method(types.TypeRef, "empty")
def typed_dict_empty(cls, key_type, value_type, n_keys=0):
    """typed.Dict.empty(key_type, value_type) in compiled code."""
    if isinstance(cls.instance_type, types.DictType):
        return lambda cls, key_type, value_type, n_keys=0: new_typed_dict(key_type, value_type)
    return None
