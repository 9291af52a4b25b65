"""Reference cycles between jitclass instances, found and freed (CPython's collector, for MemInfos).

Instances are reference counted, so `a.next = b; b.next = a` would keep both alive for ever.
An instance of a class with members that hold instances ("tracked": only those can be part of a
cycle) starts its payload with a header linking it into one process-wide list:

    {i8* prev, i8* next, i8* meminfo, i8* traverse, i64 gc_refs}

`traverse(payload, visit, arg)` (generated per class) calls `visit(slot, arg)` for each member
slot holding a tracked instance. `jb_gc_collect` then does what CPython's collector does:
subtract the references tracked instances hold to each other from the reference counts, keep
what is still referenced from elsewhere and everything reachable from it, and free the rest by
clearing its slots. It runs from Python's full collections (`gc.collect()`), holding the GIL,
and only while no compiled code runs without the GIL (nogil calls, parallel regions and cfuncs
that touch instances count themselves in `jb_gc_gil_free`), since such code may change
members while the list is read.
"""
from __future__ import annotations

import ctypes
import gc

from llvmlite import ir

from ..core import cgutils
from . import nrt

i8p, i64, i32 = cgutils.voidptr_t, cgutils.int64_t, ir.IntType(32)
header_t = ir.LiteralStructType([i8p, i8p, i8p, i8p, i64])
visit_t = ir.FunctionType(ir.VoidType(), [i8p, i8p])
traverse_t = ir.FunctionType(ir.VoidType(), [i8p, visit_t.as_pointer(), i8p])
PREV, NEXT, MEMINFO, TRAVERSE, REFS = range(5)
REACHED = -1
HEAD, LOCK, GIL_FREE = "jb_gc_head", "jb_gc_lock", "jb_gc_gil_free"
#: destructor calls nested this deep on one thread put further payloads on a list instead, which
#: the outermost call empties (a long chain of instances is released without deep recursion)
TRASH_DEPTH = 256
DRAINED = -1  # the `info` a destructor is called with when its payload comes off that list
FUNCTIONS = {"jb_gc_defer": ir.FunctionType(ir.IntType(1), [i8p, i8p]),
             "jb_gc_done": ir.FunctionType(ir.VoidType(), []),
             "jb_gc_track": ir.FunctionType(ir.VoidType(), [i8p]),
             "jb_gc_untrack": ir.FunctionType(ir.VoidType(), [i8p]),
             "jb_gc_collect": ir.FunctionType(i64, []),
             "jb_gc_tracked": ir.FunctionType(i64, [])}
EXPORTS = (HEAD, LOCK, GIL_FREE, *FUNCTIONS)


def declare(module: ir.Module, name: str) -> ir.Function:
    return cgutils.get_or_insert_function(module, FUNCTIONS[name], name)


def _global(module: ir.Module, name: str, ty):
    found = module.globals.get(name)
    return found if found is not None else ir.GlobalVariable(module, ty, name)


def field(builder, header, index):
    """Pointer to field `index` of the header at i8* `header`."""
    return cgutils.gep_inbounds(builder, builder.bitcast(header, header_t.as_pointer()), 0, index)


# -- compiled code's side -----------------------------------------------------------------------

def gil_free_region(builder: ir.IRBuilder, delta: int) -> None:
    """Count (+1) or uncount (-1) compiled code running without the GIL."""
    counter = _global(builder.module, GIL_FREE, i64)
    builder.atomic_rmw("add", counter, ir.Constant(i64, delta), "seq_cst")


def init_header(builder: ir.IRBuilder, payload, meminfo, traverse) -> None:
    """Fill a new instance's header and put it on the list."""
    builder.store(meminfo, field(builder, payload, MEMINFO))
    builder.store(builder.bitcast(traverse, i8p), field(builder, payload, TRAVERSE))
    builder.call(declare(builder.module, "jb_gc_track"), [payload])


