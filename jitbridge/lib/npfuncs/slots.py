"""NumPy functions of `*args` with keyword-only options (np.meshgrid(*xi, indexing=...),
np.gradient(f, *varargs, axis=...)): jitbridge's own overloads fold keywords only against a
fixed signature, so these take their variadic values in SLOTS positional-only parameters
defaulting to None, and generate one implementation per count of values given (exec() under
a pseudo file name, which the frontend reads: see frontend/exec_texts.py)."""
from __future__ import annotations

import functools

from ... import types
from ...errors import TypingError
from ...extending import register_jitable

#: how many variadic values these functions take
SLOTS = 8


#: the default of an unused slot: a call leaving it out gives Omitted(None), told apart from a
#: None passed (types.none)
ABSENT = None
SLOT_PARAMS = ", ".join(f"x{i}=None" for i in range(SLOTS))


def is_absent(ty) -> bool:
    """Whether a call left this parameter out (an explicit None is types.none)."""
    return isinstance(ty, types.Omitted)


def given(slots: tuple) -> tuple:
    """The types of the slots a call filled (always a prefix: they are positional-only)."""
    return tuple(ty for ty in slots if not is_absent(ty))


def literal_option(ty, name: str, func: str, default):
    """The compile-time value of a keyword option (omitted or a literal), else TypingError."""
    if isinstance(ty, types.Omitted):
        return ty.value
    if isinstance(ty, types.Literal):
        return ty.literal_value
    if isinstance(ty, types.NoneType):
        return None
    raise TypingError(f"np.{func}(): {name}= must be a compile-time constant "
                      f"(default {default!r}), not {ty}")


def generate(params: str, body: str, env: dict):
    """`def impl(<params>): <body>` over the globals `env`."""
    lines = "".join(f"    {line}\n" for line in body.splitlines())
    return _compiled(f"def impl({params}):\n{lines}",
                     tuple(sorted(env.items(), key=lambda kv: kv[0])))


@functools.lru_cache(maxsize=None)
def _compiled(text: str, env: tuple):
    """One function per text and helpers: a dispatcher reuses its compilations."""
    namespace = {"__name__": __name__, **dict(env)}
    exec(compile(text, "<jitbridge-npfuncs-slots>", "exec"), namespace)  # noqa: S102
    return namespace["impl"]


@functools.lru_cache(maxsize=None)
def _registered(function):
    return register_jitable(function)


def jitable(params: str, body: str, env: dict):
    """generate()'s function, callable from compiled code (registered once per text)."""
    return _registered(generate(params, body, env))
