"""@cfunc: native C callbacks written in Python (NBEP 4), plus carray/farray views of pointers.

A cfunc is compiled eagerly to the usual status-code function plus a C-ABI wrapper exported as
`.native_name`. The wrapper never lets an exception unwind into C: on error it takes the GIL
(only then), records the exception for `cfunc_last_error()`, prints it to stderr the first time
unless `error_value` was given, and returns `error_value` (default 0). A cfunc that raises
nothing never touches the GIL, so it can run on any thread of a C library.
"""
from __future__ import annotations

import ctypes
import operator
import sys
import threading
import traceback
import typing
import weakref

from llvmlite import ir

from . import types
from .caching import FunctionCache
from .compiler import (compile_function, compile_lock, ensure_builtins, typing_context,
                       unique_native_name)
from .codegen import get_codegen
from .core import cgutils
from .core.base import BaseContext
from .core.callconv import STATUS_USER_EXC, excinfo_t
from .core.pythonapi import PythonAPI
from .lowering.ccall import c_type, call_c_pointer
from .runtime import cycles
from .dispatch import parse_signature_spec
from .options import check_options
from .errors import LoweringError
from .frontend.source import capture_source
from .pickling import by_reference, reduce_by_value
from .extending import (AbstractTemplate, NativeValue, VarArg, check_exact, lower_builtin,
                        lower_constant, models, register, register_model, typeof_impl, unbox)
from .typing.typeof import Purpose

#: jitbridge scalar type name -> ctypes type (what C signatures can carry)
CTYPES = {"bool": ctypes.c_bool, "int8": ctypes.c_int8, "int16": ctypes.c_int16,
          "int32": ctypes.c_int32, "int64": ctypes.c_int64, "uint8": ctypes.c_uint8,
          "uint16": ctypes.c_uint16, "uint32": ctypes.c_uint32, "uint64": ctypes.c_uint64,
          "float32": ctypes.c_float, "float64": ctypes.c_double}


def to_ctypes(ty):
    """The ctypes type of a C-compatible jitbridge type."""
    if isinstance(ty, types.NoneType):
        return None
    if isinstance(ty, types.CPointer):
        inner = to_ctypes(ty.dtype)
        return ctypes.POINTER(inner) if inner is not None else ctypes.c_void_p
    if isinstance(ty, types.RawPointer):
        return ctypes.c_void_p
    try:
        return CTYPES[ty.name]
    except (KeyError, AttributeError):
        raise TypeError(f"type {ty} cannot appear in a C callback signature") from None


# -- error recording (runs with the GIL, on the error path only) ------------------------------------

class _Unraisable(typing.NamedTuple):
    """The argument sys.unraisablehook expects (the shape of sys.UnraisableHookArgs)."""
    exc_type: type
    exc_value: BaseException
    exc_traceback: object
    object: object
    err_msg: str


def _report_unraisable(args: _Unraisable) -> None:
    """Python's channel for errors nobody can catch (Numba uses PyErr_WriteUnraisable): an
    installed sys.unraisablehook gets them; the default one's output is written here (the C
    hook accepts only its own argument type, which Python code cannot make)."""
    if sys.unraisablehook is not sys.__unraisablehook__:
        sys.unraisablehook(args)
        return
    lines = traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
    sys.stderr.write(f"{args.err_msg}:\n{''.join(lines)}")


class _Errors(threading.local):
    last = None


_errors = _Errors()
_any_thread: list = [None]
_reported: set = set()


def _record_error(name: str, payload, exc, print_once: bool) -> None:
    """Called from the C wrapper: remember the exception, print it the first time."""
    if exc is None:
        cls, args = payload[:2]  # (and where it was raised)
        exc = cls(*args)
    _errors.last = exc
    _any_thread[0] = exc
    if print_once and name not in _reported:
        _reported.add(name)
        _report_unraisable(_Unraisable(
            type(exc), exc, exc.__traceback__, None,
            f"Exception ignored in cfunc {name!r} (it returned its error value; further "
            "errors of this cfunc are not reported)"))


