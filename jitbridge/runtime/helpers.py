"""Process-wide native helpers, generated with llvmlite once per process (no C compiler).

- `jb_mismatch`: the sentinel a checked wrapper returns when the arguments do not fit it.
- `jb_unpickle`, `jb_raise_excinfo`: turn a pickled exception payload into a raised exception.
- `jb_dispatch_call`: the `tp_call` of the native dispatcher base type (`dispatcher.py`).
- `jb_stack_limit`: the lowest safe frame address of the calling thread (computed once per thread
  from its pthread stack, cached under a pthread key): recursive compiled functions compare
  their frame address with it and raise RecursionError instead of overflowing the stack.
- `jb_interrupt_flag`, `jb_signal_handler`, `jb_poll_interrupt`: Ctrl-C (and every signal with
  a Python handler) in compiled loops. The C-level handler sets the flag and chains to the previous handler (CPython's, which trips
  the Python-level signal); loops test the flag and call `jb_poll_interrupt`, which runs the
  Python signal handlers (PyErr_CheckSignals) holding the GIL.
"""
from __future__ import annotations

import ctypes
import signal
import threading

from llvmlite import ir

from ..codegen import CodeLibrary, ProcessLocal, get_codegen, note_symbol
from ..core import cgutils
from ..core.callconv import excinfo_t
from ..core.pythonapi import PythonAPI, declare_capi  # noqa: F401 (re-exported)
from . import cycles, nrt

from .dispatcher import (NDARRAY_TYPE, define_dispatch_call, make_dispatcher_base,
                         native_function as _fn, wrapper_fnty)  # noqa: F401 (wrappers' type)

pyobj = cgutils.voidptr_t
i64 = cgutils.int64_t
i32 = ir.IntType(32)


def _define_unpickle(module):
    func, b = _fn(module, "jb_unpickle", pyobj, [excinfo_t.as_pointer()])
    api = PythonAPI(None, b)
    fail = func.append_basic_block("fail")
    mod = api.import_module_noblock("pickle")
    b.cbranch(cgutils.is_null(b, mod), fail, b.append_basic_block("loads"))
    b.position_at_end(b.function.blocks[-1])
    loads = api.object_getattr_string(mod, "loads")
    api.decref(mod)
    info = b.load(func.args[0])
    data = api.bytes_from_string_and_size(b.extract_value(info, 0), b.extract_value(info, 1))
    result = api.call_function_objargs(loads, [data])
    api.decref(data)
    api.decref(loads)
    b.ret(result)
    b.position_at_end(fail)
    b.ret(api.get_null_object())


def _define_raise_excinfo(module):
    """Raise the pickled (class, args, where) as a Python exception; `where` (function, file,
    line), when not None, becomes the traceback's innermost entry, as if Python had run the
    raising line."""
    func, b = _fn(module, "jb_raise_excinfo", ir.VoidType(), [excinfo_t.as_pointer()])
    api = PythonAPI(None, b)
    payload = api.unserialize(func.args[0])
    with b.if_then(cgutils.is_not_null(b, payload)):
        where = api.tuple_getitem(payload, 2)
        site = _raise_site_strings(b, api, where)  # (before the error: this may fail)
        api.err_set_object(api.tuple_getitem(payload, 0), api.tuple_getitem(payload, 1))
        with b.if_then(cgutils.is_not_null(b, site[1])):
            b.call(_define_add_traceback(module), site)
        api.decref(payload)
    b.ret_void()


def _raise_site_strings(b, api, where):
    """(function, file, line) as (char*, char*, i32) from the `where` tuple; a NULL file
    when there is none (None, or names that do not encode: the error is cleared)."""
    module = b.module
    as_utf8 = cgutils.declare_c_function(module, "PyUnicode_AsUTF8", pyobj, [pyobj])
    null = ir.Constant(pyobj, None)
    name, file = cgutils.alloca_once_value(b, null), cgutils.alloca_once_value(b, null)
    line = cgutils.alloca_once_value(b, ir.Constant(i32, 0))
    with b.if_then(b.icmp_unsigned("!=", where, api.borrow_none())):
        b.store(b.call(as_utf8, [api.tuple_getitem(where, 0)]), name)
        b.store(b.call(as_utf8, [api.tuple_getitem(where, 1)]), file)
        b.store(b.trunc(api.long_as_longlong(api.tuple_getitem(where, 2)), i32), line)
        failed = b.or_(cgutils.is_null(b, b.load(name)), cgutils.is_null(b, b.load(file)))
        with b.if_then(failed, likely=False):
            api.err_clear()
            b.store(null, file)
    return [b.load(name), b.load(file), b.load(line)]