def define_traverse(module: ir.Module, name: str, emit) -> ir.Function:
    """`void name(payload, visit, arg)`: `emit(builder, payload, visit_slot)` emits the walk
    over the payload, calling `visit_slot(slot, present)` for each slot that may hold an
    instance (`present`: an i1, whether it does); visit calls `visit(slot, arg)` when it does
    and the instance is there."""
    func, b = nrt.internal_function(module, name, traverse_t)
    if b is None:
        return func
    payload, visit, arg = func.args

    def visit_slot(slot, present=cgutils.true_bit):
        held = b.load(b.bitcast(slot, i8p.as_pointer()))
        with b.if_then(b.and_(present, cgutils.is_not_null(b, held))):
            b.call(visit, [b.bitcast(slot, i8p), arg])
    emit(b, payload, visit_slot)
    b.ret_void()
    return func


def only_reference(builder: ir.IRBuilder, meminfo):
    """i1: the container at (non-null) `meminfo` is held by one reference, its holder's: only
    then are its items walked as the holder's own (a container also held elsewhere keeps its
    items reachable, as far as the collector is concerned)."""
    refcount = builder.load(nrt._field(builder, meminfo, 0))
    return builder.icmp_signed("==", refcount, ir.Constant(i64, 1))


# -- the runtime's side -------------------------------------------------------------------------

def define_runtime(module: ir.Module) -> None:
    """The list, its lock, the GIL-free counter and the collector, in the runtime module."""
    head = ir.GlobalVariable(module, header_t, HEAD)
    me = head.bitcast(i8p)
    head.initializer = ir.Constant.literal_struct([me, me, ir.Constant(i8p, None),
                                                   ir.Constant(i8p, None), ir.Constant(i64, 0)])
    lock = ir.GlobalVariable(module, i32, LOCK)
    lock.initializer = ir.Constant(i32, 0)
    counter = ir.GlobalVariable(module, i64, GIL_FREE)
    counter.initializer = ir.Constant(i64, 0)
    _define_track(module, head, lock)
    _define_untrack(module, lock)
    _define_tracked(module, head, lock)
    _Collector(module, head, lock, counter).define()
    _define_defer(module)
    _define_done(module)


def _specific(b, index, value=None):
    """Get (value None) or set this thread's value of the runtime's pthread key `index`."""
    key = nrt.thread_key(b, index)
    if value is None:
        return b.call(cgutils.declare_c_function(b.module, "pthread_getspecific", i8p, [i32]),
                      [key])
    setter = cgutils.declare_c_function(b.module, "pthread_setspecific", i32, [i32, i8p])
    return b.call(setter, [key, value])


def _without_keys(b, result):
    """Return `result` at once when the keys were never created (code exported to C)."""
    unset = b.icmp_unsigned("==", nrt.thread_key(b, nrt.KEY_TRASH_DEPTH),
                            ir.Constant(i32, nrt.UNSET_KEY))
    with b.if_then(unset, likely=False):
        b.ret(result) if result is not None else b.ret_void()


def _define_defer(module):
    """`i1 jb_gc_defer(payload, dtor)`, at a tracked destructor's start: at the depth limit,
    put the payload on this thread's list (true: the destructor returns at once), else count
    one more level (false)."""
    func, b = _fn(module, "jb_gc_defer")
    payload, dtor = func.args
    _without_keys(b, ir.Constant(ir.IntType(1), 0))
    depth = b.ptrtoint(_specific(b, nrt.KEY_TRASH_DEPTH), i64)
    with b.if_then(b.icmp_signed(">=", depth, ir.Constant(i64, TRASH_DEPTH)), likely=False):
        b.store(_specific(b, nrt.KEY_TRASH_PENDING), field(b, payload, PREV))
        b.store(dtor, field(b, payload, MEMINFO))
        _specific(b, nrt.KEY_TRASH_PENDING, payload)
        b.ret(ir.Constant(ir.IntType(1), 1))
    _specific(b, nrt.KEY_TRASH_DEPTH, b.inttoptr(b.add(depth, ir.Constant(i64, 1)), i8p))
    b.ret(ir.Constant(ir.IntType(1), 0))


