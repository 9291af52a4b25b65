"""The Dispatcher: a jitted function object that compiles per argument types and calls natively.

Calls enter `jb_dispatch_call` (native tp_call, runtime/dispatcher.py), which calls the
published specialisation whose exact-type-checked wrapper takes the arguments (the one its
prediction table names first). Only on a miss (new types, conversions, a specialisation not
yet called from Python) does Python code run: `_fallback` types the arguments, compiles or
picks a compatible specialisation, converts the arguments and calls its entry point,
building its wrappers and publishing it first if compiled code alone had called it.
"""
from __future__ import annotations

import copy
import ctypes
import inspect
import sys
import types as pytypes
import weakref
from contextlib import contextmanager

from . import types
from .argument_errors import no_matching_signature, unsupported_argument
from .caching import CacheStats, FunctionCache
from .codegen import ProcessLocal, add_symbol, get_codegen
from .compiler import (Flags, compile_function, compile_lock, ensure_builtins, ensure_runtime,
                       typing_context, unique_native_name)
from .errors import (CompilerError, JitBridgeWarning, NoMatchingSignature,  # noqa: F401
                     SignatureMismatch, TypingError)
from .frontend.source import capture_source
from .introspection import Introspection
from .literal_dispatch import LiteralDispatch
from .tiered_dispatch import TieredDispatch
from .conversion_dispatch import ConversionDispatch
from .pickling import by_reference, reduce_by_value
from .pybinding import convert, plan_binding
from .runtime.boxing import Defaulted
from .runtime.dispatcher import note_ndarray_type, write_table
from .types.parse import normalize_signature
from .typing import typeof
from .typing.typeof import scalar_typeof
from .typing.binder import fold_arguments, needs_folding
from .typing.infer import CompiledFromError, RecursionPending, inferred_return_type
from .options import boundscheck_option, check_options, warn_unimplemented
from .utils import recursion_headroom


