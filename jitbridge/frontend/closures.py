"""Inner functions and lambdas inside compiled functions, by lambda lifting.

`def inner(k): ... x ...` (x a local of the enclosing function) becomes a separate function
`inner(x, k)` compiled on its own; the enclosing function binds `inner` to a closure value
holding the captured values (taken when the `def` runs). Calls pass them first.
"""
from __future__ import annotations

import ast
import itertools

from ..ir import nodes as n
from .cfg import IRBuilder
from .scope import local_names
from .source import SourceInfo

_counter = itertools.count()


class LiftedFunction:
    """A lifted inner function: `function(*captured, *params)` plus the captured names."""

    def __init__(self, function, captured: tuple):
        self.function = function
        self.captured = captured

    def __repr__(self):
        return f"<lifted {self.function.__qualname__}>"


def make_closure(lifted, *captured):
    """Marker called by compiled code to build a closure value (typed by lib/closures.py)."""
    raise TypeError("make_closure is only meaningful in compiled code")


def lift(b: IRBuilder, node, name: str, args: ast.arguments, body: list) -> str:
    """Emit the closure value for an inner function or lambda; returns its variable."""
    own = local_names(ast.FunctionDef(name=name, args=args, body=body, decorator_list=[]))
    captured = tuple(_free_locals(b, body, own))
    if name in captured:
        raise b.unsupported(f"recursive inner function {name!r} is not supported; define it "
                            "at module level with @njit", node)
    function = _compile_lifted(b, node, name, args, body, captured)
    lifted = LiftedFunction(function, captured)
    loc = b.loc(node)
    maker = b.assign(n.Global("make_closure", make_closure, loc))
    target = b.assign(n.Global(f"<lifted {name}>", lifted, loc))
    return b.assign(n.Call(maker, (target, *captured), (), loc))


def _free_locals(b: IRBuilder, body, own) -> list:
    found = []
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and b.scope.is_local(sub.id) and sub.id not in own \
                    and sub.id not in found:
                found.append(sub.id)
    return found


def _compile_lifted(b: IRBuilder, node, name, args, body, captured):
    """The lifted function object, created from its AST (it keeps that AST for the frontend)."""
    params = [ast.arg(c) for c in captured] + list(args.args)
    new_args = ast.arguments(posonlyargs=[], args=params, kwonlyargs=[], kw_defaults=[],
                             defaults=list(args.defaults), vararg=args.vararg, kwarg=args.kwarg)
    qualname = f"{b.source.func.__qualname__}.<locals>.{name}"
    fdef = ast.FunctionDef(name=name, args=new_args, body=body, decorator_list=[],
                           returns=None, type_params=[])
    ast.copy_location(fdef, node)
    free = sorted(b.scope.closure)
    maker = ast.FunctionDef(name="make", args=ast.arguments(
        posonlyargs=[], args=[ast.arg(f) for f in free], kwonlyargs=[], kw_defaults=[],
        defaults=[]), body=[fdef, ast.Return(ast.Name(name, ast.Load()))], decorator_list=[],
        returns=None, type_params=[])
    module = ast.fix_missing_locations(ast.Module(body=[ast.copy_location(maker, node)],
                                                  type_ignores=[]))
    namespace: dict = {}
    exec(compile(module, b.source.filename, "exec"), b.source.func.__globals__, namespace)
    function = namespace["make"](*(b.scope.closure[f] for f in free))
    function.__qualname__ = f"{qualname}_{next(_counter)}"
    function.__jitbridge_source__ = SourceInfo(function, b.source.filename, fdef, b.source.indent)
    return function