TRACEBACK_ADD = "jb_traceback_add"  # CPython's _PyTraceback_Add, where it has one (else NULL)
_ADD_TRACEBACK = "jb_add_traceback"
_add_traceback_t = ir.FunctionType(ir.VoidType(), [pyobj, pyobj, i32])


def _define_add_traceback(module) -> ir.Function:
    """`void jb_add_traceback(char *function, char *file, int line)`: a traceback entry for
    the exception being raised (a frame of `function` at `line` of `file`), through
    CPython's _PyTraceback_Add where this CPython exports it."""
    if _ADD_TRACEBACK in module.globals:
        return module.globals[_ADD_TRACEBACK]
    pointer = ir.GlobalVariable(module, pyobj, TRACEBACK_ADD)
    pointer.initializer = ir.Constant(pyobj, None)
    func, b = _fn(module, _ADD_TRACEBACK, ir.VoidType(), [pyobj, pyobj, i32])
    target = b.load(pointer)
    with b.if_then(cgutils.is_not_null(b, target)):
        b.call(b.bitcast(target, _add_traceback_t.as_pointer()), list(func.args))
    b.ret_void()
    return func


# -- stack guard ----------------------------------------------------------------------------------

#: Stack kept free below the guard for the code that runs between checks (C calls, leaf
#: functions, unwinding); a quarter of the stack when that is smaller.
STACK_MARGIN = 256 * 1024
_STACK_FUNCTIONS = {  # name -> (restype, argtypes) of the libc functions the guard uses
    "pthread_self": (i64, []),
    "pthread_getattr_np": (i32, [i64, pyobj]),
    "pthread_attr_getstack": (i32, [pyobj, pyobj.as_pointer(), i64.as_pointer()]),
    "pthread_attr_destroy": (i32, [pyobj]),
    "pthread_getspecific": (pyobj, [i32]),
    "pthread_setspecific": (i32, [i32, pyobj]),
}


def _libc(b, name, *args):
    restype, argtypes = _STACK_FUNCTIONS[name]
    return b.call(cgutils.declare_c_function(b.module, name, restype, argtypes), list(args))


def _define_stack_limit(module):
    """`i8* jb_stack_limit()`: the cached limit of this thread, computed on its first call."""
    func, b = _fn(module, "jb_stack_limit", pyobj, [])
    key = nrt.thread_key(b, nrt.KEY_STACK)
    cached = _libc(b, "pthread_getspecific", key)
    with b.if_then(cgutils.is_not_null(b, cached), likely=True):
        b.ret(cached)
    limit, _ = _thread_stack_range(b)
    _libc(b, "pthread_setspecific", key, limit)
    b.ret(limit)


def _define_cache_main_stack(module, limit_gv, span_gv):
    """`void jb_cache_main_stack()`, called on the main thread: its safe frame addresses,
    [limit, limit + span), tested inline by compiled code before calling `jb_stack_limit`."""
    func, b = _fn(module, "jb_cache_main_stack", ir.VoidType(), [])
    limit, high = _thread_stack_range(b)
    limit = b.ptrtoint(limit, i64)
    b.store(limit, limit_gv)
    b.store(b.select(b.icmp_unsigned(">", high, limit), b.sub(high, limit),
                     ir.Constant(i64, 0)), span_gv)
    b.ret_void()


