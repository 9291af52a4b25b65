"""`for i in progress(range(n)):` shows a progress bar, in Python and in compiled code.

In compiled code the loop counts its items in a register and, every `stride` items, asks the
clock (an out-of-line call, so the loop body stays small); the stride doubles while ticks come
less than 10 ms apart, so a loop whose body takes 100 ns pays a few cycles per item. At most 10
times a second the tick takes the GIL and calls the bar's `update`. The bar is tqdm's when tqdm
is installed, else a one-line text bar on stderr; it belongs to the iterator's MemInfo, so a
loop left by `break`, `return` or an exception drops it too (showing its last update's count).
"""
from __future__ import annotations

import sys
import time

from llvmlite import ir

from . import types
from .core import cgutils
from .core.pythonapi import PythonAPI
from .extending import AbstractTemplate, lower_builtin, models, register, register_global
from .core.datamodel import register_model
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