class DispatcherMixin(ConversionDispatch, TieredDispatch, LiteralDispatch, Introspection):
    """Python-side state and API of a jitted function (see module docstring)."""

    def _init(self, py_func, signatures, flags: Flags, options: dict):
        capture_source(py_func)
        for found in _recorders:
            found.append(self)
        self.py_func = py_func
        self.__name__ = py_func.__name__
        self.__qualname__ = py_func.__qualname__
        self.__doc__ = py_func.__doc__
        self.__module__ = py_func.__module__
        self.__wrapped__ = py_func
        self.targetoptions = dict(options)
        self._flags = flags
        self._pysig = inspect.signature(py_func)
        self._fixed = self._find_fixed_parameters()
        self._plain = self._fixed is not None
        self._binding_plans = {}  # (positional count, *keyword names) -> parameter getters
        self._overloads: dict = {}
        self._init_conversions()
        self._published: set = set()  # native names of the specialisations in the table
        self._compiling: dict = {}
        #: (argument types, declared return type) -> the TypingError compiling them raised:
        #: re-raised, not recompiled (as in Numba, even if what failed, e.g. a global, changed)
        self._failed: dict = {}
        self._compiler = pytypes.SimpleNamespace(_failed_cache=self._failed)  # Numba's name
        self._cache = FunctionCache(py_func, options) if options.get("cache") else None
        self._locked = False
        signatures = [s for s in signatures if not self._lazy_in_object_mode(s)]
        self._explicit = bool(signatures)  # (defaults then have the types the signatures give)
        for sig in signatures:
            self.compile(sig)
        self._locked = bool(signatures)  # explicit signatures disable compiling others

    def _lazy_in_object_mode(self, sig) -> bool:
        """Numba's object mode accepts the empty signature for a function taking arguments
        (it compiles for the argument types of each call): that signature means no eager
        signature at all (forceobj.py's kernel is then made at the first call)."""
        if not self.targetoptions.get("forceobj"):
            return False
        params = self._fixed_parameters()
        return bool(params) and _parse_sig(sig)[0] == ()

    # -- compilation -----------------------------------------------------------------------------
    def compile(self, sig):
        """Compile for a signature (string, Signature or tuple of argument types; without a
        return type it is inferred). Not allowed once explicit signatures locked the dispatcher."""
        argtypes, return_type = _parse_sig(sig)
        return self._compile_explicit(argtypes, return_type)

    def _compile(self, argtypes, return_type=None, lazy: bool = False):
        """`compile`; `lazy`: for a caller in compiled code, so the Python-facing wrappers
        wait for a first call from Python (most callees never get one)."""
        self._check_signature_arity(argtypes)
        with compile_lock:
            existing = self._overloads.get(argtypes)
            if existing is not None:
                return existing
            if self._locked:
                raise self._compilation_disabled(argtypes)
            return self._install(argtypes, self._compile_new(argtypes, return_type, lazy))

    def _install(self, argtypes, result):
        """Make `result` the specialisation for `argtypes` (lock held): callers waiting on its
        slot, the overload table and the native dispatch table; tier 0 is watched."""
        _release_with(result)
        _fill_slot(result.native_name, result)
        prior, self._overloads[argtypes] = self._overloads.get(argtypes), result
        if prior is None:
            self._forget_conversions()
        self._publish(result)
        self._watch(argtypes, result, prior)
        return result

    def _compile_new(self, argtypes, return_type, lazy: bool = False):
        """Compile a specialisation (lock held), or re-raise how compiling it failed before;
        with cache=True, load it from the cache if there, else store it there."""
        key = (argtypes, return_type)
        failed = self._failed.get(key)
        if failed is not None:
            raise _detached(failed)
        cache = self._cache
        fingerprint = cache.fingerprint() if cache is not None else None
        loaded = cache.load(argtypes, return_type, fingerprint) if fingerprint else None
        if loaded is not None:
            return loaded
        name = unique_native_name(self.py_func)
        name = cache.native_name(name) if fingerprint else name
        result = self._compile_named(name, argtypes, return_type, fingerprint is not None, lazy)
        if cache is not None:
            cache.save(argtypes, return_type, fingerprint, result)
        return result

    def disable_compile(self, val: bool = True) -> None:
        """Stop (False: resume) compiling at call time; calls then run the compiled
        specialisation their arguments convert to best (Numba's `disable_compile`)."""
        self._locked = val

    def recompile(self) -> None:
        """Compile every specialisation again, freezing globals afresh (Numba's `recompile`);
        with cache=True the new code is what the cache holds from now on."""
        with compile_lock:
            compiled = list(self._overloads.items())
            self._failed.clear()
            for argtypes, old in compiled:
                declared = old.signature.return_type if self._locked else None
                self._install(argtypes, self._compile_new(argtypes, declared,
                                                          lazy=not old.python.built))

    def _compile_named(self, name, argtypes, return_type, keep_object: bool, lazy: bool):
        key = (argtypes, return_type)
        self._compiling[argtypes] = (name, return_type)
        try:
            return compile_function(self.py_func, argtypes, return_type, name, self._flags,
                                    dispatcher=self, locals=self.targetoptions.get("locals"),
                                    keep_object=keep_object, lazy_wrappers=lazy,
                                    tier0=self._tier0_allowed(keep_object))
        except TypingError as exc:
            if getattr(exc, "remember", True):  # not a limit of where it was compiled from
                self._failed[key] = _detached(exc)
            raise
        finally:
            del self._compiling[argtypes]

    def _fixed_parameters(self) -> tuple | None:
        """The parameters, when every call passes exactly one value per parameter (None with
        *args, **kwargs or keyword-only parameters)."""
        return self._fixed

    def _find_fixed_parameters(self) -> tuple | None:
        params = tuple(self._pysig.parameters.values())
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.KEYWORD_ONLY) for p in params):
            return None
        return params

    def _check_signature_arity(self, argtypes) -> None:
        """A signature must give one type per parameter (defaults are not filled in)."""
        params = self._fixed_parameters()
        if params is not None and len(argtypes) != len(params):
            # the message is Numba's; the note names the function
            error = SignatureMismatch(f"Signature mismatch: {len(argtypes)} argument types "
                                      f"given, but function takes {len(params)} arguments")
            names = ", ".join(p.name for p in params)
            error.add_note(f"{self.__qualname__}({names}) takes {len(params)} arguments but "
                           f"{len(argtypes)} were given")
            raise error

    def _compilation_disabled(self, argtypes) -> RuntimeError:
        # the message is Numba's; the note (shown in tracebacks) says why
        error = RuntimeError("compilation disabled")
        error.add_note(f"{self.__qualname__}() was given explicit signatures, so it cannot be "
                       f"compiled for ({', '.join(map(str, argtypes))})")
        return error

    def _publish(self, result) -> None:
        """Rebuild the native dispatch table from the specialisations whose wrappers are built
        (lock held); `result` (just installed, or given its wrappers) is one of them or not."""
        built = [r for r in self._overloads.values() if r.python.built]
        _release_with(result)
        self._published = {r.native_name for r in built}
        if self._fixed_parameters() is None:
            return  # *args or keyword-only parameters: only Python's binding maps a call
        if self not in _entry_tables and not result.python.built:
            return  # nothing to publish yet: no specialisation has been called from Python
        note_ndarray_type(ensure_runtime().ndarray_type_slot, sys.modules.get("numpy"))
        kept = _entry_tables.setdefault(self, [])
        converters = self._converter_entries()
        write_table(self, kept, [r.python.checked for r in built if r.python.checked] +
                    [address for address, _ in converters], self._native_binding)
        # the code the table points at lives as long as the table, whatever the attributes
        kept.append([(r.library, r.python.library) for r in built] +
                    [library for _, library in converters])

    def _entry(self, result):
        """`result`'s Python entry point. Its wrappers are built on its first call from
        Python (a specialisation only compiled code calls never needs them), then published
        in the native table so that later calls skip this path."""
        if result.native_name not in self._published:
            with compile_lock:
                result.python.ready()
                if self._overloads.get(result.signature.args) is result:
                    self._publish(result)
        return result.entry_point

    def _native_binding(self) -> tuple:
        """(names, fills, required) for the native dispatcher's binding of calls with keywords
        or omitted defaults (runtime/helpers.py): a positional-only parameter has no name, an
        omitted one is filled with its Defaulted marker (the default itself under explicit
        signatures, which name its type), one without a default with `required`."""
        required = object()
        names, fills = [], []
        for param in self._fixed:
            names.append(None if param.kind == param.POSITIONAL_ONLY else param.name)
            default = param.default
            fills.append(required if default is param.empty else
                         default if self._explicit else Defaulted(default))
        return tuple(names), tuple(fills), required

    # -- calls from Python (slow path) --------------------------------------------------------------
    def _fallback(self, *args, **kws):
        ensure_builtins()
        args = self._bind(args, kws)
        argtypes, result = self._quick_call(args)
        if result is None:
            with recursion_headroom():  # typeof, hashing and converting nested tuples recurse
                try:
                    argtypes = tuple(self._typeof_arg(i, a) for i, a in enumerate(args))
                    result = self._resolve_values(args, argtypes)
                except CompilerError as exc:
                    raise exc.with_traceback(None) from exc.__cause__
                converted = tuple(convert(a, t) for a, t in zip(args, result.signature.args))
        else:
            converted = tuple(convert(a, t) for a, t in zip(args, result.signature.args))
        entry = self._entry(result)
        if self._locked and result.signature.args != argtypes:
            self._note_conversion(argtypes, result)
        return entry(*converted)

    def _quick_call(self, args) -> tuple:
        """(argument types, specialisation) for scalar arguments typed by their class alone
        (NumPy scalars, calls with keywords or defaults), found without the full typing path;
        else (None, None)."""
        argtypes = []
        for value in args:
            ty = value.type if type(value) is Defaulted else scalar_typeof(value)
            if ty is None:
                return None, None
            argtypes.append(ty)
        argtypes = tuple(argtypes)
        found = self._overloads.get(argtypes)
        if found is None and self._locked:  # (a conversion the full path chose before)
            found = self._overloads.get(self._conversions.get(argtypes))
        return argtypes, found

    def _bind(self, args, kws) -> tuple:
        """One value per parameter (`*args`: the tuple of the extra positional values)."""
        if not kws and self._plain and len(args) == len(self._pysig.parameters):
            return args
        plan = self._binding_plans.get((len(args), *kws))
        if plan is None:
            plan = self._binding_plans[(len(args), *kws)] = self._plan_binding(args, kws)
        values = tuple(source(args, kws) for source in plan)
        if self._locked:  # explicit signatures name the defaults' types: pass their values
            values = tuple(v.value if type(v) is Defaulted else v for v in values)
        return values

    def _plan_binding(self, args, kws) -> tuple:
        """How a call of this shape (count of positional values, keyword names) maps onto the
        parameters, found once with inspect's binding: a getter per parameter."""
        try:
            return plan_binding(self._pysig, len(args), kws)
        except TypeError as exc:
            raise TypeError(f"{self.__qualname__}(): {exc}") from None

    def _typeof_arg(self, index: int, value):
        if type(value) is Defaulted:
            return value.type
        name = list(self._pysig.parameters)[index] if index < len(self._pysig.parameters) else index
        try:
            ty = typeof(value)
        except RecursionError:  # within recursion_headroom: a value nested beyond any limit
            raise TypingError(f"argument {name!r} of {self.__qualname__}(): value nested too "
                              "deeply to compile") from None
        if ty is None and type(value) is int:
            if self._locked:  # float/complex parameters take it as float()/complex() do
                return types.float64  # (an integer parameter's unboxing refuses it)
            raise OverflowError(f"argument {name!r} of {self.__qualname__}(): integer {value} "
                                "does not fit in int64 or uint64")
        if ty is None:
            raise unsupported_argument(self.__qualname__, index, name, value)
        return ty

    def _resolve(self, argtypes: tuple, lazy: bool = False):
        """The specialisation to call for `argtypes`, compiling one if allowed (`lazy`: for a
        compiled caller, see `_compile`)."""
        exact = self._overloads.get(argtypes)
        if exact is not None:
            return exact
        if not self._locked:  # its own specialisation, as in Numba: a float32 argument must
            return self._compile(argtypes, lazy=lazy)  # not run (and return) as a float64 one
        best = self._converted(argtypes)
        if best is not None:
            return best
        raise no_matching_signature(self.__qualname__, argtypes, list(self._overloads.values()))

    # -- calls from compiled code --------------------------------------------------------------------
    def type_call(self, args, kws):
        """Signature of calling this function from compiled code with these argument types
        (keywords and defaults folded into parameter order, see typing/binder.py)."""
        args, order = self._fold_call(args, kws)
        sig = self._resolve_types(args, tuple(types.unliteral(a) for a in args), order)
        return sig if order is None else sig.replace(order=order)

    def _recursive_return_type(self, argtypes):
        """A call to the specialisation being typed: the return type inferred so far (typing
        repeats until it no longer changes), or retry once a return path is typed."""
        inferred = inferred_return_type(self, argtypes)
        if inferred is None:
            raise RecursionPending(
                f"cannot type infer runaway recursion: every return path of "
                f"{self.__qualname__}() calls it again; give it an explicit signature, e.g. "
                "@njit('int64(int64)'), or a return path without the recursive call",
                (self, argtypes))
        return inferred

    def _fold_call(self, args, kws):
        """(argument types, order or None) of a call from compiled code."""
        if self._fixed_parameters() is not None and not needs_folding(self._pysig, args, kws):
            self._check_call_arity(len(args))
            return args, None
        return fold_arguments(self._pysig, args, kws, self.__qualname__)

    def _check_call_arity(self, given: int) -> None:
        """No more values than parameters (fewer are folded with their defaults); raised
        without a location so the caller's typing locates it at the call."""
        params = self._fixed_parameters()
        if params is not None and given != len(params):
            names = ", ".join(p.name for p in params)
            raise TypingError(f"{self.__qualname__}({names}) takes {len(params)} "
                              f"argument{'s' if len(params) != 1 else ''} but "
                              f"{given} {'was' if given == 1 else 'were'} given")

    def pending_slot(self, argtypes) -> str:
        """The symbol of a slot that will hold the address of the specialisation now compiling
        for `argtypes` (for callers that finish compiling before it does)."""
        return _slot_symbol(self._compiling[tuple(argtypes)][0])

    def native_callee(self, argtypes):
        """(native symbol, library or None while it is being compiled) for these argument types."""
        pending = self._compiling.get(tuple(argtypes))
        if pending is not None:
            return pending[0], None
        result = self._for_caller(tuple(argtypes), self._overloads[tuple(argtypes)])
        return result.native_name, result.library

    @property
    def _numba_type_(self):
        return types.Dispatcher(self)

    # -- introspection -----------------------------------------------------------------------------
    @property
    def overloads(self):
        """Argument types -> CompileResult, read-only (compiled callers link what it holds)."""
        return pytypes.MappingProxyType(self._overloads)

    @property
    def stats(self) -> CacheStats:
        """Numba's `stats`: the cache folder and per argument types its hits and misses."""
        return self._cache.stats if self._cache is not None else CacheStats(None)

    @property
    def _cache_hits(self):
        """Numba's counters (private there, read by its users' tests): loads per signature."""
        return self.stats.cache_hits

    @property
    def _cache_misses(self):
        return self.stats.cache_misses

    @property
    def signatures(self) -> list:
        return list(self.overloads)

    @property
    def nopython_signatures(self) -> list:
        return [r.signature for r in self.overloads.values()]

    def _argtypes_of(self, signature) -> tuple:
        """The argument types a signature given to an introspection method names."""
        return _parse_sig(signature)[0]

    def __repr__(self):
        return f"CPUDispatcher({self.py_func!r})"

    def __reduce__(self):
        """By reference when an importable module names the dispatcher (the decorator form:
        `module.f` is this dispatcher); else its explicit signatures and options with the
        function: by reference if pickle can name it, else by value (pickling.py: code,
        source, globals, closure), as for closures, nested, lambda and `__main__` functions.
        Compiled code is not shipped."""
        if by_reference(self):
            return self.__qualname__  # pickle stores module + qualname, as for a function
        explicit = [r.signature for r in self.overloads.values()] if self._locked else []
        if by_reference(self.py_func):
            return (_rebuild, (self.py_func, explicit, self.targetoptions))
        return reduce_by_value(self, self.py_func, _ByValue, (explicit, self.targetoptions))

    def __copy__(self):
        return self  # as for functions: a dispatcher is shared, never copied

    def __deepcopy__(self, memo):
        return self

    def __get__(self, obj, objtype=None):
        return self if obj is None else _BoundDispatcher(self, obj)