def cfunc_last_error(clear: bool = True, any_thread: bool = False):
    """The exception last raised inside a cfunc on this thread (or on any thread), or None."""
    exc = _any_thread[0] if any_thread else _errors.last
    if clear:
        if any_thread:
            _any_thread[0] = None
        else:
            _errors.last = None
    return exc


# -- the CFunc object --------------------------------------------------------------------------------

class CFunc:
    """A compiled C callback: `.ctypes`, `.address`, `.native_name`, `.inspect_llvm()`.

    Read-only and not subclassable: compiled callers jump to `.address` (baked in as a constant
    for a global cfunc, read from the object for a cfunc argument), so nothing may rebind it.
    """

    __slots__ = ("__dict__", "__weakref__", "_py_func", "_sig", "_error_value", "_result",
                 "_native_name", "_library", "_address", "_ctypes")

    def __init_subclass__(cls, **kws):
        raise TypeError("CFunc cannot be subclassed: compiled callers rely on its .address")

    def __init__(self, py_func, sig: types.Signature, error_value=None, options=None):
        capture_source(py_func)  # (as a dispatcher does: a later edit of the file is ignored)
        init = object.__setattr__  # the only writes: __setattr__ refuses all others
        for name in ("__name__", "__qualname__", "__doc__", "__module__"):
            init(self, name, getattr(py_func, name, None))
        init(self, "__wrapped__", py_func)
        init(self, "_py_func", py_func)
        init(self, "_sig", sig)
        init(self, "_error_value", error_value)
        init(self, "_options", dict(options or {}))
        with compile_lock:  # the JIT engine is shared: look symbols up under the lock too
            self._compile(init)
        init(self, "_ctypes", self._make_ctypes())

    def _compile(self, init) -> None:
        """Compile (or, with cache=True, load from the on-disk cache) the body and its C
        wrapper."""
        cache = FunctionCache(self._py_func, {**self._options, "cfunc": str(self._sig),
                                              "error_value": repr(self._error_value)}) \
            if self._options.get("cache") else None
        init(self, "_cache", cache)
        fingerprint = cache.fingerprint() if cache is not None else None
        args, return_type = self._sig.args, self._sig.return_type
        entry = cache.load_entry(args, return_type, fingerprint) if fingerprint else None
        if entry is not None:
            init(self, "_result", None)  # (the body is inside the cached wrapper's code)
            init(self, "_native_name", entry["native_name"])
            init(self, "_library", entry["library"])
        else:
            self._compile_new(init, cache.native_name if fingerprint else None)
            if cache is not None:
                cache.save_library(args, return_type, fingerprint, self._library,
                                   self._native_name, self._sig)
        init(self, "_address", self._library.get_pointer_to_function(self._native_name))
        _by_address[self._address] = self
        _reported.discard(self.__name__)  # a new cfunc prints its first error again

    def _compile_new(self, init, unique_name) -> None:
        """`unique_name`: makes a symbol no other process uses (cached code shares the JIT)."""
        name = unique_native_name(self._py_func)
        init(self, "_result", compile_function(self._py_func, self._sig.args,
                                               self._sig.return_type,
                                               unique_name(name) if unique_name else name,
                                               locals=self._options.get("locals")))
        init(self, "_native_name", f"cfunc.{self._result.native_name}")
        init(self, "_library", _build_c_wrapper(self, keep_object=unique_name is not None))

    def _make_ctypes(self):
        proto = ctypes.CFUNCTYPE(to_ctypes(self._sig.return_type), *map(to_ctypes, self._sig.args))
        return proto(self._address)

    def __setattr__(self, name, value):
        raise AttributeError(f"cfunc {self.__name__!r} is read-only (cannot set {name!r})")

    def __delattr__(self, name):
        raise AttributeError(f"cfunc {self.__name__!r} is read-only (cannot delete {name!r})")

    @property
    def address(self) -> int:
        return self._address

    @property
    def ctypes(self):
        """A new ctypes function per access: ctypes lets its holder change `restype` and
        `argtypes`, which must not change how anyone else (`__call__` included) calls it."""
        return self._make_ctypes()

    @property
    def cffi(self):
        """A cffi function pointer to this callback (`.ctypes`' counterpart; cffi is imported
        only here, when asked)."""
        from .typing.cffi_utils import function_pointer
        return function_pointer(self._address, self._sig)

    @property
    def native_name(self) -> str:
        return self._native_name

    @property
    def cache_hits(self) -> int:
        """How many times (0 or 1) this cfunc's code was loaded from the on-disk cache."""
        return sum(self._cache.stats.cache_hits.values()) if self._cache is not None else 0

    @property
    def py_func(self):
        return self._py_func

    @property
    def error_value(self):
        return self._error_value

    @property
    def signature(self) -> types.Signature:
        return self._sig

    @property
    def _numba_type_(self):
        return types.ExternalFunctionPointer(self._sig, self._address)

    def __call__(self, *args):
        return self._ctypes(*args)

    def _has_signature(self, sig_text: str) -> bool:
        """Whether compiled code typed for a cfunc of signature `sig_text` may take this one (the
        native dispatcher's test of a cfunc argument)."""
        return str(self._sig) == sig_text

    def _address_for(self, sig_text: str) -> int:
        """`.address` for compiled code that was typed for a cfunc of signature `sig_text`."""
        if str(self._sig) != sig_text:
            raise TypeError(f"expected a cfunc of signature {sig_text}, got cfunc "
                            f"{self.__name__!r} of signature {self._sig}")
        return self._address

    def inspect_llvm(self) -> str:
        return self._library.get_llvm_str()

    def inspect_asm(self) -> str:
        return self._library.get_asm_str()

    def __repr__(self):
        return f"<cfunc {self.__name__} {self._sig}>"

    def __reduce__(self):
        """By reference when an importable module names it, else by value (pickling.py):
        compiled again where unpickled, from the function, signature and options."""
        if by_reference(self):
            return self.__qualname__
        return reduce_by_value(self, self._py_func, _ByValue,
                               (self._sig, self._error_value, self._options), deferred=False)


