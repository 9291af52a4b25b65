"""`for i in progress(range(n)):` shows a progress bar, in Python and in compiled code.

In compiled code the loop counts its items in a register and, every `stride` items, asks the
clock (an out-of-line call, so the loop body stays small); the stride doubles while ticks come
less than 10 ms apart, so a loop whose body takes 100 ns pays a few cycles per item. At most 10
times a second the tick takes the GIL and calls the bar's `update`. The bar is tqdm's when tqdm
is installed, else a one-line text bar on stderr; it belongs to the iterator's MemInfo, so a
loop left by `break`, `return` or an exception drops it too (showing its last update's count).
"""
from __future__ import annotations

import ctypes
import sys
import threading
import time

from llvmlite import ir

from . import types
from .core import cgutils
from .core.pythonapi import PythonAPI
from .extending import AbstractTemplate, lower_builtin, models, register, register_global
from .core.datamodel import register_model
from .ir.markers import progress_close, progress_open, progress_rest, progress_tick
from .runtime import nrt

#: state slots of a compiled progress iterator (an i64 array)
DONE, COUNTDOWN, STRIDE, TICK_NS, UPDATE_NS, REPORTED, BAR, SLOTS = range(8)
UPDATE_EVERY_NS, STRIDE_TARGET_NS, MAX_STRIDE = 100_000_000, 10_000_000, 1 << 24


def progress(iterable, total=None, desc=None):
    """Iterate over `iterable` showing a progress bar (tqdm's if installed)."""
    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)
    bar = _open(-1 if total is None else total, desc)
    try:
        for item in iterable:
            yield item
            bar.update(1)
    finally:
        bar.close()


def _open(total: int, desc=None):
    """The bar of one loop (called by compiled code too, with the GIL held)."""
    try:
        from tqdm import tqdm
    except ImportError:
        return TextBar(total, desc)
    return tqdm(total=None if total < 0 else total, desc=desc, mininterval=0.1)


class TextBar:
    """A one-line progress bar on stderr, for when tqdm is not installed."""

    def __init__(self, total: int, desc=None, stream=None):
        self.total, self.desc, self.n, self.closed = total, desc, 0, False
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self._draw()

    def update(self, n: int = 1) -> None:
        self.n += n
        self._draw()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    __del__ = close

    def _draw(self) -> None:
        elapsed = time.monotonic() - self.start
        prefix = f"{self.desc}: " if self.desc else ""
        if self.total > 0:
            done = min(self.n / self.total, 1.0)
            bar = "#" * int(30 * done)
            text = f"{prefix}{done:4.0%} |{bar:<30}| {self.n}/{self.total} [{elapsed:.1f}s]"
        else:
            text = f"{prefix}{self.n} [{elapsed:.1f}s]"
        self.stream.write("\r" + text)
        self.stream.flush()


# -- compiled code -------------------------------------------------------------------------------

class ProgressType(types.Type):
    """The iterator `progress(x)` gives: the items of iter(x), counted for the bar."""

    def __init__(self, iterator_type):
        self.iterator_type = iterator_type
        self.yield_type = iterator_type.yield_type
        super().__init__(f"progress({iterator_type})")

    @property
    def key(self):
        return self.iterator_type


@register_model(ProgressType)
class ProgressModel(models.StructModel):
    def __init__(self, dmm, fe_type):
        super().__init__(dmm, fe_type, [("state", types.CPointer(types.int64)),
                                        ("owner", types.meminfo_pointer),
                                        ("iterator", fe_type.iterator_type)])


register_global(progress, types.Function(progress))


class ProgressCall(AbstractTemplate):
    key = progress

    def generic(self, args, kws):
        if kws or not 1 <= len(args) <= 2:
            return None
        if len(args) == 2 and not isinstance(types.unliteral(args[1]), types.Integer):
            return None
        sig = self.context.resolve_function_type(types.Function(iter), (args[0],), {})
        if sig is None:
            return None
        return types.signature(ProgressType(sig.return_type), *map(types.unliteral, args))


class ProgressIter(AbstractTemplate):
    key = iter

    def generic(self, args, kws):
        if len(args) == 1 and not kws and isinstance(args[0], ProgressType):
            return types.signature(args[0], args[0])
        return None


register(ProgressCall)
register(ProgressIter)


@lower_builtin(iter, ProgressType)
def progress_iter_impl(context, builder, sig, args):
    context.incref(builder, sig.args[0], args[0])
    return args[0]


