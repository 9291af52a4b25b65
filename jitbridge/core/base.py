"""The lowering Context handed to implementations: data models, constants, casts, functions.

One Context is made per compiled function; it knows the CodeLibrary being built so that
`compile_internal` and calls into other jitted functions can link their code in.
"""
from __future__ import annotations

from dataclasses import dataclass

from llvmlite import ir

from .. import types
from ..codegen import check_instructions, emission_mark, emitted_since, object_symbol
from ..errors import (CompilerError, LoweringError, TypingError, describe_function,
                      describe_types)
from ..lowering.registry import LoweringRegistry, registry as default_registry
from ..runtime import nrt
from . import cgutils
from ..runtime.helpers import declare_runtime
from .callconv import STATUS_USER_EXC, CallConv, excinfo_t, serialize
from .datamodel import default_manager
from .datamodel.models import DummyModel
from .pythonapi import PythonAPI

#: Set by compiler.py: compile_internal(context, impl, sig) -> (native name, library).
COMPILE_HOOK: dict = {}


@dataclass(frozen=True)
class Flags:
    """Compilation options that change generated code (`fastmath=`, `boundscheck=`,
    `error_model=`, `nogil=`, `parallel=`, `_nrt=`)."""

    fastmath: bool = False
    boundscheck: bool = False
    #: "python": division by zero raises ZeroDivisionError; "numpy": NumPy's inf, nan or 0
    error_model: str = "python"
    #: the Python wrapper releases the GIL around the native call
    nogil: bool = False
    #: `prange` loops run on the thread pool (jitbridge/parallel)
    parallel: bool = False
    #: `_nrt=False`: the function may not use the runtime's memory (compiler.py refuses one
    #: that allocates, as Numba does without its NRT)
    nrt: bool = True


