"""Native code generation: target machine, optimisation, module linking and the MCJIT engine.

Input: llvmlite.ir modules produced by lowering. Output: function addresses in this process.
A CodeLibrary owns one module plus the libraries it calls into; `finalize()` links the small
ones in (as internal copies, so LLVM can inline across jitted functions), optimises, and loads
it. A large jitted callee is compiled once: callers declare its function and the JIT resolves
the call to its loaded code, so compile time stays linear in the number of functions.

A library also records what its code refers to that exists only in this process, or must be
re-created by another one (a cache loader, a worker): `ProcessLocal` records, made through the
lowering API (`BaseContext.embed_*`), found in the modules' `!jitbridge.process_locals` metadata,
and found by scanning the final module (symbols bound with `add_symbol`, unrecorded raw
addresses; the records and symbols live in process_locals.py). `cache_blockers()` lists those that cannot be re-created, linked libraries included.
"""
from __future__ import annotations

import re
import threading
import weakref
from contextlib import nullcontext

import llvmlite.binding as llvm
from llvmlite import ir
from llvmlite.binding import ffi

from . import config
from .errors import LoweringError
from .irchecks import (check_block, check_instructions, emission_mark,  # noqa: F401
                       emitted_since, verify_module)
from .process_locals import (PROCESS_LOCALS, ProcessLocal, _symbol_record,  # noqa: F401
                             add_symbol, forget_symbol, note_symbol, object_symbol,
                             recorded_in, symbol_recipe)

_lock = threading.RLock()
#: how many modules one pass builder optimises (see JITCodegen._new_pass_builder)
PASS_BUILDER_RUNS = 32
_RAW_ADDRESS = re.compile(r"inttoptr \(i64 (-?\d+) to")
#: constants below this are flags or sentinels, not addresses of anything
_LOWEST_ADDRESS = 4096
#: a loaded callee whose optimised code has more instructions is called, not linked
LINK_LIMIT = 120


