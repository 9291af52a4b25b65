"""Typing rules of raising and catching: `raise X`, and the class tests of except clauses."""
from __future__ import annotations

from .. import types
from ..errors import TypingError, UnsupportedError
from ..ir import nodes as n


def infer_catch(inf, e: n.Catch):
    if e.classes is not None and caught_classes(inf.typeof_var(e.classes)) is None:
        raise TypingError("an except clause takes an exception class or a tuple of them, not "
                          f"{inf.typeof_var(e.classes)}", e.loc)
    return types.boolean


def caught_classes(ty) -> tuple | None:
    """The Python classes an except clause of type `ty` names (None: not exception classes)."""
    items = ty.types if isinstance(ty, types.BaseTuple) else (ty,)
    if not all(isinstance(t, types.ExceptionClass) for t in items):
        return None
    return tuple(t.exc_class for t in items)


def infer_raise(inf, s: n.Raise):
    ty = inf.typeof_var(s.exception)
    if isinstance(ty, (types.ExceptionClass, types.ExceptionInstance, types.ExceptionValue)):
        return
    if isinstance(ty, types.StringLiteral):
        raise UnsupportedError("Directly raising a string constant as an exception is not "
                               "supported", s.loc)
    if isinstance(ty, (types.Literal, types.Callable)):  # (Numba's words for `raise int`)
        raise UnsupportedError(f"Encountered unsupported constant type used for exception: "
                               f"{ty} (exceptions must derive from BaseException)", s.loc)
    raise TypingError(f"can only raise exception classes or instances, not {ty}", s.loc)