@lower_builtin(progress, types.Any)
@lower_builtin(progress, types.Any, types.Integer)
def progress_impl(context, builder, sig, args):
    """iter(x), its state (counters, clock) and the bar, owned by a MemInfo."""
    itty = sig.return_type.iterator_type
    iter_sig = types.signature(itty, sig.args[0])
    it = context.make_helper(builder, sig.return_type)
    it.iterator = context.get_function(types.Function(iter), iter_sig)(builder, [args[0]])
    state = cgutils.alloca_once(builder, ir.ArrayType(cgutils.int64_t, SLOTS))
    it.state = builder.bitcast(state, cgutils.int64_t.as_pointer())
    total = args[1] if len(args) == 2 else _length(context, builder, sig.args[0], args[0])
    bar = _call_open(context, builder, total)
    for slot, value in ((DONE, 0), (COUNTDOWN, 1), (STRIDE, 1), (REPORTED, 0)):
        builder.store(ir.Constant(cgutils.int64_t, value), _slot(builder, it.state, slot))
    now = _clock_ns(builder)
    for slot in (TICK_NS, UPDATE_NS):
        builder.store(now, _slot(builder, it.state, slot))
    builder.store(builder.ptrtoint(bar, cgutils.int64_t), _slot(builder, it.state, BAR))
    it.owner = nrt.adopt_pyobject(builder, ir.Constant(cgutils.voidptr_t, None), bar)
    _with_gil(builder, lambda api: api.decref(bar))  # (the MemInfo took its own reference)
    return it._getvalue()


def _length(context, builder, ty, value):
    """len(x) when x has one, else -1 (a bar without a total)."""
    sig = context.typing_context.resolve_function_type(types.Function(len), (ty,), {})
    if sig is None:
        return ir.Constant(cgutils.int64_t, -1)
    length = context.get_function(types.Function(len), sig)(builder, [value])
    return context.cast(builder, length, sig.return_type, types.int64)


def _call_open(context, builder, total):
    """jitbridge.progress._open(total): a new reference; an error returns from the function."""
    api = PythonAPI(context, builder)
    gil = api.gil_ensure()
    module = api.import_module_noblock(__name__)
    bar = cgutils.alloca_once_value(builder, ir.Constant(cgutils.voidptr_t, None))
    with builder.if_then(cgutils.is_not_null(builder, module), likely=True):
        opener = api.object_getattr_string(module, "_open")
        count = api.long_from_longlong(total)
        builder.store(api.call_function_objargs(opener, [count]), bar)
        api.decref(count)
        api.decref(opener)
        api.decref(module)
    failed = cgutils.is_null(builder, builder.load(bar))
    api.gil_release(gil)
    with builder.if_then(failed, likely=False):
        context.call_conv.return_python_error(builder)
    return builder.load(bar)


@lower_builtin("iternext", ProgressType)
def progress_iternext_impl(context, builder, sig, args):
    """The inner item; count it, and tick when the countdown runs out (or finish)."""
    itty = sig.args[0]
    it = context.make_helper(builder, itty, value=args[0])
    inner_sig = types.signature(sig.return_type, itty.iterator_type)
    pair = context.get_function("iternext", inner_sig)(builder, [it.iterator])
    valid = builder.extract_value(pair, 1)
    with builder.if_else(valid, likely=True) as (more, done):
        with more:
            _count(builder, it.state)
        with done:
            builder.call(_helper(builder.module, "jb_progress_finish", _define_finish), [it.state])
    return pair


def _count(builder, state):
    """One subtraction per item: the items of a stride are added to DONE when it runs out."""
    one = ir.Constant(cgutils.int64_t, 1)
    countdown = _slot(builder, state, COUNTDOWN)
    left = builder.sub(builder.load(countdown), one)
    builder.store(left, countdown)
    with builder.if_then(builder.icmp_signed("<=", left, ir.Constant(left.type, 0)), likely=False):
        builder.call(_helper(builder.module, "jb_progress_tick", _define_tick), [state])


def _helper(module, name, define):
    """A helper function of `module` (defined once per module, never inlined: the loop stays
    small)."""
    func = module.globals.get(name)
    if func is None:
        func = ir.Function(module, ir.FunctionType(ir.VoidType(), [cgutils.int64_t.as_pointer()]),
                           name)
        func.linkage = "internal"
        func.attributes.add("noinline")
        define(ir.IRBuilder(func.append_basic_block("entry")), func.args[0])
    return func