class JITCodegen:
    """The process-wide JIT: one target machine (optimising and emitting all code), one pass
    pipeline, and one MCJIT engine per loaded library, so that its machine code can be freed
    with it (`release_with_owner`)."""

    def __init__(self):
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        self._target = llvm.Target.from_triple(llvm.get_process_triple())
        self._host = (llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten())
        self.target_machine = self._new_target_machine()
        # (making an engine opens the process's own symbols to `llvm.address_of_symbol`)
        llvm.create_mcjit_compiler(llvm.parse_assembly(""), self._new_target_machine()).close()
        self.triple = llvm.get_process_triple()
        self.data_layout = str(self.target_machine.target_data)
        #: exported symbol -> the loaded library defining it, while that library lives
        self._owners: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        #: id -> library whose code stays for the life of the process (`release_with_owner`)
        self._resident: dict = {}
        self._passes = None  # the pass builder of `optimize`
        self._passes_runs = 0  # how many runs it made

    def _new_target_machine(self):
        return self._target.create_target_machine(cpu=self._host[0], features=self._host[1],
                                                  opt=config.OPT_LEVEL, jit=True)

    def target_description(self) -> tuple:
        """What object code compiled here assumes of the machine it runs on."""
        return (self.triple, *self._host, config.OPT_LEVEL, llvm.llvm_version_info)

    def optimize(self, module: llvm.ModuleRef) -> None:
        """Run the standard O-level pipeline on `module`."""
        with _lock:
            if self._passes is None or self._passes_runs >= PASS_BUILDER_RUNS:
                self._passes, self._passes_runs = self._new_pass_builder(), 0
            self._passes_runs += 1
            run_passes(self._passes.getModulePassManager(), module, self._passes)

    def _new_pass_builder(self):
        """A pass builder for PASS_BUILDER_RUNS runs. Each run registers instrumentation
        callbacks in its builder that stay there (llvmlite's), so a builder kept for every
        run makes each run slower than the last (quadratic compile time: 30 ms -> 70 ms a
        function after 1000), while each new builder leaks its callbacks' table."""
        pto = llvm.create_pipeline_tuning_options(speed_level=config.OPT_LEVEL)
        pto.loop_vectorization = config.OPT_LEVEL >= 2
        pto.slp_vectorization = config.OPT_LEVEL >= 2
        return llvm.create_pass_builder(self.target_machine, pto)

    def load_module(self, library: "CodeLibrary", module: llvm.ModuleRef) -> bytes:
        """Emit `module` and load it as `library`'s code; return its object code."""
        with _lock:
            data = self.target_machine.emit_object(module)
        self.load_object_code(library, data, module)
        return data

    def load_object_code(self, library: "CodeLibrary", data: bytes,
                         module: llvm.ModuleRef | None) -> None:
        """Load object code made from `module` (here, by a tier-0 pipeline or by another
        process) as `library`'s code, in an engine of its own. The engine's target machine
        never emits code (one that has keeps ~800 KiB of code-generation state)."""
        with _lock:
            backing = llvm.parse_assembly("", llvm.create_context())
            # (an engine owns the target machine it is given, so each needs its own; one that
            # never emits code needs no CPU features, which cost 7x to set up)
            engine = llvm.create_mcjit_compiler(backing, self._target.create_target_machine(
                opt=0, jit=True))
            engine.remove_module(backing)  # (nothing of it to emit)
            if module is not None:
                self._bind_imports(library, engine, module)
            engine.add_object_file(llvm.ObjectFileRef.from_data(data))
            engine.finalize_object()
            self._loaded(library, engine)

    def _bind_imports(self, library: "CodeLibrary", engine, module: llvm.ModuleRef) -> None:
        """Resolve the symbols `module` declares that other loaded libraries define (an
        engine sees only its own code and the process's symbols): the library keeps those
        libraries alive."""
        names = library.undefined_symbols or [
            value.name for value in (*module.functions, *module.global_variables)
            if value.is_declaration]
        for name in names:
            owner = self._owners.get(name)
            value = _declared(module, name) if owner not in (None, library) else None
            if value is not None:
                engine.add_global_mapping(value, owner.addresses[name])
                library.uses[id(owner)] = owner

    def _loaded(self, library: "CodeLibrary", engine) -> None:
        library.engine = engine
        library.addresses = {name: engine.get_global_value_address(name)
                             for name in library.exports}
        for name in library.exports:
            self._owners.setdefault(name, library)  # (the first definition wins, as in MCJIT)
        self._resident[id(library)] = library

    def release_with_owner(self, library: "CodeLibrary") -> bool:
        """Let `library`'s code be freed with the library, once its owner (a dispatcher) and
        every library calling into it are gone; unless addresses into it may outlive them:
        kept by values its code makes (destructors, generators, str/bytes literals, frozen
        arrays), handed out since (`get_pointer_to_function`), or code kept for a cache.
        Whether it will be freed. (Tier-0 code too: every way into it holds the library,
        so a call still running in it after its promotion keeps it: runtime/tiering.py.)"""
        if library.escapes or library.pinned or \
                library.object_code is not None or library.engine is None:
            return False
        library.released = True
        self._resident.pop(id(library), None)
        return True

    def loaded_any(self) -> bool:
        return bool(self._owners)

    def may_free(self, name: str) -> bool:
        """Whether the code of symbol `name` may be freed (not the process's, nor a
        resident library's)."""
        owner = self._owners.get(name)
        if owner is not None:
            return id(owner) not in self._resident
        return llvm.address_of_symbol(name) is None

    def resolves(self, name: str) -> bool:
        """Whether code loaded now could call or read the symbol `name`."""
        return name in self._owners or bool(llvm.address_of_symbol(name))

    def get_function_address(self, name: str) -> int:
        owner = self._owners.get(name)
        return owner.addresses[name] if owner is not None else 0

    get_global_address = get_function_address

    def create_library(self, name: str) -> "CodeLibrary":
        return CodeLibrary(self, name)