class BaseContext:
    """What lowering code asks about types and values while emitting LLVM IR."""

    def __init__(self, typing_context, library=None, flags: "Flags | None" = None,
                 registry: LoweringRegistry = default_registry):
        self.typing_context = typing_context
        self.library = library
        self.flags = flags or Flags()
        self.registry = registry
        self.data_model_manager = default_manager
        self.call_conv = CallConv()
        #: names of the callees being lowered in place right now (lowering/inline.py)
        self.inlining: set = set()
        #: put source lines on the lowered function's instructions (DWARF line tables, for
        #: the annotated view): off for ordinary compiles, whose code carries no debug data
        self.line_info = False

    # -- representation ------------------------------------------------------------------------
    def get_value_type(self, ty) -> ir.Type:
        return self.data_model_manager.lookup(ty).get_value_type()

    def get_data_type(self, ty) -> ir.Type:
        return self.data_model_manager.lookup(ty).get_data_type()

    def get_argument_type(self, ty) -> ir.Type:
        return self.data_model_manager.lookup(ty).get_argument_type()

    def get_return_type(self, ty) -> ir.Type:
        return self.data_model_manager.lookup(ty).get_return_type()

    # -- reference counting ----------------------------------------------------------------------
    def contains_nrt(self, ty) -> bool:
        """Whether values of `ty` own runtime references."""
        return self.data_model_manager.lookup(ty).has_nrt_meminfo()

    def incref(self, builder, ty, value) -> None:
        """Take a new reference to every MemInfo inside `value`."""
        for mi in self.data_model_manager.lookup(ty).nrt_meminfos(builder, value):
            nrt.emit_incref(builder, mi)

    def decref(self, builder, ty, value) -> None:
        """Release the references `value` owns."""
        for mi in self.data_model_manager.lookup(ty).nrt_meminfos(builder, value):
            nrt.emit_decref(builder, mi)

    @property
    def nrt(self) -> "NRTContext":
        """Numba's `context.nrt`: the runtime's reference counting and memory calls."""
        return NRTContext(self)

    def get_python_api(self, builder) -> PythonAPI:
        """C-API calls emitted through `builder` (Numba's name; the GIL must be held)."""
        return PythonAPI(self, builder)

    def make_helper(self, builder, ty, value=None, ref=None):
        """A struct proxy giving named access to a StructModel value of `ty`."""
        return cgutils.create_struct_proxy(ty)(self, builder, value=value, ref=ref)

    def make_tuple(self, builder, ty, values):
        """Pack element values into a tuple value of type `ty`."""
        out = ir.Constant(self.get_value_type(ty), ir.Undefined)
        for i, v in enumerate(values):
            out = builder.insert_value(out, v, i)
        return out

    def get_dummy_value(self):
        return ir.Constant(ir.IntType(8).as_pointer(), None)  # Numba's: a null i8*

    # -- constants -----------------------------------------------------------------------------
    def get_constant_generic(self, builder, ty, value):
        """An LLVM value for the Python constant `value` of type `ty`."""
        impl = self.registry.find_constant(ty)
        if impl is not None:
            return self.call_impl(impl, builder, (ty, value), f"the constant {_short_repr(value)}",
                                  ty)
        if isinstance(ty, _CALLABLES) or _carries_no_data(ty) or \
                isinstance(self.data_model_manager.lookup(ty), DummyModel):
            # the type alone identifies the value (functions, classes, dtypes, modules)
            return self.get_constant_null(ty)
        raise TypingError(f"the value {_short_repr(value)} of type {ty} cannot be frozen as a "
                          "compile-time constant (globals and closure variables are frozen when "
                          "the function compiles); pass it as an argument instead, or give "
                          f"its type a constant lowering (@lower_constant({type(ty).__name__}))")

    def get_constant(self, ty, value):
        """Constant for scalars (no builder needed)."""
        return self.get_constant_generic(None, ty, value)

    def get_constant_null(self, ty):
        return cgutils.get_null_value(self.get_value_type(ty))

    def insert_const_string(self, module: ir.Module, text: str):
        """An i8* to a NUL-terminated constant string in `module`."""
        return cgutils.const_cstring(module, text)

    def serialize_constant(self, module: ir.Module, obj, what: str = "the constant"):
        """A constant `{i8*, i64}*` holding pickled `obj`, recorded on the library: any process
        unpickles it, unless pickle could not carry `obj` (then only this one can)."""
        table = []
        data = serialize(obj, table.append)
        self._record_pickle(f"{what} {_short_repr(obj)}", table)
        blob = cgutils.global_constant(module, "jb.pickled", cgutils.make_bytearray(data))
        struct = ir.Constant(ir.LiteralStructType([cgutils.voidptr_t, cgutils.int64_t]),
                             [blob.bitcast(cgutils.voidptr_t), ir.Constant(cgutils.int64_t, len(data))])
        return cgutils.global_constant(module, "jb.pickled.info", struct)

    # -- conversions ---------------------------------------------------------------------------
    def cast(self, builder, val, fromty, toty):
        """Convert `val` of type `fromty` to `toty`."""
        if fromty == toty:
            return val
        impl = self.registry.find_cast(fromty, toty)
        if impl is None:
            if self.get_value_type(fromty) == self.get_value_type(toty) and \
                    types.unliteral(fromty) == types.unliteral(toty):
                return val
            raise LoweringError(f"no conversion from {fromty} to {toty}")
        return self.call_impl(impl, builder, (fromty, toty, val),
                              f"the conversion from {fromty} to {toty}", toty)

    def is_true(self, builder, ty, val):
        """`bool(val)` as an i1."""
        impl = self.get_function(bool, types.signature(types.boolean, ty))
        return impl(builder, [val])

    # -- implementations -----------------------------------------------------------------------
    def get_function(self, key, sig):
        """`impl(builder, args)` for calling `key` with `sig` (key may be a function type)."""
        key, argtypes = _lookup_key(key, sig)
        impl = sig.impl or self.registry.find_function(sig.key or key, argtypes)
        what = describe_call(getattr(key, '__name__', key), sig)
        if impl is None:
            raise LoweringError(f"no lowering for {what}")
        return lambda builder, args: self.call_impl(impl, builder, (sig, args), what,
                                                    sig.return_type)

    def get_getattr(self, ty, attr: str):
        """`impl(context, builder, ty, value, attr)` for reading `attr` of `ty` values."""
        impl = self.registry.find_getattr(ty, attr)
        if impl is None:
            return None
        result_type = self.typing_context.resolve_getattr(ty, attr)
        return lambda context, builder, *args: self.call_impl(
            impl, builder, args, f"attribute {attr!r} of {ty}", result_type)

    def get_setattr(self, ty, attr: str):
        """`impl(context, builder, sig, args, attr)` for setting `attr` of `ty` values."""
        impl = self.registry.find_setattr(ty, attr)
        if impl is None:
            return None
        return lambda context, builder, *args: self.call_impl(
            impl, builder, args, f"setting attribute {attr!r} of {ty}", check_result=False)

    def call_impl(self, impl, builder, args: tuple, what: str, result_type=None,
                  check_result: bool = True):
        """`impl(self, builder, *args)`: a registry implementation lowering `what`. Its
        exceptions, ill-typed instructions and a result that does not match `result_type`'s
        data model are reported as that implementation's bug, naming it."""
        mark = emission_mark(builder)
        try:
            value = impl(self, builder, *args)
        except (CompilerError, RecursionError, MemoryError):
            raise
        except Exception as exc:
            raise LoweringError(f"{_culprit(impl)} raised {type(exc).__name__}: {exc} "
                                f"(lowering {what})") from exc
        # (a callee lowered in place was checked piecewise by the calls that emitted it)
        problem = None if getattr(impl, "emits_checked_code", False) else \
            check_instructions(emitted_since(mark))
        if problem is None and check_result:
            problem = self._result_problem(value, result_type)
        if problem is not None:
            raise LoweringError(f"{_culprit(impl)} generated invalid code for {what}: {problem}")
        if value is None and result_type == types.none:  # codegen of a `void` function
            return self.get_dummy_value()
        return value

    def _result_problem(self, value, ty) -> str | None:
        """Why `value` cannot be a value of type `ty` (None: it can, or `ty` is unknown)."""
        if value is None and (ty is None or ty == types.none):
            return None
        if value is None:
            return f"non-void function returns None (values of {ty} are LLVM {self.get_value_type(ty)})"
        if not isinstance(value, ir.Value):
            return f"it returned {_short_repr(value)} instead of an LLVM value"
        if ty is None:
            return None
        expected = self.get_value_type(ty)
        if value.type != expected:
            return (f"it returned an LLVM value of type {value.type}, but values of {ty} have "
                    f"LLVM type {expected}")
        return None

    def compile_internal(self, builder, impl, sig, args):
        """Compile the Python function `impl` for `sig` and call it here."""
        callee = COMPILE_HOOK["compile_internal"](self.typing_context, impl, sig)
        return self.call_inline_callee(builder, callee, args)

    def call_inline_callee(self, builder, callee, args):
        """Call an InlineCallee (compiler.py): a small one is lowered in place; another is
        defined in this module (once) and called."""
        value = COMPILE_HOOK["lower_in_place"](self, builder, callee, list(args))
        if value is not None:
            return value
        COMPILE_HOOK["lower_into"](self, builder, callee)
        return self.call_internal(builder, callee.name, callee.signature, args)

    def call_jit_code(self, builder, func, sig, args):
        """Compile the Python function `func` for `sig.args` and call it from code that talks
        to Python (a box or unbox function): (is_error, result as `sig.return_type`). On error
        the exception is the pending Python error, as a wrapper would raise it."""
        callee = COMPILE_HOOK["compile_internal"](self.typing_context, func, sig)
        COMPILE_HOOK["lower_into"](self, builder, callee)
        function = cgutils.get_or_insert_function(
            builder.module, self._internal_fnty(callee.signature), callee.name)
        excinfo = cgutils.alloca_once(builder, excinfo_t.as_pointer(), zfill=True)
        status, value = self.call_conv.call_function(builder, function, args, excinfo=excinfo)
        raised = builder.icmp_signed("==", status, ir.Constant(status.type, STATUS_USER_EXC))
        with builder.if_then(raised, likely=False):
            builder.call(declare_runtime(builder.module, "jb_raise_excinfo"),
                         [builder.load(excinfo)])
        result = self._as_declared(builder, value, callee.signature.return_type, sig.return_type)
        return self.call_conv.is_error(builder, status), result

    def _as_declared(self, builder, value, actual, declared):
        """`value` (of type `actual`) as the `declared` type; an integer given as a pointer
        (Numba's call_jit_code callers declare voidptr for an intp result) is converted."""
        if declared == actual:
            return value
        if isinstance(declared, (types.RawPointer, types.CPointer)) \
                and isinstance(actual, types.Integer):
            return builder.inttoptr(value, self.get_value_type(declared))
        return self.cast(builder, value, actual, declared)

    def call_internal(self, builder, name: str, sig, args):
        """Call compiled function `name`; a non-zero status propagates out of this function."""
        callee = cgutils.get_or_insert_function(builder.module, self._internal_fnty(sig), name)
        return self._call_propagating(builder, callee, args)

    def call_through_slot(self, builder, slot_symbol: str, sig, args, missing: str):
        """Call the compiled function whose address a process-wide slot holds (a callee still
        compiling when this code was built: mutual recursion); RuntimeError(missing) if the
        slot was never filled because that compilation failed."""
        return self._call_propagating(builder, self.slot_callee(builder, slot_symbol, sig,
                                                                missing), args)

    def slot_callee(self, builder, slot_symbol: str, sig, missing: str):
        """The function pointer a process-wide slot holds (see call_through_slot);
        RuntimeError(missing) when it is still null."""
        fnptr_t = self._internal_fnty(sig).as_pointer()
        slot = builder.module.globals.get(slot_symbol)
        if slot is None:
            slot = ir.GlobalVariable(builder.module, fnptr_t, slot_symbol)
        callee = builder.load(slot)
        with cgutils.if_unlikely(builder, cgutils.is_null(builder, callee)):
            self.call_conv.return_user_exc(builder, RuntimeError, (missing,))
        return callee

    def _internal_fnty(self, sig):
        return self.call_conv.get_function_type(
            self.get_value_type(sig.return_type), [self.get_value_type(a) for a in sig.args])

    def _call_propagating(self, builder, callee, args):
        status, value = self.call_conv.call_function(builder, callee, args)
        with builder.if_then(self.call_conv.is_error(builder, status), likely=False):
            self.call_conv.return_status_propagate(builder, status)
        return value

    # -- what generated code embeds of this process: recorded on the library (codegen.py) -------
    def embed_process_local(self, kind: str, description: str, recipe: str = "") -> None:
        """Record that the code being built depends on something of this process; `recipe`
        says how another process re-creates it (empty: it cannot)."""
        if self.library is not None:
            self.library.record_process_local(kind, description, recipe)

    def embed_address(self, address: int, kind: str, description: str, keep=None):
        """`address` as an i8* constant, recorded as process-local; `keep`: an object the
        address points into, kept alive as long as the library."""
        if self.library is not None:
            self.library.record_process_local(kind, description, address=address)
            if keep is not None:
                self.library.keepalive.append(keep)
        return ir.Constant(cgutils.int64_t, address).inttoptr(cgutils.voidptr_t)

    def importable_symbol(self, obj) -> str | None:
        """The symbol bound to `obj`, a long-lived object another process binds again by
        importing it by name (None: it cannot be, or there is no library to record it)."""
        return object_symbol(obj) if self.library is not None else None

    def embed_object(self, builder, obj, what: str):
        """An i8* to `obj`, an object that lives as long as the process (a class): the address
        of a symbol bound to it, which another process binds again by importing it by name;
        the raw address (recorded, `obj` kept alive) when it cannot be imported."""
        symbol = self.importable_symbol(obj)
        if symbol is None:
            name = getattr(obj, "__qualname__", type(obj).__qualname__)
            return self.embed_address(id(obj), "object address",
                                      f"{what} {name} (not importable by name)", keep=obj)
        module = builder.module
        return module.globals.get(symbol) or ir.GlobalVariable(module, ir.IntType(8), symbol)

    def _record_pickle(self, description: str, table: list) -> None:
        """Record a pickled constant; `table`: its payload table index, if pickle failed."""
        if table:
            self.embed_process_local("payload table entry", f"{description} (entry {table[0]})")
        else:
            self.embed_process_local("pickled object", description, "unpickled from the code")


