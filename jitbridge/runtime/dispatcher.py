"""The native dispatcher: `jb_dispatch_call`, the `tp_call` of the dispatcher base type.

It binds keywords and omitted defaults (`jb_bind_arguments`), then finds the compiled
specialisation whose checked wrapper takes the arguments: first the one a prediction table
names for the arguments' fingerprint (their classes and, for arrays, dtype, ndim and flags),
else each published wrapper in turn; on no match it calls `self._fallback(*args, **kw)`
(typeof, compile, convert) and drops that Python frame from the traceback of any error, so
users see their own call site first. A prediction is only a hint: the wrapper it names still
checks the arguments exactly, so a stale or colliding entry costs a scan, never a wrong call.
"""
from __future__ import annotations

import ctypes

from llvmlite import ir

from ..core import cgutils, layout
from ..core.pythonapi import PythonAPI, declare_capi

pyobj = cgutils.voidptr_t
i64 = cgutils.int64_t
wrapper_fnty = ir.FunctionType(pyobj, [pyobj, pyobj])
#: Offsets in the dispatcher instance layout: PyObject_HEAD, then our four fields.
ENTRIES_OFFSET = layout.OBJECT_HEADER
COUNT_OFFSET = ENTRIES_OFFSET + layout.POINTER
#: a borrowed (names, fills, required) tuple, or NULL: see `_define_bind_arguments`
BINDING_OFFSET = COUNT_OFFSET + 8
#: the prediction table (`PredictionTable`), or NULL (fewer than two specialisations)
PREDICT_OFFSET = BINDING_OFFSET + layout.POINTER
BASICSIZE = PREDICT_OFFSET + layout.POINTER
#: the runtime global holding the address of numpy.ndarray once NumPy is loaded (0 before)
NDARRAY_TYPE = "jb_ndarray_type"
#: NumPy's PyArrayObject fields (public C API layout, checked by `array_layout_ok`)
ARRAY_ND, ARRAY_DESCR, ARRAY_FLAGS = 24, 56, 64
#: the flags a checked wrapper tells apart: C and F contiguity, aligned, writeable
ARRAY_FLAG_MASK = 0x1 | 0x2 | 0x100 | 0x400
_MIX = 0x100000001B3  # FNV-1a's 64-bit prime


def native_function(module, name, restype, argtypes):
    """(function, builder at its entry block) of a new function of the runtime module."""
    func = ir.Function(module, ir.FunctionType(restype, argtypes), name)
    return func, ir.IRBuilder(func.append_basic_block("entry"))


_fn = native_function


def define_dispatch_call(module, mismatch):
    """`jb_dispatch_call(self, args, kws)` (see the module docstring)."""
    return _define_dispatch_call(module, mismatch)


def _define_dispatch_call(module, mismatch):
    func, b = _fn(module, "jb_dispatch_call", pyobj, [pyobj, pyobj, pyobj])
    self_, args, kws = func.args
    api = PythonAPI(None, b)
    fallback = func.append_basic_block("fallback")
    # an empty **kwargs (decorators and functools.partial pass one) is no keywords
    no_keywords = b.icmp_signed("==", _dict_size(b, kws), ir.Constant(i64, 0))
    search = _define_search(module, mismatch)
    with b.if_then(no_keywords, likely=True):
        result = b.call(search, [self_, args])
        with b.if_then(b.icmp_unsigned("!=", result, mismatch), likely=True):
            b.ret(result)
    binding = b.load(_field(b, self_, BINDING_OFFSET, pyobj))
    with b.if_then(cgutils.is_not_null(b, binding)):
        bind = _define_bind_arguments(module)
        bound = b.call(bind, [binding, args, b.select(no_keywords, ir.Constant(pyobj, None), kws)])
        with b.if_then(cgutils.is_not_null(b, bound)):
            result = b.call(search, [self_, bound])
            api.decref(bound)
            with b.if_then(b.icmp_unsigned("!=", result, mismatch)):
                b.ret(result)
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


