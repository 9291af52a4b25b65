"""List methods beyond append/pop: extend insert remove index count reverse copy clear sort.

Each method is plain Python compiled for the call's types (`compile_internal`). They are typed
by bound-function templates rather than `@overload_method` because a method may refine the
list's item type (`l = []; l.extend(range(3))`), which only a receiver type in the signature
can express.
"""
from __future__ import annotations

import inspect
import operator

from .. import types
from ..errors import TypingError
from ..extending import register_jitable
from ..typing.binder import fold_arguments
from ._registries import AttributeTemplate, bound_function, register_attr
from .lists_core import list_check_mutable, list_move_last, list_truncate, widened_list

MAXSIZE = (1 << 63) - 1


def _lowering(pyimpl):
    """The lowering of a call typed to run `pyimpl(lst, *args)`."""
    def lower(context, builder, sig, args):
        full = types.signature(sig.return_type, sig.recvr, *sig.args)
        return context.compile_internal(builder, pyimpl, full, args)
    lower.origin = pyimpl
    return lower


def yield_type(context, iterable):
    """The type iterating over `iterable` gives, or None."""
    sig = context.resolve_function_type(types.Function(iter), (iterable,), {})
    return None if sig is None else types.unliteral(sig.return_type.yield_type)


def _receiver(context, lst, item):
    """The list type after storing `item` values in it (its item type, if still unknown), or
    None if `item` values cannot be stored in it."""
    if item is None:
        return None
    if lst.dtype.name == "undefined":
        return lst.copy(dtype=types.unliteral(item))
    widened = widened_list(context, lst, item)  # (`[1].extend([2.5])`: a list of floats)
    if widened is not None:
        return widened
    return lst if context.can_convert(item, lst.dtype) is not None else None


def _comparable(context, lst, value):
    return context.resolve_key(operator.eq, (lst.dtype, value), {}) is not None


# -- the methods, as Python --------------------------------------------------------------------

def extend_iterable(lst, iterable):
    for item in iterable:
        lst.append(item)


def extend_list(lst, other):
    for i in range(len(other)):  # the length first: `l.extend(l)` doubles l once
        lst.append(other[i])


@register_jitable
def clamp_index(index, length):
    """A start/stop bound as slices and list.index/insert take it."""
    if index < 0:
        index += length
        return 0 if index < 0 else index
    return length if index > length else index


def insert_impl(lst, index, item):
    position = clamp_index(index, len(lst))
    lst.append(item)
    list_move_last(lst, position)


def remove_impl(lst, value):
    for i in range(len(lst)):
        if lst[i] == value:
            lst.pop(i)
            return
    raise ValueError("list.remove(x): x not in list")


def index_impl(lst, value, start=0, stop=MAXSIZE):
    n = len(lst)
    for i in range(clamp_index(start, n), clamp_index(stop, n)):
        if lst[i] == value:
            return i
    raise ValueError("list.index(x): x not in list")


def count_impl(lst, value):
    found = 0
    for i in range(len(lst)):
        if lst[i] == value:
            found += 1
    return found


def reverse_impl(lst):
    list_check_mutable(lst)
    i, j = 0, len(lst) - 1
    while i < j:
        lst[i], lst[j] = lst[j], lst[i]
        i += 1
        j -= 1


def copy_impl(lst):
    return lst[:]


def clear_impl(lst):
    list_truncate(lst, 0)


@register_jitable
def _merge_runs(keys, order, out, lo, mid, hi, reverse):
    """Merge order[lo:mid] and order[mid:hi] into out[lo:hi]; ties keep the left run first."""
    i, j, k = lo, mid, lo
    while i < mid and j < hi:
        left, right = keys[order[i]], keys[order[j]]
        if (left < right) if reverse else (right < left):
            out[k] = order[j]
            j += 1
        else:
            out[k] = order[i]
            i += 1
        k += 1
    while i < mid:
        out[k] = order[i]
        i += 1
        k += 1
    while j < hi:
        out[k] = order[j]
        j += 1
        k += 1


@register_jitable
def stable_order(keys, reverse):
    """The indices of `keys` in sorted order (a bottom-up merge sort: stable, as CPython's
    sort is, also when reversed)."""
    n = len(keys)
    order = [i for i in range(n)]
    spare = [i for i in range(n)]
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            _merge_runs(keys, order, spare, lo, min(lo + width, n), min(lo + 2 * width, n),
                        reverse)
        order, spare = spare, order
        width *= 2
    return order