class CodeLibrary:
    """One unit of compiled code: an IR module, the libraries it links, its exported symbols."""

    def __init__(self, codegen: JITCodegen, name: str):
        self.codegen = codegen
        self.name = name
        self._ir_modules: list = []
        self._linking: list = []
        self._called: list = []  # loaded libraries called where they are (`add_callee`)
        self._linked_in: list = []  # the libraries whose copies the final module holds
        self._costs: dict | None = None  # defined function -> its instructions
        #: the loaded libraries the final code calls, transitively (none if self-contained)
        self.calls_into: list = []
        self.loaded = False
        self.exports: set = set()
        #: Python objects the compiled code points at (large global arrays): they live as
        #: long as the library
        self.keepalive: list = []
        self._locals: dict = {}  # ProcessLocal -> None: an ordered set
        self._scanned: dict = {}  # the same, for the final module's undefined symbols
        self._bitcode: bytes | None = None
        #: the finished object code, when kept (`keep_object_code`) or loaded from a cache
        self.object_code: bytes | None = None
        self.keep_object_code = False
        #: symbols the code refers to but does not define (bound once finalized)
        self.undefined_symbols: list = []
        self.finalized = False
        #: tier 0 (runtime/tiering.py): its cheap pipeline and heat counter (None: full level)
        self.quick = self.heat = None
        #: what its module is optimised in: a context manager's factory (LLVM options)
        self.pass_options = nullcontext
        #: the engine holding its machine code, and the addresses of its exports there
        self.engine = None
        self.addresses: dict = {}
        #: id -> loaded library whose symbols its code was bound to (kept alive by it)
        self.uses: dict = {}
        #: whether values its code makes may point into its code or constant data
        self.escapes = False
        self._constants: set = set()  # the initialisers of its str/bytes/array constants
        #: released: freed with its owner; pinned: an address was handed out since
        self.released = self.pinned = False

    @classmethod
    def from_object_code(cls, codegen: JITCodegen, name: str, object_code: bytes,
                         bitcode: bytes, exports) -> "CodeLibrary":
        """A finalized library loaded from object code (a cache); `bitcode`: its optimised
        module, linked into callers compiled later."""
        library = cls(codegen, name)
        library.exports.update(exports)
        library._bitcode, library.object_code = bitcode, object_code
        # (its declarations say which loaded libraries it calls: none before the first one)
        module = _parse_bitcode(bitcode) if codegen.loaded_any() else None
        codegen.load_object_code(library, object_code, module)
        library.finalized = library.loaded = True
        return library

    def add_ir_module(self, module) -> None:
        """Add an llvmlite.ir.Module to this library (before finalize)."""
        assert not self.finalized, "library already finalized"
        self._ir_modules.append(module)
        for local in recorded_in(module):
            self._locals[local] = None

    # -- what the code depends on in this process ------------------------------------------------
    def record_process_local(self, kind: str, description: str, recipe: str = "",
                             address: int = 0) -> None:
        """Record that this library's code embeds something of this process (see ProcessLocal)."""
        self._locals[ProcessLocal(kind, description, recipe, address)] = None

    def process_locals(self) -> list:
        """Every record of this library and of the libraries it links, without repeats
        (complete once finalized: the final module is scanned then)."""
        return list({**self._recorded(), **self._scanned})

    def _recorded(self) -> dict:
        """The records made while building (lowering API, metadata, raw addresses), linked
        libraries' included. Their symbol records are not: the final module's declarations,
        scanned again, say which of those symbols its code still needs (a linked callee's
        call through a slot may now go straight to a function this module defines)."""
        found = dict(self._locals)
        for library in self._linked_in or self._linking:
            found.update(library._recorded())
        return found

    def cache_blockers(self) -> list:
        """Why this library's code could not be loaded by another process (empty: it can)."""
        return [local.reason() for local in self.process_locals() if not local.recreatable]

    def add_linking_library(self, library: "CodeLibrary") -> None:
        """Link a copy of `library`'s code in, so calls into it can be inlined."""
        if library is not self and library not in self._linking:
            self._linking.append(library)

    def linking_libraries(self) -> tuple:
        """The libraries whose code is linked into this one."""
        return tuple(self._linking)

    def add_callee(self, library: "CodeLibrary", symbol: str) -> None:
        """Make `symbol`, defined by the finalized `library`, callable from this one: a small
        callee is linked in (LLVM may inline it), a large loaded one is called where it is
        loaded, so its code is optimised and emitted once rather than in every caller."""
        if library.loaded and library.link_cost(symbol) > LINK_LIMIT:
            if library is not self and library not in self._called:
                self._called.append(library)
        else:
            self.add_linking_library(library)

    def link_cost(self, symbol: str) -> int:
        """Instructions a caller of `symbol` links in: all but the other exports (wrappers)."""
        if self._costs is None:
            self._costs = _instruction_counts(_parse_bitcode(self._bitcode))
        return sum(count for name, count in self._costs.items()
                   if name == symbol or name not in self.exports)

    def _called_closure(self) -> list:
        """The loaded libraries this code calls, directly or through the ones it links or
        calls (what a self-contained copy of it must link in)."""
        found = dict.fromkeys(self._called)
        for library in [*self._called, *self._linking]:
            found.update(dict.fromkeys(library.calls_into))
        return [library for library in found if library not in self._linking]

    def export(self, name: str) -> None:
        """Keep `name` externally visible after linking."""
        self.exports.add(name)

    def finalize(self, load: bool = True) -> None:
        """Link, internalise non-exports, optimise and load into the JIT (`load=False`: a
        library only ever linked into others, whose own machine code nothing would call)."""
        module = self._build_module()
        self._ir_modules.clear()  # llvmlite's IR objects: the bulk of a compile's garbage
        if config.DUMP_LLVM:
            print(module)
        with self.pass_options():  # (lowering/ordered_sums.py)
            (self.quick or self.codegen).optimize(module)
        self.escapes = self.escapes or _kept_constants(module, self._constants)
        self._bitcode = module.as_bitcode()
        if load:  # (tier 0: emitted by its pipeline, loaded as object code into the engine)
            if self.quick is None:
                code = self.codegen.load_module(self, module)
                self.object_code = code if self.keep_object_code else None
            else:
                self.codegen.load_object_code(self, self.quick.emit(module), module)
        self.finalized, self.loaded = True, load

    def _build_module(self) -> llvm.ModuleRef:
        texts = [_verified_text(module) for module in self._ir_modules]
        # one context per build, freed with its modules (the global one keeps every type
        # and constant parsed into it for the life of the process)
        context = llvm.create_context()
        main = _parse(texts[0], self._ir_modules[0].name, context)
        for text, extra in zip(texts[1:], self._ir_modules[1:]):
            main.link_in(_parse(text, extra.name, context))
        # code kept for a cache is self-contained: it links in what it would call
        closure = self._called_closure()
        self._linked_in = self._linking + (closure if self.keep_object_code else [])
        self.calls_into = [] if self.keep_object_code else closure
        for library in self._linked_in:
            main.link_in(library.clone_module(context))
        main = _bind_own_slots(main, self.name, context)
        for value in [*main.functions, *main.global_variables]:
            if value.is_declaration:
                self._note_symbol(value.name)
                self.undefined_symbols.append(value.name)
            elif value.name not in self.exports:
                value.linkage = "internal"
        self._note_raw_addresses(texts)
        self.escapes = any(_takes_addresses(text, self.codegen) for text in texts) or \
            any(library.escapes for library in self._linked_in)
        self._constants = {form for text in texts for found in _VALUE_CONSTANT.findall(text)
                           for form in _forms(*found)}
        main.triple = self.codegen.triple
        main.data_layout = self.codegen.data_layout
        main.verify()
        return main

    def _note_symbol(self, name: str) -> None:
        """Record what a symbol the code refers to stands for (nothing for CPython's, libc's,
        nor, in tier-0 code, the tiering machinery's: its records describe the code a cache
        would store, compiled at the full level without it)."""
        local = _symbol_record(name)
        if local is not None and not (local.tier0_only and self.quick is not None):
            self._scanned[local] = None

    def _note_raw_addresses(self, texts) -> None:
        """Addresses embedded as constants without going through the lowering API."""
        known = {local.address for local in {**self._locals, **self._scanned}}
        for text in texts:
            for match in _RAW_ADDRESS.finditer(text):
                address = int(match.group(1))
                if abs(address) >= _LOWEST_ADDRESS and address not in known:
                    known.add(address)
                    self.record_process_local("raw address", f"the address {address:#x} "
                                              "embedded without a record", address=address)

    def clone_module(self, context=None) -> llvm.ModuleRef:
        """A fresh copy of the optimised module, in `context` (default: the global one), for
        linking into callers."""
        return llvm.parse_bitcode(self._bitcode, context)

    def get_pointer_to_function(self, name: str) -> int:
        if self.released and not self.pinned:  # (whoever asks may outlive the owner)
            self.pinned = True
            self.codegen._resident[id(self)] = self
        address = self.addresses.get(name)
        return address if address is not None else self.codegen.get_function_address(name)

    def get_llvm_str(self) -> str:
        """The optimised LLVM IR of this library."""
        return str(_parse_bitcode(self._bitcode))

    def get_asm_str(self) -> str:
        """The native assembly of this library."""
        return self.codegen.target_machine.emit_assembly(_parse_bitcode(self._bitcode))


