"""dict operations and methods in Python over the table (table.py), with Numba's typing rules:
a key or value converts to the dict's types only without loss (no float key into an int
dict), and an empty dict of unknown types takes its types from its first insert."""
from __future__ import annotations

import functools
import operator
import warnings

from ... import types
from ...errors import NumbaTypeSafetyWarning, TypingError
from ...extending import overload, overload_method, register_jitable
from ...typing.unify import Conversion, can_convert
from .construct import checked_dict_type
from .._registries import AbstractTemplate, lower_builtin, register
from . import table
from .prims import dict_used, entry_value, new_like


def precise(d) -> bool:
    return isinstance(d, types.DictType) and d.is_precise()


def check_cast(src, dst) -> None:
    """Numba's rule for implicit conversions into a dict: lossless ones, and between integers,
    integer to float, float to float, complex to complex, or to a non-number type (tuples);
    others (float to int, complex to real, between unrelated types) are a TypingError naming
    the types."""
    if _fitting_constant(src, dst):
        return
    src = types.unliteral(src)
    rank = can_convert(src, dst)
    if rank is not None and rank <= Conversion.safe:
        return
    if rank is not None and _tolerated(src, dst):
        warnings.warn(NumbaTypeSafetyWarning(
            f"unsafe cast from {src} to {dst}. Precision may be lost."), stacklevel=2)
        return
    if rank is None and not isinstance(dst, types.Number):  # no conversion at all: Numba's words
        raise TypingError(f"Cannot cast {src} to {dst}")
    raise TypingError(f"cannot safely cast {src} to {dst}. Please cast explicitly.")


def _fitting_constant(src, dst) -> bool:
    """An integer constant the integer type holds (`d[1]` of an int32-keyed dict) loses
    nothing: no warning."""
    if not (isinstance(src, types.IntegerLiteral) and isinstance(dst, types.Integer)):
        return False
    low = -(1 << (dst.bitwidth - 1)) if dst.signed else 0
    return low <= src.literal_value < low + (1 << dst.bitwidth)


def _tolerated(src, dst) -> bool:
    pairs = ((types.Integer, types.Integer), (types.Integer, types.Float),
             (types.Float, types.Float), (types.Complex, types.Complex))
    return not isinstance(dst, types.Number) or any(
        isinstance(src, a) and isinstance(dst, b) for a, b in pairs)


def unknown(d) -> bool:
    """A dict of item types not known yet (nothing stored in it so far, in this typing): its
    reads see an empty dict; its types come from an insert typed later."""
    return isinstance(d, types.DictType) and not d.is_precise()


def _raise_key_error(d, key):
    raise KeyError(key)


def _pop_unknown(d, key, default=None):
    raise KeyError(key)


def _return_default(d, key, default=None):
    return default


def _popitem_unknown(d):
    raise KeyError("popitem(): dictionary is empty")


def _setdefault_unknown(d, key, default=None):
    d[key] = default
    return default


def _absent(d, key):
    return False


def keyed(if_unknown):
    """The typing of an operation whose first argument is a key: `if_unknown` (an
    implementation) serves a dict of unknown item types (`{}` before its first insert is
    typed), and the key must convert to the key type (check_cast)."""
    def wrap(typer):
        @functools.wraps(typer)
        def typing(d, key, *args, **kws):
            if unknown(d):
                return if_unknown
            if not precise(d):
                return None
            check_cast(key, d.key_type)
            return typer(d, key, *args, **kws)
        return typing
    return wrap


def _check_default(d, default) -> None:
    """A default given to get()/pop() must convert to the value type (None is always fine)."""
    if not _omitted(default) and not isinstance(default, types.NoneType):
        check_cast(default, d.value_type)


def _omitted(ty) -> bool:
    return ty is None or isinstance(ty, types.Omitted)


# -- d[k] = v: refines an empty dict's types ---------------------------------------------------

class DictSetItem(AbstractTemplate):
    key = operator.setitem

    def generic(self, args, kws):
        d, key, value = args
        if not isinstance(d, types.DictType):
            return None
        if not d.is_precise():
            refined = checked_dict_type(types.unliteral(key), types.unliteral(value))
            return types.signature(types.none, refined, key, value, recvr=refined)
        check_cast(key, d.key_type)
        check_cast(value, d.value_type)
        return types.signature(types.none, d, key, value)