def _define_done(module):
    """`void jb_gc_done()`, at a tracked destructor's end: one level less; the outermost
    level releases the payloads put on the list meanwhile (each may add more)."""
    func, b = _fn(module, "jb_gc_done")
    _without_keys(b, None)
    depth = b.sub(b.ptrtoint(_specific(b, nrt.KEY_TRASH_DEPTH), i64), ir.Constant(i64, 1))
    with b.if_then(b.icmp_signed("==", depth, ir.Constant(i64, 0))):
        _specific(b, nrt.KEY_TRASH_DEPTH, b.inttoptr(ir.Constant(i64, 1), i8p))
        test, body, done = (b.append_basic_block(n) for n in ("pending", "release", "emptied"))
        b.branch(test)
        b.position_at_end(test)
        payload = _specific(b, nrt.KEY_TRASH_PENDING)
        b.cbranch(cgutils.is_null(b, payload), done, body)
        b.position_at_end(body)
        _specific(b, nrt.KEY_TRASH_PENDING, b.load(field(b, payload, PREV)))
        dtor = b.bitcast(b.load(field(b, payload, MEMINFO)), nrt.dtor_t.as_pointer())
        b.call(dtor, [payload, ir.Constant(i64, 0), ir.Constant(i64, DRAINED).inttoptr(i8p)])
        b.branch(test)
        b.position_at_end(done)
    _specific(b, nrt.KEY_TRASH_DEPTH, b.inttoptr(depth, i8p))
    b.ret_void()


def _fn(module, name, linkage=None):
    func = ir.Function(module, FUNCTIONS.get(name, visit_t), name)
    if linkage:
        func.linkage = linkage
    return func, ir.IRBuilder(func.append_basic_block("entry"))


def _acquire(b, lock) -> None:
    spin = b.append_basic_block("spin")
    b.branch(spin)
    b.position_at_end(spin)
    taken = b.extract_value(b.cmpxchg(lock, ir.Constant(i32, 0), ir.Constant(i32, 1),
                                      "acquire", "monotonic"), 1)
    done = b.append_basic_block("locked")
    b.cbranch(taken, done, spin)
    b.position_at_end(done)


def _release(b, lock) -> None:
    b.store_atomic(ir.Constant(i32, 0), lock, "release", 4)


def _define_track(module, head, lock):
    """Insert after the head."""
    func, b = _fn(module, "jb_gc_track")
    node, first = func.args[0], head.bitcast(i8p)
    _acquire(b, lock)
    after = b.load(field(b, first, NEXT))
    b.store(first, field(b, node, PREV))
    b.store(after, field(b, node, NEXT))
    b.store(node, field(b, after, PREV))
    b.store(node, field(b, first, NEXT))
    _release(b, lock)
    b.ret_void()


def _define_untrack(module, lock):
    func, b = _fn(module, "jb_gc_untrack")
    node = func.args[0]
    _acquire(b, lock)
    before, after = b.load(field(b, node, PREV)), b.load(field(b, node, NEXT))
    b.store(after, field(b, before, NEXT))
    b.store(before, field(b, after, PREV))
    _release(b, lock)
    b.ret_void()


def _walk(b, head):
    """Loop over the list's nodes: a context manager yielding each node (i8*)."""
    return _ListWalk(b, head.bitcast(i8p))


class _ListWalk:
    def __init__(self, b, first):
        self.b, self.first = b, first

    def __enter__(self):
        b = self.b
        self.entry = b.block
        self.test, self.body, self.end = (b.append_basic_block(n) for n in ("walk", "node", "walked"))
        start = b.load(field(b, self.first, NEXT))
        b.branch(self.test)
        b.position_at_end(self.test)
        self.node = b.phi(i8p)
        self.node.add_incoming(start, self.entry)
        b.cbranch(b.icmp_unsigned("==", self.node, self.first), self.end, self.body)
        b.position_at_end(self.body)
        return self.node

    def __exit__(self, *exc):
        b = self.b
        self.node.add_incoming(b.load(field(b, self.node, NEXT)), b.block)
        b.branch(self.test)
        b.position_at_end(self.end)


def _define_tracked(module, head, lock):
    """How many instances are on the list."""
    func, b = _fn(module, "jb_gc_tracked")
    count = cgutils.alloca_once_value(b, ir.Constant(i64, 0))
    _acquire(b, lock)
    with _walk(b, head):
        b.store(b.add(b.load(count), ir.Constant(i64, 1)), count)
    _release(b, lock)
    b.ret(b.load(count))


def _header_of(b, slot):
    """The header of the instance a slot holds (its payload starts with it)."""
    return nrt.meminfo_data(b, b.load(b.bitcast(slot, i8p.as_pointer())))


