"""The threading layer that runs parallel loops (`prange`, `parallel=True`).

Generated code hands a parallel region to `jb_parallel_launch(body, data)`: `body(data, tid,
nthreads)` runs once on each of `nthreads` threads (the caller is thread 0) and the launch
returns when all have finished. The threads come from an established runtime where one is
installed: an OpenMP library exporting GNU's `GOMP_parallel` ABI (GCC's libgomp, or Intel's
libiomp5, which ships as a wheel), found at run time. Where none is, a minimal built-in layer
starts the threads with pthreads for each region ("workqueue", as Numba names its own).

Rules the launch keeps, so that nothing deadlocks or oversubscribes:
- a launch from inside a parallel region (nested parallelism) runs serially on its thread;
- the threads busy in regions are counted process-wide: a launch from another Python thread
  while they are all busy gets the threads left (at least its own), never more;
- the launch releases the GIL while the region runs if its thread holds it, so that code in
  the region that takes the GIL (objmode blocks, raising) cannot deadlock against it.
"""
from __future__ import annotations

import ctypes
import os
import threading
import weakref

from llvmlite import binding as llvm
from llvmlite import ir

from .. import config
from ..codegen import ProcessLocal, get_codegen, note_symbol
from ..core import cgutils
from ..core.pythonapi import PythonAPI
from . import cycles
from .helpers import get_runtime, new_thread_key

i8p = cgutils.voidptr_t
i32, i64 = ir.IntType(32), cgutils.int64_t
#: void body(i8* data, i64 tid, i64 nthreads)
body_fnty = ir.FunctionType(ir.VoidType(), [i8p, i64, i64])
LAUNCH = "jb_parallel_launch"
#: the most threads a region uses (callers keep per-thread slots for this many in their frame)
MAX_THREADS = 256
_GLOBALS = {"jb_par_threads": i64, "jb_par_max_threads": i64, "jb_par_busy": i64,
            "jb_par_key": i32, "jb_gomp_parallel": i8p, "jb_omp_thread_num": i8p}
#: OpenMP runtimes exporting GOMP_parallel, in order of preference
_OPENMP_LIBRARIES = ("libgomp.so.1", "libiomp5.so", "libgomp.so", "libomp.so")
_LAYERS = ("omp", "workqueue")


class _Layer:
    """The parallel runtime of this process: its library, globals and chosen layer."""

    def __init__(self):
        requested = _requested_layer()
        openmp = _load_openmp() if requested in ("default", "omp") else None
        if requested == "omp" and openmp is None:
            raise RuntimeError("the 'omp' threading layer was requested but no OpenMP runtime "
                               f"exporting GOMP_parallel was found ({', '.join(_OPENMP_LIBRARIES)})")
        self.name = "omp" if openmp else "workqueue"
        self.library = _build_library()
        self._globals = {name: get_codegen().get_global_address(name) for name in _GLOBALS}
        self._store("jb_par_key", new_thread_key(), ctypes.c_uint32)
        self.max_threads = min(config.NUMBA_NUM_THREADS, MAX_THREADS)
        self._store("jb_par_max_threads", self.max_threads)
        self._store("jb_par_threads", self.max_threads)
        if openmp is not None:
            self._store("jb_gomp_parallel", openmp[0], ctypes.c_void_p)
            self._store("jb_omp_thread_num", openmp[1], ctypes.c_void_p)
        self._get_thread_id = ctypes.CFUNCTYPE(ctypes.c_int64)(
            self.library.get_pointer_to_function("jb_parallel_thread_id"))

    def _store(self, name: str, value, ctype=ctypes.c_int64) -> None:
        ctype.from_address(self._globals[name]).value = value

    def load(self, name: str) -> int:
        return ctypes.c_int64.from_address(self._globals[name]).value

    def set_threads(self, count: int) -> None:
        self._store("jb_par_threads", count)

    def thread_id(self) -> int:
        return self._get_thread_id()


#: code library -> [(line, what)] of the operations its lowering put on the threads (read by
#: the dispatcher's parallel_diagnostics; gone with the library)
PARALLEL_NOTES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def note_parallel(library, location, what: str) -> None:
    line = getattr(location, "line", 0) or 0
    PARALLEL_NOTES.setdefault(library, []).append((line, what))


_layer: _Layer | None = None
_layer_lock = threading.Lock()


def get_layer() -> _Layer:
    """The parallel runtime (built, and its threading layer chosen, on first use)."""
    global _layer
    with _layer_lock:
        if _layer is None:
            _layer = _Layer()
    return _layer


