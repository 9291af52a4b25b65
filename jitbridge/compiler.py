"""The pipeline: frontend (cached per function) -> typing -> lowering -> codegen.

`compile_function` returns a CompileResult holding the native function name, its library and a
CPython-callable entry point. The builtin library (`lib/`) is loaded lazily on first compile.
"""
from __future__ import annotations

import ctypes
import functools
import itertools
import re
import threading
import typing
import weakref
from contextlib import contextmanager
from dataclasses import dataclass

from llvmlite import ir

from . import config, types
from .errors import ForceLiteralArg, NumbaRuntimeError
from .codegen import CodeLibrary, get_codegen
from .core import base as core_base
from .core.base import BaseContext, Flags
from .frontend import build_ir, unroll
from .ir.verify import verify
from .lowering.inline import lower_in_place
from .lowering.lower import lower_function
from .lowering.wrappers import build_checked_wrapper, build_entry_wrapper, build_python_wrapper
from .runtime.boxing import boundary_error
from .runtime import nrt
from .runtime.helpers import get_runtime
from .runtime.tiering import CALL_HEAT, Heat, emit_heat, quick_pipeline
from .typing import TypingContext, infer_types
from .typing.generators import as_generator
from .typing.infer import TypedFunction
from .typing.literally import literal_request_refused
from .utils import collector_paused, recursion_headroom

#: Serialises everything that mutates process-wide compiler state: the builtin registries, the
#: runtime, the JIT engine, dispatcher tables. Re-entrant: compiling a callee happens while
#: its caller is being typed.
compile_lock = threading.RLock()
_counter = itertools.count()
_builtins_loaded = False
_builtins_importing = False
typing_context = TypingContext()


def ensure_builtins() -> None:
    """Load lib/ (the builtin types and their typeof registrations) if not done yet."""
    if not _builtins_loaded:  # the lock-free fast path is safe: the flag is set last
        _load_builtins()


def _load_builtins() -> None:
    """Import lib/ (it registers the builtin types and operations) once, under the lock.

    The flag is set only when the import has finished, so no other thread can see half-filled
    registries; `_builtins_importing` makes a re-entrant call from lib's own import a no-op.
    """
    global _builtins_loaded, _builtins_importing
    with compile_lock:
        if _builtins_loaded or _builtins_importing:
            return
        _builtins_importing = True
        try:
            with collector_paused():  # (an import allocates much and frees little)
                from . import lib  # noqa: F401  (the one sanctioned function-local import)
            _builtins_loaded = True
        finally:
            _builtins_importing = False


def ensure_runtime():
    """The process-wide runtime helpers, built at most once even under concurrent first use."""
    with compile_lock, collector_paused():
        return get_runtime()


class PythonEntry:
    """A specialisation's CPython-facing side: its entry point and the address of its
    exact-type-checked wrapper (None: some argument has no fast check). Compiled callers
    never use them, so a specialisation compiled without a cache builds them on its first
    call from Python (`build`), in a small library of their own calling the loaded code."""

    __slots__ = ("_entry", "_checked", "_library", "_build")

    def __init__(self, entry=None, checked: int | None = None, build=None):
        self._entry, self._checked, self._build = entry, checked, build
        self._library: CodeLibrary | None = None

    # read-only: the native dispatch table holds what they were when it was published
    entry = property(lambda self: self._entry)
    checked = property(lambda self: self._checked)
    library = property(lambda self: self._library, doc="the wrappers' own library, if built")

    @property
    def built(self) -> bool:
        return self._build is None

    def ready(self) -> "PythonEntry":
        """Build the wrappers if not done yet (once, under the compile lock)."""
        if self._build is not None:
            with compile_lock:
                if self._build is not None:
                    self._entry, self._checked, self._library = self._build()
                    self._build = None
        return self


