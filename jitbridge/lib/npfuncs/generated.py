"""Implementations generated as Python text, one per shape of call (np.meshgrid of n arrays,
np.einsum of its subscripts, np.lexsort of k keys...): exec() under a pseudo file name, which
the frontend reads (see frontend/exec_texts.py), cached per text so that dispatchers reuse
their compilations."""
from __future__ import annotations

import functools

from ... import types
from ...errors import TypingError
from ...extending import register_jitable


def literal_option(ty, name: str, func: str, default):
    """The compile-time value of a keyword option (omitted or a literal, or the Python default
    an overload of *args sees for an option the call leaves out), else TypingError."""
    if not isinstance(ty, types.Type):
        return ty
    if isinstance(ty, types.Omitted):
        return ty.value
    if isinstance(ty, types.Literal):
        return ty.literal_value
    if isinstance(ty, types.NoneType):
        return None
    raise TypingError(f"np.{func}(): {name}= must be a compile-time constant "
                      f"(default {default!r}), not {ty}")


def as_type(value):
    """An option's type: an overload of *args sees the Python default of an option the call
    leaves out (Omitted(default) as a fixed signature's overload would)."""
    return value if isinstance(value, types.Type) else types.Omitted(value)


def generate(params: str, body: str, env: dict):
    """`def impl(<params>): <body>` over the globals `env`."""
    lines = "".join(f"    {line}\n" for line in body.splitlines())
    return _compiled(f"def impl({params}):\n{lines}",
                     tuple(sorted(env.items(), key=lambda kv: kv[0])))


@functools.lru_cache(maxsize=None)
def _compiled(text: str, env: tuple):
    """One function per text and helpers: a dispatcher reuses its compilations."""
    namespace = {"__name__": __name__, **dict(env)}
    exec(compile(text, "<jitbridge-npfuncs-generated>", "exec"), namespace)  # noqa: S102
    return namespace["impl"]


@functools.lru_cache(maxsize=None)
def _registered(function):
    return register_jitable(function)


def jitable(params: str, body: str, env: dict):
    """generate()'s function, callable from compiled code (registered once per text)."""
    return _registered(generate(params, body, env))