def declare_launch(module: ir.Module) -> ir.Function:
    """`void jb_parallel_launch(body*, i8* data)` in `module` (the runtime is built first)."""
    get_layer()
    fnty = ir.FunctionType(ir.VoidType(), [body_fnty.as_pointer(), i8p])
    return cgutils.get_or_insert_function(module, fnty, LAUNCH)


def declare_thread_id(module: ir.Module) -> ir.Function:
    get_layer()
    return cgutils.get_or_insert_function(module, ir.FunctionType(i64, []), "jb_parallel_thread_id")


def declare_thread_count(module: ir.Module, name: str) -> ir.Function:
    """`i64 jb_parallel_get_threads()` / `void jb_parallel_set_threads(i64)`."""
    get_layer()
    fnty = ir.FunctionType(i64, []) if name == "jb_parallel_get_threads" else \
        ir.FunctionType(ir.VoidType(), [i64])
    return cgutils.get_or_insert_function(module, fnty, name)


# -- choosing the layer ---------------------------------------------------------------------------

def _requested_layer() -> str:
    value = (os.environ.get("JITBRIDGE_THREADING_LAYER")
             or os.environ.get("NUMBA_THREADING_LAYER") or "default").lower()
    aliases = {"safe": "default", "threadsafe": "default", "forksafe": "workqueue"}
    value = aliases.get(value, value)
    if value not in ("default", *_LAYERS):
        raise ValueError(f"unknown threading layer {value!r}: expected one of "
                         f"{', '.join(('default', *_LAYERS))}")
    return value


def _load_openmp():
    """(address of GOMP_parallel, of omp_get_thread_num) from the first OpenMP runtime that
    loads, or None."""
    for name in _OPENMP_LIBRARIES:
        try:
            lib = ctypes.CDLL(name, mode=ctypes.RTLD_GLOBAL)
            parallel, thread_num = lib.GOMP_parallel, lib.omp_get_thread_num
        except (OSError, AttributeError):
            continue
        llvm.load_library_permanently(name) if os.sep not in name else None
        return (ctypes.cast(parallel, ctypes.c_void_p).value,
                ctypes.cast(thread_num, ctypes.c_void_p).value)
    return None


# -- the runtime's LLVM IR ------------------------------------------------------------------------

_LIBC = {"pthread_getspecific": (i8p, [i32]), "pthread_setspecific": (i32, [i32, i8p]),
         "pthread_create": (i32, [i64.as_pointer(), i8p, i8p, i8p]),
         "pthread_join": (i32, [i64, i8p.as_pointer()])}


def _libc(b, name, *args):
    restype, argtypes = _LIBC[name]
    return b.call(cgutils.declare_c_function(b.module, name, restype, argtypes), list(args))


def _fn(module, name, restype, argtypes, linkage=None):
    func = ir.Function(module, ir.FunctionType(restype, argtypes), name)
    if linkage:
        func.linkage = linkage
    return func, ir.IRBuilder(func.append_basic_block("entry"))


def _build_library():
    get_runtime()  # defines the cycle collector's counter this code updates
    module = ir.Module("jitbridge.parallel")
    gvs = {}
    for name, ty in _GLOBALS.items():
        gvs[name] = ir.GlobalVariable(module, ty, name)
        gvs[name].initializer = ir.Constant(ty, None)
    # a work item handed to a thread: (body, data, tid, nthreads, keeps its thread state)
    item_t = ir.LiteralStructType([body_fnty.as_pointer(), i8p, i64, i64, i64])
    run_item = _define_run_item(module, gvs, item_t)
    gomp_body = _define_gomp_body(module, gvs, item_t, run_item)
    _define_launch(module, gvs, item_t, run_item, gomp_body)
    _define_thread_queries(module, gvs)
    library = get_codegen().create_library("jitbridge.parallel")
    library.add_ir_module(module)
    exports = (LAUNCH, "jb_parallel_thread_id", "jb_parallel_get_threads",
               "jb_parallel_set_threads", *_GLOBALS)
    for name in exports:
        library.export(name)
        note_symbol(name, ProcessLocal("runtime", f"the parallel runtime's {name!r}",
                                       "call jitbridge.runtime.threads:get_layer"))
    library.finalize()
    return library


def _item_field(b, item, index):
    return b.load(b.gep(item, [ir.Constant(i32, 0), ir.Constant(i32, index)]))


