"""Parallel loops: the `parallel_for` marker that frontend/prange.py emits for each outlined
prange loop, the reductions' identities, and the thread-count functions in compiled code.

`parallel_for(kernel, combine, count)` lowers to a parallel region (lowering/parallel.py)
running the kernel's native function on each thread's share of [0, count); the partial results
are folded with `combine` in thread order.
"""
from __future__ import annotations

import numpy as np
from llvmlite import ir

from .. import types
from ..core import cgutils
from ..errors import TypingError
from ..extending import overload
from ..ir.markers import (as_shape, nonnegative, parallel_for, pndindex, reduction_identity,
                          shape_count, unravel)
from ..lowering.parallel import run_on_threads
from ..lowering.registry import VarArg
from ..runtime import threads
from ._registries import AbstractTemplate, lower_builtin, register, register_global
from .closures import ClosureType

i64 = cgutils.int64_t


class ParallelForTemplate(AbstractTemplate):
    key = parallel_for

    def generic(self, args, kws):
        if kws or len(args) != 3 or not isinstance(args[0], ClosureType):
            return None
        kernel, combine, _ = args
        ksig = self.context.resolve_function_type(kernel, (types.int64, types.int64), {})
        partial = ksig.return_type
        if partial != types.none:
            csig = self.context.resolve_function_type(combine, (partial, partial), {})
            if csig is None or csig.return_type != partial:
                raise TypingError(f"the reductions of this prange loop change type when "
                                  f"partial results {partial} combine; give each reduction "
                                  "variable its final type before the loop")
        return types.signature(partial, kernel, combine, types.int64)


register(ParallelForTemplate)
register_global(parallel_for, types.Function(parallel_for))


@lower_builtin(parallel_for, ClosureType, types.Any, types.Integer)
def parallel_for_impl(context, builder, sig, args):
    kernel_ty, combine_ty, _ = sig.args
    partial_ty = sig.return_type
    kernel = _declare_kernel(context, builder.module, kernel_ty, partial_ty)
    count = len(kernel_ty.captured)

    def call_kernel(b, env, retptr, excinfo, lo, hi):
        captured = [b.extract_value(env[0], i) for i in range(count)]
        return b.call(kernel, [retptr, excinfo, *captured, lo, hi])
    slots = run_on_threads(context, builder, args[2], partial_ty, [args[0]], call_kernel)
    if partial_ty == types.none:
        return context.get_dummy_value()
    return slots.fold(combine_ty, args[1])


def _declare_kernel(context, module, kernel_ty, partial_ty):
    argtypes = (*kernel_ty.captured, types.int64, types.int64)
    name, library = kernel_ty.lifted.dispatcher.native_callee(argtypes)
    if library is not None:
        context.library.add_linking_library(library)
    return cgutils.get_or_insert_function(
        module, context._internal_fnty(types.signature(partial_ty, *argtypes)), name)


# -- identities of the reductions ------------------------------------------------------------------

def _scalar_identity(operator: str, ty):
    """The identity of `operator` for scalars of type `ty`, as a NumPy scalar of its dtype."""
    dtype = np.dtype(str(ty)) if not isinstance(ty, types.Boolean) else np.dtype(bool)
    if operator == "+" or operator in ("|", "^"):
        return dtype.type(0)
    if operator == "*":
        return dtype.type(1)
    if operator == "&":
        return dtype.type(True) if dtype.kind == "b" else dtype.type(-1)
    bound = np.inf if dtype.kind in "fc" else None
    if operator == "min":
        return dtype.type(bound if bound is not None else np.iinfo(dtype).max)
    return dtype.type(-bound if bound is not None else np.iinfo(dtype).min)


@overload(reduction_identity, prefer_literal=True)
def reduction_identity_ovl(operator, like):
    if not isinstance(operator, types.StringLiteral):
        return None
    op = operator.literal_value
    like = types.unliteral(like)
    if isinstance(like, types.Array):
        fill = _scalar_identity(op, like.dtype)
        return lambda operator, like: np.full_like(like, fill)
    if isinstance(like, (types.Integer, types.Float, types.Complex, types.Boolean)):
        value = _scalar_identity(op, like)
        if isinstance(like, types.Integer) and like.bitwidth < 64 and op in ("+", "*"):
            value = int(value)  # (Python ints promote small integer types, as += would)
        return lambda operator, like: value
    raise TypingError(f"a prange reduction cannot start from a value of type {like}")


register_global(reduction_identity, types.Function(reduction_identity))


# -- thread counts in compiled code -------------------------------------------------------------

class _ThreadQuery(AbstractTemplate):
    def generic(self, args, kws):
        return None if args or kws else types.signature(types.int64)


class _SetThreads(AbstractTemplate):
    key = threads.set_num_threads

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(types.unliteral(args[0]), types.Integer):
            return types.signature(types.none, types.int64)
        return None


