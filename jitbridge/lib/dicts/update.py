"""`d.update(other)`, `d.update(k=v, ...)` and `d |= other`, as CPython's: `other` is a dict
or an iterable of (key, value) pairs, the keywords add string keys. An empty dict of unknown
types (`d = {}`) takes its types from what update() or setdefault() store in it, as from
`d[k] = v` (ops.py), so that later reads see the items."""
from __future__ import annotations

import inspect
import operator

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable
from ...typing.binder import fold_arguments
from .._registries import AttributeTemplate, bound_function, register_attr
from . import table
from .construct import iterated_pair, checked_dict_type
from .ops import check_cast, precise, unknown


def _absent(ty) -> bool:
    return ty is None or isinstance(ty, types.Omitted)


def _pair_source(context, other):
    """(key type, value type) of the items `other` adds (None, None if it adds none), or a
    TypingError if it is neither a dict nor an iterable of pairs."""
    if _absent(other) or (isinstance(other, types.DictType) and not other.is_precise()):
        return None, None
    if isinstance(other, types.DictType):
        return other.key_type, other.value_type
    pair = iterated_pair(context, other)
    if pair is None:
        raise TypingError(f"dict.update() takes a dict or an iterable of (key, value) pairs, "
                          f"not {other}")
    return tuple(types.unliteral(t) for t in pair.types)


@register_jitable
def _add_dict(d, other):
    for key, value in other.items():
        table.setitem(d, key, value)


@register_jitable
def _add_pairs(d, other):
    for key, value in other:
        d[key] = value  # (typed as d[k] = v: the same conversions and checks)


@register_jitable
def _add_nothing(d, other):
    pass


def _filler(d, other):
    """The function adding `other`'s items to precise dict `d` (a dict's item types checked
    here, pairs' as `d[k] = v` is)."""
    if _absent(other) or (isinstance(other, types.DictType) and not other.is_precise()):
        return _add_nothing
    if isinstance(other, types.DictType):
        check_cast(other.key_type, d.key_type)
        check_cast(other.value_type, d.value_type)
        return _add_dict
    return _add_pairs


_IMPLS: dict = {}


def _update_impl(fill, names: tuple):
    """`impl(d, other, k1, k2 ...)`: fill from `other`, then store one item per keyword."""
    impl = _IMPLS.get((fill, names))
    if impl is None:
        params = "".join(f", {n}" for n in names)
        stores = "".join(f"\n    _jb_d[{n!r}] = {n}" for n in names)
        source = f"def impl(_jb_d, _jb_other{params}):\n    _jb_fill(_jb_d, _jb_other){stores}\n"
        scope = {"_jb_fill": fill}
        exec(compile(source, "<dict.update>", "exec"), scope)
        impl = _IMPLS[(fill, names)] = scope["impl"]
    return impl


def _update_signature(names: tuple):
    """update()'s parameters for a call with keywords `names`: `other` (positional only),
    then one keyword-only parameter per name (CPython's `update(other=(), /, **kwargs)`)."""
    P = inspect.Parameter
    return inspect.Signature([P("_jb_other", P.POSITIONAL_ONLY, default=None),
                              *(P(n, P.KEYWORD_ONLY) for n in names)])


def _lowering(pyimpl):
    def lower(context, builder, sig, args):
        full = types.signature(sig.return_type, sig.recvr, *sig.args)
        return context.compile_internal(builder, pyimpl, full, args)
    lower.origin = pyimpl
    return lower


def _type_update(self, d, args, kws):
    if len(args) > 1:
        raise TypingError(f"dict.update() takes at most 1 positional argument ({len(args)} "
                          "given)")
    names = tuple(kws)
    argtypes, order = fold_arguments(_update_signature(names), tuple(args), dict(kws),
                                     "dict.update")
    other, values = argtypes[0], argtypes[1:]
    recvr = _refined(self.context, d, other, values) if unknown(d) else d
    fill = _add_nothing
    if precise(recvr):
        if names:
            check_cast(types.unicode_type, recvr.key_type)
        for value in values:
            check_cast(value, recvr.value_type)
        fill = _filler(recvr, other)
    return types.Signature(types.none, argtypes, recvr=recvr, order=order,
                           impl=_lowering(_update_impl(fill, names)))


@overload(operator.ior)
def dict_inplace_union(a, b):
    """`a |= b`: as a.update(b) (CPython's dict.__ior__ takes what update takes); an `{}` of
    unknown types is refined by the stores here and, through the result, in the caller."""
    if not isinstance(a, types.DictType):
        return None
    if precise(a):
        fill = _filler(a, b)

        def impl(a, b):
            fill(a, b)
            return a
        return impl
    if isinstance(b, types.DictType) and not b.is_precise():
        return lambda a, b: a

    def refining(a, b):
        for key, value in _items_of(b):
            a[key] = value
        return a
    return refining


def _items_of(b):
    pass


@overload(_items_of)
def _items_of_impl(b):
    if isinstance(b, types.DictType):
        return lambda b: b.items()
    return lambda b: b


# -- an empty dict of unknown types refined by update() and setdefault() ----------------------

def _unified(context, found, what):
    result = None
    for ty in found:
        merged = ty if result is None else context.unify_types(result, ty)
        if merged is None:
            raise TypingError(f"dict.update() adds {what} of incompatible types {result} and "
                              f"{ty}")
        result = merged
    return result


def _refined(context, d, other, values):
    """The type of unknown dict `d` after update(other, **kws) (`d` if nothing is added)."""
    key, value = _pair_source(context, other)
    keys = [key] if key is not None else []
    found = [value] if value is not None else []
    if values:
        keys.append(types.unicode_type)
        found.extend(types.unliteral(v) for v in values)
    if not keys:
        return d
    return checked_dict_type(_unified(context, keys, "keys"), _unified(context, found, "values"))


def _type_setdefault(self, d, args, kws):
    if kws or len(args) not in (1, 2):
        return None
    value = types.unliteral(args[1]) if len(args) == 2 else types.none
    refined = checked_dict_type(types.unliteral(args[0]), value)
    return types.signature(refined.value_type, *args, recvr=refined)


@register_attr
class DictUpdate(AttributeTemplate):
    key = types.DictType

    resolve_update = bound_function("DictType.update")(_type_update)


_SETDEFAULT = bound_function("DictType.setdefault (refining)")(_type_setdefault)


@register_attr
class RefiningSetdefault(AttributeTemplate):
    """setdefault() of a dict of unknown types gives it the types of the item it stores
    (typing then goes on with the refined dict, whose setdefault is ops.py's)."""
    key = types.DictType
    priority = 1  # before the methods of precise dicts

    def resolve_setdefault(self, d):
        return _SETDEFAULT(self, d) if unknown(d) else None
