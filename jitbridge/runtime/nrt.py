"""NRT: reference-counted memory for compiled code, emitted as LLVM IR (no C compiler).

MemInfo layout: {i64 refcount, dtor*, i8* dtor_info, i8* data, i64 size}. `jb_nrt_allocate(size)`
returns a MemInfo whose data follows the header, 64-byte aligned. Increfs and decrefs are inline
atomic operations in each module; the last decref calls `jb_nrt_free`, which runs the destructor
(if any) and frees the block. Two counters (allocations, frees) make leak tests possible.
"""
from __future__ import annotations

import ctypes
import sys
import typing

from llvmlite import ir

from ..codegen import get_codegen
from ..core import cgutils
from ..core.pythonapi import PythonAPI

i8p = cgutils.voidptr_t
i64 = cgutils.int64_t
dtor_t = ir.FunctionType(ir.VoidType(), [i8p, i64, i8p])
meminfo_t = ir.LiteralStructType([i64, dtor_t.as_pointer(), i8p, i8p, i64])
meminfo_p = meminfo_t.as_pointer()
HEADER, ALIGN = 40, 64
#: blocks from this size on are advised onto transparent huge pages (Linux), as NumPy's own
#: arrays are: a fresh 8 MiB array otherwise takes 2048 page faults on its first writes
HUGE_PAGES_FROM, PAGE, MADV_HUGEPAGE = 1 << 22, 4096, 14
STATS_SYMBOL = "jb_nrt_stats"
#: pthread keys the runtime's code uses, created by each process that loads it (never baked
#: into the code: the runtime's object code is cached on disk and loaded by other processes)
THREAD_KEYS = "jb_thread_keys"
KEY_STACK, KEY_TRASH_DEPTH, KEY_TRASH_PENDING = range(3)
UNSET_KEY = 0xFFFFFFFF  # (a C program using exported code has no keys)
_keys_t = ir.ArrayType(ir.IntType(32), 3)
RUNTIME_FUNCTIONS = {
    "jb_nrt_allocate": ir.FunctionType(i8p, [i64]),
    "jb_nrt_meminfo_new": ir.FunctionType(i8p, [i8p, i64, dtor_t.as_pointer(), i8p]),
    "jb_nrt_free": ir.FunctionType(ir.VoidType(), [i8p]),
    "jb_nrt_capsule_dtor": ir.FunctionType(ir.VoidType(), [i8p]),
    "jb_nrt_pyobject_dtor": dtor_t,
}


def declare(module: ir.Module, name: str) -> ir.Function:
    """Declare an NRT runtime function in `module`."""
    return cgutils.get_or_insert_function(module, RUNTIME_FUNCTIONS[name], name)


def _count(builder, stats, index):
    ptr = builder.gep(stats, [ir.Constant(ir.IntType(32), 0), ir.Constant(ir.IntType(32), index)])
    builder.atomic_rmw("add", ptr, ir.Constant(i64, 1), "monotonic")


def _field(builder, mi, index):
    mi = builder.bitcast(mi, meminfo_p)
    return builder.gep(mi, [ir.Constant(ir.IntType(32), 0), ir.Constant(ir.IntType(32), index)])


def define_runtime(module: ir.Module) -> None:
    """Add the NRT functions and the stats counters to the runtime module."""
    stats = ir.GlobalVariable(module, ir.ArrayType(i64, 2), STATS_SYMBOL)
    stats.initializer = ir.Constant(ir.ArrayType(i64, 2), None)
    _define_meminfo_new(module, stats)
    _define_allocate(module)
    _define_free(module, stats)
    _define_capsule_dtor(module)
    _define_pyobject_dtor(module)
    _thread_keys(module).initializer = ir.Constant(_keys_t, [UNSET_KEY] * 3)


def _thread_keys(module: ir.Module):
    found = module.globals.get(THREAD_KEYS)
    return found if found is not None else ir.GlobalVariable(module, _keys_t, THREAD_KEYS)


def thread_key(builder: ir.IRBuilder, index: int):
    """The i32 pthread key `index` (one of the KEY_ constants), loaded from the runtime."""
    keys = _thread_keys(builder.module)
    return builder.load(cgutils.gep_inbounds(builder, keys, 0, index))