def _define_search(module, mismatch):
    """`jb_search_entries(self, args)`: the result of the published checked wrapper that takes
    `args` (NULL with its error set if it raised), or the mismatch sentinel. One function
    for both call paths: inlined twice it doubled the runtime's LLVM time."""
    func, b = _fn(module, "jb_search_entries", pyobj, [pyobj, pyobj])
    func.linkage = "internal"
    func.attributes.add("noinline")
    _search_entries(b, *func.args, mismatch, b.ret)
    b.ret(mismatch)
    return func


def _search_entries(b, self_, args, mismatch, on_match):
    """Find the published checked wrapper that takes `args`; `on_match(result)` ends the block
    of the first that does (its result, or NULL with its error set). The prediction table is
    tried first; a scan of the table finds the rest and teaches the prediction. In the scan a
    match moves one place towards the front (the transposition rule), so without a
    prediction table (one specialisation) the ones a program calls most come first; the
    GIL, held, makes the swap and the table updates safe."""
    table = b.load(_field(b, self_, PREDICT_OFFSET, pyobj))
    fingerprint = cgutils.alloca_once_value(b, ir.Constant(i64, 0))
    with b.if_then(cgutils.is_not_null(b, table)):
        b.store(b.call(_define_fingerprint(b.module), [args]), fingerprint)
        predicted = b.call(_define_predict_find(b.module), [table, b.load(fingerprint)])
        with b.if_then(cgutils.is_not_null(b, predicted), likely=True):
            result = b.call(b.bitcast(predicted, wrapper_fnty.as_pointer()),
                            [ir.Constant(pyobj, None), args])
            with b.if_then(b.icmp_unsigned("!=", result, mismatch), likely=True):
                on_match(result)
    entries = b.load(_field(b, self_, ENTRIES_OFFSET, wrapper_fnty.as_pointer().as_pointer()))
    count = b.load(_field(b, self_, COUNT_OFFSET, i64))
    with cgutils.for_range(b, count) as loop:
        slot = b.gep(entries, [loop.index])
        entry = b.load(slot)
        result = b.call(entry, [ir.Constant(pyobj, None), args])
        with b.if_then(b.icmp_unsigned("!=", result, mismatch), likely=True):
            with b.if_then(cgutils.is_not_null(b, table)):
                b.call(_define_predict_store(b.module),
                       [table, b.load(fingerprint), b.bitcast(entry, pyobj)])
            with b.if_then(b.icmp_signed(">", loop.index, ir.Constant(i64, 0)), likely=False):
                before = b.gep(entries, [b.sub(loop.index, ir.Constant(i64, 1))])
                b.store(b.load(before), slot)
                b.store(entry, before)
            on_match(result)


# -- the prediction table -------------------------------------------------------------------------
# i64 words: [mask, used, (fingerprint, wrapper) x (mask + 1)]; a zero fingerprint is an empty
# slot (fingerprints have their low bit set). Open addressing with linear probing, never more
# than half full (a store that would pass that empties it first), so every probe ends.

class PredictionTable:
    """A zeroed prediction table of at least `2 * entries` slots (Python owns its memory)."""

    def __init__(self, entries: int):
        slots = 8
        while slots < 2 * entries:
            slots *= 2
        self.words = (ctypes.c_int64 * (2 + 2 * slots))()
        self.words[0] = slots - 1

    @property
    def address(self) -> int:
        return ctypes.addressof(self.words)