class _Collector:
    """`i64 jb_gc_collect()`: free the unreachable cycles; how many instances were freed, or -1
    when compiled code runs without the GIL (nothing is done then)."""

    def __init__(self, module, head, lock, counter):
        self.module, self.head, self.lock, self.counter = module, head, lock, counter
        self.stack_t = ir.LiteralStructType([i8p.as_pointer(), i64])

    def define(self) -> None:
        func, b = _fn(self.module, "jb_gc_collect")
        busy = b.icmp_signed("!=", b.load_atomic(self.counter, "seq_cst", 8), ir.Constant(i64, 0))
        with b.if_then(busy, likely=False):
            b.ret(ir.Constant(i64, -1))
        _acquire(b, self.lock)
        nodes, count = self._snapshot(b)
        self._subtract_internal_references(b, nodes, count)
        self._mark_reachable(b, nodes, count, b.gep(nodes, [count]))
        _release(b, self.lock)
        garbage = self._compact_garbage(b, nodes, count)
        self._free(b, nodes, garbage)
        b.call(nrt.declare_free(self.module), [b.bitcast(nodes, i8p)])
        b.ret(garbage)

    def _snapshot(self, b):
        """(array of every node, its length), followed by as many slots for the scan's stack;
        each node's gc_refs set to its refcount. Without memory for them, nothing is done
        (-1)."""
        count = cgutils.alloca_once_value(b, ir.Constant(i64, 0))
        with _walk(b, self.head):
            b.store(b.add(b.load(count), ir.Constant(i64, 1)), count)
        n = b.load(count)
        malloc = cgutils.declare_c_function(self.module, "malloc", i8p, [i64])
        block = b.call(malloc, [b.mul(b.add(n, ir.Constant(i64, 1)), ir.Constant(i64, 16))])
        with b.if_then(cgutils.is_null(b, block), likely=False):
            _release(b, self.lock)
            b.ret(ir.Constant(i64, -1))
        nodes = b.bitcast(block, i8p.as_pointer())
        b.store(ir.Constant(i64, 0), count)
        with _walk(b, self.head) as node:
            index = b.load(count)
            b.store(node, b.gep(nodes, [index]))
            refcount = b.load(nrt._field(b, b.load(field(b, node, MEMINFO)), 0))
            b.store(refcount, field(b, node, REFS))
            b.store(b.add(index, ir.Constant(i64, 1)), count)
        return nodes, n

    def _traverse(self, b, node, visit, arg):
        traverse = b.bitcast(b.load(field(b, node, TRAVERSE)), traverse_t.as_pointer())
        b.call(traverse, [node, visit, arg])

    def _subtract_internal_references(self, b, nodes, count):
        visit = self._visitor("jb_gc_visit_subtract", self._subtract)
        with cgutils.for_range(b, count) as loop:
            self._traverse(b, b.load(b.gep(nodes, [loop.index])), visit, ir.Constant(i8p, None))

    @staticmethod
    def _subtract(b, slot, arg):
        refs = field(b, _header_of(b, slot), REFS)
        b.store(b.sub(b.load(refs), ir.Constant(i64, 1)), refs)

    def _mark_reachable(self, b, nodes, count, items):
        """Nodes still referenced from outside, and all they reach, get gc_refs = REACHED
        (`items`: the stack of nodes to scan, each pushed once, so n slots suffice)."""
        stack = cgutils.alloca_once(b, self.stack_t)
        b.store(ir.Constant.literal_struct([ir.Constant(i8p.as_pointer(), None),
                                            ir.Constant(i64, 0)]), stack)
        b.store(items, cgutils.gep_inbounds(b, stack, 0, 0))
        arg = b.bitcast(stack, i8p)
        with cgutils.for_range(b, count) as loop:
            node = b.load(b.gep(nodes, [loop.index]))
            with b.if_then(b.icmp_signed(">", b.load(field(b, node, REFS)), ir.Constant(i64, 0))):
                self._push(b, arg, node)
        visit = self._visitor("jb_gc_visit_reach", self._reach)
        test, body, done = (b.append_basic_block(n) for n in ("scan", "pop", "scanned"))
        b.branch(test)
        b.position_at_end(test)
        top = cgutils.gep_inbounds(b, stack, 0, 1)
        b.cbranch(b.icmp_signed(">", b.load(top), ir.Constant(i64, 0)), body, done)
        b.position_at_end(body)
        new_top = b.sub(b.load(top), ir.Constant(i64, 1))
        b.store(new_top, top)
        self._traverse(b, b.load(b.gep(items, [new_top])), visit, arg)
        b.branch(test)
        b.position_at_end(done)

    def _push(self, b, arg, node):
        """Mark `node` reached and put it on the stack."""
        stack = b.bitcast(arg, self.stack_t.as_pointer())
        b.store(ir.Constant(i64, REACHED), field(b, node, REFS))
        top = cgutils.gep_inbounds(b, stack, 0, 1)
        index = b.load(top)
        b.store(node, b.gep(b.load(cgutils.gep_inbounds(b, stack, 0, 0)), [index]))
        b.store(b.add(index, ir.Constant(i64, 1)), top)

    def _reach(self, b, slot, arg):
        node = _header_of(b, slot)
        seen = b.icmp_signed("==", b.load(field(b, node, REFS)), ir.Constant(i64, REACHED))
        with b.if_then(b.not_(seen)):
            self._push(b, arg, node)

    def _visitor(self, name, emit):
        func, b = _fn(self.module, name, "internal")
        emit(b, *func.args)
        b.ret_void()
        return func

    def _compact_garbage(self, b, nodes, count):
        """Move the unreached nodes to the front of `nodes`; how many there are."""
        kept = cgutils.alloca_once_value(b, ir.Constant(i64, 0))
        with cgutils.for_range(b, count) as loop:
            node = b.load(b.gep(nodes, [loop.index]))
            unreached = b.icmp_signed("!=", b.load(field(b, node, REFS)), ir.Constant(i64, REACHED))
            with b.if_then(unreached):
                b.store(node, b.gep(nodes, [b.load(kept)]))
                b.store(b.add(b.load(kept), ir.Constant(i64, 1)), kept)
        return b.load(kept)

    def _free(self, b, nodes, garbage):
        """Hold every garbage instance, empty its instance slots (the cycles break), then let
        go: each is freed by its own destructor, with nothing freed under the clearing."""
        def meminfo(index):
            return b.load(field(b, b.load(b.gep(nodes, [index])), MEMINFO))
        with cgutils.for_range(b, garbage) as loop:
            nrt.emit_incref(b, meminfo(loop.index))
        clear = self._visitor("jb_gc_visit_clear", self._clear)
        with cgutils.for_range(b, garbage) as loop:
            self._traverse(b, b.load(b.gep(nodes, [loop.index])), clear, ir.Constant(i8p, None))
        with cgutils.for_range(b, garbage) as loop:
            nrt.emit_decref(b, meminfo(loop.index))

    @staticmethod
    def _clear(b, slot, arg):
        held = b.bitcast(slot, i8p.as_pointer())
        meminfo = b.load(held)
        b.store(ir.Constant(i8p, None), held)
        nrt.emit_decref(b, meminfo)