@dataclass(frozen=True)
class CompileResult:
    """One compiled specialisation. Frozen: compiled callers and the native dispatch table rely
    on `native_name`, `library`, `signature` and the addresses, so none may be rebound."""

    signature: types.Signature
    typed: TypedFunction
    library: CodeLibrary
    native_name: str
    python: PythonEntry
    #: Numba's flag for object-mode results: jitbridge always compiles natively
    objectmode: typing.ClassVar[bool] = False

    @property
    def entry_point(self):
        """The builtin function Python code calls (wrappers built on first use)."""
        return self.python.ready().entry

    @property
    def checked_address(self) -> int | None:
        return self.python.ready().checked

    def __call__(self, *args):
        """Call the specialisation (Numba's `dispatcher.compile(sig)` returns it callable)."""
        return self.entry_point(*args)

    def inspect_llvm(self) -> str:
        wrappers = self.python.library
        text = self.library.get_llvm_str()
        return text if wrappers is None else text + "\n" + wrappers.get_llvm_str()

    def inspect_asm(self) -> str:
        wrappers = self.python.library
        text = self.library.get_asm_str()
        return text if wrappers is None else text + "\n" + wrappers.get_asm_str()


def unique_native_name(py_func) -> str:
    """A process-unique symbol for a new specialisation of `py_func`."""
    qual = re.sub(r"[^\w.]", "_", f"{py_func.__module__}.{py_func.__qualname__}")
    return f"jb.{qual}.{next(_counter)}"


def compile_function(py_func, argtypes, return_type=None, native_name=None,
                     flags: Flags = Flags(), dispatcher=None, locals=None,
                     keep_object: bool = False, lazy_wrappers: bool = False,
                     tier0: bool = False) -> CompileResult:
    """Compile `py_func` for `argtypes` (and an optional declared return type); `locals` maps
    variable names to the types they are declared to have (the `locals=` jit option);
    `keep_object`: keep the object code on the library (to store it in a cache);
    `lazy_wrappers`: build the Python-facing wrappers on the first call from Python;
    `tier0`: with the cheap pipeline and a heat counter (tiered compilation)."""
    with compile_lock, collector_paused(), _at_level(tier0):
        try:
            typed = type_function(py_func, argtypes, return_type, dispatcher, locals,
                                  flags.parallel)
        except ForceLiteralArg:  # a dispatcher compiles again with literal types; no other
            if dispatcher is not None:
                raise
            raise literal_request_refused(py_func.__qualname__, argtypes) from None
        return compile_typed(typed, native_name or unique_native_name(py_func), flags,
                             py_func.__module__, keep_object, lazy_wrappers, tier0)


#: compiles with the full pipeline in progress (lock held): what they compile on the way
#: (callees, and the callees' own first code) is compiled at the full level too
_full_depth = 0


@contextmanager
def _at_level(tier0: bool):
    global _full_depth
    _full_depth += not tier0
    try:
        yield
    finally:
        _full_depth -= not tier0


def compiling_full() -> bool:
    """Whether a compile with the full pipeline is in progress (lock held)."""
    return _full_depth > 0


def type_function(py_func, argtypes, return_type=None, dispatcher=None,
                  locals=None, parallel: bool = False) -> TypedFunction:
    """The frontend and typing stages of `compile_function` (`parallel`: prange loops are
    outlined to run on the thread pool)."""
    with compile_lock, recursion_headroom(), typing_context.session():
        _load_builtins()  # (recursion headroom: nested types recurse in every stage)
        ensure_runtime()
        fir = build_ir(py_func, parallel=parallel)
        if fir.unroll_pending:
            fir = _unrolled_ir(py_func, fir, argtypes, dispatcher, locals, parallel)
        if config.VERIFY_IR:
            verify(fir)
        typed = infer_types(typing_context, fir, argtypes, return_type, dispatcher, locals)
        return _as_generator(typed) if fir.generator else typed


def _as_generator(typed: TypedFunction) -> TypedFunction:
    """A generator function's typing; its lowering (lowering/generators.py) is imported here,
    on the first one, so that programs without generators never load it."""
    from .lowering import generators  # noqa: F401  (registers their lowering)
    return as_generator(typing_context, typed)


def _unrolled_ir(py_func, fir, argtypes, dispatcher, locals, parallel: bool = False):
    """The IR of a function with `literal_unroll` loops: typing each build tells the lengths
    of the tuples the next build unrolls (frontend/unroll.py), until none is left to probe."""
    lengths: dict = {}
    while fir.unroll_pending:
        probe = infer_types(typing_context, fir, argtypes, None, dispatcher, locals, probe=True)
        for index in fir.unroll_pending:
            ty = probe.typemap.get(unroll.PROBE.format(index))
            mixed = isinstance(ty, types.BaseTuple) and not isinstance(ty, types.UniTuple)
            lengths[index] = len(ty) if mixed else unroll.ORDINARY
        fir = build_ir(py_func, lengths, parallel)
    return fir


