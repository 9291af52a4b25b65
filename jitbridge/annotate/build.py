"""Lower one compiled specialisation again, with source lines on its instructions, and read
back what each line became: the LLVM instructions lowering emitted for it, the machine code
the optimiser made of them, and the callees those instructions reach.

The code that runs is not touched: this builds a throwaway library (never loaded) from the
specialisation's typed IR, so annotating costs one extra compile and changes nothing."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from llvmlite import ir

from ..compiler import BaseContext, compile_lock, get_codegen, typing_context
from ..lowering.lower import lower_function

_ANNOTATED = "jb.annotated"
_DBG = re.compile(r", !dbg ![0-9]+")


@dataclass
class BuiltFunction:
    """What one source line of a specialisation became, line by line."""

    llvm: dict = field(default_factory=dict)  # line -> [LLVM instruction text]
    asm: dict = field(default_factory=dict)  # line -> [machine instruction text]
    calls: dict = field(default_factory=dict)  # line -> [names of the functions it calls]
    #: line -> [names it calls only on paths that fail (raising, propagating an error)]
    failing_calls: dict = field(default_factory=dict)
    raises: dict = field(default_factory=dict)  # line -> [exception classes' identities]
    reach: dict = field(default_factory=dict)  # callee name -> names it calls, transitively


def build(result, flags) -> BuiltFunction:
    """Lower `result` (a CompileResult with typed IR) with line information and collect."""
    with compile_lock:
        library = get_codegen().create_library(_ANNOTATED)
        context = BaseContext(typing_context, library, flags)
        context.line_info = True
        module = ir.Module(_ANNOTATED)
        function = lower_function(context, result.typed, module, _ANNOTATED)
        table = _line_table_of(function)
        built = BuiltFunction()
        _collect_instructions(built, function, table, result.typed.fir.loc.line)
        library.add_ir_module(module)
        library.export(_ANNOTATED)
        linked = library._build_module()  # the linked, unoptimised module (never loaded)
        built.reach = _call_graph(linked)
        library.codegen.optimize(linked)
        built.asm = asm_by_line(library.codegen.target_machine.emit_assembly(linked),
                                _ANNOTATED, result.typed.fir.loc.line)
        return built


def _line_table_of(function: ir.Function) -> dict:
    """id of each location metadata -> its line (the scope LineTable gave the function)."""
    lines = {}
    for block in function.blocks:
        for instr in block.instructions:
            location = instr.metadata.get("dbg")
            if location is not None and id(location) not in lines:
                # (llvmlite keeps a DILocation's fields as (name, value) pairs)
                lines[id(location)] = dict(location.operands)["line"]
    return lines


def _collect_instructions(built: BuiltFunction, function, table: dict, first: int) -> None:
    """Each instruction's text, calls and raises, under its line (the def line if none)."""
    failing = failing_blocks(function)
    for block in function.blocks:
        calls = built.failing_calls if block in failing else built.calls
        for instr in block.instructions:
            line = table.get(id(instr.metadata.get("dbg")), first)
            built.llvm.setdefault(line, []).append(_DBG.sub("", str(instr)).strip())
            if isinstance(instr, ir.CallInstr) and isinstance(instr.callee, ir.Function):
                calls.setdefault(line, []).append(instr.callee.name)
            identity = _raised_class(instr, function.module)
            if identity is not None:
                built.raises.setdefault(line, []).append(identity)


def failing_blocks(function: ir.Function) -> set:
    """The blocks from which every path fails: those that store a failing status (anything
    but 0) in a status slot (core/callconv.py `_return`), and those that lead only to them.
    What they call runs only when something raises."""
    successors = {block: _successors(block) for block in function.blocks}
    failing = {block for block in function.blocks if _stores_failure(block)}
    grew = True
    while grew:  # (least fixpoint: a loop that never exits is not a failing path)
        grew = False
        for block, targets in successors.items():
            if block not in failing and targets and all(t in failing for t in targets):
                failing.add(block)
                grew = True
    return failing


def _successors(block) -> list:
    term = block.terminator
    targets = [op for op in getattr(term, "operands", ()) if isinstance(op, ir.Block)]
    if isinstance(term, ir.SwitchInstr):
        targets += [term.default, *(target for _, target in term.cases)]
    return targets


_STATUS_SLOT = re.compile(r"status(\.\d+)?$")  # (llvmlite numbers repeated names: status.2)


def _stores_failure(block) -> bool:
    for instr in block.instructions:
        if isinstance(instr, ir.StoreInstr):
            value, slot = instr.operands
            if isinstance(slot, ir.AllocaInstr) and _STATUS_SLOT.search(slot.name) and not (
                    isinstance(value, ir.Constant) and value.constant == 0):
                return True
    return False


_EXCINFO = re.compile(r'@"?(jb\.excinfo[.\w]*)"?')


def _raised_class(instr, module: ir.Module):
    """The identity of the exception class a user-exception store raises, else None: lowering
    raises by storing (a cast of) a `jb.excinfo` constant whose trailer lists the class's MRO
    identities (core/callconv.py)."""
    if not isinstance(instr, ir.StoreInstr):
        return None
    match = _EXCINFO.search(str(instr.operands[0]))
    if match is None:
        return None
    identities = module.globals[match.group(1)].initializer.constant[3].constant
    return identities[0].constant if identities else None


def _call_graph(module) -> dict:
    """name -> every function name reachable from it in the linked module (callees of
    callees included), for functions the module defines."""
    direct = {fn.name: _direct_callees(fn) for fn in module.functions if not fn.is_declaration}
    reach: dict = {}

    def visit(name: str) -> set:
        if name not in reach:
            reach[name] = set()  # (recursion: a cycle adds nothing new)
            for callee in direct.get(name, ()):
                reach[name] |= {callee} | visit(callee)
        return reach[name]

    for name in direct:
        visit(name)
    return reach


def _direct_callees(function) -> set:
    names = set()
    for block in function.blocks:
        for instr in block.instructions:
            if instr.opcode in ("call", "invoke"):
                callee = list(instr.operands)[-1]
                if callee.name:
                    names.add(callee.name)
    return names


_LOC = re.compile(r"^\s*\.loc\s+\d+\s+(\d+)")


def asm_by_line(asm: str, symbol: str, first: int) -> dict:
    """The machine instructions of `symbol`'s body in `asm`, under the line of the `.loc`
    before each (line 0, code the optimiser made of several lines, stays with the line
    before it; the prologue belongs to the def line)."""
    lines: dict = {}
    current, inside = first, False
    for text in asm.splitlines():
        stripped = text.strip()
        if not inside:
            inside = stripped.rstrip(":").strip('"') == symbol
            continue
        if stripped.startswith(".Lfunc_end"):
            break
        match = _LOC.match(text)
        if match:
            current = int(match.group(1)) or current
        elif stripped and not stripped.startswith((".", "#")):
            lines.setdefault(current, []).append(stripped.split("#")[0].rstrip())
    return lines