def _declared(module: llvm.ModuleRef, name: str):
    """The declaration of `name` in `module` (None if optimised away)."""
    for find in (module.get_function, module.get_global_variable):
        try:
            return find(name)
        except NameError:
            pass
    return None


def run_passes(manager, module: llvm.ModuleRef, builder) -> None:
    """Run a module pass manager on `module`, then free it: llvmlite's never frees its
    passes (~60 KiB per run of the default pipeline)."""
    try:
        manager.run(module, builder)
    finally:
        if _DISPOSE_PASSES is not None:
            _DISPOSE_PASSES(manager)
            manager.detach()


def _bind_own_slots(module: llvm.ModuleRef, name: str, context=None) -> llvm.ModuleRef:
    """Calls that went through the slot of a function still being compiled (mutual recursion:
    `dispatch._slot_symbol`) go straight to it once the module defines that function: each
    such slot becomes an internal constant holding the function's address, so the code no
    longer depends on a slot of this process (and can be cached, or inlined)."""
    defined = {f.name for f in module.functions if not f.is_declaration}
    slots = [g.name for g in module.global_variables
             if g.is_declaration and g.name.endswith(".slot") and g.name[:-5] in defined]
    if not slots:
        return module
    text = str(module)
    for slot in slots:
        # the slot's type: `ptr`, or the function's pointer type where LLVM keeps typed
        # pointers (llvmlite 0.44, LLVM 15)
        declared = re.compile(rf'^(@"?){re.escape(slot)}("?) = external .*global (.+?)'
                              r'(, align \d+)?$', re.M)
        text = declared.sub(lambda m: f"{m[1]}{slot}{m[2]} = internal constant {m[3]} "
                                      f"{m[1]}{slot[:-5]}{m[2]}{m[4] or ''}", text)
    return _parse(text, name, context)