def _thread_stack_range(b):
    """(lowest stack address + margin, highest address) of this thread; the limit is 1 (no
    guard) where the stack is unknown: never null, so that it is cached too."""
    attr = cgutils.alloca_once(b, ir.ArrayType(i64, 32))  # pthread_attr_t fits in 256 bytes
    base = cgutils.alloca_once(b, pyobj, zfill=True)
    size = cgutils.alloca_once(b, i64, zfill=True)
    attr = b.bitcast(attr, pyobj)
    failed = _libc(b, "pthread_getattr_np", _libc(b, "pthread_self"), attr)
    with b.if_then(b.icmp_signed("==", failed, ir.Constant(i32, 0))):
        _libc(b, "pthread_attr_getstack", attr, base, size)
        _libc(b, "pthread_attr_destroy", attr)
    quarter = b.lshr(b.load(size), ir.Constant(i64, 2))
    small = b.icmp_unsigned("<", quarter, ir.Constant(i64, STACK_MARGIN))
    margin = b.select(small, quarter, ir.Constant(i64, STACK_MARGIN))
    low = b.ptrtoint(b.load(base), i64)
    limit = b.select(b.icmp_unsigned("==", low, ir.Constant(i64, 0)), ir.Constant(i64, 1),
                     b.add(low, margin))
    return b.inttoptr(limit, pyobj), b.add(low, b.load(size))


def new_thread_key() -> int:
    """A new pthread key, never deleted (the per-thread stack limit; the parallel layer's
    region marker)."""
    key = ctypes.c_uint(0)
    if ctypes.CDLL(None).pthread_key_create(ctypes.byref(key), None) != 0:
        raise OSError("pthread_key_create failed")
    return key.value


# -- interrupts (Ctrl-C) --------------------------------------------------------------------------

MAIN_STACK_LIMIT, MAIN_STACK_SPAN = "jb_main_stack_limit", "jb_main_stack_span"


def cache_main_stack() -> None:
    """Record the main thread's stack range (compiled code checks it inline); no-op elsewhere."""
    runtime = get_runtime()
    if threading.current_thread() is threading.main_thread() and not runtime.main_stack_cached:
        ctypes.CFUNCTYPE(None)(runtime.library.get_pointer_to_function("jb_cache_main_stack"))()
        runtime.main_stack_cached = True


INTERRUPT_FLAG = "jb_interrupt_flag"
_PREVIOUS_HANDLERS = "jb_signal_previous"
_SIGNAL_HANDLER = "jb_signal_handler"
handler_t = ir.FunctionType(ir.VoidType(), [i32])
_handlers_t = ir.ArrayType(handler_t.as_pointer(), signal.NSIG)


def _define_signal_handler(module, flag):
    """Async-signal-safe: set the flag, then run the C handler this one replaced for the signal
    (CPython's trips the Python-level signal, so Python handlers run, in compiled loops or
    after them)."""
    previous = ir.GlobalVariable(module, _handlers_t, _PREVIOUS_HANDLERS)
    previous.initializer = ir.Constant(_handlers_t, None)
    func, b = _fn(module, _SIGNAL_HANDLER, ir.VoidType(), [i32])
    b.store_atomic(ir.Constant(i32, 1), flag, "seq_cst", 4)
    signum = b.urem(func.args[0], ir.Constant(i32, signal.NSIG))  # (always below NSIG)
    slot = b.gep(previous, [ir.Constant(i32, 0), signum])
    chained = b.load_atomic(slot, "seq_cst", 8)
    address = b.ptrtoint(chained, i64)
    is_function = b.icmp_unsigned("<", b.sub(address, ir.Constant(i64, 2)),
                                  ir.Constant(i64, 2 ** 63))  # not SIG_DFL/SIG_IGN/SIG_ERR
    with b.if_then(is_function):
        b.call(chained, [func.args[0]])
    b.ret_void()


def _define_poll_interrupt(module, flag):
    """`i32 jb_poll_interrupt()`: clear the flag, run the Python signal handlers holding the
    GIL; -1 with the exception set when one raised (KeyboardInterrupt...)."""
    func, b = _fn(module, "jb_poll_interrupt", i32, [])
    b.store_atomic(ir.Constant(i32, 0), flag, "seq_cst", 4)  # before: a new signal re-sets it
    api = PythonAPI(None, b)
    state = api.gil_ensure()
    status = b.call(cgutils.declare_c_function(module, "PyErr_CheckSignals", i32, []), [])
    api.gil_release(state)
    b.ret(status)


