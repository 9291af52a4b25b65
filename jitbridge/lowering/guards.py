"""Run-time guards emitted by the lowering, each raising the Python exception CPython would:

- stack guard (RecursionError): recursive functions compare their frame address with the
  thread's stack limit on entry (other functions cannot recurse and pay nothing);
- interrupt poll (KeyboardInterrupt or whatever the Python SIGINT handler raises): loop headers
  test the flag the runtime's SIGINT handler sets; a relaxed load and a never-taken branch;
- definedness (UnboundLocalError): variables that may be read before assignment carry an i1
  "assigned" flag, tested where such a read may happen; always-assigned variables have none.

Each raises through the function's exit block, so owned variables are released.
"""
from __future__ import annotations

from llvmlite import ir

from .. import types
from ..core import cgutils
from ..ir import nodes as n
from ..ir.function import source_name
from ..runtime.helpers import (cache_main_stack, declare_runtime, install_interrupt_handler,
                               interrupt_flag, main_stack_range)

i1 = ir.IntType(1)
i64 = cgutils.int64_t


def may_recurse(tir) -> bool:
    """Whether the function (its typed IR) calls a jitted function still being compiled
    (itself, or one that calls it). Every cycle of the call graph has such a call: the function
    in the cycle whose compilation ended last was still being compiled when its caller was
    lowered."""
    return any(_calls_pending(tir, op) for _, op in tir.ops()
               if isinstance(op.node, n.Assign) and isinstance(op.node.value, n.Call))


def _calls_pending(tir, op) -> bool:
    fnty = tir.typemap.get(op.node.value.func)
    argtypes = tir.calltypes[op.sid].args
    if isinstance(fnty, types.Dispatcher):
        dispatcher = fnty.dispatcher
    elif hasattr(fnty, "jitted_callee"):  # a callable value running a dispatcher's code
        dispatcher, argtypes = fnty.jitted_callee(argtypes)
    else:
        return False
    try:
        _, library = dispatcher.native_callee(argtypes)
    except KeyError:  # no such specialisation: lowering the call reports it, located
        return False
    return library is None


def emit_stack_guard(lower) -> None:
    """Raise RecursionError when this frame lies below the thread's stack limit: an inline
    range test on the main thread, a call for the cached per-thread limit elsewhere."""
    builder = lower.builder
    cache_main_stack()
    frame = builder.ptrtoint(_frame_address(builder), i64)
    main_limit, main_span = (builder.load(gv) for gv in main_stack_range(builder.module))
    on_main = builder.icmp_unsigned("<", builder.sub(frame, main_limit), main_span)
    with cgutils.if_unlikely(builder, builder.not_(on_main)):
        limit = builder.call(declare_runtime(builder.module, "jb_stack_limit"), [])
        _raise_if_below(lower, frame, builder.ptrtoint(limit, i64))


def _frame_address(builder):
    fnty = ir.FunctionType(cgutils.voidptr_t, [ir.IntType(32)])
    intrinsic = builder.module.declare_intrinsic("llvm.frameaddress", [cgutils.voidptr_t], fnty)
    return builder.call(intrinsic, [ir.Constant(ir.IntType(32), 0)])


def _raise_if_below(lower, frame, limit) -> None:
    builder = lower.builder
    too_deep = builder.icmp_unsigned("<", frame, limit)
    message = f"maximum recursion depth exceeded in compiled function {lower.fir.name!r}"
    with cgutils.if_unlikely(builder, too_deep):
        lower.call_conv.return_user_exc(builder, RecursionError, (message,), lower.fir.loc)


def emit_interrupt_poll(lower) -> None:
    """if (flag) { if (jb_poll_interrupt()) return the Python error; }"""
    builder = lower.builder
    flag = builder.load_atomic(interrupt_flag(builder.module), "monotonic", 4)
    pending = builder.icmp_unsigned("!=", flag, ir.Constant(flag.type, 0))
    with cgutils.if_unlikely(builder, pending):
        status = builder.call(declare_runtime(builder.module, "jb_poll_interrupt"), [])
        with cgutils.if_unlikely(builder, builder.icmp_signed("!=", status,
                                                              ir.Constant(status.type, 0))):
            lower.call_conv.return_python_error(builder)


def prepare_interrupts(polled_headers) -> None:
    """Chain the runtime's SIGINT handler (again: `signal.signal` replaces it) when needed."""
    if polled_headers:
        install_interrupt_handler()


def alloc_assigned_flags(lower, names) -> dict:
    """A zeroed "assigned" flag per variable that may be read unassigned."""
    return {name: cgutils.alloca_once(lower.builder, i1, name=f"{name}.assigned", zfill=True)
            for name in names}


def emit_assigned(lower, name: str) -> None:
    slot = lower.assigned_flags.get(name)
    if slot is not None:
        lower.builder.store(ir.Constant(i1, 1), slot)


def emit_bound_checks(lower, stmt) -> None:
    """UnboundLocalError for the reads of `stmt` that may find their variable unassigned."""
    builder = lower.builder
    for name in lower.unbound_uses.get(stmt, ()):
        assigned = builder.load(lower.assigned_flags[name])
        with cgutils.if_unlikely(builder, builder.not_(assigned)):
            message = (f"cannot access local variable {source_name(name)!r} where it is not "
                       "associated with a value")
            lower.call_conv.return_user_exc(builder, UnboundLocalError, (message,), stmt.loc)
