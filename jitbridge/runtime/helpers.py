"""Process-wide native helpers, generated with llvmlite once per process (no C compiler).

- `jb_mismatch`: the sentinel a checked wrapper returns when the arguments do not fit it.
- `jb_unpickle`, `jb_raise_excinfo`: turn a pickled exception payload into a raised exception.
- `jb_dispatch_call`: the `tp_call` of the native dispatcher base type. It binds keywords and
  omitted defaults (`jb_bind_arguments`), then tries each compiled
  specialisation's checked wrapper in turn; on no match it calls `self._fallback(*args, **kw)`
  (typeof, compile, convert) and drops that Python frame from the traceback of any error, so
  users see their own call site first.
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
from ..core import cgutils, layout
from ..core.callconv import excinfo_t
from ..core.pythonapi import PythonAPI, declare_capi
from . import nrt

pyobj = cgutils.voidptr_t
i64 = cgutils.int64_t
i32 = ir.IntType(32)
wrapper_fnty = ir.FunctionType(pyobj, [pyobj, pyobj])
#: Offsets in the dispatcher instance layout: PyObject_HEAD, then our three fields.
ENTRIES_OFFSET = layout.OBJECT_HEADER
COUNT_OFFSET = ENTRIES_OFFSET + layout.POINTER
#: a borrowed (names, fills, required) tuple, or NULL: see `_define_bind_arguments`
BINDING_OFFSET = COUNT_OFFSET + 8
BASICSIZE = BINDING_OFFSET + layout.POINTER


def _fn(module, name, restype, argtypes):
    func = ir.Function(module, ir.FunctionType(restype, argtypes), name)
    return func, ir.IRBuilder(func.append_basic_block("entry"))


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


def _define_dispatch_call(module, mismatch):
    func, b = _fn(module, "jb_dispatch_call", pyobj, [pyobj, pyobj, pyobj])
    self_, args, kws = func.args
    api = PythonAPI(None, b)
    fallback = func.append_basic_block("fallback")
    # an empty **kwargs (decorators and functools.partial pass one) is no keywords
    no_keywords = b.icmp_signed("==", _dict_size(b, kws), ir.Constant(i64, 0))
    with b.if_then(no_keywords, likely=True):
        _search_entries(b, self_, args, mismatch, lambda result: b.ret(result))
    binding = b.load(_field(b, self_, BINDING_OFFSET, pyobj))
    with b.if_then(cgutils.is_not_null(b, binding)):
        bind = _define_bind_arguments(module)
        bound = b.call(bind, [binding, args, b.select(no_keywords, ir.Constant(pyobj, None), kws)])
        with b.if_then(cgutils.is_not_null(b, bound)):
            def found(result):
                api.decref(bound)
                b.ret(result)
            _search_entries(b, self_, bound, mismatch, found)
            api.decref(bound)
    b.branch(fallback)
    b.position_at_end(fallback)
    method = api.object_getattr_string(self_, "_fallback")
    result = api.call(method, args, kws)
    api.decref(method)
    with b.if_then(cgutils.is_null(b, result), likely=False):
        _drop_first_traceback_entry(b, api)
    b.ret(result)


def _field(b, obj, offset: int, ty):
    return b.bitcast(b.gep(obj, [ir.Constant(i64, offset)]), ty.as_pointer())


def _dict_size(b, obj):
    """len(obj) of a dict, 0 for NULL."""
    size = cgutils.alloca_once_value(b, ir.Constant(i64, 0))
    with b.if_then(cgutils.is_not_null(b, obj)):
        b.store(b.call(declare_capi(b.module, "PyDict_Size"), [obj]), size)
    return b.load(size)


def _dict_item(b, obj, key):
    """obj[key] borrowed, or NULL when absent or obj is NULL (PyDict_GetItem sets no error)."""
    item = cgutils.alloca_once_value(b, ir.Constant(pyobj, None))
    with b.if_then(cgutils.is_not_null(b, obj)):
        b.store(b.call(declare_capi(b.module, "PyDict_GetItem"), [obj, key]), item)
    return b.load(item)


def _tuple_slot(b, tup, index):
    """&PyTuple_GET_ITEM(tup, index) for a run-time index."""
    offset = b.add(ir.Constant(i64, layout.TUPLE_ITEMS), b.mul(index, ir.Constant(i64, layout.POINTER)))
    return b.bitcast(b.gep(tup, [offset]), pyobj.as_pointer())


def _search_entries(b, self_, args, mismatch, on_match):
    """Try each published checked wrapper on `args`; `on_match(result)` ends the block of the
    first that takes them (its result, or NULL with its error set). A match moves one place
    towards the front (the transposition rule), so the specialisations a program calls most
    are tried first, whatever order they were compiled in; the GIL, held, makes the swap safe."""
    entries = b.load(_field(b, self_, ENTRIES_OFFSET, wrapper_fnty.as_pointer().as_pointer()))
    count = b.load(_field(b, self_, COUNT_OFFSET, i64))
    with cgutils.for_range(b, count) as loop:
        slot = b.gep(entries, [loop.index])
        entry = b.load(slot)
        result = b.call(entry, [ir.Constant(pyobj, None), args])
        with b.if_then(b.icmp_unsigned("!=", result, mismatch), likely=True):
            with b.if_then(b.icmp_signed(">", loop.index, ir.Constant(i64, 0)), likely=False):
                before = b.gep(entries, [b.sub(loop.index, ir.Constant(i64, 1))])
                b.store(b.load(before), slot)
                b.store(entry, before)
            on_match(result)


def _define_bind_arguments(module):
    """`jb_bind_arguments(binding, args, kws)`: one value per parameter, as Python binds a call
    of a function with plain parameters, or NULL (no error set) for anything unusual, which the
    Python fallback then binds or reports. `binding` is (names, fills, required): names[i] the
    parameter's name (None if positional-only), fills[i] what stands for it when the call omits
    it (the dispatcher's marker of its default), `required` where it has no default."""
    existing = module.globals.get("jb_bind_arguments")
    if existing is not None:
        return existing
    func, b = _fn(module, "jb_bind_arguments", pyobj, [pyobj, pyobj, pyobj])
    binding, args, kws = func.args
    api = PythonAPI(None, b)
    fail = func.append_basic_block("fail")
    names, fills, required = (b.load(_tuple_slot(b, binding, ir.Constant(i64, k))) for k in range(3))
    count, given = _load_size(b, names), _load_size(b, args)
    with b.if_then(b.icmp_signed(">", given, count), likely=False):
        b.ret(ir.Constant(pyobj, None))
    bound = b.call(declare_capi(module, "PyTuple_New"), [count])
    with b.if_then(cgutils.is_null(b, bound), likely=False):
        api.err_clear()
        b.ret(ir.Constant(pyobj, None))
    used = cgutils.alloca_once_value(b, ir.Constant(i64, 0))
    with cgutils.for_range(b, count) as loop:
        item = _bound_item(b, loop.index, (names, fills, required, args, kws, given), used, fail)
        api.incref(item)
        b.store(item, _tuple_slot(b, bound, loop.index))
    unknown = b.icmp_signed("!=", b.load(used), _dict_size(b, kws))  # keywords no parameter has
    b.cbranch(unknown, fail, b.append_basic_block("done"))
    b.position_at_end(func.blocks[-1])
    b.ret(bound)
    b.position_at_end(fail)
    api.decref(bound)
    b.ret(ir.Constant(pyobj, None))
    return func


def _load_size(b, tup):
    return b.load(_field(b, tup, layout.VAR_SIZE, i64))


def _bound_item(b, i, sources, used, fail):
    """The value of parameter i: positional, else keyword, else its fill; `fail` when it is
    given twice or left out without a default."""
    names, fills, required, args, kws, given = sources
    name = b.load(_tuple_slot(b, names, i))
    keyword = _dict_item(b, kws, name)
    positional = b.icmp_signed("<", i, given)
    with b.if_then(b.and_(positional, cgutils.is_not_null(b, keyword)), likely=False):
        b.branch(fail)
    fill = b.load(_tuple_slot(b, fills, i))
    with b.if_then(b.and_(b.not_(positional), cgutils.is_not_null(b, keyword))):
        b.store(b.add(b.load(used), ir.Constant(i64, 1)), used)
    item = b.select(positional, b.load(_tuple_slot(b, args, i)),
                    b.select(cgutils.is_null(b, keyword), fill, keyword))
    with b.if_then(b.icmp_unsigned("==", item, required), likely=False):
        b.branch(fail)
    return item


def _drop_first_traceback_entry(b, api):
    slots = api.err_fetch_normalized()
    tb = b.load(slots[2])
    with b.if_then(cgutils.is_not_null(b, tb)):
        nxt = b.load(b.bitcast(b.gep(tb, [ir.Constant(i64, layout.TRACEBACK_NEXT)]), pyobj.as_pointer()))
        with b.if_then(cgutils.is_not_null(b, nxt)):
            api.incref(nxt)
        api.decref(tb)
        b.store(nxt, slots[2])
    value, tb = b.load(slots[1]), b.load(slots[2])
    with b.if_then(cgutils.is_not_null(b, value)):
        tb_or_none = b.select(cgutils.is_null(b, tb), api.borrow_none(), tb)
        api._call("PyException_SetTraceback", value, tb_or_none)
    api.err_restore(b.load(slots[0]), value, tb)


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


def _define_stack_limit(module, key: int):
    """`i8* jb_stack_limit()`: the cached limit of this thread, computed on its first call."""
    func, b = _fn(module, "jb_stack_limit", pyobj, [])
    key = ir.Constant(i32, key)
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


def _new_thread_key() -> int:
    """A pthread key for the per-thread stack limit (one per process, never deleted)."""
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


#: (load, store) of the runtime's object code, installed by caching/ (a higher layer): load()
#: gives (object code, bitcode) made by this jitbridge for this machine, or None
RUNTIME_CODE_STORE: list = []
_RUNTIME_NAME = "jitbridge.runtime"


class _Runtime:
    """Addresses of the helpers and the native dispatcher base type."""

    def __init__(self):
        codegen = get_codegen()
        exports = ("jb_mismatch", "jb_unpickle", "jb_raise_excinfo", "jb_dispatch_call",
                   TRACEBACK_ADD, _ADD_TRACEBACK,
                   nrt.STATS_SYMBOL, *nrt.RUNTIME_FUNCTIONS, *_GUARD_EXPORTS)
        stored = RUNTIME_CODE_STORE[0]() if RUNTIME_CODE_STORE else None
        library = CodeLibrary.from_object_code(codegen, _RUNTIME_NAME, *stored, exports) \
            if stored else _build_library(codegen, exports)
        for name in exports:  # compiled code refers to the helpers by name
            note_symbol(name, ProcessLocal("runtime", f"the runtime helper {name!r}",
                                           "defined by jitbridge's runtime in every process"))
        #: whether its object code came from the on-disk cache (else caching may store it)
        self.loaded = bool(stored)
        nrt.set_stats_address(codegen.get_global_address(nrt.STATS_SYMBOL))
        self.library = library
        self.signal_handler = library.get_pointer_to_function(_SIGNAL_HANDLER)
        self.previous_handlers = codegen.get_global_address(_PREVIOUS_HANDLERS)
        ctypes.c_void_p.from_address(codegen.get_global_address(TRACEBACK_ADD)).value = \
            ctypes.cast(getattr(ctypes.pythonapi, "_PyTraceback_Add", None), ctypes.c_void_p).value
        self.main_stack_cached = False
        self.mismatch_address = codegen.get_global_address("jb_mismatch")
        self.dispatch_call = library.get_pointer_to_function("jb_dispatch_call")
        self.dispatcher_base = _make_dispatcher_base(self.dispatch_call)


def _build_library(codegen, exports) -> CodeLibrary:
    """The runtime compiled from its LLVM IR (its object code kept, for the disk cache)."""
    module = ir.Module(_RUNTIME_NAME)
    mismatch = ir.GlobalVariable(module, ir.IntType(8), "jb_mismatch")
    mismatch.initializer = ir.Constant(ir.IntType(8), 0)
    _define_unpickle(module)
    _define_raise_excinfo(module)
    _define_dispatch_call(module, mismatch)
    _define_guards(module)
    nrt.define_runtime(module)
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
    _define_stack_limit(module, _new_thread_key())


class _PyTypeSlot(ctypes.Structure):
    _fields_ = [("slot", ctypes.c_int), ("pfunc", ctypes.c_void_p)]


class _PyTypeSpec(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("basicsize", ctypes.c_int),
                ("itemsize", ctypes.c_int), ("flags", ctypes.c_uint),
                ("slots", ctypes.POINTER(_PyTypeSlot))]


_Py_tp_call = 50
_Py_TPFLAGS_BASETYPE = 1 << 10
_Py_TPFLAGS_DEFAULT = 1 << 18
_keepalive: list = []


def _make_dispatcher_base(call_address: int) -> type:
    """A heap type whose tp_call is `jb_dispatch_call` (Python subclasses add the rest)."""
    slots = (_PyTypeSlot * 2)(_PyTypeSlot(_Py_tp_call, call_address), _PyTypeSlot(0, None))
    spec = _PyTypeSpec(b"jitbridge._NativeDispatcher", BASICSIZE, 0,
                       _Py_TPFLAGS_DEFAULT | _Py_TPFLAGS_BASETYPE, slots)
    from_spec = ctypes.pythonapi.PyType_FromSpec
    from_spec.restype = ctypes.py_object
    from_spec.argtypes = [ctypes.POINTER(_PyTypeSpec)]
    _keepalive.append((slots, spec))
    return from_spec(ctypes.byref(spec))


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
