"""Frontend: a Python function's source AST -> untyped IR (FunctionIR).

Runs once per Python function (cached on the function object's identity). Invariants of the
output: every block ends in one terminator, unreachable blocks are pruned, names of
temporaries start with `$`, frozen globals appear as `Global` nodes.
"""
from __future__ import annotations

import weakref

from ..ir.function import FunctionIR
from ..ir.nodes import Arg as ArgNode
from . import expressions, statements
from .cfg import IRBuilder
from .scope import Scope
from .source import read_source
from .visitor import register_transforms, transform_body

register_transforms(expressions)
register_transforms(statements)

_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def build_ir(func) -> FunctionIR:
    """Untyped IR of `func` (cached)."""
    try:
        return _CACHE[func]
    except KeyError:
        pass
    fir = _build(func)
    _CACHE[func] = fir
    return fir


def _build(func) -> FunctionIR:
    source = read_source(func)
    builder = IRBuilder(source, Scope(func, source.tree))
    _check_signature(builder, source.tree)
    for index, arg in enumerate(source.tree.args.args):
        builder.assign(ArgNode(index, arg.arg, builder.loc(arg)), arg.arg)
    transform_body(builder, source.tree.body)
    return builder.finish(func)


def _check_signature(builder: IRBuilder, tree) -> None:
    args = tree.args
    if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
        raise builder.unsupported("*args, **kwargs and keyword-only arguments are not supported",
                                  tree)
