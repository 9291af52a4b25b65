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
addresses). `cache_blockers()` lists those that cannot be re-created, linked libraries included.
"""
from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass

import llvmlite.binding as llvm
from llvmlite import ir

from . import config
from .errors import LoweringError
from .utils import imported

_lock = threading.RLock()


@dataclass(frozen=True)
class ProcessLocal:
    """Something generated code refers to that lives in this process. `recipe` says how another
    process re-creates it (empty: it cannot); `address` is the raw address embedded, if any."""

    kind: str
    description: str
    recipe: str = ""
    address: int = 0

    @property
    def recreatable(self) -> bool:
        return bool(self.recipe)

    def reason(self) -> str:
        """Why code embedding this cannot be loaded in another process."""
        return f"{self.kind}: {self.description}, which exists only in this process"


#: Named metadata of an llvmlite module: one !{kind, description, recipe} node per record (the
#: calling convention writes it: it has no library at hand).
PROCESS_LOCALS = "jitbridge.process_locals"
#: symbol name -> the ProcessLocal it stands for (bound by `add_symbol` or `note_symbol`)
_SYMBOLS: dict = {}
#: symbol name -> whether the dynamic linker finds it (CPython, libc: in every process)
_IN_PROCESS: dict = {}
#: objects bound to `jb.pyobj:` symbols, to never rebind one name to another object
_BOUND_OBJECTS: dict = {}
_RAW_ADDRESS = re.compile(r"inttoptr \(i64 (-?\d+) to")
#: constants below this are flags or sentinels, not addresses of anything
_LOWEST_ADDRESS = 4096
#: a loaded callee whose optimised code has more instructions is called, not linked
LINK_LIMIT = 120


class JITCodegen:
    """The process-wide JIT: one target machine, one pass pipeline, one MCJIT engine."""

    def __init__(self):
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        target = llvm.Target.from_triple(llvm.get_process_triple())
        self.target_machine = target.create_target_machine(
            cpu=llvm.get_host_cpu_name(), features=llvm.get_host_cpu_features().flatten(),
            opt=config.OPT_LEVEL, jit=True)
        self.engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), self.target_machine)
        self.triple = llvm.get_process_triple()
        self.data_layout = str(self.target_machine.target_data)
        #: module name -> its object code, for the libraries that keep theirs (cache=True):
        #: MCJIT hands over what it emits anyway, so keeping it costs no second code generation
        self._objects: dict = {}
        self.engine.set_object_cache(self._notify_object, None)

    def _notify_object(self, module, data: bytes) -> None:
        if module.name in self._objects:
            self._objects[module.name] = data

    def target_description(self) -> tuple:
        """What object code compiled here assumes of the machine it runs on."""
        return (self.triple, llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten(),
                config.OPT_LEVEL, llvm.llvm_version_info)

    def optimize(self, module: llvm.ModuleRef) -> None:
        """Run the standard O-level pipeline on `module`."""
        pto = llvm.create_pipeline_tuning_options(speed_level=config.OPT_LEVEL)
        pto.loop_vectorization = config.OPT_LEVEL >= 2
        pto.slp_vectorization = config.OPT_LEVEL >= 2
        pb = llvm.create_pass_builder(self.target_machine, pto)
        pb.getModulePassManager().run(module, pb)

    def add_module(self, module: llvm.ModuleRef, keep_object: bool = False) -> bytes | None:
        """Load `module`; with `keep_object`, return the object code MCJIT made of it."""
        with _lock:
            if keep_object:
                self._objects[module.name] = None
            try:
                self.engine.add_module(module)
                self.engine.finalize_object()
                self.engine.run_static_constructors()
                # the machine code and its symbols stay with the engine; the IR module
                # MCJIT would otherwise keep for the life of the process is freed
                self.engine.remove_module(module)
            finally:
                data = self._objects.pop(module.name, None) if keep_object else None
        return data

    def add_object_code(self, data: bytes) -> None:
        """Load object code made by `add_module` in this or another process."""
        with _lock:
            self.engine.add_object_file(llvm.ObjectFileRef.from_data(data))
            self.engine.finalize_object()

    def resolves(self, name: str) -> bool:
        """Whether code loaded now could call or read the symbol `name`."""
        return bool(llvm.address_of_symbol(name) or self.engine.get_global_value_address(name)
                    or self.engine.get_function_address(name))

    def get_function_address(self, name: str) -> int:
        return self.engine.get_function_address(name)

    def get_global_address(self, name: str) -> int:
        return self.engine.get_global_value_address(name)

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

    @classmethod
    def from_object_code(cls, codegen: JITCodegen, name: str, object_code: bytes,
                         bitcode: bytes, exports) -> "CodeLibrary":
        """A finalized library loaded from object code (a cache); `bitcode`: its optimised
        module, linked into callers compiled later."""
        library = cls(codegen, name)
        library.exports.update(exports)
        library._bitcode, library.object_code = bitcode, object_code
        codegen.add_object_code(object_code)
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
            self._costs = _instruction_counts(llvm.parse_bitcode(self._bitcode))
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
        (self.quick or self.codegen).optimize(module)
        self._bitcode = module.as_bitcode()
        if load:  # (tier 0: emitted by its pipeline, loaded as object code into the engine)
            module.name = self.name  # (the object code MCJIT hands back is found by it)
            self.object_code = self.codegen.add_module(module, self.keep_object_code) \
                if self.quick is None else self.codegen.add_object_code(self.quick.emit(module))
        self.finalized, self.loaded = True, load

    def _build_module(self) -> llvm.ModuleRef:
        texts = [_verified_text(module) for module in self._ir_modules]
        main = _parse(texts[0], self._ir_modules[0].name)
        for text, extra in zip(texts[1:], self._ir_modules[1:]):
            main.link_in(_parse(text, extra.name))
        # code kept for a cache is self-contained: it links in what it would call
        closure = self._called_closure()
        self._linked_in = self._linking + (closure if self.keep_object_code else [])
        self.calls_into = [] if self.keep_object_code else closure
        for library in self._linked_in:
            main.link_in(library.clone_module())
        main = _bind_own_slots(main, self.name)
        for value in [*main.functions, *main.global_variables]:
            if value.is_declaration:
                self._note_symbol(value.name)
                self.undefined_symbols.append(value.name)
            elif value.name not in self.exports:
                value.linkage = "internal"
        self._note_raw_addresses(texts)
        main.triple = self.codegen.triple
        main.data_layout = self.codegen.data_layout
        main.verify()
        return main

    def _note_symbol(self, name: str) -> None:
        """Record what a symbol the code refers to stands for (nothing for CPython's, libc's)."""
        local = _symbol_record(name)
        if local is not None:
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

    def clone_module(self) -> llvm.ModuleRef:
        """A fresh copy of the optimised module (for linking into callers)."""
        return llvm.parse_bitcode(self._bitcode)

    def get_pointer_to_function(self, name: str) -> int:
        return self.codegen.get_function_address(name)

    def get_llvm_str(self) -> str:
        """The optimised LLVM IR of this library."""
        return str(llvm.parse_bitcode(self._bitcode))

    def get_asm_str(self) -> str:
        """The native assembly of this library."""
        return self.codegen.target_machine.emit_assembly(llvm.parse_bitcode(self._bitcode))


def _bind_own_slots(module: llvm.ModuleRef, name: str) -> llvm.ModuleRef:
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
    return _parse(text, name)


def _instruction_counts(module: llvm.ModuleRef) -> dict:
    """Defined function name -> its number of instructions."""
    return {fn.name: str(fn).count("\n  ") for fn in module.functions if not fn.is_declaration}


def _verified_text(module: ir.Module) -> str:
    """The text of an llvmlite module, verified first: llvmlite's builder accepts some
    ill-typed instructions that LLVM's parser would only reject with an anonymous error."""
    verify_module(module)
    return str(module)