# -- Python's side ------------------------------------------------------------------------------

class _State:
    collect = None
    tracked = None
    running = False
    hooked = False


def bind(library) -> None:
    """Take the collector's entry points from the runtime library (once it is loaded)."""
    entry = ctypes.PYFUNCTYPE(ctypes.c_int64)  # called holding the GIL, which they keep
    _State.collect = entry(library.get_pointer_to_function("jb_gc_collect"))
    _State.tracked = entry(library.get_pointer_to_function("jb_gc_tracked"))


def collect() -> int:
    """Free the unreachable cycles of jitclass instances now: how many instances were freed
    (-1: compiled code was running without the GIL, so nothing was done)."""
    if _State.collect is None or _State.running:
        return 0  # (no runtime yet: no instance exists)
    _State.running = True
    try:
        return _State.collect()
    finally:
        _State.running = False


def _after_full_collection(phase: str, info: dict) -> None:
    if phase == "stop" and info.get("generation") == 2:
        collect()


def hook_into_gc() -> None:
    """Collect instance cycles after each of Python's full collections (once a class whose
    instances can form cycles is compiled)."""
    if not _State.hooked:
        _State.hooked = True
        gc.callbacks.append(_after_full_collection)


def tracked() -> int:
    """How many instances that could be part of a cycle are alive."""
    return _State.tracked() if _State.tracked is not None else 0