#: Callables whose native value is unused: calls are resolved by their type.
_CALLABLES = (types.Function, types.BoundFunction, types.Dispatcher)


def _carries_no_data(ty) -> bool:
    """A types.Dummy value is identified by its type alone (an Opaque extension type's
    instance, as in Numba), except the two whose pointer is real data."""
    return isinstance(ty, types.Dummy) and \
        not isinstance(ty, (types.PyObject, types.ExternalFunctionPointer))


def describe_call(name: str, sig) -> str:
    """`name(int64, float64) -> float64` for error messages."""
    return f"{name}{describe_types(sig.args)} -> {sig.return_type}"


def _culprit(impl) -> str:
    """The implementation named for the user: the extension function behind it if known."""
    return f"the lowering implementation {describe_function(getattr(impl, 'origin', impl))}"


def _short_repr(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _lookup_key(key, sig):
    if isinstance(key, types.Function):
        return key.typing_key, sig.args
    if isinstance(key, types.BoundFunction):
        return key.template.key, (sig.recvr, *sig.args)
    return key, sig.args


class NRTContext:
    """Numba's `context.nrt` (used by extensions' @box/@unbox and intrinsics)."""

    def __init__(self, context: BaseContext):
        self._context = context

    def incref(self, builder, ty, value) -> None:
        self._context.incref(builder, ty, value)

    def decref(self, builder, ty, value) -> None:
        self._context.decref(builder, ty, value)

    def meminfo_data(self, builder, meminfo):
        """The data pointer of a MemInfo (i8*)."""
        return nrt.meminfo_data(builder, meminfo)

    def meminfo_alloc(self, builder, size):
        """A new MemInfo owning `size` fresh bytes (refcount 1; freed with it)."""
        return nrt.allocate(builder, size)