def _parse(text: str, name: str) -> llvm.ModuleRef:
    try:
        return llvm.parse_assembly(text)
    except RuntimeError as exc:
        raise LoweringError(f"LLVM rejected the code generated for module {name!r}: "
                            f"{exc}") from exc


# -- process-local records -------------------------------------------------------------------

def recorded_in(module: ir.Module) -> list:
    """The ProcessLocal records in `module`'s PROCESS_LOCALS metadata."""
    node = module.namedmetadata.get(PROCESS_LOCALS)
    if node is None:
        return []
    return [ProcessLocal(*(op.string for op in md.operands)) for md in node.operands]


def _symbol_record(name: str) -> "ProcessLocal | None":
    local = _SYMBOLS.get(name)
    if local is not None or name.startswith("llvm."):
        return local
    if name not in _IN_PROCESS:
        _IN_PROCESS[name] = llvm.address_of_symbol(name) is not None
    if _IN_PROCESS[name]:
        return None
    return ProcessLocal("symbol", f"the symbol {name!r} of code compiled in this process")


def note_symbol(name: str, local: ProcessLocal) -> None:
    """Say what symbol `name` (defined or bound elsewhere) stands for, for the libraries whose
    code refers to it."""
    _SYMBOLS[name] = local


def object_symbol(obj) -> str | None:
    """A symbol bound to the address of `obj`, which lives as long as the process (a class, a
    module-level object): another process binds it again by importing `obj`. None when `obj`
    is not importable by its name (a local class) or a different object took that name."""
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or \
            imported(module, qualname) is not obj:
        return None
    name = f"jb.pyobj:{module}:{qualname}"
    with _lock:
        bound = _BOUND_OBJECTS.setdefault(name, obj)
        if bound is not obj:
            return None  # the name now means another object (a reloaded module)
        if name not in _SYMBOLS:
            add_symbol(name, id(obj), ProcessLocal(
                "object", f"{module}.{qualname}", f"import {module}:{qualname}"))
    return name