def _define_fingerprint(module):
    """`jb_fingerprint(args)`: a hash of each argument's class, and for an exact
    numpy.ndarray of its dtype object, ndim and layout flags; its low bit set."""
    existing = module.globals.get("jb_fingerprint")
    if existing is not None:
        return existing
    func, b = _fn(module, "jb_fingerprint", i64, [pyobj])
    func.linkage = "internal"
    for attribute in ("noinline", "optsize"):  # (no unrolling: calls have few arguments)
        func.attributes.add(attribute)
    ndarray = module.globals.get(NDARRAY_TYPE) or ir.GlobalVariable(module, i64, NDARRAY_TYPE)
    hashed = cgutils.alloca_once_value(b, ir.Constant(i64, 0xCBF29CE484222325))
    args = func.args[0]
    with cgutils.for_range(b, _load_size(b, args)) as loop:
        item = b.load(_tuple_slot(b, args, loop.index))
        objtype = b.ptrtoint(b.load(_field(b, item, layout.OB_TYPE, pyobj)), i64)
        _mix(b, hashed, objtype)
        with b.if_then(b.icmp_unsigned("==", objtype, b.load(ndarray)), likely=False):
            _mix(b, hashed, b.ptrtoint(b.load(_field(b, item, ARRAY_DESCR, pyobj)), i64))
            nd = b.zext(b.load(_field(b, item, ARRAY_ND, ir.IntType(32))), i64)
            flags = b.zext(b.load(_field(b, item, ARRAY_FLAGS, ir.IntType(32))), i64)
            flags = b.and_(flags, ir.Constant(i64, ARRAY_FLAG_MASK))
            _mix(b, hashed, b.or_(b.shl(nd, ir.Constant(i64, 32)), flags))
    b.ret(b.or_(b.load(hashed), ir.Constant(i64, 1)))
    return func


def _mix(b, hashed, value) -> None:
    """hashed = (hashed ^ value) * prime, its high bits folded down: the product carries the
    low bits (where pointers differ) upwards, and the table index is taken from low bits."""
    mixed = b.mul(b.xor(b.load(hashed), value), ir.Constant(i64, _MIX))
    b.store(b.xor(mixed, b.lshr(mixed, ir.Constant(i64, 29))), hashed)


def _table_slot(b, table, index, word: int):
    """&table[2 + 2 * index + word] (word 0: fingerprint, 1: wrapper)."""
    words = b.bitcast(table, i64.as_pointer())
    offset = b.add(b.shl(index, ir.Constant(i64, 1)), ir.Constant(i64, 2 + word))
    return b.gep(words, [offset])


def _probe(b, table, fingerprint):
    """The slot index holding `fingerprint` or, if none does, the empty one ending its probe."""
    words = b.bitcast(table, i64.as_pointer())
    mask = b.load(words)
    start = b.lshr(fingerprint, ir.Constant(i64, 1))  # (the low bit is always set)
    index = cgutils.alloca_once_value(b, b.and_(start, mask))
    head = b.append_basic_block("probe")
    step, done = b.append_basic_block("probe.next"), b.append_basic_block("probe.done")
    b.branch(head)
    b.position_at_end(head)
    key = b.load(_table_slot(b, table, b.load(index), 0))
    stop = b.or_(b.icmp_unsigned("==", key, fingerprint), b.icmp_unsigned("==", key, ir.Constant(i64, 0)))
    b.cbranch(stop, done, step)
    b.position_at_end(step)
    b.store(b.and_(b.add(b.load(index), ir.Constant(i64, 1)), mask), index)
    b.branch(head)
    b.position_at_end(done)
    return b.load(index)


def _define_predict_find(module):
    """`jb_predict_find(table, fingerprint)`: the wrapper predicted, or NULL."""
    existing = module.globals.get("jb_predict_find")
    if existing is not None:
        return existing
    func, b = _fn(module, "jb_predict_find", pyobj, [pyobj, i64])
    func.linkage = "internal"
    table, fingerprint = func.args
    index = _probe(b, table, fingerprint)
    b.ret(b.inttoptr(b.load(_table_slot(b, table, index, 1)), pyobj))  # (NULL when empty)
    return func


