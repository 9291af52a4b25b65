"""Fixed-arity implementations for NumPy functions taking `*args` (np.broadcast_arrays,
np.broadcast_shapes, ndarray.reshape(2, 3), ndarray.transpose(1, 0)): an implementation
compiled by jitbridge has a fixed signature, so one is generated per argument count from a
template, run by exec() under a pseudo file name (the frontend reads such texts, see
frontend/exec_texts.py)."""
from __future__ import annotations

import functools


def fixed_arity(body: str, lead: tuple, count: int, env: dict):
    """`def impl(<lead>, x0, ..., x<count-1>): <body>` over the globals `env` (the helpers the
    body calls). In `body`, `EACH(expr)` stands for the tuple of `expr` with `@` replaced by
    each argument in turn: `EACH(f(@, s))` is `(f(x0, s), f(x1, s), ...)`."""
    names = [f"x{i}" for i in range(count)]
    while "EACH(" in body:
        start = body.index("EACH(")
        end = _closing(body, start + 4)
        expr = body[start + 5:end]
        items = "".join(expr.replace("@", name) + ", " for name in names)
        body = body[:start] + "(" + items + ")" + body[end + 1:]
    lines = "".join(f"    {line}\n" for line in body.splitlines())
    return _compiled(f"def impl({', '.join([*lead, *names])}):\n{lines}",
                     tuple(sorted(env.items(), key=lambda kv: kv[0])))


def _closing(text: str, opening: int) -> int:
    """The index of the parenthesis closing the one at `opening`."""
    depth = 0
    for i in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise ValueError(f"unbalanced template: {text!r}")


@functools.lru_cache(maxsize=None)
def _compiled(text: str, env: tuple):
    """One function per text and helpers: a dispatcher reuses its compilations."""
    namespace = {"__name__": __name__, **dict(env)}
    exec(compile(text, "<jitbridge-npfuncs-arity>", "exec"), namespace)  # noqa: S102
    return namespace["impl"]