class _ByValue:
    """How pickling.py rebuilds a cfunc shipped by value (it compiles when made)."""

    @staticmethod
    def make(py_func, sig, error_value, options):
        return CFunc(py_func, sig, error_value=error_value, options=options)

    @staticmethod
    def same(candidate, code, sig, error_value, options) -> bool:
        return (isinstance(candidate, CFunc) and candidate.py_func.__code__ == code
                and candidate.signature == sig and candidate.error_value == error_value)


def _build_c_wrapper(cf: CFunc, keep_object: bool = False):
    """The exported C-ABI function around the compiled body."""
    library = get_codegen().create_library(cf.native_name)
    library.keep_object_code = keep_object
    library.add_linking_library(cf._result.library)
    context = BaseContext(typing_context, library)
    module = ir.Module(cf.native_name)
    define_c_function(context, module, cf, cf.native_name, _emit_error_path,
                      counted=_touches_instances(cf._result.library))
    library.add_ir_module(module)
    library.export(cf.native_name)
    library.finalize()
    return library


def _touches_instances(library) -> bool:
    """Whether the body's code (with what it links and calls) uses jitclass instances."""
    return any(local.kind == "jitclass" for lib in (library, *library.calls_into)
               for local in lib.process_locals())


def define_c_function(context, module, cf: CFunc, name: str, on_error=None,
                      counted: bool = False) -> ir.Function:
    """`name(args)` with the C ABI: the compiled body called in the status convention, and on
    an error `on_error(context, builder, cf, status, excinfo)` (if given), then error_value.
    `counted`: the body touches jitclass instances, so the cycle collector must not run
    meanwhile (a C caller's thread holds no GIL)."""
    sig = cf._sig
    fnty = ir.FunctionType(c_type(context, sig.return_type), [c_type(context, a) for a in sig.args])
    wrapper = ir.Function(module, fnty, name)
    builder = ir.IRBuilder(wrapper.append_basic_block("entry"))
    args = [builder.trunc(a, ir.IntType(1)) if isinstance(t, types.Boolean) else a
            for a, t in zip(wrapper.args, sig.args)]
    native_ty = context.call_conv.get_function_type(
        context.get_value_type(cf._result.signature.return_type),
        [context.get_value_type(a) for a in sig.args])
    native = cgutils.get_or_insert_function(module, native_ty, cf._result.native_name)
    excinfo = cgutils.alloca_once(builder, excinfo_t.as_pointer(), zfill=True)
    if counted:
        cycles.gil_free_region(builder, +1)
    status, result = context.call_conv.call_function(builder, native, args, excinfo=excinfo)
    if counted:
        cycles.gil_free_region(builder, -1)
    with cgutils.if_unlikely(builder, context.call_conv.is_error(builder, status)):
        if on_error is not None:
            on_error(context, builder, cf, status, builder.load(excinfo))
        _return(builder, context, sig.return_type, fnty.return_type, cf.error_value, None)
    _return(builder, context, sig.return_type, fnty.return_type, None, result)
    return wrapper