class _BoundDispatcher:
    """A dispatcher used as a method: prepends the instance."""

    def __init__(self, dispatcher, obj):
        self.dispatcher, self.obj = dispatcher, obj

    def __call__(self, *args, **kws):
        return self.dispatcher(self.obj, *args, **kws)


#: native name -> ctypes slot holding that function's address once compiled. Slots live as
#: long as the process: compiled callers read them.
_slots: dict = {}


def _slot_symbol(native_name: str) -> str:
    symbol = f"{native_name}.slot"
    if native_name not in _slots:
        _slots[native_name] = ctypes.c_void_p(None)
        # callers compiled before the callee finished read its address from the slot: only
        # this process fills it (another one names its specialisations differently)
        add_symbol(symbol, ctypes.addressof(_slots[native_name]), ProcessLocal(
            "pending slot", f"the slot of {native_name} (a call in mutual recursion)"))
    return symbol


def _release_with(result) -> None:
    """Let the code of `result` be freed when nothing holds it any more: this dispatcher,
    its CompileResult or entry point, a library calling it (codegen.release_with_owner)."""
    for library in (result.library, result.python.library):
        if library is not None:
            get_codegen().release_with_owner(library)


def _fill_slot(native_name: str, result) -> None:
    slot = _slots.get(native_name)
    if slot is not None:
        slot.value = result.library.get_pointer_to_function(native_name)


