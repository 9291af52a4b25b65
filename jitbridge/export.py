"""cfuncs as a shared library with a C header, callable without Python:
`python -m jitbridge export module.py -o libname` writes `libname.so` and `libname.h`.

Each @cfunc of the module is compiled as for the JIT, then linked ahead of time into one
position-independent object with what its code needs of jitbridge's runtime (the NRT
allocator; the interrupt and stack guards as stand-ins that never fire, since no Python
signal handler runs in a C program), linked by the system C compiler into a shared library.
The exported symbol is the function's Python name. An error raised inside returns the
cfunc's `error_value` (0 without one): there is no interpreter to report it to. A cfunc whose
code needs the interpreter (objmode, Python objects) is refused, naming what it uses.
"""
from __future__ import annotations

import importlib.util
import inspect
import os
import re
import shutil
import subprocess
import sys
import tempfile

import llvmlite.binding as llvm
from llvmlite import ir

from . import types
from .cfunc import CFunc, define_c_function
from .codegen import get_codegen
from .core import cgutils
from .core.base import BaseContext
from .runtime import cycles, nrt
from .runtime.helpers import INTERRUPT_FLAG
from .compiler import typing_context

#: C spelling of the scalar types a cfunc signature may use
_C_NAMES = {"bool": "uint8_t", "float32": "float", "float64": "double", "none": "void",
            **{f"{s}int{b}": f"{s}int{b}_t" for s in ("", "u") for b in (8, 16, 32, 64)}}


class ExportError(Exception):
    """A cfunc that cannot live without the interpreter, or a build step that failed."""


def export(cfuncs, output: str) -> tuple:
    """Write `output`.so and `output`.h exporting `cfuncs`; returns their paths."""
    cfuncs = list(cfuncs)
    if not cfuncs:
        raise ExportError("no @cfunc to export")
    module = _linked_module(cfuncs)
    with tempfile.TemporaryDirectory() as folder:
        obj = os.path.join(folder, "export.o")
        with open(obj, "wb") as handle:
            handle.write(_pic_machine().emit_object(module))
        library = f"{output}.so"
        _link(obj, library)
    header = f"{output}.h"
    with open(header, "w") as handle:
        handle.write(c_header(cfuncs, os.path.basename(output)))
    return library, header


def _linked_module(cfuncs) -> llvm.ModuleRef:
    codegen = get_codegen()
    main = llvm.parse_assembly(str(_support_module(codegen)))
    called: dict = {}
    for cf in cfuncs:
        main.link_in(llvm.parse_assembly(str(_wrapper_module(cf, codegen))))
        main.link_in(cf._result.library.clone_module())
        called.update(dict.fromkeys(cf._result.library.calls_into))
    for library in called:  # jitted functions the bodies call where they are loaded
        main.link_in(library.clone_module())
    exported = {cf.__name__ for cf in cfuncs}
    for value in [*main.functions, *main.global_variables]:
        if not value.is_declaration and value.name not in exported:
            value.linkage = "internal"
    codegen.optimize(main)
    _refuse_interpreter_symbols(main, cfuncs)
    return main


def _wrapper_module(cf: CFunc, codegen) -> ir.Module:
    """`<name>(args)`: the body called in the status convention; an error gives error_value."""
    module = _new_module(cf.__name__, codegen)
    define_c_function(BaseContext(typing_context, None), module, cf, cf.__name__)
    return module


def _support_module(codegen) -> ir.Module:
    """The runtime the exported code may call: the NRT allocator, and guards that never fire
    (no SIGINT handler of jitbridge's runs in a C program; the stack limit is unknown)."""
    module = _new_module("jitbridge.export.runtime", codegen)
    nrt.define_runtime(module)
    cycles.define_runtime(module)
    flag = ir.GlobalVariable(module, ir.IntType(32), INTERRUPT_FLAG)
    flag.initializer = ir.Constant(ir.IntType(32), 0)
    for name, restype in (("jb_poll_interrupt", ir.IntType(32)),
                          ("jb_stack_limit", cgutils.voidptr_t)):
        func = ir.Function(module, ir.FunctionType(restype, []), name)
        ir.IRBuilder(func.append_basic_block("entry")).ret(ir.Constant(restype, None))
    return module