# -- structural verification of llvmlite IR ------------------------------------------------------

def verify_module(module: ir.Module) -> None:
    """Raise LoweringError naming the function, block and instruction of the first problem."""
    for func in module.functions:
        for block in func.blocks:
            problem = check_block(block)
            if problem is not None:
                raise LoweringError(f"invalid LLVM IR in function {func.name!r}, block "
                                    f"{block.name!r}: {problem}")


def check_block(block) -> str | None:
    """What is wrong with a finished block (its terminator and instructions), or None."""
    if not block.is_terminated:
        return "the block does not end in a terminator (ret/br/switch/unreachable)"
    return check_instructions(block.instructions)


def check_instructions(instructions) -> str | None:
    """The first ill-typed instruction of `instructions`, described, or None."""
    for instr in instructions:
        checker = _CHECKERS.get(type(instr)) or _OPCODE_CHECKERS.get(instr.opname)
        problem = checker(instr) if checker is not None else None
        if problem is not None:
            return f"`{str(instr).strip()}`: {problem}"
    return None


def emission_mark(builder):
    """Where `builder` is now: `emitted_since(mark)` lists what was emitted after this."""
    block = getattr(builder, "block", None)
    if block is None:
        return None
    return block, len(block.instructions), len(block.function.blocks)


def emitted_since(mark) -> list:
    """Instructions added after `mark` (in its block and in blocks appended since)."""
    if mark is None:
        return []
    block, count, nblocks = mark
    found = block.instructions[count:]
    for later in block.function.blocks[nblocks:]:
        found.extend(later.instructions)
    return found


def _is_int(ty) -> bool:
    return isinstance(ty, ir.IntType) or (isinstance(ty, ir.VectorType)
                                          and isinstance(ty.element, ir.IntType))


def _is_float(ty) -> bool:
    scalar = ty.element if isinstance(ty, ir.VectorType) else ty
    return isinstance(scalar, (ir.HalfType, ir.FloatType, ir.DoubleType))


def _same_operand_types(instr) -> str | None:
    lhs, rhs = instr.operands[0].type, instr.operands[1].type
    return None if lhs == rhs else f"operands of different types {lhs} and {rhs}"


def _check_int_op(instr) -> str | None:
    if not _is_int(instr.operands[0].type):
        return f"integer operation on {instr.operands[0].type}"
    return _same_operand_types(instr)


def _check_float_op(instr) -> str | None:
    if not _is_float(instr.operands[0].type):
        return f"floating-point operation on {instr.operands[0].type}"
    return _same_operand_types(instr)


def _check_icmp(instr) -> str | None:
    ty = instr.operands[0].type
    if not (_is_int(ty) or isinstance(ty, ir.PointerType)):
        return f"integer comparison of {ty}"
    return _same_operand_types(instr)


def _check_ret(instr) -> str | None:
    expected = instr.parent.function.function_type.return_type
    actual = instr.operands[0].type if instr.operands else ir.VoidType()
    return None if actual == expected else f"returns {actual} from a function returning {expected}"


def _check_cbranch(instr) -> str | None:
    ty = instr.operands[0].type
    return None if ty == ir.IntType(1) else f"branch condition of type {ty} (must be i1)"


