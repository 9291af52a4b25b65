"""Typing rules of raising and catching: `raise X`, and the class tests of except clauses."""
from __future__ import annotations

from .. import types
from ..errors import TypingError, UnsupportedError
from ..ir import nodes as n
from ..types.functions import exact_arg_types
from .typeof import typeof


def infer_catch(inf, e: n.Catch):
    if e.classes is not None and caught_classes(inf.typeof_var(e.classes)) is None:
        raise TypingError("an except clause takes an exception class or a tuple of them, not "
                          f"{inf.typeof_var(e.classes)}", e.loc)
    return types.boolean


def infer_caught(inf, e: n.Caught):
    """The exception object of `except classes as name`: its `args` typed from the raise
    statements of the try body whose class the clause catches, when they agree."""
    classes = () if e.classes is None else caught_classes(inf.typeof_var(e.classes))
    sources = [_raised_args(inf.typemap[v]) for v in e.raised if v in inf.typemap]
    sources = [(cls, args) for cls, args in sources  # (one not typed yet: a later pass)
               if cls is None or not classes or issubclass(cls, classes)
               or issubclass(BaseException, cls)]
    if not sources:
        return types.CaughtException(classes, None, types.CaughtException.NO_RAISE)
    if any(cls is None for cls, _ in sources):
        return types.CaughtException(classes, None, "a raise statement of the try body "
                                     "raises an exception of unknown arguments")
    merged = _merged_args([args for _, args in sources])
    if merged is None:
        return types.CaughtException(classes, None, "the raise statements of the try body "
                                     "raise arguments of different types: "
                                     + ", ".join(sorted({str(a) for _, a in sources})))
    return types.CaughtException(classes, merged)


def _merged_args(sources: list):
    """Argument types holding those of every source exactly (None: there are none)."""
    merged = sources[0]
    for args in sources[1:]:
        merged = None if merged is None else exact_arg_types(merged, args)
    return merged


def _raised_args(ty):
    """(class, argument types) of a raised exception's type; (None, None) when not known."""
    if isinstance(ty, types.ExceptionClass):
        return ty.exc_class, ()
    if isinstance(ty, types.ExceptionInstance):
        return ty.exc_class, tuple(typeof(v) for v in ty.exc_args)
    if isinstance(ty, types.ExceptionValue):
        return ty.exc_class, ty.arg_types
    return None, None


def caught_classes(ty) -> tuple | None:
    """The Python classes an except clause of type `ty` names (None: not exception classes)."""
    items = ty.types if isinstance(ty, types.BaseTuple) else (ty,)
    if not all(isinstance(t, types.ExceptionClass) for t in items):
        return None
    return tuple(t.exc_class for t in items)


def infer_raise(inf, s: n.Raise):
    ty = inf.typeof_var(s.exception)
    if isinstance(ty, (types.ExceptionClass, types.ExceptionInstance, types.ExceptionValue,
                       types.CaughtException)):
        return
    if isinstance(ty, types.StringLiteral):
        raise UnsupportedError("Directly raising a string constant as an exception is not "
                               "supported", s.loc)
    if isinstance(ty, (types.Literal, types.Callable)):  # (Numba's words for `raise int`)
        raise UnsupportedError(f"Encountered unsupported constant type used for exception: "
                               f"{ty} (exceptions must derive from BaseException)", s.loc)
    raise TypingError(f"can only raise exception classes or instances, not {ty}", s.loc)
