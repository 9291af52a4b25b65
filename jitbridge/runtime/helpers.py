"""Process-wide native helpers, generated with llvmlite once per process (no C compiler).

- `jb_mismatch`: the sentinel a checked wrapper returns when the arguments do not fit it.
- `jb_unpickle`, `jb_raise_excinfo`: turn a pickled exception payload into a raised exception.
- `jb_dispatch_call`: the `tp_call` of the native dispatcher base type. It tries each compiled
  specialisation's checked wrapper in turn; on no match it calls `self._fallback(*args, **kw)`
  (typeof, compile, convert) and drops that Python frame from the traceback of any error, so
  users see their own call site first.
"""
from __future__ import annotations

import ctypes

from llvmlite import ir

from ..codegen import get_codegen
from ..core import cgutils
from ..core.callconv import excinfo_t
from ..core.pythonapi import PythonAPI, declare_capi
from . import nrt

pyobj = cgutils.voidptr_t
i64 = cgutils.int64_t
wrapper_fnty = ir.FunctionType(pyobj, [pyobj, pyobj])
#: Offsets in the dispatcher instance layout: PyObject_HEAD, then our two fields.
ENTRIES_OFFSET, COUNT_OFFSET, BASICSIZE = 16, 24, 32


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
    func, b = _fn(module, "jb_raise_excinfo", ir.VoidType(), [excinfo_t.as_pointer()])
    api = PythonAPI(None, b)
    payload = api.unserialize(func.args[0])
    with b.if_then(cgutils.is_not_null(b, payload)):
        api.err_set_object(api.tuple_getitem(payload, 0), api.tuple_getitem(payload, 1))
        api.decref(payload)
    b.ret_void()


def _define_dispatch_call(module, mismatch):
    func, b = _fn(module, "jb_dispatch_call", pyobj, [pyobj, pyobj, pyobj])
    self_, args, kws = func.args
    api = PythonAPI(None, b)
    fallback = func.append_basic_block("fallback")
    entries = b.load(b.bitcast(b.gep(self_, [ir.Constant(i64, ENTRIES_OFFSET)]),
                               wrapper_fnty.as_pointer().as_pointer().as_pointer()))
    count = b.load(b.bitcast(b.gep(self_, [ir.Constant(i64, COUNT_OFFSET)]), i64.as_pointer()))
    b.cbranch(cgutils.is_not_null(b, kws), fallback, b.append_basic_block("search"))
    b.position_at_end(func.blocks[-1])
    with cgutils.for_range(b, count) as loop:
        entry = b.load(b.gep(entries, [loop.index]))
        result = b.call(entry, [api.get_null_object(), args])
        with b.if_then(b.icmp_unsigned("!=", result, mismatch), likely=True):
            b.ret(result)
    b.branch(fallback)
    b.position_at_end(fallback)
    method = api.object_getattr_string(self_, "_fallback")
    result = api.call(method, args, kws)
    api.decref(method)
    with b.if_then(cgutils.is_null(b, result), likely=False):
        _drop_first_traceback_entry(b, api)
    b.ret(result)


def _drop_first_traceback_entry(b, api):
    slots = api.err_fetch_normalized()
    tb = b.load(slots[2])
    with b.if_then(cgutils.is_not_null(b, tb)):
        nxt = b.load(b.bitcast(b.gep(tb, [ir.Constant(i64, 16)]), pyobj.as_pointer()))
        with b.if_then(cgutils.is_not_null(b, nxt)):
            api.incref(nxt)
        api.decref(tb)
        b.store(nxt, slots[2])
    value, tb = b.load(slots[1]), b.load(slots[2])
    with b.if_then(cgutils.is_not_null(b, value)):
        tb_or_none = b.select(cgutils.is_null(b, tb), api.borrow_none(), tb)
        api._call("PyException_SetTraceback", value, tb_or_none)
    api.err_restore(b.load(slots[0]), value, tb)


class _Runtime:
    """Addresses of the helpers and the native dispatcher base type."""

    def __init__(self):
        codegen = get_codegen()
        module = ir.Module("jitbridge.runtime")
        mismatch = ir.GlobalVariable(module, ir.IntType(8), "jb_mismatch")
        mismatch.initializer = ir.Constant(ir.IntType(8), 0)
        _define_unpickle(module)
        _define_raise_excinfo(module)
        _define_dispatch_call(module, mismatch)
        nrt.define_runtime(module)
        library = codegen.create_library("jitbridge.runtime")
        library.add_ir_module(module)
        for name in ("jb_mismatch", "jb_unpickle", "jb_raise_excinfo", "jb_dispatch_call",
                     nrt.STATS_SYMBOL, *nrt.RUNTIME_FUNCTIONS):
            library.export(name)
        library.finalize()
        nrt.set_stats_address(codegen.get_global_address(nrt.STATS_SYMBOL))
        self.library = library
        self.mismatch_address = codegen.get_global_address("jb_mismatch")
        self.dispatch_call = library.get_pointer_to_function("jb_dispatch_call")
        self.dispatcher_base = _make_dispatcher_base(self.dispatch_call)


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
                  "jb_unpickle": (pyobj, [excinfo_t.as_pointer()])}
    restype, argtypes = signatures[name]
    return cgutils.get_or_insert_function(module, ir.FunctionType(restype, argtypes), name)


def mismatch_sentinel(module: ir.Module):
    """The `jb_mismatch` sentinel as an i8* constant expression in `module`."""
    gv = module.globals.get("jb_mismatch")
    if gv is None:
        gv = ir.GlobalVariable(module, ir.IntType(8), "jb_mismatch")
    return gv.bitcast(pyobj)


__all__ = ["get_runtime", "declare_runtime", "mismatch_sentinel", "declare_capi"]