@dataclass(frozen=True)
class InlineCallee:
    """An implementation written in Python (an @overload, compile_internal), typed once per
    argument types and lowered into each module that calls it, as an internal function LLVM
    inlines: no library of its own to optimise and load per specialisation."""
    typed: TypedFunction
    name: str

    @property
    def signature(self) -> types.Signature:
        return types.Signature(self.typed.return_type, self.typed.argtypes)


def type_inline_callee(py_func, argtypes) -> InlineCallee:
    with compile_lock:
        return InlineCallee(type_function(py_func, argtypes), unique_native_name(py_func))


#: (callee name, flags) -> the callee's own library, optimised once and linked into callers
_callee_libraries: dict = {}
_callees_building: set = set()


def _lower_into(context, builder, callee: InlineCallee) -> None:
    """Make `callee` callable from the module `builder` writes to. It is lowered and optimised
    once, in a library of its own that callers link (as they link the jitted functions they
    call): re-lowering a large overload into every caller made compile time grow with the
    size of every NumPy kernel used. A callee whose library is being built further up the
    stack (recursion) is defined in this module instead."""
    module = builder.module
    if callee.name in module.globals:
        return
    key = (callee.name, context.flags)
    with compile_lock:  # (the table is process-wide; some wrappers lower outside a compile)
        library = _callee_libraries.get(key)
        if library is None and key not in _callees_building:
            library = _callee_libraries[key] = _build_callee_library(
                callee, context.flags, getattr(context.library, "quick", None))
    if library is not None:
        context.library.add_linking_library(library)
        return
    function = lower_function(context, callee.typed, module, callee.name)
    function.linkage = "internal"


def _build_callee_library(callee: InlineCallee, flags: Flags, quick=None) -> CodeLibrary:
    """(`quick`: the first caller's tier-0 pipeline; a full-level caller optimises the
    copy it links in again, so one library serves both tiers)"""
    key = (callee.name, flags)
    _callees_building.add(key)
    try:
        library = get_codegen().create_library(f"{callee.name}.lib")
        library.quick = quick
        module = ir.Module(library.name)
        function = lower_function(BaseContext(typing_context, library, flags), callee.typed,
                                  module, callee.name)
        #: (read by a `_nrt=False` caller, which is refused if it links allocating code)
        library.allocates = not flags.nrt and _allocates(function, library)
        library.add_ir_module(module)
        library.export(callee.name)
        library.finalize(load=False)
        return library
    finally:
        _callees_building.discard(key)


core_base.COMPILE_HOOK["lower_into"] = _lower_into
core_base.COMPILE_HOOK["lower_in_place"] = lambda context, builder, callee, args: \
    lower_in_place(context, builder, callee, args, context.inlining)


def compile_typed(typed: TypedFunction, name: str, flags: Flags = Flags(),
                  module_name: str | None = None, keep_object: bool = False,
                  lazy_wrappers: bool = False, tier0: bool = False) -> CompileResult:
    """Lower, wrap, optimise and load a typed function (`module_name`: the `__module__` its
    entry point reports, the Python function's, as in Numba). Code kept for a cache holds
    its wrappers: a process loading it must not need the compiler to call it. `tier0`: the
    cheap pipeline, and a heat counter its code bumps (runtime/tiering.py)."""
    with _at_level(tier0):
        return _compile_typed(typed, name, flags, module_name, keep_object, lazy_wrappers,
                              tier0)


def _compile_typed(typed, name, flags, module_name, keep_object, lazy_wrappers, tier0):
    library = get_codegen().create_library(name)
    library.keep_object_code = keep_object
    if tier0:
        library.quick, library.heat = quick_pipeline(), Heat()
    context = BaseContext(typing_context, library, flags)
    module = ir.Module(name)
    native = _lowered(context, typed, module, name)
    signature = types.Signature(typed.return_type, typed.argtypes)
    crosses = boundary_error(typed.argtypes, typed.return_type) is None
    eager = crosses and not (lazy_wrappers and not keep_object)
    wrappers = _build_wrappers(context, module, native, signature, typed.fir.qualname,
                               library.heat) if eager else ()
    library.add_ir_module(module)
    for func in (native, *wrappers):
        library.export(func.name)
    library.finalize()
    if crosses and not wrappers:
        build = functools.partial(_wrapper_library, library, name, signature, flags,
                                  typed.fir.qualname, module_name)
        return CompileResult(signature, typed, library, name, PythonEntry(build=build))
    return loaded_result(library, signature, name, typed.fir.qualname, module_name, typed)