register(DictSetItem)


@lower_builtin(operator.setitem, types.DictType, types.Any, types.Any)
def dict_setitem_impl(context, builder, sig, args):
    sig = types.signature(types.none, *sig.args)
    return context.compile_internal(builder, table.setitem, sig, args)


# -- reading -----------------------------------------------------------------------------------

@overload(operator.getitem)
@keyed(_raise_key_error)
def dict_getitem(d, key):
    def impl(d, key):
        number = table.lookup(d, key)
        if number < 0:
            raise KeyError(key)
        return entry_value(d, number)
    return impl


@overload(operator.contains)
@keyed(_absent)
def dict_contains(d, key):
    return lambda d, key: table.lookup(d, key) >= 0


@overload(len)
def dict_len(d):
    if isinstance(d, types.DictType):
        return lambda d: dict_used(d)
    return None


@overload(bool)
def dict_bool(d):
    if isinstance(d, types.DictType):
        return lambda d: dict_used(d) != 0
    return None


@overload_method(types.DictType, "get")
@keyed(_return_default)
def dict_get(d, key, default=None):
    _check_default(d, default)

    def impl(d, key, default=None):
        number = table.lookup(d, key)
        if number < 0:
            return default
        return entry_value(d, number)
    return impl


# -- removing ----------------------------------------------------------------------------------

@overload(operator.delitem)
@keyed(_raise_key_error)
def dict_delitem(d, key):
    def impl(d, key):
        if not table.delete(d, key):
            raise KeyError(key)
    return impl


@overload_method(types.DictType, "pop")
def dict_pop(d, key, default=None):
    if unknown(d):
        return _pop_unknown if _omitted(default) else _return_default
    if not precise(d):
        return None
    check_cast(key, d.key_type)
    if _omitted(default):
        def impl(d, key, default=None):
            number = table.lookup(d, key)
            if number < 0:
                raise KeyError(key)
            return _pop_value(d, number)
        return impl
    _check_default(d, default)

    def impl_default(d, key, default=None):
        number = table.lookup(d, key)
        if number < 0:
            return default
        return _pop_value(d, number)
    return impl_default


@register_jitable
def _pop_value(d, number):
    return table.pop_entry(d, number)[1]


@overload_method(types.DictType, "popitem")
def dict_popitem(d):
    if unknown(d):
        return _popitem_unknown
    if not precise(d):
        return None

    def impl(d):
        if dict_used(d) == 0:
            raise KeyError("popitem(): dictionary is empty")
        return table.pop_entry(d, table.last_live(d))
    return impl


@overload_method(types.DictType, "clear")
def dict_clear(d):
    if precise(d):
        return lambda d: table.clear(d)
    if isinstance(d, types.DictType):  # nothing to release
        return lambda d: None
    return None


# -- inserting and copying ---------------------------------------------------------------------

@overload_method(types.DictType, "setdefault")
@keyed(_setdefault_unknown)
def dict_setdefault(d, key, default=None):
    check_cast(types.none if _omitted(default) else default, d.value_type)

    def impl(d, key, default=None):
        number = table.lookup(d, key)
        if number < 0:
            table.setitem(d, key, default)
            number = table.lookup(d, key)
        return entry_value(d, number)
    return impl


@overload_method(types.DictType, "copy")
def dict_copy(d):
    if precise(d):
        return lambda d: table.copy(d)
    if isinstance(d, types.DictType):
        return lambda d: new_like(d)
    return None


# -- comparison --------------------------------------------------------------------------------

@overload(operator.eq)
def dict_eq(a, b):
    if isinstance(a, types.DictType) != isinstance(b, types.DictType):
        return lambda a, b: False  # a dict never equals a value of another type
    if not isinstance(a, types.DictType):
        return None
    if not (a.is_precise() and b.is_precise()):
        return lambda a, b: len(a) == 0 and len(b) == 0
    return _equal


def _equal(a, b):
    if len(a) != len(b):
        return False
    for key, value in a.items():
        number = table.lookup(b, key)
        if number < 0 or not entry_value(b, number) == value:
            return False
    return True


@overload(operator.ne)
def dict_ne(a, b):
    if isinstance(a, types.DictType) or isinstance(b, types.DictType):
        return lambda a, b: not a == b
    return None
