"""Folding a call's positional and keyword argument types against the callee's Python
signature, once, in typing: the callee then sees one tuple of argument types in parameter
order, with `Omitted(default)` for each parameter the call leaves to its default, and the
lowering passes the values in that order (`Signature.order`)."""
from __future__ import annotations

import inspect

from .. import types
from ..errors import TypingError

_FIXED = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
          inspect.Parameter.KEYWORD_ONLY)


def foldable(pysig: inspect.Signature) -> bool:
    """Whether every parameter takes exactly one value (no *args or **kwargs)."""
    return all(p.kind in _FIXED for p in pysig.parameters.values())


def fold_arguments(pysig: inspect.Signature, args: tuple, kws: dict, callee: str):
    """(argument types in parameter order, order) for a call `callee(*args, **kws)`; a
    TypingError worded as CPython's TypeError for a call it would reject. A `*args`
    parameter takes the tuple of the extra positional values (its order entry is the tuple
    of their indices)."""
    params = list(pysig.parameters.values())
    if any(p.kind == p.VAR_KEYWORD for p in params):
        raise _call_error(callee, "has **kwargs: it cannot be called from compiled code")
    chosen = _bind_positional(params, args, callee)
    for offset, name in enumerate(kws):
        param = pysig.parameters.get(name)
        if param is None or param.kind in (param.POSITIONAL_ONLY, param.VAR_POSITIONAL):
            raise _call_error(callee, f"got an unexpected keyword argument {name!r}")
        if name in chosen:
            raise _call_error(callee, f"got multiple values for argument {name!r}")
        chosen[name] = len(args) + offset
    missing = [p.name for p in params if p.name not in chosen and p.default is p.empty]
    if missing:
        names = " and ".join(", ".join(map(repr, missing)).rsplit(", ", 1))
        raise _call_error(callee, f"missing {_count(len(missing), 'required argument')}: {names}")
    given = (*args, *kws.values())
    order = tuple(chosen.get(p.name) for p in params)
    return tuple(_folded_type(p, i, given) for p, i in zip(params, order)), order


def _bind_positional(params: list, args: tuple, callee: str) -> dict:
    """Parameter name -> index of the positional value it takes (a tuple for `*args`)."""
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    star = next((p for p in params if p.kind == p.VAR_POSITIONAL), None)
    if len(args) > len(positional) and star is None:
        raise _call_error(callee, f"takes {_count(len(positional), 'positional argument')} "
                                  f"but {len(args)} {'was' if len(args) == 1 else 'were'} given")
    chosen = {p.name: i for i, p in enumerate(positional[:len(args)])}
    if star is not None:
        chosen[star.name] = tuple(range(len(positional), max(len(args), len(positional))))
    return chosen


def _folded_type(param, index, given):
    if isinstance(index, tuple):
        return types.tuple_of([types.unliteral(given[i]) for i in index])
    return types.Omitted(param.default) if index is None else given[index]


def _call_error(callee: str, problem: str) -> TypingError:
    return TypingError(f"{callee}() {problem}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def needs_folding(pysig: inspect.Signature, args: tuple, kws: dict) -> bool:
    """Whether a call passes keywords or leaves parameters to their defaults."""
    return bool(kws) or len(args) < len(pysig.parameters)


def composed_order(outer, inner):
    """The order of a call folded twice: `outer` binds the call's values to the overload
    function's parameters, `inner` those to the implementation's (its *args)."""
    if inner is None:
        return outer
    if outer is None:
        return inner

    def through(entry):
        if isinstance(entry, tuple):
            return tuple(through(i) for i in entry)
        found = None if entry is None else outer[entry]
        if isinstance(found, tuple):
            raise TypingError("an implementation's *args cannot take another *args of its "
                              "overload function")
        return found  # None: the parameter keeps its default
    return tuple(through(entry) for entry in inner)


def without_receiver(order):
    """A method call's order without the receiver (folded at position 0 with the others)."""
    if order is None:
        return None

    def shift(entry):
        return tuple(i - 1 for i in entry) if isinstance(entry, tuple) else entry - 1
    return tuple(shift(entry) for entry in order[1:])