def _lowered(context, typed: TypedFunction, module, name: str):
    """`lower_function`; with `_nrt=False`, a function using the runtime's memory (a list, a
    string, an array made here or by an implementation it calls) is refused, as Numba
    refuses it without its NRT."""
    function = lower_function(context, typed, module, name)
    if not context.flags.nrt and _allocates(function, context.library):
        raise NumbaRuntimeError("NRT required but not enabled: this function makes values "
                                "whose memory the runtime manages (lists, strings, arrays...), "
                                "and _nrt=False compiles without the runtime", typed.fir.loc)
    return function


def _allocates(function, library) -> bool:
    """Whether `function` or an implementation library it links allocates memory."""
    return nrt.allocates(function) or any(getattr(linked, "allocates", False)
                                          for linked in library.linking_libraries())


def _build_wrappers(context, module, native, signature, qualname: str, heat=None) -> tuple:
    """The CPython wrappers of `native` (lowering/wrappers.py), defined in `module`; with a
    tier-0 `heat` counter, a counting wrapper in front of the checked one."""
    argtypes = signature.args
    pywrap = build_python_wrapper(context, module, native, argtypes, signature.return_type)
    checked = build_checked_wrapper(context, module, pywrap, argtypes)
    counting = _counting_wrapper(module, checked, native.name, heat) \
        if heat is not None and checked is not None else None
    wrappers = (pywrap, build_entry_wrapper(context, module, pywrap, argtypes, qualname),
                checked, counting)
    return tuple(w for w in wrappers if w is not None)


def _counting_wrapper(module, checked, name: str, heat: Heat):
    """`name.pycount`: what the native dispatcher calls at tier 0, a call's heat then the
    checked wrapper (replaced, with the tier-0 code, by the full pipeline's)."""
    func = ir.Function(module, checked.function_type, f"{name}.pycount")
    builder = ir.IRBuilder(func.append_basic_block("entry"))
    emit_heat(builder, heat, CALL_HEAT)
    builder.ret(builder.call(checked, func.args, tail=True))
    return func


def _wrapper_library(library: CodeLibrary, name: str, signature, flags: Flags, qualname: str,
                     module_name: str | None) -> tuple:
    """(entry point, checked address, library) of wrappers built after `library` was loaded:
    they call its exported function where it is loaded (or a linked copy, when small)."""
    wrappers, context, module, native = _calling_library(library, name, signature, flags,
                                                         "wrappers")
    defined = _build_wrappers(context, module, native, signature, qualname, library.heat)
    _finish_library(wrappers, module, defined)
    python = loaded_result(wrappers, signature, name, qualname, module_name).python
    return python.entry, python.checked, wrappers


def converting_entry(result: CompileResult, sources: tuple, flags: Flags) -> tuple | None:
    """(address, library) of a checked wrapper taking arguments of types `sources` and casting
    them natively to `result`'s (see lowering/wrappers.converts_natively); None if some source
    type has no exact check."""
    name, signature = result.native_name, result.signature
    wrappers, context, module, native = _calling_library(result.library, name, signature, flags,
                                                         f"conversion{next(_counter)}")
    suffix = wrappers.name.removeprefix(name)
    pyconv = build_python_wrapper(context, module, native, signature.args,
                                  signature.return_type, sources, f"{suffix}.py")
    checked = build_checked_wrapper(context, module, pyconv, sources, f"{name}{suffix}.pycheck",
                                    converting=True)
    if checked is None:
        return None
    _finish_library(wrappers, module, (pyconv, checked))
    return wrappers.get_pointer_to_function(checked.name), wrappers