def _return(builder, context, ty, c_type, error_value, result):
    if isinstance(c_type, ir.VoidType):
        builder.ret_void()
    elif result is None:
        value = error_value if error_value is not None else 0
        builder.ret(ir.Constant(c_type, None if isinstance(c_type, ir.PointerType) and not value
                                else value))
    elif isinstance(ty, types.Boolean):
        builder.ret(builder.zext(result, c_type))
    else:
        builder.ret(result)


def _emit_error_path(context, builder, cf: CFunc, status, excinfo):
    """GIL held only here: hand the exception to `_record_error`."""
    api = PythonAPI(context, builder)
    gil = api.gil_ensure()
    null = api.get_null_object()
    payload, exc = cgutils.alloca_once_value(builder, null), cgutils.alloca_once_value(builder, null)
    with builder.if_else(builder.icmp_signed("==", status, ir.Constant(status.type, STATUS_USER_EXC))) \
            as (user, python):
        with user:
            builder.store(api.unserialize(excinfo), payload)
        with python:
            slots = api.err_fetch_normalized()
            builder.store(builder.load(slots[1]), exc)
            for slot in (slots[0], slots[2]):
                with builder.if_then(cgutils.is_not_null(builder, builder.load(slot))):
                    api.decref(builder.load(slot))
    module = api.import_module_noblock("jitbridge.cfunc")
    recorder = api.object_getattr_string(module, "_record_error")
    name = api.string_from_string(cf.__name__)
    flag = api.bool_from_bool(ir.Constant(ir.IntType(1), int(cf.error_value is None)))
    objs = [builder.load(payload), builder.load(exc)]
    objs = [builder.select(cgutils.is_null(builder, o), api.borrow_none(), o) for o in objs]
    result = api.call_function_objargs(recorder, [name, *objs, flag])
    with builder.if_then(cgutils.is_null(builder, result)):
        api.err_clear()
    for owned in (result, module, recorder, name, flag, builder.load(payload), builder.load(exc)):
        with builder.if_then(cgutils.is_not_null(builder, owned)):
            api.decref(owned)
    api.gil_release(gil)


def cfunc(sig, locals=None, cache=False, pipeline_class=None, error_value=None, **options):
    """Compile a Python function to a C callback of signature `sig` (types or a string)."""
    sig = _full_signature(sig)
    if options.pop("forceobj", False) or options.get("nopython") is False:
        raise NotImplementedError("@cfunc compiles natively only (no object mode, as in Numba); "
                                  "use objmode blocks for Python code")
    unknown = set(options) - {"nopython", "nogil", "fastmath", "boundscheck"}
    if unknown:
        raise TypeError(f"unknown cfunc option(s): {', '.join(sorted(unknown))}")

    if locals is not None:
        check_options({"locals": locals})  # the same check (and message) as @njit's

    def wrapper(func):
        return CFunc(func, sig, error_value=error_value,
                     options={**options, "locals": locals, "cache": cache})

    return wrapper


