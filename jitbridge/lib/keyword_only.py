"""Keyword-only parameters of builtin functions implemented with @overload, which binds
every parameter positionally."""
from __future__ import annotations

from ..errors import TypingError
from ._registries import AbstractTemplate, register


def refuse_extra_positional(key, name: str, count: int) -> None:
    """Refuse positional arguments past the first `count` of a function whose others are
    keyword-only (isclose's tolerances, prod's start), with CPython's TypeError as a typing
    error; the @overload binds the keywords positionally and cannot tell."""
    plural = "argument" if count == 1 else "arguments"

    def generic(self, args, kws):
        if len(args) > count:
            raise TypingError(f"{name}() takes exactly {count} positional {plural} "
                              f"({len(args)} given)")
        return None
    register(type(f"KeywordOnly_{name}", (AbstractTemplate,),
                  {"key": key, "priority": 10, "generic": generic}))