#: constant globals whose address a value keeps (a str or bytes literal, a frozen array), as
#: `lib/strings` and `lib/arrays/constants.py` name them; C strings (`jb.str.<hash>`) are only
#: read by the calls they are passed to
_VALUE_CONSTANT = re.compile(r'^@"?jb\.(?:str(?:\.\d{1,6})?|bytes[.\d]*|const\.array[.\d]*)"? = '
                             r'[^\n]*?constant (\[(\d+) x i8\] c"[^"]*")', re.M)
_FUNCTION = re.compile(r'^(?:define|declare)\b[^@\n]*@("[^"]+"|[-\w.$]+)\(', re.M)
_REFERENCE = re.compile(r'@("[^"]+"|[-\w.$]+)(\(?)')
#: calls whose function-pointer arguments are used only while they run (a parallel region)
_BORROWING_CALL = re.compile(r'^[^\n]*call [^\n]*@"?jb_parallel_launch"?\([^\n]*$', re.M)


def _takes_addresses(text: str, codegen: JITCodegen) -> bool:
    """Whether code of this module text may put an address of code or constant data that
    could be freed into a value outliving the call: a value constant, or a function used
    other than by calling it (a destructor, a generator's step) that is defined here or by
    a library that may be freed. (Value constants are checked once optimised: most are
    dead by then, a parallel region's reduction operator for one.)"""
    functions = set(_FUNCTION.findall(text))
    for name, call in _REFERENCE.findall(_BORROWING_CALL.sub("", text)):
        if not call and name in functions and codegen.may_free(name.strip('"')):
            return True
    return False