def _define_tick(b, state):
    """Adapt the stride to the clock; at most every 100 ms, report the items done."""
    now = _clock_ns(b)
    since_tick = b.sub(now, b.load(_slot(b, state, TICK_NS)))
    stride = b.load(_slot(b, state, STRIDE))
    b.store(b.add(b.load(_slot(b, state, DONE)), stride), _slot(b, state, DONE))
    faster = b.and_(b.icmp_signed("<", since_tick, _i64(STRIDE_TARGET_NS)),
                    b.icmp_signed("<", stride, _i64(MAX_STRIDE)))
    stride = b.select(faster, b.shl(stride, _i64(1)), stride)
    b.store(stride, _slot(b, state, STRIDE))
    b.store(stride, _slot(b, state, COUNTDOWN))
    b.store(now, _slot(b, state, TICK_NS))
    due = b.icmp_signed(">=", b.sub(now, b.load(_slot(b, state, UPDATE_NS))), _i64(UPDATE_EVERY_NS))
    with b.if_then(due, likely=False):
        b.store(now, _slot(b, state, UPDATE_NS))
        _with_gil(b, lambda api: _report(b, api, state))
    b.ret_void()


def _define_finish(b, state):
    """The loop ran out: report the rest and close the bar (once)."""
    closed = b.icmp_signed("<", b.load(_slot(b, state, REPORTED)), _i64(0))
    with b.if_then(b.not_(closed)):
        counted = b.sub(b.load(_slot(b, state, STRIDE)), b.load(_slot(b, state, COUNTDOWN)))
        b.store(b.add(b.load(_slot(b, state, DONE)), counted), _slot(b, state, DONE))
        _with_gil(b, lambda api: (_report(b, api, state), _call_method(b, api, state, "close")))
        b.store(_i64(-1), _slot(b, state, REPORTED))
    b.ret_void()


def _report(b, api, state):
    """bar.update(done - reported) (an error is printed as unraisable: a bar never stops the
    loop)."""
    done = b.load(_slot(b, state, DONE))
    count = api.long_from_longlong(b.sub(done, b.load(_slot(b, state, REPORTED))))
    b.store(done, _slot(b, state, REPORTED))
    _call_method(b, api, state, "update", count)
    api.decref(count)


def _call_method(b, api, state, name, *args):
    bar = b.inttoptr(b.load(_slot(b, state, BAR)), cgutils.voidptr_t)
    result = api.call_method(bar, name, args)
    with b.if_then(cgutils.is_null(b, result), likely=False):
        api.err_write_unraisable(bar)
    with b.if_then(cgutils.is_not_null(b, result), likely=True):
        api.decref(result)


def _with_gil(builder, emit):
    api = PythonAPI(None, builder)
    gil = api.gil_ensure()
    emit(api)
    api.gil_release(gil)


def _clock_ns(b):
    """CLOCK_MONOTONIC in nanoseconds (libc's clock_gettime: no GIL, a vDSO call)."""
    timespec = ir.LiteralStructType([cgutils.int64_t, cgutils.int64_t])
    slot = cgutils.alloca_once(b, timespec)
    clock = cgutils.declare_c_function(b.module, "clock_gettime", ir.IntType(32),
                                       [ir.IntType(32), timespec.as_pointer()])
    b.call(clock, [ir.Constant(ir.IntType(32), 1), slot])
    seconds, nanos = (b.load(b.gep(slot, [ir.Constant(ir.IntType(32), 0),
                                          ir.Constant(ir.IntType(32), k)])) for k in (0, 1))
    return b.add(b.mul(seconds, _i64(1_000_000_000)), nanos)


def _slot(builder, state, index):
    return builder.gep(state, [_i64(index)])


def _i64(value):
    return ir.Constant(cgutils.int64_t, value)


# -- parallel loops: `for i in progress(prange(n))` in a parallel=True function --------------------
# The threads add to one counter (atomically, a batch of items at a time); a Python thread
# shows it at most 10 times a second while the loop runs (the loop's thread does not hold the
# GIL meanwhile), and the bar is closed when the loop ends, however it ends.

#: items a thread counts before it adds them to the shared counter
BATCH = 1024


