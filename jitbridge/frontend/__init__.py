"""Frontend: a Python function's source AST -> untyped IR (FunctionIR).

Invariants of the output: every block ends in one terminator, unreachable blocks are pruned,
names of temporaries start with `$`, frozen globals appear as `Global` nodes.

Freezing follows Numba: every compilation (each new dispatcher, and each new specialisation of
one dispatcher) reads the globals, closure cells and defaults as they are at that moment; a
specialisation already compiled keeps what it froze. The IR is cached per Python function to
keep compile latency low, together with every value the build resolved by name; a cache hit is
used only while each of those names still resolves to the identical object, else the IR is
built again from the current values.
"""
from __future__ import annotations

import ast
import builtins
import weakref

from ..ir import webs
from ..ir.function import FunctionIR
from ..ir.nodes import Arg as ArgNode
from ..ir.nodes import Global
from . import exec_texts, expressions, generators, prange, statements, unroll
from .cfg import IRBuilder
from .scope import MISSING, Scope
from .source import closure_values, parameters, read_source
from .visitor import register_transforms, transform_body

exec_texts.install()  # before any user code runs exec(): see exec_texts

register_transforms(expressions)
register_transforms(statements)
register_transforms(generators)  # (after expressions: its transform_Call wraps theirs)
register_transforms(unroll)  # (after generators: its transform_For wraps theirs)
register_transforms(prange)  # (after unroll: its transform_For wraps unroll's)

#: id(function) -> the `_Frozen` of its cached IR. Held weakly: the values an IR froze may
#: lead back to its function (a dispatcher calling it, a closure cell), so a cache holding them
#: would keep the function, its callees' dispatchers and their code alive for ever. The IR (and
#: typing's copies of it) holds its `_Frozen`: an entry lives as long as code compiled from it.
_CACHE: "weakref.WeakValueDictionary" = weakref.WeakValueDictionary()
_PARALLEL_CACHE: "weakref.WeakValueDictionary" = weakref.WeakValueDictionary()


class _RecordingScope(Scope):
    """A Scope remembering each non-local name it resolved and the value it froze."""

    def __init__(self, func, fdef: ast.FunctionDef):
        super().__init__(func, fdef)
        self.resolved: dict = {}

    def lookup_frozen(self, name: str):
        value = super().lookup_frozen(name)
        if name not in prange.HELPERS:  # (bound by the build itself, never stale)
            self.resolved.setdefault(name, value)
        return value


class _Frozen:
    """What a cached IR depends on: resolved names, closure snapshot, defaults."""

    def __init__(self, func, resolved: dict, fir: FunctionIR):
        self.fir = fir
        self.resolved = resolved
        self.closure = closure_values(func)
        self.defaults = tuple(func.__defaults__ or ())
        self.attr_chains = _module_attr_chains(fir, resolved)

    def still_current(self, func) -> bool:
        closure = closure_values(func)
        if not (_same_values(self.closure, closure)
                and _same_sequence(self.defaults, tuple(func.__defaults__ or ()))):
            return False
        return (all(_lookup_now(func, closure, name) is value
                    for name, value in self.resolved.items())
                and all(_follow(_lookup_now(func, closure, chain[0]), chain[1:]) is value
                        for chain, value in self.attr_chains))


def build_ir(func, unroll_lengths: dict | None = None, parallel: bool = False) -> FunctionIR:
    """Untyped IR of `func`, with its non-local names frozen to their current values;
    `unroll_lengths`: the lengths of its `literal_unroll` loops found so far (frontend/unroll:
    such a build is made per specialisation, never cached); `parallel`: outline its prange
    loops (frontend/prange)."""
    if unroll_lengths is not None:
        return _build(func, unroll_lengths, parallel)[0]
    cache = _PARALLEL_CACHE if parallel else _CACHE
    cached = cache.get(id(func))
    if cached is not None and cached.fir.py_func is func and cached.still_current(func):
        return cached.fir
    fir, scope = _build(func, parallel=parallel)
    fir.frozen = cache[id(func)] = _Frozen(func, scope.resolved, fir)
    return fir


def _build(func, unroll_lengths: dict | None = None, parallel: bool = False):
    source = read_source(func)
    scope = _RecordingScope(func, source.tree)
    builder = IRBuilder(source, scope)
    builder.unroll = unroll.UnrollState(unroll_lengths or {})
    builder.parallel = parallel
    _check_signature(builder, source.tree)
    generator = scope.generator
    if generator:
        generators.check_generator(builder, source.tree)
    for index, arg in enumerate(parameters(source.tree.args)):
        builder.assign(ArgNode(index, arg.arg, builder.loc(arg)), arg.arg)
    transform_body(builder, source.tree.body)
    fir = builder.finish(func)
    webs.split_webs(fir)
    fir.generator = generator
    fir.unroll_pending = frozenset(builder.unroll.pending)
    fir.parallel_loops = tuple(getattr(builder, "parallel_loops", ()))  # (prange.ParallelLoop)
    return fir, scope


def _check_signature(builder: IRBuilder, tree) -> None:
    if tree.args.kwarg:
        raise builder.unsupported("**kwargs parameters are not supported (a dict of keyword "
                                  "arguments has no native form yet)", tree)


# -- revalidating a cached IR ------------------------------------------------------------------
def _lookup_now(func, closure: dict, name: str):
    """What `name` resolves to in `func` now (closure, then globals, then builtins)."""
    if name in closure:
        return closure[name]
    if name in func.__globals__:
        return func.__globals__[name]
    return getattr(builtins, name, MISSING)


def _module_attr_chains(fir: FunctionIR, resolved: dict) -> list:
    """(("np", "float64"), value) for each frozen module attribute (`np.float64`): rebinding
    a module attribute also makes the cached IR stale."""
    chains = []
    for block in fir.blocks.values():
        for stmt in block.body:
            value = getattr(stmt, "value", None)
            if isinstance(value, Global) and "." in value.name:
                chain = tuple(value.name.split("."))
                if chain[0] in resolved:
                    chains.append((chain, value.value))
    return chains


def _follow(value, attrs: tuple):
    for attr in attrs:
        value = getattr(value, attr, MISSING)
    return value


def _same_values(old: dict, new: dict) -> bool:
    return old.keys() == new.keys() and all(old[k] is new[k] for k in old)


def _same_sequence(old: tuple, new: tuple) -> bool:
    return len(old) == len(new) and all(a is b for a, b in zip(old, new))