for _func in (threads.get_num_threads, threads.get_thread_id):
    register(type(f"Template_{_func.__name__}", (_ThreadQuery,), {"key": _func}))
register(_SetThreads)
for _func in (threads.get_num_threads, threads.get_thread_id, threads.set_num_threads):
    register_global(_func, types.Function(_func))


@lower_builtin(threads.get_num_threads)
def get_num_threads_impl(context, builder, sig, args):
    return builder.call(threads.declare_thread_count(builder.module, "jb_parallel_get_threads"), [])


@lower_builtin(threads.get_thread_id)
def get_thread_id_impl(context, builder, sig, args):
    return builder.call(threads.declare_thread_id(builder.module), [])


@lower_builtin(threads.set_num_threads, types.Integer)
def set_num_threads_impl(context, builder, sig, args):
    limit = threads.get_layer().max_threads
    count = args[0]
    bad = builder.or_(builder.icmp_signed("<", count, ir.Constant(i64, 1)),
                      builder.icmp_signed(">", count, ir.Constant(i64, limit)))
    with cgutils.if_unlikely(builder, bad):
        context.call_conv.return_user_exc(
            builder, ValueError, (f"The number of threads must be between 1 and {limit}",))
    builder.call(threads.declare_thread_count(builder.module, "jb_parallel_set_threads"), [count])
    return context.get_dummy_value()


# -- pndindex ---------------------------------------------------------------------------------------

class PndindexTemplate(AbstractTemplate):
    """pndindex(...) outside an outlined loop is np.ndindex(...)."""
    key = pndindex

    def generic(self, args, kws):
        sig = self.context.resolve_function_type(types.Function(np.ndindex), args, kws)
        return None if sig is None else sig.replace(key=np.ndindex)


def _extents(args) -> int | None:
    """How many extents `as_shape(*args)` gives: integers, or one tuple of integers."""
    if len(args) == 1 and isinstance(args[0], types.BaseTuple):
        args = tuple(args[0])
    ok = all(isinstance(types.unliteral(a), types.Integer) for a in args)
    return len(args) if ok else None


class AsShapeTemplate(AbstractTemplate):
    key = as_shape

    def generic(self, args, kws):
        count = _extents(args)
        if kws or not count:
            return None
        return types.signature(types.UniTuple(types.int64, count), *args)


class ShapeCountTemplate(AbstractTemplate):
    key = shape_count

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(args[0], types.UniTuple):
            return types.signature(types.int64, args[0])
        return None


class UnravelTemplate(AbstractTemplate):
    key = unravel

    def generic(self, args, kws):
        if len(args) == 2 and isinstance(args[1], types.UniTuple):
            return types.signature(args[1], types.int64, args[1])
        return None


for _template in (PndindexTemplate, AsShapeTemplate, ShapeCountTemplate, UnravelTemplate):
    register(_template)
    register_global(_template.key, types.Function(_template.key))


@lower_builtin(as_shape, VarArg(types.Any))
def as_shape_impl(context, builder, sig, args):
    argtypes, values = sig.args, list(args)
    if len(argtypes) == 1 and isinstance(argtypes[0], types.BaseTuple):
        values = [builder.extract_value(values[0], i) for i in range(len(argtypes[0]))]
        argtypes = tuple(argtypes[0])
    extents = [context.cast(builder, v, t, types.int64) for v, t in zip(values, argtypes)]
    for extent in extents:
        with cgutils.if_unlikely(builder, builder.icmp_signed("<", extent, ir.Constant(i64, 0))):
            context.call_conv.return_user_exc(builder, ValueError,
                                              ("negative dimensions are not allowed",))
    return context.make_tuple(builder, sig.return_type, extents)


@lower_builtin(shape_count, types.UniTuple)
def shape_count_impl(context, builder, sig, args):
    count = ir.Constant(i64, 1)
    for i in range(len(sig.args[0])):
        count = builder.mul(count, builder.extract_value(args[0], i))
    return count


@lower_builtin(unravel, types.Integer, types.UniTuple)
def unravel_impl(context, builder, sig, args):
    flat, shape = args
    index = [None] * len(sig.return_type)
    for i in reversed(range(len(index))):  # (extents of a non-empty shape are positive)
        extent = builder.extract_value(shape, i)
        index[i] = builder.srem(flat, extent) if i else flat
        flat = builder.sdiv(flat, extent)
    return context.make_tuple(builder, sig.return_type, index)


class NonnegativeTemplate(AbstractTemplate):
    key = nonnegative

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(types.unliteral(args[0]), types.Integer):
            return types.signature(types.int64, types.int64)
        return None


register(NonnegativeTemplate)
register_global(nonnegative, types.Function(nonnegative))


@lower_builtin(nonnegative, types.Integer)
def nonnegative_impl(context, builder, sig, args):
    """The value, with LLVM told it is >= 0 (a share's start: negative-index checks go)."""
    builder.assume(builder.icmp_signed(">=", args[0], ir.Constant(args[0].type, 0)))
    return args[0]