def _calling_library(library: CodeLibrary, name: str, signature, flags: Flags, kind: str):
    """(new library, its context, its module, the declaration of `library`'s exported `name`
    in that module) for wrappers calling `name`."""
    wrappers = get_codegen().create_library(f"{name}.{kind}")
    wrappers.quick = library.quick
    context = BaseContext(typing_context, wrappers, flags)
    module = ir.Module(wrappers.name)
    fnty = context.call_conv.get_function_type(
        context.get_value_type(signature.return_type),
        [context.get_value_type(a) for a in signature.args])
    native = ir.Function(module, fnty, name)
    wrappers.add_callee(library, name)
    return wrappers, context, module, native


def _finish_library(wrappers: CodeLibrary, module, defined) -> None:
    wrappers.add_ir_module(module)
    for func in defined:
        wrappers.export(func.name)
    wrappers.finalize()


def loaded_result(library: CodeLibrary, signature, name: str, qualname: str,
                  module_name: str | None, typed: TypedFunction | None = None) -> CompileResult:
    """The CompileResult of a finalized library exporting `name` and its wrappers (one just
    compiled, or one loaded from a cache: then there is no typed IR)."""
    crossing_error = boundary_error(signature.args, signature.return_type)
    if crossing_error is not None:
        return CompileResult(signature, typed, library, name, PythonEntry(
            _refusing_entry(crossing_error, qualname, module_name)))
    entry = make_pycfunction(library.get_pointer_to_function(f"{name}.pyentry"), qualname,
                             module_name, keep=library)
    # (names given by lowering/wrappers.py; `pycount`: tier 0's counting wrapper)
    checked = [f"{name}.{kind}" for kind in ("pycount", "pycheck")
               if f"{name}.{kind}" in library.exports]
    return CompileResult(signature, typed, library, name, PythonEntry(
        entry, library.get_pointer_to_function(checked[0]) if checked else None))


def _refusing_entry(message: str, qualname: str, module_name: str | None):
    """The entry point of a specialisation whose arguments or result have no Python
    equivalent: calling it raises the TypeError the missing conversion would (Numba's
    wrapper raises it when it reaches the unconvertible value)."""
    def entry_point(*args):
        raise TypeError(message)
    entry_point.__name__ = entry_point.__qualname__ = qualname
    entry_point.__module__ = module_name
    return entry_point


class _PyMethodDef(ctypes.Structure):
    _fields_ = [("ml_name", ctypes.c_char_p), ("ml_meth", ctypes.c_void_p),
                ("ml_flags", ctypes.c_int), ("ml_doc", ctypes.c_char_p)]


_METH_VARARGS = 0x0001
_new_cfunction = ctypes.pythonapi.PyCFunction_NewEx
_new_cfunction.restype = ctypes.py_object
_new_cfunction.argtypes = [ctypes.c_void_p, ctypes.py_object, ctypes.py_object]


def make_pycfunction(address: int, name: str, module_name: str | None = None, keep=None):
    """A builtin function object calling the wrapper at `address` with its positional
    arguments as one tuple (METH_VARARGS: `entry_point(*args)`, as Numba's).

    Its PyMethodDef lives in an immutable bytes object, passed as the function's `self` (which
    the wrapper ignores): the function keeps its definition alive itself, and nothing reachable
    from Python (`__self__` included) can rewrite the address it calls. `keep` (the library of
    the code it calls) lives as long as the function, held by a finalizer no attribute reaches.
    """
    name_bytes = name.encode()
    method_def = bytes(_PyMethodDef(name_bytes, address, _METH_VARARGS, None))
    function = _new_cfunction(_buffer_address(method_def), (method_def, name_bytes), module_name)
    if keep is not None:
        weakref.finalize(function, _released, keep)
    return function


def _released(keep) -> None:
    """(The finalizer of an entry point: holding `keep` was its whole job.)"""


def _buffer_address(data: bytes) -> int:
    return ctypes.cast(data, ctypes.c_void_p).value


# -- compile_internal (used by lowering implementations written in Python) ------------------------
_internal_cache: dict = {}


def _compile_internal(tctx, impl, sig) -> InlineCallee:
    key = (impl, sig.args)
    callee = _internal_cache.get(key)
    if callee is None:
        callee = _internal_cache[key] = type_inline_callee(impl, sig.args)
    return callee


core_base.COMPILE_HOOK["compile_internal"] = _compile_internal