def _define_run_item(module, gvs, item_t):
    """`i8* jb_par_run_item(item*)`: run one thread's share, marked as inside a region (the
    pthread key holds tid + 1) so that a nested launch runs serially.

    A thread Python has never seen gets a Python thread state first (taken and released at
    once, the GIL is not held while the share runs): code in the share that takes the GIL
    (raising with run-time values, objmode) then keeps the errors it sets in that state until
    the region's body fetches them. OpenMP's threads keep theirs (they live as long as the
    process); the built-in layer's threads, which end with the region, give it back."""
    func, b = _fn(module, "jb_par_run_item", i8p, [i8p], "internal")
    item = b.bitcast(func.args[0], item_t.as_pointer())
    key = b.load(gvs["jb_par_key"])
    tid = _item_field(b, item, 2)
    unknown = cgutils.is_null(b, _capi(b, "PyGILState_GetThisThreadState", i8p, []))
    gil_state = cgutils.alloca_once(b, i32)
    saved = cgutils.alloca_once(b, i8p, zfill=True)
    with b.if_then(unknown, likely=False):
        b.store(_capi(b, "PyGILState_Ensure", i32, []), gil_state)
        b.store(_capi(b, "PyEval_SaveThread", i8p, []), saved)
    _libc(b, "pthread_setspecific", key, b.inttoptr(b.add(tid, ir.Constant(i64, 1)), i8p))
    b.call(_item_field(b, item, 0), [_item_field(b, item, 1), tid, _item_field(b, item, 3)])
    _libc(b, "pthread_setspecific", key, ir.Constant(i8p, None))
    give_back = b.and_(cgutils.is_not_null(b, b.load(saved)),
                       b.icmp_signed("==", _item_field(b, item, 4), ir.Constant(i64, 0)))
    with b.if_then(give_back):
        _capi(b, "PyEval_RestoreThread", ir.VoidType(), [i8p], b.load(saved))
        _capi(b, "PyGILState_Release", ir.VoidType(), [i32], b.load(gil_state))
    b.ret(ir.Constant(i8p, None))
    return func


def _capi(b, name, restype, argtypes, *args):
    return b.call(cgutils.declare_c_function(b.module, name, restype, argtypes), list(args))


def _define_gomp_body(module, gvs, item_t, run_item):
    """`void jb_par_gomp_body(item*)`, run by each OpenMP thread: its own item, with the
    thread number OpenMP gave it."""
    func, b = _fn(module, "jb_par_gomp_body", ir.VoidType(), [i8p], "internal")
    shared = b.bitcast(func.args[0], item_t.as_pointer())
    thread_num = b.bitcast(b.load(gvs["jb_omp_thread_num"]), ir.FunctionType(i32, []).as_pointer())
    own = cgutils.alloca_once(b, item_t)
    b.store(b.load(shared), own)
    tid = b.sext(b.call(thread_num, []), i64)
    b.store(tid, b.gep(own, [ir.Constant(i32, 0), ir.Constant(i32, 2)]))
    b.store(ir.Constant(i64, 1), b.gep(own, [ir.Constant(i32, 0), ir.Constant(i32, 4)]))
    b.call(run_item, [b.bitcast(own, i8p)])
    b.ret_void()
    return func


def _define_launch(module, gvs, item_t, run_item, gomp_body):
    func, b = _fn(module, LAUNCH, ir.VoidType(), [body_fnty.as_pointer(), i8p])
    body, data = func.args
    one = ir.Constant(i64, 1)
    nested = cgutils.is_not_null(b, _libc(b, "pthread_getspecific", b.load(gvs["jb_par_key"])))
    with b.if_then(nested, likely=False):
        b.call(body, [data, ir.Constant(i64, 0), one])
        b.ret_void()
    count = _claim_threads(b, gvs)
    cycles.gil_free_region(b, +1)
    api = PythonAPI(None, b)
    holds_gil = b.icmp_signed("!=", api._call("PyGILState_Check"), ir.Constant(i32, 0))
    saved = cgutils.alloca_once(b, i8p, zfill=True)
    with b.if_then(holds_gil):
        b.store(api.save_thread(), saved)
    item = cgutils.alloca_once(b, item_t)
    for index, value in enumerate((body, data, ir.Constant(i64, 0), count, ir.Constant(i64, 0))):
        b.store(value, b.gep(item, [ir.Constant(i32, 0), ir.Constant(i32, index)]))
    gomp = b.load(gvs["jb_gomp_parallel"])
    with b.if_else(cgutils.is_null(b, gomp)) as (threads, openmp):
        with threads:
            _run_with_pthreads(b, item_t, item, count, run_item)
        with openmp:
            gomp_t = ir.FunctionType(ir.VoidType(), [i8p, i8p, i32, i32]).as_pointer()
            b.call(b.bitcast(gomp, gomp_t), [b.bitcast(gomp_body, i8p), b.bitcast(item, i8p),
                                             b.trunc(count, i32), ir.Constant(i32, 0)])
    with b.if_then(cgutils.is_not_null(b, b.load(saved))):
        api.restore_thread(b.load(saved))
    cycles.gil_free_region(b, -1)
    b.atomic_rmw("sub", gvs["jb_par_busy"], count, "monotonic")
    b.ret_void()