def _full_signature(spec) -> types.Signature:
    """A C callback's type is fixed before its body is compiled, so (as in Numba) the signature
    must name the return type: argument types alone are rejected."""
    argtypes, return_type = parse_signature_spec(spec)
    if return_type is None:
        raise TypeError(f"@cfunc needs an explicit return type: {spec!r} gives only the argument "
                        "types; write e.g. 'float64(float64)' or types.void(types.float64)")
    return types.Signature(return_type, argtypes)


# -- calling a C function pointer from compiled code -----------------------------------------------

@register_model(types.ExternalFunctionPointer)
class ExternalFunctionPointerModel(models.OpaqueModel):
    pass


@typeof_impl.register(CFunc)
def typeof_cfunc(value, c):
    """As a frozen global the address is a constant; as an argument it is a runtime value."""
    if c.purpose is Purpose.constant:
        return value._numba_type_
    return types.ExternalFunctionPointer(value.signature)


class ExternalCall(AbstractTemplate):
    key = types.ExternalFunctionPointer

    def generic(self, args, kws):
        fnty, *actual = args
        if kws or typing_context.conversion_cost(tuple(actual), fnty.sig.args) is None:
            return None
        return types.signature(fnty.sig.return_type, fnty, *fnty.sig.args)


register(ExternalCall)


@lower_builtin(types.ExternalFunctionPointer, types.ExternalFunctionPointer, VarArg(types.Any))
def external_call_impl(context, builder, sig, args):
    """A direct native call through the function pointer (no Python involved)."""
    c_sig = sig.args[0].sig
    values = [context.cast(builder, v, t, f) for v, t, f in zip(args[1:], sig.args[1:], c_sig.args)]
    return call_c_pointer(context, builder, c_sig, args[0], values)


#: address -> the CFunc compiled there (to name it in records)
_by_address: "weakref.WeakValueDictionary[int, CFunc]" = weakref.WeakValueDictionary()


@lower_constant(types.ExternalFunctionPointer)
def external_pointer_constant(context, builder, ty, value):
    """The address baked in (a direct call, no lookup), recorded on the library as one of
    this process: a cfunc is compiled again, elsewhere, at another address."""
    if ty.address is None:  # never emit a null function pointer
        raise LoweringError(f"{ty} has no constant address")
    cf = _by_address.get(ty.address)
    what = f"cfunc {cf.__qualname__!r}" if cf is not None else f"function of type {ty}"
    return context.embed_address(ty.address, "function address",
                                 f"the address of the {what}, compiled in this process")


@unbox(types.ExternalFunctionPointer)
def unbox_external_pointer(typ, obj, c):
    """A cfunc argument's address, taken only from an exact CFunc of this very signature: any
    other object's "address" could point anywhere, another signature would be called wrongly."""
    builder, api = c.builder, c.pyapi
    slot = cgutils.alloca_once_value(builder, ir.Constant(cgutils.voidptr_t, None))
    with builder.if_else(_is_exact_cfunc(c, obj)) as (cfunc, other):
        with cfunc:
            _store_checked_address(api, obj, str(typ.sig), slot)
        with other:
            api.err_set_string("PyExc_TypeError", f"expected a cfunc of signature {typ.sig}")
    value = builder.load(slot)
    return NativeValue(value, is_error=cgutils.is_null(builder, value))


@check_exact(types.ExternalFunctionPointer)
def check_cfunc_argument(typ, obj, c):
    """An exact CFunc of the signature: a cfunc passed to a jitted function from Python took the
    Python fallback's typing on every call (~90 µs)."""
    builder, api = c.builder, c.pyapi
    result = cgutils.alloca_once_value(builder, cgutils.false_bit)
    with builder.if_then(_is_exact_cfunc(c, obj)):
        text = api.string_from_string(str(typ.sig))
        answer = api.call_method(obj, "_has_signature", [text])
        api.decref(text)
        with builder.if_else(cgutils.is_null(builder, answer)) as (failed, done):
            with failed:
                api.err_clear()
            with done:
                true = builder.bitcast(api.get_type_object("_Py_TrueStruct"), answer.type)
                builder.store(builder.icmp_unsigned("==", answer, true), result)
                api.decref(answer)
    return builder.load(result)


