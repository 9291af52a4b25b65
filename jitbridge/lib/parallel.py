"""Parallel loops: the `parallel_for` marker that frontend/prange.py emits for each outlined
prange loop, the reductions' identities, and the thread-count functions in compiled code.

`parallel_for(kernel, combine, count)` lowers to a parallel region (runtime/threads.py). The
region's body, an internal function of the caller's module, computes its thread's share of
[0, count) and calls the kernel's native function on it, storing the status, the partial
result, and the error (a user exception's payload, or a Python error fetched holding the GIL,
so it survives the worker's thread state). After the region the caller raises the first
thread's error, releasing the other partial results, or folds the partial results with
`combine` in thread order: an integer reduction gives the serial result exactly.
"""
from __future__ import annotations

import numpy as np
from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.callconv import STATUS_OK, STATUS_PYERR, excinfo_t, status_t
from ..errors import TypingError
from ..ir.markers import parallel_for, reduction_identity
from ..runtime import threads
from ..extending import overload
from ._registries import AbstractTemplate, lower_builtin, register, register_global
from .closures import ClosureType

i32, i64 = ir.IntType(32), cgutils.int64_t
NOT_RUN = ir.Constant(status_t, 2)  # a status no function returns: the thread did not run


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


def run_on_threads(context, builder, count, partial_ty, env, call_kernel, what="prange loop"):
    """Run `call_kernel(builder, env, retptr, excinfo, lo, hi) -> status` (emitted into the
    region's body, `env` the values given here as that body sees them) over [0, count) split
    between the threads; raises the first thread's error. Returns the per-thread slots.
    `what`: the operation, as parallel_diagnostics() reports it."""
    threads.note_parallel(builder.module.name, context.call_conv.location, what)
    slots = _Slots(context, builder, partial_ty)
    values = [*env, count, *slots.pointers()]
    data_t = ir.LiteralStructType([v.type for v in values])
    data = cgutils.alloca_once(builder, data_t)
    for index, value in enumerate(values):
        builder.store(value, _field(builder, data, index))
    body = _define_body(context, builder.module, data_t, len(env), call_kernel)
    builder.call(threads.declare_launch(builder.module),
                 [body, builder.bitcast(data, cgutils.voidptr_t)])
    slots.raise_first_error()
    return slots


def run_range(context, builder, count, env, emit_range, partial_ty=types.none, combine=None,
              what="array operation"):
    """`emit_range(builder, env, lo, hi)` emits the work of items [lo, hi) into a function of
    its own (it may raise: the function has the status-code convention), run on each thread's
    share of [0, count); `env`: the values of this function it needs, as it sees them. With a
    `partial_ty`, emit_range returns each share's partial result, and the results of the
    threads are folded with `combine(builder, a, b)` in thread order (returned)."""
    module = builder.module
    fnty = context.call_conv.get_function_type(context.get_value_type(partial_ty),
                                               [v.type for v in env] + [i64, i64])
    work = ir.Function(module, fnty, module.get_unique_name("jb.parallel.range"))
    work.linkage = "internal"
    work_builder = ir.IRBuilder(work.append_basic_block("entry"))
    *inner_env, lo, hi = context.call_conv.get_arguments(work)
    partial = emit_range(work_builder, inner_env, lo, hi)
    if partial_ty != types.none:
        work_builder.store(partial, work.args[0])
    work_builder.ret(ir.Constant(status_t, STATUS_OK))
    slots = run_on_threads(context, builder, count, partial_ty, env,
                           lambda b, env, retptr, excinfo, lo, hi: b.call(
                               work, [retptr, excinfo, *env, lo, hi]), what)
    return None if combine is None else slots.fold_with(combine)


def _field(builder, struct_ptr, index: int):
    return builder.gep(struct_ptr, [ir.Constant(i32, 0), ir.Constant(i32, index)])