def _claim_threads(b, gvs):
    """How many threads this region gets: the set number, or fewer when other regions hold
    threads (never below one: the caller's own); counted as busy until the region ends."""
    want = b.load(gvs["jb_par_threads"])
    busy_before = b.atomic_rmw("add", gvs["jb_par_busy"], want, "monotonic")
    free = b.sub(b.load(gvs["jb_par_max_threads"]), busy_before)
    granted = b.select(b.icmp_signed("<", free, want), free, want)
    one = ir.Constant(i64, 1)
    granted = b.select(b.icmp_signed("<", granted, one), one, granted)
    b.atomic_rmw("sub", gvs["jb_par_busy"], b.sub(want, granted), "monotonic")
    return granted


def _run_with_pthreads(b, item_t, item, count, run_item):
    """The built-in layer: threads 1..count-1 started with pthread_create, thread 0 run here,
    then all joined. (A thread that cannot be started has its share run here instead.)"""
    items = b.alloca(item_t, count)
    handles = b.alloca(i64, count)
    started = b.alloca(ir.IntType(1), count)
    with cgutils.for_range(b, count) as loop:
        slot = b.gep(items, [loop.index])
        b.store(b.load(item), slot)
        b.store(loop.index, b.gep(slot, [ir.Constant(i32, 0), ir.Constant(i32, 2)]))
        is_first = b.icmp_signed("==", loop.index, ir.Constant(i64, 0))
        with b.if_else(is_first) as (first, other):
            with first:
                b.store(ir.Constant(ir.IntType(1), 0), b.gep(started, [loop.index]))
            with other:
                failed = _libc(b, "pthread_create", b.gep(handles, [loop.index]),
                               ir.Constant(i8p, None), b.bitcast(run_item, i8p),
                               b.bitcast(slot, i8p))
                b.store(b.icmp_signed("==", failed, ir.Constant(i32, 0)),
                        b.gep(started, [loop.index]))
    with cgutils.for_range(b, count) as loop:
        with b.if_then(b.not_(b.load(b.gep(started, [loop.index])))):
            b.call(run_item, [b.bitcast(b.gep(items, [loop.index]), i8p)])
    with cgutils.for_range(b, count) as loop:
        with b.if_then(b.load(b.gep(started, [loop.index]))):
            _libc(b, "pthread_join", b.load(b.gep(handles, [loop.index])),
                  ir.Constant(i8p.as_pointer(), None))


def _define_thread_queries(module, gvs):
    func, b = _fn(module, "jb_parallel_thread_id", i64, [])
    marked = b.ptrtoint(_libc(b, "pthread_getspecific", b.load(gvs["jb_par_key"])), i64)
    zero = ir.Constant(i64, 0)
    b.ret(b.select(b.icmp_signed("==", marked, zero), zero, b.sub(marked, ir.Constant(i64, 1))))
    func, b = _fn(module, "jb_parallel_get_threads", i64, [])
    b.ret(b.load(gvs["jb_par_threads"]))
    func, b = _fn(module, "jb_parallel_set_threads", ir.VoidType(), [i64])
    b.store(func.args[0], gvs["jb_par_threads"])
    b.ret_void()


# -- the public functions (also callable from compiled code: lib/parallel.py) ----------------------

def set_num_threads(n) -> None:
    """Use `n` threads (1 to NUMBA_NUM_THREADS) in the parallel regions started from now on."""
    layer = get_layer()
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= layer.max_threads:
        raise ValueError(f"The number of threads must be between 1 and {layer.max_threads}")
    layer.set_threads(n)


def get_num_threads() -> int:
    """The number of threads parallel regions use (set_num_threads)."""
    return get_layer().load("jb_par_threads")


def get_thread_id() -> int:
    """The number of the thread running this code in its parallel region (0 outside one)."""
    return get_layer().thread_id()


def threading_layer() -> str:
    """The threading layer parallel regions run on: 'omp' (an OpenMP runtime) or
    'workqueue' (jitbridge's own pthreads)."""
    return get_layer().name