def _define_predict_store(module):
    """`jb_predict_store(table, fingerprint, wrapper)`: predict `wrapper` for `fingerprint`."""
    existing = module.globals.get("jb_predict_store")
    if existing is not None:
        return existing
    func, b = _fn(module, "jb_predict_store", ir.VoidType(), [pyobj, i64, pyobj])
    func.linkage = "internal"
    for attribute in ("noinline", "minsize", "optsize", "cold"):  # (taken once per new
        func.attributes.add(attribute)  # fingerprint; small code keeps the runtime quick to build)
    table, fingerprint, wrapper = func.args
    words = b.bitcast(table, i64.as_pointer())
    used_slot = b.gep(words, [ir.Constant(i64, 1)])
    capacity = b.add(b.load(words), ir.Constant(i64, 1))
    full = b.icmp_unsigned(">=", b.shl(b.load(used_slot), ir.Constant(i64, 1)), capacity)
    with b.if_then(full, likely=False):  # forget every prediction rather than probe forever
        memset = b.module.declare_intrinsic("llvm.memset", [pyobj, i64])
        start = b.bitcast(_table_slot(b, table, ir.Constant(i64, 0), 0), pyobj)
        b.call(memset, [start, ir.Constant(ir.IntType(8), 0),
                        b.mul(capacity, ir.Constant(i64, 16)), cgutils.false_bit])
        b.store(ir.Constant(i64, 0), used_slot)
    index = _probe(b, table, fingerprint)
    key_slot = _table_slot(b, table, index, 0)
    with b.if_then(b.icmp_unsigned("==", b.load(key_slot), ir.Constant(i64, 0))):
        b.store(b.add(b.load(used_slot), ir.Constant(i64, 1)), used_slot)
    b.store(fingerprint, key_slot)
    b.store(b.ptrtoint(wrapper, i64), _table_slot(b, table, index, 1))
    b.ret_void()
    return func


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


def make_dispatcher_base(call_address: int) -> type:
    """A heap type whose tp_call is `jb_dispatch_call` (Python subclasses add the rest)."""
    slots = (_PyTypeSlot * 2)(_PyTypeSlot(_Py_tp_call, call_address), _PyTypeSlot(0, None))
    spec = _PyTypeSpec(b"jitbridge._NativeDispatcher", BASICSIZE, 0,
                       _Py_TPFLAGS_DEFAULT | _Py_TPFLAGS_BASETYPE, slots)
    from_spec = ctypes.pythonapi.PyType_FromSpec
    from_spec.restype = ctypes.py_object
    from_spec.argtypes = [ctypes.POINTER(_PyTypeSpec)]
    _keepalive.append((slots, spec))
    return from_spec(ctypes.byref(spec))


def note_ndarray_type(slot_address: int, numpy) -> None:
    """Let fingerprints tell arrays apart by dtype, ndim and flags: write numpy.ndarray's
    address where they read it, once a sample confirms the PyArrayObject offsets (they are
    NumPy's public layout; if a NumPy ever moved them, arrays would hash by class alone).
    Nothing to do before NumPy is loaded (`numpy` None) or once done."""
    target = ctypes.c_int64.from_address(slot_address)
    if numpy is None or target.value:
        return
    sample = numpy.zeros((2, 3), order="F")
    read = [kind.from_address(id(sample) + offset).value for kind, offset in (
        (ctypes.c_int, ARRAY_ND), (ctypes.c_void_p, ARRAY_DESCR), (ctypes.c_int, ARRAY_FLAGS))]
    if read[:2] == [sample.ndim, id(sample.dtype)] and read[2] & 0x2 and not read[2] & 0x1:
        target.value = id(numpy.ndarray)


def write_table(dispatcher, kept: list, addresses, binding) -> None:
    """Point `dispatcher`'s native fields at a new table of checked wrappers (`addresses`)
    and a fresh prediction table (none may name a replaced specialisation); on the first
    publication, at `binding()` too (how calls with keywords or defaults bind).

    `kept` holds every version as long as the dispatcher lives (a call in progress may still
    be reading an older one), where no attribute of the dispatcher can reach it. A reader
    must never see a count larger than the table it reads: a table that grows is written
    before its count, one that shrinks (replaced specialisations whose wrappers are not
    built yet) after it.
    """
    base = id(dispatcher)
    if not kept:
        kept.append(binding())
        ctypes.c_void_p.from_address(base + BINDING_OFFSET).value = id(kept[-1])
    array = (ctypes.c_void_p * len(addresses))(*addresses)
    predictions = PredictionTable(len(addresses)) if len(addresses) > 1 else None
    kept += [array, predictions]
    ctypes.c_void_p.from_address(base + PREDICT_OFFSET).value = \
        predictions.address if predictions is not None else None
    count = ctypes.c_int64.from_address(base + COUNT_OFFSET)
    if len(addresses) < count.value:
        count.value = len(addresses)
    ctypes.c_void_p.from_address(base + ENTRIES_OFFSET).value = ctypes.addressof(array)
    count.value = len(addresses)