def _new_module(name: str, codegen) -> ir.Module:
    module = ir.Module(name)
    module.triple, module.data_layout = codegen.triple, codegen.data_layout
    return module


def _refuse_interpreter_symbols(module: llvm.ModuleRef, cfuncs) -> None:
    needs = sorted(value.name for value in [*module.functions, *module.global_variables]
                   if value.is_declaration and re.match(r"_?Py|jb_", value.name))
    if needs:
        names = ", ".join(cf.__name__ for cf in cfuncs)
        raise ExportError(f"cannot export {names} as a library callable without Python: the "
                          f"compiled code needs the interpreter ({', '.join(needs[:6])}"
                          f"{', ...' if len(needs) > 6 else ''}): objmode blocks, Python "
                          "objects and exceptions reported to Python cannot leave it")


def _pic_machine():
    """A target machine for position-independent code (a shared library) on this host."""
    target = llvm.Target.from_triple(llvm.get_process_triple())
    return target.create_target_machine(cpu=llvm.get_host_cpu_name(),
                                        features=llvm.get_host_cpu_features().flatten(),
                                        opt=3, reloc="pic", codemodel="default")


def _link(obj: str, library: str) -> None:
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or \
        shutil.which("clang")
    if compiler is None:
        raise ExportError("no C compiler to link the shared library with (set $CC, or "
                          "install cc, gcc or clang)")
    run = subprocess.run([compiler, "-shared", "-o", library, obj, "-lm"],
                         capture_output=True, text=True)
    if run.returncode:
        raise ExportError(f"linking {library} with {compiler} failed:\n{run.stderr}")


def c_header(cfuncs, name: str) -> str:
    """The C declarations of the exported functions, each with its docstring."""
    guard = re.sub(r"\W", "_", name).upper() + "_H"
    lines = [f"/* {name}: cfuncs exported by jitbridge (python -m jitbridge export) */",
             f"#ifndef {guard}", f"#define {guard}", "#include <stdint.h>", "",
             "#ifdef __cplusplus", 'extern "C" {', "#endif", ""]
    for cf in cfuncs:
        if cf.__doc__:
            lines.append("/* " + " ".join(cf.__doc__.split()).replace("*/", "* /") + " */")
        names = list(inspect.signature(cf.py_func).parameters)
        params = ", ".join(f"{_c_name(t, cf)} {n}" for t, n in zip(cf.signature.args, names))
        lines.append(f"{_c_name(cf.signature.return_type, cf)} {cf.__name__}"
                     f"({params or 'void'});")
        lines.append("")
    lines += ["#ifdef __cplusplus", "}", "#endif", f"#endif /* {guard} */", ""]
    return "\n".join(lines)


def _c_name(ty, cf) -> str:
    if isinstance(ty, types.CPointer):
        return _c_name(ty.dtype, cf) + "*"
    if ty == types.voidptr:
        return "void*"
    name = _C_NAMES.get(str(ty))
    if name is None:
        raise ExportError(f"cfunc {cf.__name__!r}: {ty} has no C type to declare it with")
    return name


def cfuncs_of(path: str) -> list:
    """Run the module at `path` and return its @cfunc objects, in definition order."""
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return [value for value in vars(module).values() if isinstance(value, CFunc)]


def main(argv) -> int:
    """`python -m jitbridge export module.py [-o libname]`."""
    if not argv or argv[0].startswith("-"):
        print("usage: python -m jitbridge export module.py [-o libname]", file=sys.stderr)
        return 2
    output = argv[argv.index("-o") + 1] if "-o" in argv else \
        "lib" + os.path.splitext(os.path.basename(argv[0]))[0]
    try:
        library, header = export(cfuncs_of(argv[0]), output)
    except ExportError as exc:
        print(f"jitbridge export: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {library} and {header}")
    return 0