def _fn(module, name):
    func = ir.Function(module, RUNTIME_FUNCTIONS[name], name)
    return func, ir.IRBuilder(func.append_basic_block("entry"))


def _define_meminfo_new(module, stats):
    """A MemInfo for externally owned `data` (refcount 1)."""
    func, b = _fn(module, "jb_nrt_meminfo_new")
    data, size, dtor, info = func.args
    raw = b.call(cgutils.declare_c_function(module, "malloc", i8p, [i64]), [ir.Constant(i64, HEADER)])
    mi = b.bitcast(raw, meminfo_p)
    b.store(ir.Constant(meminfo_t, [1, None, None, None, 0]), mi)
    for index, value in ((1, dtor), (2, info), (3, data), (4, size)):
        b.store(value, _field(b, mi, index))
    _count(b, stats, 0)
    b.ret(raw)


def _define_allocate(module):
    """A MemInfo with `size` bytes of 64-byte-aligned data after its header."""
    func, b = _fn(module, "jb_nrt_allocate")
    size = func.args[0]
    raw = b.call(cgutils.declare_c_function(module, "malloc", i8p, [i64]),
                 [b.add(size, ir.Constant(i64, HEADER + ALIGN))])
    if sys.platform.startswith("linux"):
        _advise_huge_pages(b, raw, size)
    start = b.add(b.ptrtoint(raw, i64), ir.Constant(i64, HEADER + ALIGN - 1))
    data = b.inttoptr(b.and_(start, ir.Constant(i64, ~(ALIGN - 1))), i8p)
    null = ir.Constant(i8p, None)
    mi = b.call(declare(module, "jb_nrt_meminfo_new"), [data, size, ir.Constant(
        dtor_t.as_pointer(), None), null])
    # the header is its own malloc block; the data block is freed by its destructor
    b.store(_define_free_data(module), _field(b, mi, 1))
    b.store(raw, _field(b, mi, 2))
    b.ret(mi)


def _advise_huge_pages(b, raw, size):
    """madvise(MADV_HUGEPAGE) on the whole pages of a large block (not a null one); advice
    only: its result is ignored."""
    big = b.icmp_unsigned(">=", size, ir.Constant(i64, HUGE_PAGES_FROM))
    with b.if_then(b.and_(big, cgutils.is_not_null(b, raw)), likely=False):
        address = b.ptrtoint(raw, i64)
        first = b.and_(b.add(address, ir.Constant(i64, PAGE - 1)), ir.Constant(i64, -PAGE))
        length = b.and_(b.sub(b.add(address, size), first), ir.Constant(i64, -PAGE))
        madvise = cgutils.declare_c_function(b.module, "madvise", ir.IntType(32),
                                             [i8p, i64, ir.IntType(32)])
        advice = ir.Constant(ir.IntType(32), MADV_HUGEPAGE)
        b.call(madvise, [b.inttoptr(first, i8p), length, advice])


def _define_free_data(module):
    func = ir.Function(module, dtor_t, "jb_nrt_free_data")
    b = ir.IRBuilder(func.append_basic_block("entry"))
    b.call(cgutils.declare_c_function(module, "free", ir.VoidType(), [i8p]), [func.args[2]])
    b.ret_void()
    return func


def _define_free(module, stats):
    """Run the destructor, then free the header."""
    func, b = _fn(module, "jb_nrt_free")
    mi = func.args[0]
    dtor = b.load(_field(b, mi, 1))
    with b.if_then(cgutils.is_not_null(b, dtor)):
        b.call(dtor, [b.load(_field(b, mi, 3)), b.load(_field(b, mi, 4)), b.load(_field(b, mi, 2))])
    _count(b, stats, 1)
    b.call(cgutils.declare_c_function(module, "free", ir.VoidType(), [i8p]), [mi])
    b.ret_void()


def _define_capsule_dtor(module):
    """Destructor of the capsule that keeps a MemInfo alive as an ndarray's base."""
    func, b = _fn(module, "jb_nrt_capsule_dtor")
    api = PythonAPI(None, b)
    mi = api._call("PyCapsule_GetPointer", func.args[0], ir.Constant(i8p, None))
    emit_decref(b, mi)
    b.ret_void()


