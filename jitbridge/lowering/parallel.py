"""Parallel regions in generated code: work split between the threads of the threading
layer (runtime/threads.py), with the errors and partial results of each thread.

A region's body, an internal function of the caller's module, computes its thread's share of
[0, count) and calls the work on it, storing the status, the partial result, and the error (a
user exception's payload, or a Python error fetched holding the GIL, so that it survives the
worker's thread state). After the region the caller raises the first thread's error, releasing
the other partial results, or folds the partial results in thread order (an integer reduction
gives the serial result exactly). Used by prange loops (lib/parallel.py), array operations of
parallel=True functions (lib/arrays) and @vectorize(target='parallel') loops (npyufunc).
"""
from __future__ import annotations

from contextlib import contextmanager

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..core.callconv import STATUS_OK, STATUS_PYERR, excinfo_t, status_t
from ..runtime import threads

i32, i64 = ir.IntType(32), cgutils.int64_t
NOT_RUN = ir.Constant(status_t, 2)  # a status no function returns: the thread did not run
#: items from which an elementwise loop of a parallel=True function runs on the threads
PARALLEL_MIN_ITEMS = 1 << 14


def run_on_threads(context, builder, count, partial_ty, env, call_kernel, what="prange loop"):
    """Run `call_kernel(builder, env, retptr, excinfo, lo, hi) -> status` (emitted into the
    region's body, `env` the values given here as that body sees them) over [0, count) split
    between the threads; raises the first thread's error. Returns the per-thread slots.
    `what`: the operation, as parallel_diagnostics() reports it."""
    threads.note_parallel(context.library, context.call_conv.location, what)
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

    @contextmanager
    def _each_thread(self, start=0):
        """`with self._each_thread() as tid:` a loop over the thread slots from `start`."""
        with cgutils.for_range(self.builder, ir.Constant(i64, threads.MAX_THREADS),
                               start=ir.Constant(i64, start)) as loop:
            yield loop.index

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
        return _error_slots(self.builder, self._at(self.errors, ir.Constant(i64, 0)), tid)

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


def _error_slots(builder, first, tid) -> list:
    """The (type, value, traceback) slots of thread `tid`'s fetched Python error, in the array
    of 3 per thread starting at `first`."""
    base = builder.mul(tid, ir.Constant(i64, 3))
    return [builder.gep(first, [builder.add(base, ir.Constant(i64, k))]) for k in range(3)]


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
        api.err_fetch(*_error_slots(builder, errors, tid))
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