def _rebuild(py_func, signatures, options):
    return make_dispatcher(py_func, signatures, **options)


class _ByValue:
    """How pickling.py rebuilds a dispatcher shipped by value."""

    @staticmethod
    def make(py_func, signatures, options):
        # explicit signatures compile in finish(), once the globals have arrived
        return make_dispatcher(py_func, (), **options)

    @staticmethod
    def finish(dispatcher, signatures, options):
        for sig in signatures:
            dispatcher.compile(sig)
        dispatcher._locked = dispatcher._locked or bool(signatures)

    @staticmethod
    def same(candidate, code, signatures, options) -> bool:
        """Whether `candidate` (the receiver's own `__main__` function) can stand in."""
        return (isinstance(candidate, DispatcherMixin) and candidate.py_func.__code__ == code
                and candidate.targetoptions == options
                and (list(candidate.overloads) if candidate._locked else []) == [
                    s.args for s in signatures])


def _detached(error: Exception) -> Exception:
    """A copy of a compile error without traceback or context: one a dispatcher keeps must
    not keep the frames it passed through alive (with the caller's arguments in them)."""
    fresh = copy.copy(error)
    fresh.__dict__.update(error.__dict__)  # notes and the like
    fresh.__cause__, fresh.__context__ = error.__cause__, None
    fresh.__suppress_context__ = True
    return fresh.with_traceback(None)