def install_interrupt_handler() -> None:
    """Chain `jb_signal_handler` in front of the C-level handler of every signal Python
    handles (SIGINT's KeyboardInterrupt, and any `signal.signal(SIGTERM, handler)`), so
    compiled loops run its Python handler at their next poll, as the interpreter would.

    Idempotent and cheap; called whenever a function with polled loops is compiled, so a handler
    installed with `signal.signal` (which replaces the C handler) is chained again. SIG_DFL,
    SIG_IGN and handlers Python did not install are left alone.
    """
    for signum in signal.valid_signals():
        if signum < signal.NSIG and callable(signal.getsignal(signum)):
            _chain(signum)


def _chain(signum: int) -> None:
    runtime = get_runtime()
    getsig, setsig = _capi_signal_functions()
    current = getsig(signum) or 0
    if current in (0, 1, runtime.signal_handler) or current == ctypes.c_void_p(-1).value:
        return
    slot = runtime.previous_handlers + signum * ctypes.sizeof(ctypes.c_void_p)
    ctypes.c_void_p.from_address(slot).value = current
    setsig(signum, runtime.signal_handler)


def _capi_signal_functions():
    getsig, setsig = ctypes.pythonapi.PyOS_getsig, ctypes.pythonapi.PyOS_setsig
    getsig.restype, getsig.argtypes = ctypes.c_void_p, [ctypes.c_int]
    setsig.restype, setsig.argtypes = ctypes.c_void_p, [ctypes.c_int, ctypes.c_void_p]
    return getsig, setsig


#: (load, save) of the runtime's object code, installed by caching/ (a higher layer): load()
#: gives (object code, bitcode) made by this jitbridge for this machine, or None; save(runtime)
#: stores what a process built, so that later processes skip the build
RUNTIME_CODE_STORE: list = []
_RUNTIME_NAME = "jitbridge.runtime"


class _Runtime:
    """Addresses of the helpers and the native dispatcher base type."""

    def __init__(self):
        codegen = get_codegen()
        exports = ("jb_mismatch", "jb_unpickle", "jb_raise_excinfo", "jb_dispatch_call", NDARRAY_TYPE,
                   TRACEBACK_ADD, _ADD_TRACEBACK,
                   nrt.STATS_SYMBOL, nrt.THREAD_KEYS, *nrt.RUNTIME_FUNCTIONS, *_GUARD_EXPORTS,
                   *cycles.EXPORTS)
        stored = RUNTIME_CODE_STORE[0]() if RUNTIME_CODE_STORE else None
        library = CodeLibrary.from_object_code(codegen, _RUNTIME_NAME, *stored, exports) \
            if stored else _build_library(codegen, exports)
        for name in exports:  # compiled code refers to the helpers by name
            note_symbol(name, ProcessLocal("runtime", f"the runtime helper {name!r}",
                                           "defined by jitbridge's runtime in every process"))
        #: whether its object code came from the on-disk cache (else caching may store it)
        self.loaded = bool(stored)
        nrt.set_stats_address(codegen.get_global_address(nrt.STATS_SYMBOL))
        keys = (ctypes.c_uint32 * 3).from_address(codegen.get_global_address(nrt.THREAD_KEYS))
        keys[:] = [new_thread_key() for _ in range(3)]
        cycles.bind(library)
        self.library = library
        self.signal_handler = library.get_pointer_to_function(_SIGNAL_HANDLER)
        self.previous_handlers = codegen.get_global_address(_PREVIOUS_HANDLERS)
        ctypes.c_void_p.from_address(codegen.get_global_address(TRACEBACK_ADD)).value = \
            ctypes.cast(getattr(ctypes.pythonapi, "_PyTraceback_Add", None), ctypes.c_void_p).value
        self.main_stack_cached = False
        self.mismatch_address = codegen.get_global_address("jb_mismatch")
        self.dispatch_call = library.get_pointer_to_function("jb_dispatch_call")
        self.dispatcher_base = make_dispatcher_base(self.dispatch_call)
        #: where the native dispatcher reads numpy.ndarray's address (see `note_ndarray_type`)
        self.ndarray_type_slot = codegen.get_global_address(NDARRAY_TYPE)
        if not stored and RUNTIME_CODE_STORE:
            RUNTIME_CODE_STORE[1](self)