def _define_pyobject_dtor(module):
    """Destructor of a MemInfo that owns a Python object: decref it holding the GIL."""
    func, b = _fn(module, "jb_nrt_pyobject_dtor")
    api = PythonAPI(None, b)
    state = api.gil_ensure()
    api.decref(func.args[2])
    api.gil_release(state)
    b.ret_void()


def adopt_pyobject(builder: ir.IRBuilder, data, obj):
    """A MemInfo keeping `obj` alive (takes a new reference; the GIL must be held)."""
    PythonAPI(None, builder).incref(obj)
    dtor = declare(builder.module, "jb_nrt_pyobject_dtor")
    return builder.call(declare(builder.module, "jb_nrt_meminfo_new"),
                        [builder.bitcast(data, i8p), ir.Constant(i64, 0), dtor, obj])


# -- destructors of containers ------------------------------------------------------------------

def internal_function(module: ir.Module, name: str, fnty: ir.FunctionType):
    """(function, builder at its entry) for a new internal function `name` of `module`, or
    (the existing one, None) when the module defines it already."""
    existing = module.globals.get(name)
    if existing is not None:
        return existing, None
    func = ir.Function(module, fnty, name)
    func.linkage = "internal"
    return func, ir.IRBuilder(func.append_basic_block("entry"))


def container_destructor(module: ir.Module, name: str, release) -> ir.Function:
    """The internal `void name(payload, size, info)` of `module` (defined once): it calls
    `release(builder, payload)` to drop what the payload holds, then frees the payload."""
    func, b = internal_function(module, name, dtor_t)
    if b is None:
        return func
    release(b, func.args[0])
    b.call(declare_free(module), [func.args[0]])
    b.ret_void()
    return func


def install_destructor(builder: ir.IRBuilder, meminfo, dtor) -> None:
    """Make `dtor` the MemInfo's destructor (a container that learns its item type)."""
    mi = builder.bitcast(meminfo, meminfo_p)
    builder.store(dtor, cgutils.gep_inbounds(builder, mi, 0, 1))


def declare_free(module: ir.Module) -> ir.Function:
    return cgutils.declare_c_function(module, "free", ir.VoidType(), [i8p])


# -- inline reference counting ------------------------------------------------------------------

def emit_incref(builder: ir.IRBuilder, mi) -> None:
    """if mi: atomic mi->refcount += 1."""
    with builder.if_then(cgutils.is_not_null(builder, mi), likely=True):
        builder.atomic_rmw("add", _field(builder, mi, 0), ir.Constant(i64, 1), "monotonic")


def emit_decref(builder: ir.IRBuilder, mi) -> None:
    """if mi and atomic (mi->refcount -= 1) was 1: jb_nrt_free(mi)."""
    with builder.if_then(cgutils.is_not_null(builder, mi), likely=True):
        old = builder.atomic_rmw("sub", _field(builder, mi, 0), ir.Constant(i64, 1), "acq_rel")
        with builder.if_then(builder.icmp_signed("==", old, ir.Constant(i64, 1)), likely=False):
            builder.call(declare(builder.module, "jb_nrt_free"), [mi])


#: the functions that take memory the runtime must release: its own, and the C allocator
#: (strings and exception payloads put a MemInfo header or a payload in malloc'd memory)
ALLOCATORS = frozenset({"jb_nrt_allocate", "jb_nrt_meminfo_new", "malloc", "calloc",
                        "realloc"})


def allocates(func: ir.Function) -> bool:
    """Whether `func`, or a function of its module it calls, allocates memory."""
    seen, stack = set(), [func]
    while stack:
        current = stack.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        for block in current.blocks:
            for callee in (getattr(i, "callee", None) for i in block.instructions):
                if isinstance(callee, ir.Function) and callee.name in ALLOCATORS:
                    return True
                if isinstance(callee, ir.Function) and callee.blocks:
                    stack.append(callee)
    return False


def meminfo_data(builder: ir.IRBuilder, mi):
    """mi->data."""
    return builder.load(_field(builder, mi, 3))


def allocate(builder: ir.IRBuilder, size):
    """A new MemInfo of `size` bytes (refcount 1)."""
    return builder.call(declare(builder.module, "jb_nrt_allocate"), [size])


# -- statistics ---------------------------------------------------------------------------------

class _Stats:
    address: int | None = None


def set_stats_address(address: int) -> None:
    _Stats.address = address