def parse_signature_spec(sig):
    """(argument types tuple, return type or None) from the accepted signature forms: a
    Signature, a tuple or list of argument types, or a string of either (see
    `normalize_signature`); a return type of None is inferred when compiling."""
    return normalize_signature(sig, _type_namespace())


_parse_sig = parse_signature_spec


def _type_namespace() -> dict:
    """The names a signature string may use: the public types namespace."""
    return {name: value for name, value in vars(types).items() if not name.startswith("_")}


#: lists each new dispatcher is appended to (see `recording_dispatchers`)
_recorders: list = []


@contextmanager
def recording_dispatchers():
    """Yield a list that receives (and keeps alive) every dispatcher created in the block:
    `python -m jitbridge annotate` lists what a script compiled, even functions the script
    no longer references when it ends."""
    found: list = []
    _recorders.append(found)
    try:
        yield found
    finally:
        _recorders.remove(found)


#: dispatcher -> the native dispatch tables it has published (see `_publish`)
_entry_tables: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_native_classes: dict = {}


def native_call_class(name: str, mixin: type) -> type:
    """A class combining `mixin` with the native dispatcher base (its `tp_call` tries the
    published table, else calls `self._fallback` and drops that frame from any traceback).
    Created once per mixin, under the lock, so concurrent first uses share one class."""
    with compile_lock:
        cls = _native_classes.get(mixin)
        if cls is None:
            bases = (mixin, ensure_runtime().dispatcher_base)
            cls = _native_classes[mixin] = type(name, bases, {"__module__": mixin.__module__})
        return cls


def _get_dispatcher_class():
    return native_call_class("CPUDispatcher", DispatcherMixin)


Dispatcher = DispatcherMixin

def make_dispatcher(py_func, signatures=(), **options):
    """Create the dispatcher for `py_func`, compiling `signatures` eagerly."""
    check_options(options)
    warn_unimplemented(options)
    flags = Flags(fastmath=bool(options.get("fastmath")), boundscheck=boundscheck_option(options),
                  error_model=options.get("error_model", "python"),
                  nogil=bool(options.get("nogil")), parallel=bool(options.get("parallel")),
                  nrt=options.get("_nrt") is not False)
    dispatcher = _get_dispatcher_class()()
    dispatcher._init(py_func, signatures, flags, options)
    return dispatcher


typing_context.provide_dispatchers(make_dispatcher)