def _forms(initialiser: str, size: str) -> tuple:
    """How LLVM may print a constant's initialiser (all zero bytes: as zeroinitializer)."""
    if re.fullmatch(r'\[\d+ x i8\] c"(\\00)*"', initialiser):
        return initialiser, f"[{size} x i8] zeroinitializer"
    return (initialiser,)


def _kept_constants(module: llvm.ModuleRef, constants: set) -> bool:
    """Whether the optimised `module` still holds one of the value constants (by its
    initialiser: the optimiser may merge it with an equal C string, under that name)."""
    if not constants:
        return False
    kept = [str(gv) for gv in module.global_variables if not gv.is_declaration]
    return any(constant in text for constant in constants for text in kept)


def _instruction_counts(module: llvm.ModuleRef) -> dict:
    """Defined function name -> its number of instructions."""
    return {fn.name: str(fn).count("\n  ") for fn in module.functions if not fn.is_declaration}


def _verified_text(module: ir.Module) -> str:
    """The text of an llvmlite module, verified first: llvmlite's builder accepts some
    ill-typed instructions that LLVM's parser would only reject with an anonymous error."""
    verify_module(module)
    return str(module)


def _parse_bitcode(bitcode: bytes, context=None) -> llvm.ModuleRef:
    """`bitcode` parsed into `context` (by default a new one, freed with the module)."""
    return llvm.parse_bitcode(bitcode, context or llvm.create_context())


def _parse(text: str, name: str, context=None) -> llvm.ModuleRef:
    try:
        return llvm.parse_assembly(text, context or llvm.create_context())
    except RuntimeError as exc:
        raise LoweringError(f"LLVM rejected the code generated for module {name!r}: "
                            f"{exc}") from exc


def abi_size(ir_type) -> int:
    """Size in bytes of an llvmlite.ir type on this machine."""
    return ir_type.get_abi_size(get_codegen().target_machine.target_data)


_DISPOSE_PASSES = getattr(ffi.lib, "LLVMPY_DisposeNewModulePassManger", None)
if _DISPOSE_PASSES is not None:
    _DISPOSE_PASSES.argtypes = [ffi.LLVMModulePassManagerRef]
_codegen: JITCodegen | None = None


def get_codegen() -> JITCodegen:
    """The process-wide JITCodegen (created on first use)."""
    global _codegen
    with _lock:
        if _codegen is None:
            _codegen = JITCodegen()
        return _codegen