class _Slots:
    """Per-thread results of a region, in the caller's frame: statuses, partial results,
    user-exception payloads, fetched Python errors (type, value, traceback)."""

    def __init__(self, context, builder, partial_ty):
        self.context, self.builder, self.partial_ty = context, builder, partial_ty
        count = threads.MAX_THREADS
        self.partial_t = context.get_value_type(partial_ty)
        self.statuses = cgutils.alloca_once(builder, ir.ArrayType(status_t, count))
        self.partials = cgutils.alloca_once(builder, ir.ArrayType(self.partial_t, count))
        self.excinfos = cgutils.alloca_once(builder, ir.ArrayType(excinfo_t.as_pointer(), count))
        self.errors = cgutils.alloca_once(builder, ir.ArrayType(cgutils.voidptr_t, 3 * count))
        with self._each_thread() as tid:
            builder.store(NOT_RUN, self._at(self.statuses, tid))

    def pointers(self):
        zero = ir.Constant(i32, 0)
        return [self.builder.gep(a, [zero, zero])
                for a in (self.partials, self.statuses, self.excinfos, self.errors)]

    def _at(self, array, index):
        return self.builder.gep(array, [ir.Constant(i32, 0), index])

    def _each_thread(self, start=0):
        return _counted(self.builder, threads.MAX_THREADS, start)

    def _status(self, tid):
        return self.builder.load(self._at(self.statuses, tid))

    def raise_first_error(self) -> None:
        builder = self.builder
        failed = cgutils.alloca_once_value(builder, ir.Constant(i64, -1))
        with self._each_thread() as tid:
            status = self._status(tid)
            is_error = builder.and_(builder.icmp_signed("!=", status, ir.Constant(status_t, 0)),
                                    builder.icmp_signed("!=", status, NOT_RUN))
            first = builder.icmp_signed("<", builder.load(failed), ir.Constant(i64, 0))
            with builder.if_then(builder.and_(is_error, first)):
                builder.store(tid, failed)
        failing = builder.load(failed)
        with builder.if_then(builder.icmp_signed(">=", failing, ir.Constant(i64, 0)),
                             likely=False):
            self._release_all_but(failing)
            self._raise_from(failing)

    def _release_all_but(self, failing) -> None:
        builder, api = self.builder, self.context.get_python_api(self.builder)
        with self._each_thread() as tid:
            status = self._status(tid)
            with builder.if_then(builder.icmp_signed("==", status, ir.Constant(status_t, 0))):
                self.context.decref(builder, self.partial_ty,
                                    builder.load(self._at(self.partials, tid)))
            other_error = builder.and_(
                builder.icmp_signed("==", status, ir.Constant(status_t, STATUS_PYERR)),
                builder.icmp_signed("!=", tid, failing))
            with builder.if_then(other_error):
                state = api.gil_ensure()
                for part in self._error_triple(tid):
                    api.decref(builder.load(part))
                api.gil_release(state)

    def _error_triple(self, tid):
        base = self.builder.mul(tid, ir.Constant(i64, 3))
        return [self._at(self.errors, self.builder.add(base, ir.Constant(i64, k)))
                for k in range(3)]

    def _raise_from(self, tid) -> None:
        builder, api = self.builder, self.context.get_python_api(self.builder)
        status = self._status(tid)
        is_pyerr = builder.icmp_signed("==", status, ir.Constant(status_t, STATUS_PYERR))
        with builder.if_then(is_pyerr):
            state = api.gil_ensure()
            api.err_restore(*(builder.load(p) for p in self._error_triple(tid)))
            api.gil_release(state)
        with builder.if_then(builder.not_(is_pyerr)):
            builder.store(builder.load(self._at(self.excinfos, tid)), builder.function.args[1])
        self.context.call_conv.return_status_propagate(builder, status)

    def fold(self, combine_ty, closure):
        """The partial results folded with the `combine` closure of a prange loop."""
        ty = self.partial_ty
        combine = self.context.get_function(type(combine_ty),
                                            types.signature(ty, combine_ty, ty, ty))
        return self.fold_with(lambda builder, old, part: combine(builder, [closure, old, part]))

    def fold_with(self, combine):
        """combine(...combine(partial[0], partial[1])..., partial[k]) over the threads that
        ran (thread 0 always does), releasing each partial result once combined."""
        builder, context, ty = self.builder, self.context, self.partial_ty
        acc = cgutils.alloca_once(builder, self.partial_t)
        builder.store(builder.load(self._at(self.partials, ir.Constant(i64, 0))), acc)
        with self._each_thread(start=1) as tid:
            ran = builder.icmp_signed("==", self._status(tid), ir.Constant(status_t, STATUS_OK))
            with builder.if_then(ran):
                old, part = builder.load(acc), builder.load(self._at(self.partials, tid))
                builder.store(combine(builder, old, part), acc)
                context.decref(builder, ty, old)
                context.decref(builder, ty, part)
        return builder.load(acc)


class _counted:
    """`with _counted(builder, n, start) as i:` a loop over i64 i in [start, n)."""

    def __init__(self, builder, count: int, start: int = 0):
        self.builder, self.count, self.start = builder, count, start

    def __enter__(self):
        self._loop = cgutils.for_range(self.builder, ir.Constant(i64, self.count),
                                       start=ir.Constant(i64, self.start))
        return self._loop.__enter__().index

    def __exit__(self, *exc):
        return self._loop.__exit__(*exc)


def _define_body(context, module, data_t, env_count: int, call_kernel):
    """`void body(i8* data, i64 tid, i64 nthreads)`: run the kernel on this thread's share."""
    body = ir.Function(module, threads.body_fnty, module.get_unique_name("jb.parallel.body"))
    body.linkage = "internal"
    builder = ir.IRBuilder(body.append_basic_block("entry"))
    data, tid, nthreads = body.args
    data = builder.bitcast(data, data_t.as_pointer())
    fields = [builder.load(_field(builder, data, i)) for i in range(len(data_t.elements))]
    env, (count, partials, statuses, excinfos, errors) = fields[:env_count], fields[env_count:]
    lo, hi = _share(builder, count, tid, nthreads)
    status = call_kernel(builder, env, builder.gep(partials, [tid]),
                         builder.gep(excinfos, [tid]), lo, hi)
    builder.store(status, builder.gep(statuses, [tid]))
    with builder.if_then(builder.icmp_signed("==", status, ir.Constant(status_t, STATUS_PYERR)),
                         likely=False):
        api = context.get_python_api(builder)
        state = api.gil_ensure()
        api.err_fetch(*(builder.gep(errors, [builder.add(builder.mul(tid, ir.Constant(i64, 3)),
                                                         ir.Constant(i64, k))])
                        for k in range(3)))
        api.gil_release(state)
    builder.ret_void()
    return body


def _share(builder, count, tid, nthreads):
    """[lo, hi) of thread `tid`: `count` split in `nthreads` near-equal contiguous parts."""
    chunk, extra = builder.sdiv(count, nthreads), builder.srem(count, nthreads)
    before = builder.select(builder.icmp_signed("<", tid, extra), tid, extra)
    lo = builder.add(builder.mul(tid, chunk), before)
    mine = builder.add(chunk, builder.zext(builder.icmp_signed("<", tid, extra), i64))
    return lo, builder.add(lo, mine)


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