def _build_library(codegen, exports) -> CodeLibrary:
    """The runtime compiled from its LLVM IR (its object code kept, for the disk cache)."""
    module = ir.Module(_RUNTIME_NAME)
    mismatch = ir.GlobalVariable(module, ir.IntType(8), "jb_mismatch")
    mismatch.initializer = ir.Constant(ir.IntType(8), 0)
    _define_unpickle(module)
    _define_raise_excinfo(module)
    define_dispatch_call(module, mismatch)
    module.globals[NDARRAY_TYPE].initializer = ir.Constant(i64, 0)  # (set from Python)
    _define_guards(module)
    nrt.define_runtime(module)
    cycles.define_runtime(module)
    library = codegen.create_library(_RUNTIME_NAME)
    library.keep_object_code = True
    library.add_ir_module(module)
    for name in exports:
        library.export(name)
    library.finalize()
    return library


_GUARD_EXPORTS = ("jb_stack_limit", INTERRUPT_FLAG, _PREVIOUS_HANDLERS, _SIGNAL_HANDLER,
                  "jb_poll_interrupt", "jb_cache_main_stack", MAIN_STACK_LIMIT, MAIN_STACK_SPAN)


def _define_guards(module):
    flag = ir.GlobalVariable(module, i32, INTERRUPT_FLAG)
    flag.initializer = ir.Constant(i32, 0)
    stack_range = [ir.GlobalVariable(module, i64, name) for name in (MAIN_STACK_LIMIT,
                                                                       MAIN_STACK_SPAN)]
    for gv in stack_range:
        gv.initializer = ir.Constant(i64, 0)  # an empty range: every check takes the call
    _define_cache_main_stack(module, *stack_range)
    _define_signal_handler(module, flag)
    _define_poll_interrupt(module, flag)
    _define_stack_limit(module)


_runtime: _Runtime | None = None


def get_runtime() -> _Runtime:
    """The process-wide runtime helpers (built on first use)."""
    global _runtime
    if _runtime is None:
        _runtime = _Runtime()
    return _runtime


def declare_runtime(module: ir.Module, name: str) -> ir.Function:
    """Declare one of the runtime helper functions in `module`."""
    signatures = {"jb_raise_excinfo": (ir.VoidType(), [excinfo_t.as_pointer()]),
                  "jb_unpickle": (pyobj, [excinfo_t.as_pointer()]),
                  "jb_stack_limit": (pyobj, []), "jb_poll_interrupt": (i32, []),
                  _ADD_TRACEBACK: (ir.VoidType(), [pyobj, pyobj, i32])}
    restype, argtypes = signatures[name]
    return cgutils.get_or_insert_function(module, ir.FunctionType(restype, argtypes), name)


def add_traceback_entry(builder: ir.IRBuilder, where) -> None:
    """For the Python error just set: a traceback entry at `where` ((function, file, line) of
    the raising statement, or None: no entry)."""
    if where is None:
        return
    module = builder.module
    name, file, line = where
    builder.call(declare_runtime(module, _ADD_TRACEBACK),
                 [cgutils.const_cstring(module, name), cgutils.const_cstring(module, file),
                  ir.Constant(i32, line)])


def interrupt_flag(module: ir.Module):
    """The `jb_interrupt_flag` i32 global (set by the SIGINT handler) declared in `module`."""
    gv = module.globals.get(INTERRUPT_FLAG)
    return gv if gv is not None else ir.GlobalVariable(module, i32, INTERRUPT_FLAG)


def main_stack_range(module: ir.Module):
    """The main thread's (limit, span) i64 globals declared in `module`."""
    return [module.globals.get(name) or ir.GlobalVariable(module, i64, name)
            for name in (MAIN_STACK_LIMIT, MAIN_STACK_SPAN)]


def mismatch_sentinel(module: ir.Module):
    """The `jb_mismatch` sentinel as an i8* constant expression in `module`."""
    gv = module.globals.get("jb_mismatch")
    if gv is None:
        gv = ir.GlobalVariable(module, ir.IntType(8), "jb_mismatch")
    return gv.bitcast(pyobj)


__all__ = ["get_runtime", "declare_runtime", "add_traceback_entry", "mismatch_sentinel", "declare_capi",
           "interrupt_flag", "install_interrupt_handler", "main_stack_range", "cache_main_stack"]