def _check_phi(instr) -> str | None:
    for value, _block in instr.incomings:
        if value.type != instr.type:
            return f"incoming value of type {value.type} for a phi of type {instr.type}"
    return None


def _check_switch(instr) -> str | None:
    ty = instr.operands[0].type
    if not isinstance(ty, ir.IntType):
        return f"switch on a value of type {ty}"
    bad = [value.type for value, _block in instr.cases if value.type != ty]
    return f"case value of type {bad[0]} in a switch on {ty}" if bad else None


def _check_cast(instr) -> str | None:
    src, dst = instr.operands[0].type, instr.type
    rule = _CAST_RULES.get(instr.opname)
    if rule is None or rule(src, dst):
        return None
    return f"invalid {instr.opname} from {src} to {dst}"


def _int_bits(ty) -> int:
    return ty.width if isinstance(ty, ir.IntType) else -1


def _float_rank(ty) -> int:
    return {ir.HalfType: 16, ir.FloatType: 32, ir.DoubleType: 64}.get(type(ty), -1)


def _bitcast_ok(src, dst) -> bool:
    if isinstance(src, ir.PointerType) or isinstance(dst, ir.PointerType):
        return isinstance(src, ir.PointerType) and isinstance(dst, ir.PointerType)
    if isinstance(src, ir.Aggregate) or isinstance(dst, ir.Aggregate):
        return False
    return abi_size(src) == abi_size(dst)


_CAST_RULES = {
    "trunc": lambda s, d: 0 < _int_bits(d) < _int_bits(s),
    "zext": lambda s, d: 0 < _int_bits(s) < _int_bits(d),
    "sext": lambda s, d: 0 < _int_bits(s) < _int_bits(d),
    "fptrunc": lambda s, d: 0 < _float_rank(d) < _float_rank(s),
    "fpext": lambda s, d: 0 < _float_rank(s) < _float_rank(d),
    "fptosi": lambda s, d: _float_rank(s) > 0 and _int_bits(d) > 0,
    "fptoui": lambda s, d: _float_rank(s) > 0 and _int_bits(d) > 0,
    "sitofp": lambda s, d: _int_bits(s) > 0 and _float_rank(d) > 0,
    "uitofp": lambda s, d: _int_bits(s) > 0 and _float_rank(d) > 0,
    "ptrtoint": lambda s, d: isinstance(s, ir.PointerType) and _int_bits(d) > 0,
    "inttoptr": lambda s, d: _int_bits(s) > 0 and isinstance(d, ir.PointerType),
    "bitcast": _bitcast_ok,
}
_CHECKERS = {
    ir.Ret: _check_ret, ir.ConditionalBranch: _check_cbranch, ir.PhiInstr: _check_phi,
    ir.ICMPInstr: _check_icmp, ir.FCMPInstr: _check_float_op, ir.CastInstr: _check_cast,
    ir.SwitchInstr: _check_switch,
}
_OPCODE_CHECKERS = {
    **dict.fromkeys(("add", "sub", "mul", "sdiv", "udiv", "srem", "urem", "shl", "lshr",
                     "ashr", "and", "or", "xor"), _check_int_op),
    **dict.fromkeys(("fadd", "fsub", "fmul", "fdiv", "frem"), _check_float_op),
}


def abi_size(ir_type) -> int:
    """Size in bytes of an llvmlite.ir type on this machine."""
    return ir_type.get_abi_size(get_codegen().target_machine.target_data)


def add_symbol(name: str, address: int, local: ProcessLocal | None = None) -> None:
    """Make `name` resolve to `address` in JIT-compiled code (e.g. NumPy C-API functions);
    `local` says what it is and how another process binds it again (by default: the module
    that binds it does so again when imported)."""
    if local is None:
        module = sys._getframe(1).f_globals.get("__name__", "?")
        local = ProcessLocal("symbol", f"the symbol {name!r}", f"import {module}")
    note_symbol(name, local)
    llvm.add_symbol(name, address)


def symbol_recipe(name: str) -> str:
    """How another process binds `name` again ("" when nothing needs doing: CPython's, libc's,
    or when it cannot)."""
    local = _SYMBOLS.get(name)
    return local.recipe if local is not None else ""


_codegen: JITCodegen | None = None


def get_codegen() -> JITCodegen:
    """The process-wide JITCodegen (created on first use)."""
    global _codegen
    with _lock:
        if _codegen is None:
            _codegen = JITCodegen()
        return _codegen