def _is_exact_cfunc(c, obj):
    """Py_TYPE(obj) == CFunc (a Python-level check could be fooled by `__class__`)."""
    expected = c.context.embed_object(c.builder, CFunc, "the class")
    return c.builder.icmp_unsigned("==", c.pyapi.get_type(obj), expected)


def _store_checked_address(api, obj, sig_text: str, slot) -> None:
    """`slot = obj._address_for(sig_text)`; left null with the exception set on a mismatch."""
    builder = api.builder
    text = api.string_from_string(sig_text)
    address = api.call_method(obj, "_address_for", [text])
    api.decref(text)
    with builder.if_then(cgutils.is_not_null(builder, address)):
        builder.store(builder.inttoptr(api.long_as_ulonglong(address), cgutils.voidptr_t), slot)
        api.decref(address)


# -- carray / farray -----------------------------------------------------------------------------

def _layout_array(ptr, shape, dtype, order):
    """Python-level carray/farray: a NumPy view of memory at a ctypes pointer or address
    (compiled code builds the view itself: lib/arrays/pointers.py)."""
    import numpy as np  # here, so that `import jitbridge` does not load NumPy
    if isinstance(shape, int):
        shape = (shape,)
    if isinstance(ptr, (int, ctypes.c_void_p)):
        if dtype is None:
            raise TypeError("carray/farray of a void pointer needs an explicit dtype")
        address = ptr if isinstance(ptr, int) else ptr.value
        ptr = ctypes.cast(address, ctypes.POINTER(np.ctypeslib.as_ctypes_type(np.dtype(dtype))))
    array = np.ctypeslib.as_array(ptr, shape=tuple(reversed(shape)) if order == "F" else shape)
    if dtype is not None and np.dtype(dtype) != array.dtype:
        raise TypeError(f"mismatching dtype '{np.dtype(dtype)}' for pointer to {array.dtype}")
    return array.T if order == "F" else array


def carray(ptr, shape, dtype=None):
    """A C-ordered array view of the memory `ptr` points to (usable in compiled code too)."""
    return _layout_array(ptr, shape, dtype, "C")


def farray(ptr, shape, dtype=None):
    """A Fortran-ordered array view of the memory `ptr` points to."""
    return _layout_array(ptr, shape, dtype, "F")


# -- typed pointers: p[i], p[i] = v ------------------------------------------------------------------

class PointerGetItem(AbstractTemplate):
    key = operator.getitem

    def generic(self, args, kws):
        ptr, index = args
        if isinstance(ptr, types.CPointer) and isinstance(types.unliteral(index), types.Integer):
            return types.signature(ptr.dtype, ptr, types.intp)
        return None


class PointerSetItem(AbstractTemplate):
    key = operator.setitem

    def generic(self, args, kws):
        ptr, index, value = args
        if isinstance(ptr, types.CPointer) and isinstance(types.unliteral(index), types.Integer):
            return types.signature(types.none, ptr, types.intp, ptr.dtype)
        return None


register(PointerGetItem)
register(PointerSetItem)


@lower_builtin(operator.getitem, types.CPointer, types.Integer)
def pointer_getitem_impl(context, builder, sig, args):
    model = context.data_model_manager.lookup(sig.args[0].dtype)
    return model.load_from_pointer(builder, builder.gep(args[0], [args[1]]))


@lower_builtin(operator.setitem, types.CPointer, types.Integer, types.Any)
def pointer_setitem_impl(context, builder, sig, args):
    model = context.data_model_manager.lookup(sig.args[0].dtype)
    model.store_to_pointer(builder, args[2], builder.gep(args[0], [args[1]]))
    return context.get_dummy_value()


@typeof_impl.register(types.Type)
def typeof_type_value(value, c):
    """`types.float64` used as a value (e.g. `dtype=float64`) is a number class; any other
    type (`types.unicode_type` for typed.Dict.empty, a tuple type) a reference to it."""
    if isinstance(value, (types.Number, types.Boolean)):
        return types.NumberClass(value)
    return types.TypeRef(value)