@register_jitable
def _permute(lst, order):
    values = lst[:]
    for i in range(len(order)):
        lst[i] = values[order[i]]


def sort_impl(lst, key=None, reverse=False):
    list_check_mutable(lst)
    if len(lst) > 1:
        _permute(lst, stable_order(lst, reverse))


def sort_key_impl(lst, key=None, reverse=False):
    list_check_mutable(lst)
    if len(lst) > 1:
        _permute(lst, stable_order([key(item) for item in lst], reverse))


# -- typing ----------------------------------------------------------------------------------

def _typer_extend(context, lst, iterable):
    recvr = _receiver(context, lst, yield_type(context, iterable))
    if recvr is None:
        return None
    pyimpl = extend_list if isinstance(iterable, types.List) else extend_iterable
    return types.none, recvr, pyimpl


def _typer_insert(context, lst, index, item):
    recvr = _receiver(context, lst, item)
    if recvr is None or not isinstance(types.unliteral(index), types.Integer):
        return None
    return types.none, recvr, insert_impl


def _typer_search(result, pyimpl):
    def typer(context, lst, value):
        return (result, lst, pyimpl) if _comparable(context, lst, value) else None
    return typer


def _bound(name, bound):
    if not isinstance(bound, (types.Integer, types.Omitted)):
        raise TypingError(f'arg "{name}" must be an Integer.')


def _typer_index(context, lst, value, start, stop):
    _bound("start", start)
    _bound("stop", stop)
    return (types.intp, lst, index_impl) if _comparable(context, lst, value) else None


def _plain(result, pyimpl):
    """A method without arguments; `result` maps the list type to the result type."""
    def typer(context, lst):
        return result(lst), lst, pyimpl
    return typer


def _nothing(lst):
    return types.none


def _typer_sort(context, lst, key, reverse):
    if not isinstance(reverse, (types.Boolean, types.Integer, types.Omitted)):
        raise TypingError(f"list.sort(): an integer is required for 'reverse' (got type "
                          f"{reverse})")
    keyless = isinstance(key, (types.Omitted, types.NoneType))
    _check_sort_key(key, keyless)
    return types.none, lst, sort_impl if keyless else sort_key_impl


def _check_sort_key(key, keyless):
    """Numba's wording for keys that cannot be called (checked before typing the key call,
    whose error would name the sort's implementation instead of the user's argument)."""
    if isinstance(key, types.Optional):
        raise TypingError("list.sort(): Key must concretely be None or a Numba JIT compiled "
                          f"function, an Optional (union of None and a value) was found: {key}")
    if not keyless and not isinstance(key, types.Callable):
        raise TypingError(f"list.sort(): Key must be None or a Numba JIT compiled function, "
                          f"not {key}")


_METHODS = {
    "extend": (_typer_extend, inspect.signature(lambda iterable: 0)),
    "insert": (_typer_insert, inspect.signature(lambda index, item: 0)),
    "remove": (_typer_search(types.none, remove_impl), inspect.signature(lambda value: 0)),
    "count": (_typer_search(types.intp, count_impl), inspect.signature(lambda value: 0)),
    "index": (_typer_index, inspect.signature(lambda value, start=0, stop=MAXSIZE: 0)),
    "reverse": (_plain(_nothing, reverse_impl), inspect.signature(lambda: 0)),
    "copy": (_plain(lambda lst: lst.copy(reflected=False), copy_impl), inspect.signature(lambda: 0)),
    "clear": (_plain(_nothing, clear_impl), inspect.signature(lambda: 0)),
    "sort": (_typer_sort, inspect.signature(lambda key=None, reverse=False: 0)),
}


def _resolver(name, typer, pysig):
    def resolve(self, lst, args, kws):
        argtypes, order = fold_arguments(pysig, tuple(args), dict(kws), f"list.{name}")
        typed = typer(self.context, lst, *argtypes)
        if typed is None:
            return None
        result, recvr, pyimpl = typed
        return types.Signature(result, argtypes, recvr=recvr, order=order,
                               impl=_lowering(pyimpl))
    return bound_function(f"list.{name}")(resolve)


ListMethods = register_attr(type("ListMethods", (AttributeTemplate,), {
    "key": types.List,
    **{f"resolve_{name}": _resolver(name, *spec) for name, spec in _METHODS.items()}}))