class _AllocationStats(typing.NamedTuple):
    alloc: int
    free: int
    mi_alloc: int
    mi_free: int


class _RuntimeSystem:
    """Numba's `numba.core.runtime.nrt.rtsys`, for code that checks for leaks with it."""

    @staticmethod
    def get_allocation_stats() -> _AllocationStats:
        """Allocations and frees by compiled code so far; every jitbridge allocation is a
        MemInfo with its data, so both pairs count the same events."""
        counts = stats()
        return _AllocationStats(counts["alloc"], counts["free"], counts["alloc"], counts["free"])


rtsys = _RuntimeSystem()


def stats() -> dict:
    """{'alloc': n, 'free': n, 'live': alloc - free} for MemInfos made by compiled code."""
    if _Stats.address is None:
        return {"alloc": 0, "free": 0, "live": 0}
    counts = (ctypes.c_int64 * 2).from_address(_Stats.address)
    return {"alloc": counts[0], "free": counts[1], "live": counts[0] - counts[1]}


# -- MemInfo: Numba's numba.core.runtime.nrt.MemInfo, a Python handle on one MemInfo ------------
# (to read its reference count and data address and to hold a reference from Python: C interop,
# tests). `MemInfo(address)` takes over one reference, released when the handle dies, as
# Numba's does: call `acquire()` first to hold a reference of its own to a MemInfo something
# else owns. Counts change through two small native functions doing the same atomic operations
# as compiled code, so a handle is safe while compiled code uses the MemInfo on other threads.

_LIBRARY = "jitbridge.meminfo"
#: offsets in the MemInfo header {i64 refcount, dtor*, i8* dtor_info, i8* data, i64 size}
_REFCOUNT, _DATA, _SIZE = 0, 24, 32


class _Native:
    """acquire(mi) / release(mi), compiled on first use."""
    functions: tuple | None = None


def _native() -> tuple:
    if _Native.functions is None:
        if _Stats.address is None:  # (set when the runtime, jb_nrt_free's, is loaded)
            raise RuntimeError("no MemInfo exists yet: jitbridge's runtime is not loaded")
        module = ir.Module(_LIBRARY)
        for name, emit in (("jb_meminfo_acquire", emit_incref),
                           ("jb_meminfo_release", emit_decref)):
            func = ir.Function(module, ir.FunctionType(ir.VoidType(), [cgutils.voidptr_t]), name)
            builder = ir.IRBuilder(func.append_basic_block("entry"))
            emit(builder, func.args[0])
            builder.ret_void()
        library = get_codegen().create_library(_LIBRARY)
        library.add_ir_module(module)
        for name in ("jb_meminfo_acquire", "jb_meminfo_release"):
            library.export(name)
        library.finalize()
        proto = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
        _Native.functions = (library, proto(library.get_pointer_to_function("jb_meminfo_acquire")),
                             proto(library.get_pointer_to_function("jb_meminfo_release")))
    return _Native.functions


class MemInfo:
    """A handle owning one reference to the MemInfo at `address`."""

    __slots__ = ("_address",)

    def __init__(self, address: int):
        if not isinstance(address, int) or address <= 0:
            raise ValueError(f"MemInfo() takes the address of a MemInfo, got {address!r}")
        _native()
        self._address = address

    @property
    def meminfoptr(self) -> int:
        return self._address

    @property
    def refcount(self) -> int:
        return ctypes.c_int64.from_address(self._address + _REFCOUNT).value

    @property
    def data(self) -> int:
        """The address of the data the MemInfo owns."""
        return ctypes.c_void_p.from_address(self._address + _DATA).value or 0

    @property
    def size(self) -> int:
        return ctypes.c_int64.from_address(self._address + _SIZE).value

    def acquire(self) -> None:
        """One more reference (give it back with `release()`, or let the handle die)."""
        _native()[1](self._address)

    def release(self) -> None:
        """One reference less (the last one frees the MemInfo and what it owns)."""
        _native()[2](self._address)

    def __del__(self, native=_Native):  # (bound now: module globals are gone at shutdown)
        if getattr(self, "_address", None) is not None and native.functions is not None:
            native.functions[2](self._address)

    def __repr__(self):
        return f"<MemInfo at {self._address:#x} refcount={self.refcount}>"
