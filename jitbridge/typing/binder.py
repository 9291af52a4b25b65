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
    TypingError worded as CPython's TypeError for a call it would reject."""
    params = list(pysig.parameters.values())
    positional = [p for p in params if p.kind != inspect.Parameter.KEYWORD_ONLY]
    if len(args) > len(positional):
        raise _call_error(callee, f"takes {_count(len(positional), 'positional argument')} "
                                  f"but {len(args)} {'was' if len(args) == 1 else 'were'} given")
    chosen = {p.name: i for i, p in enumerate(positional[:len(args)])}
    for offset, name in enumerate(kws):
        param = pysig.parameters.get(name)
        if param is None or param.kind == inspect.Parameter.POSITIONAL_ONLY:
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
    argtypes = tuple(types.Omitted(p.default) if i is None else given[i]
                     for p, i in zip(params, order))
    return argtypes, order


def _call_error(callee: str, problem: str) -> TypingError:
    return TypingError(f"{callee}() {problem}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def needs_folding(pysig: inspect.Signature, args: tuple, kws: dict) -> bool:
    """Whether a call passes keywords or leaves parameters to their defaults."""
    return bool(kws) or len(args) < len(pysig.parameters)
