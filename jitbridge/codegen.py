"""Native code generation: target machine, optimisation, module linking and the MCJIT engine.

Input: llvmlite.ir modules produced by lowering. Output: function addresses in this process.
A CodeLibrary owns one module plus the libraries it calls into; `finalize()` links those in
(as internal copies, so LLVM can inline across jitted functions), optimises, and loads it.
"""
from __future__ import annotations

import threading

import llvmlite.binding as llvm

from . import config

_lock = threading.RLock()


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

    def optimize(self, module: llvm.ModuleRef) -> None:
        """Run the standard O-level pipeline on `module`."""
        pto = llvm.create_pipeline_tuning_options(speed_level=config.OPT_LEVEL)
        pto.loop_vectorization = config.OPT_LEVEL >= 2
        pto.slp_vectorization = config.OPT_LEVEL >= 2
        pb = llvm.create_pass_builder(self.target_machine, pto)
        pb.getModulePassManager().run(module, pb)

    def add_module(self, module: llvm.ModuleRef) -> None:
        with _lock:
            self.engine.add_module(module)
            self.engine.finalize_object()
            self.engine.run_static_constructors()

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
        self.exports: set = set()
        self._bitcode: bytes | None = None
        self.finalized = False

    def add_ir_module(self, module) -> None:
        """Add an llvmlite.ir.Module to this library (before finalize)."""
        assert not self.finalized, "library already finalized"
        self._ir_modules.append(module)

    def add_linking_library(self, library: "CodeLibrary") -> None:
        """Link a copy of `library`'s code in, so calls into it can be inlined."""
        if library is not self and library not in self._linking:
            self._linking.append(library)

    def export(self, name: str) -> None:
        """Keep `name` externally visible after linking."""
        self.exports.add(name)

    def finalize(self) -> None:
        """Link, internalise non-exports, optimise and load into the JIT."""
        module = self._build_module()
        if config.DUMP_LLVM:
            print(module)
        self.codegen.optimize(module)
        self._bitcode = module.as_bitcode()
        self.codegen.add_module(module)
        self.finalized = True

    def _build_module(self) -> llvm.ModuleRef:
        main = llvm.parse_assembly(str(self._ir_modules[0]))
        for extra in self._ir_modules[1:]:
            main.link_in(llvm.parse_assembly(str(extra)))
        for library in self._linking:
            main.link_in(library.clone_module())
        for func in main.functions:
            if not func.is_declaration and func.name not in self.exports:
                func.linkage = "internal"
        for gv in main.global_variables:
            if not gv.is_declaration and gv.name not in self.exports:
                gv.linkage = "internal"
        main.triple = self.codegen.triple
        main.data_layout = self.codegen.data_layout
        main.verify()
        return main

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


def abi_size(ir_type) -> int:
    """Size in bytes of an llvmlite.ir type on this machine."""
    return ir_type.get_abi_size(get_codegen().target_machine.target_data)


def add_symbol(name: str, address: int) -> None:
    """Make `name` resolve to `address` in JIT-compiled code (e.g. NumPy C-API functions)."""
    llvm.add_symbol(name, address)


_codegen: JITCodegen | None = None


def get_codegen() -> JITCodegen:
    """The process-wide JITCodegen (created on first use)."""
    global _codegen
    with _lock:
        if _codegen is None:
            _codegen = JITCodegen()
        return _codegen