class ParallelBar:
    """The bar of one parallel loop, fed by `counter` (the threads add to it)."""

    def __init__(self, total: int):
        self.counter = (ctypes.c_int64 * 1)()
        self.address = ctypes.addressof(self.counter)
        self.bar, self.shown = _open(total), 0
        self._done = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True,
                                         name="jitbridge progress")
        self._watcher.start()

    def _watch(self) -> None:
        while not self._done.wait(UPDATE_EVERY_NS / 1e9):
            self._show()

    def _show(self) -> None:
        count = self.counter[0]
        if count > self.shown:
            self.bar.update(count - self.shown)
            self.shown = count

    def close(self) -> None:
        self._done.set()
        self._watcher.join()
        self._show()
        self.bar.close()


class _OpenTemplate(AbstractTemplate):
    key = progress_open

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(types.unliteral(args[0]), types.Integer):
            return types.signature(types.UniTuple(types.int64, 2), types.int64)
        return None


class _CounterTemplate(AbstractTemplate):
    def generic(self, args, kws):
        if len(args) == 2 and all(isinstance(types.unliteral(a), types.Integer) for a in args):
            return types.signature(types.none, types.int64, types.int64)
        return None


class _CloseTemplate(AbstractTemplate):
    key = progress_close

    def generic(self, args, kws):
        if len(args) == 1 and isinstance(types.unliteral(args[0]), types.Integer):
            return types.signature(types.none, types.int64)
        return None


register(_OpenTemplate)
register(type("_TickTemplate", (_CounterTemplate,), {"key": progress_tick}))
register(type("_RestTemplate", (_CounterTemplate,), {"key": progress_rest}))
register(_CloseTemplate)
for _marker in (progress_open, progress_tick, progress_rest, progress_close):
    register_global(_marker, types.Function(_marker))


@lower_builtin(progress_open, types.Integer)
def progress_open_impl(context, builder, sig, args):
    """ParallelBar(total): (the object, kept until progress_close; its counter's address)."""
    api = PythonAPI(context, builder)
    gil = api.gil_ensure()
    address = cgutils.alloca_once_value(builder, _i64(0))
    bar = cgutils.alloca_once_value(builder, ir.Constant(cgutils.voidptr_t, None))
    module = api.import_module_noblock(__name__)
    with builder.if_then(cgutils.is_not_null(builder, module), likely=True):
        maker = api.object_getattr_string(module, "ParallelBar")
        count = api.long_from_longlong(args[0])
        builder.store(api.call_function_objargs(maker, [count]), bar)
        for obj in (count, maker, module):
            api.decref(obj)
    made = cgutils.is_not_null(builder, builder.load(bar))
    with builder.if_then(made, likely=True):
        number = api.object_getattr_string(builder.load(bar), "address")
        builder.store(api.long_as_longlong(number), address)
        api.decref(number)
    api.gil_release(gil)
    with builder.if_then(builder.not_(made), likely=False):
        context.call_conv.return_python_error(builder)
    return context.make_tuple(builder, sig.return_type,
                              [builder.ptrtoint(builder.load(bar), cgutils.int64_t),
                               builder.load(address)])


def _add(builder, counter, amount):
    pointer = builder.inttoptr(counter, cgutils.int64_t.as_pointer())
    builder.atomic_rmw("add", pointer, amount, "monotonic")


@lower_builtin(progress_tick, types.Integer, types.Integer)
def progress_tick_impl(context, builder, sig, args):
    counter, index = args
    batch_done = builder.icmp_signed("==", builder.and_(index, _i64(BATCH - 1)), _i64(BATCH - 1))
    with builder.if_then(batch_done, likely=False):
        _add(builder, counter, _i64(BATCH))
    return context.get_dummy_value()


@lower_builtin(progress_rest, types.Integer, types.Integer)
def progress_rest_impl(context, builder, sig, args):
    counter, size = args
    _add(builder, counter, builder.and_(size, _i64(BATCH - 1)))
    return context.get_dummy_value()


@lower_builtin(progress_close, types.Integer)
def progress_close_impl(context, builder, sig, args):
    """bar.close() (an error is printed as unraisable: a bar never fails the loop)."""
    api = PythonAPI(context, builder)
    gil = api.gil_ensure()
    bar = builder.inttoptr(args[0], cgutils.voidptr_t)
    result = api.call_method(bar, "close", ())
    with builder.if_then(cgutils.is_null(builder, result), likely=False):
        api.err_write_unraisable(bar)
    api.decref(result)
    api.decref(bar)
    api.gil_release(gil)
    return context.get_dummy_value()
