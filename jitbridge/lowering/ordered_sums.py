"""Innermost loops summing floats in order (`s += x[i + j] * w[j]`), vectorised as GCC does.

The additions of such a sum must stay in Python's order (same bits), so LLVM may only vectorise
the loop as an *ordered* reduction: loads and products in vectors, the sum one element at a time.
x86 gets that only from a process-wide LLVM option, set while optimising the libraries that
ask for it (`ordered_sum_options`, their `pass_options`), because for a loop reading memory with a
stride (matmul's `b[p, j]`) the vectoriser's cost model picks gathers that lose to scalar code.
So only loops whose arrays are all one-dimensional (mostly read in order) ask; the option then
holds for the whole library, whose other loops meet the cost model with it. The loops that ask
get:

- one vector per step (`llvm.loop.interleave.count` 1): the additions are one chain anyway, and
  interleaving four vectors makes a short loop (a filter's 31 taps) too short to enter;
- per-iteration facts without `iter_facts` (chunks.py): its assumptions keep LLVM from
  vectorising the loop's remainder (its last 7 of 31 items) with shorter vectors.
"""
from __future__ import annotations

import operator
from contextlib import contextmanager

import llvmlite.binding as llvm
from llvmlite import ir

from .. import types
from ..ir import nodes as n

#: the loop hint that keeps the vectoriser from interleaving a loop (one vector per step)
ONE_INTERLEAVED = ("llvm.loop.interleave.count", 1)
_SUMS = frozenset({operator.add, operator.iadd, operator.sub, operator.isub})
_X86 = llvm.get_process_triple().startswith(("x86_64", "i386", "i686"))


def sums_floats_in_order(lower, body) -> bool:
    """Whether the loop of blocks `body` adds to a float (or complex) variable it carries
    without fast-math, and indexes only one-dimensional arrays."""
    if lower.context.flags.fastmath:
        return False
    nodes = [op.node for label in body for op in lower.tir.blocks[label].body]
    return any(_is_float_sum(lower, node) for node in nodes) and \
        all(_reads_in_order(lower, node) for node in nodes)


def _is_float_sum(lower, node) -> bool:
    return isinstance(node, n.Assign) and isinstance(node.value, n.BinOp) and \
        node.value.op in _SUMS and node.target in (node.value.lhs, node.value.rhs) and \
        isinstance(lower.typeof(node.target), (types.Float, types.Complex))


def _reads_in_order(lower, node) -> bool:
    if isinstance(node, n.Assign) and isinstance(node.value, n.GetItem):
        array = node.value.value
    elif isinstance(node, n.SetItem):
        array = node.target
    else:
        return True
    ty = lower.typeof(array)
    return not isinstance(ty, types.Array) or ty.ndim == 1


def mark_loop(lower, backedge) -> None:
    """Hint the loop closed by `backedge`, and have its library optimised with ordered sums."""
    backedge.set_metadata("llvm.loop", loop_id(lower.builder.module, ONE_INTERLEAVED))
    if lower.context.library is not None:
        lower.context.library.pass_options = ordered_sum_options


def loop_id(module: ir.Module, *hints) -> ir.values.MDValue:
    """A loop's `!llvm.loop` node: its own first operand, as LLVM requires, and one per loop
    (built directly: `Module.add_metadata` would share one between equal loops)."""
    nodes = [module.add_metadata([name, ir.Constant(ir.IntType(32), value)])
             for name, value in hints]
    node = ir.values.MDValue(module, nodes, name=str(len(module.metadata)))
    node.operands = (node, *nodes)
    return node


@contextmanager
def ordered_sum_options():
    """Let the loop vectoriser vectorise ordered reductions and their remainders with shorter
    vectors (x86 does neither by default). LLVM's options are process-wide, read when passes
    run: reset to x86's defaults after (other targets, AArch64 among them, have ordered
    reductions by default and keep their own settings). Compiles run one at a time (the compile
    lock); an optimisation meeting these options would only vectorise differently, never
    compute differently. (Fast-math code reassociates instead; loop hints forcing a vector
    width would reassociate too, so none is ever set.)"""
    if not _X86:
        yield
        return
    _set_ordered_sums(True)
    try:
        yield
    finally:
        _set_ordered_sums(False)


def _set_ordered_sums(on: bool) -> None:
    llvm.set_option("jitbridge", f"-force-ordered-reductions={str(on).lower()}")
    llvm.set_option("jitbridge", f"-epilogue-vectorization-minimum-VF={8 if on else 16}")
