"""DWARF line information for one lowered function, for tools that map machine code back to
source lines (the annotated view, `jitbridge.annotate`). Off by default: compiled code carries
no debug metadata unless a context asks for it (`BaseContext.line_info`)."""
import os

from llvmlite import ir

_i32 = ir.IntType(32)


class LineTable:
    """The debug scope of one function and a `!dbg` location per source position in it.
    Positions outside the function's own file (code inlined from elsewhere at lowering) keep
    the location of the statement that brought them in."""

    def __init__(self, function: ir.Function, filename: str, line: int):
        module = function.module
        self.module, self.filename = module, filename
        file = module.add_debug_info("DIFile", {"filename": os.path.basename(filename),
                                                "directory": os.path.dirname(filename)})
        unit = module.add_debug_info("DICompileUnit", {
            "language": ir.DIToken("DW_LANG_Python"), "file": file, "producer": "jitbridge",
            "isOptimized": True, "runtimeVersion": 0,
            "emissionKind": ir.DIToken("LineTablesOnly")}, is_distinct=True)
        signature = module.add_debug_info("DISubroutineType", {"types": module.add_metadata([])})
        self.scope = module.add_debug_info("DISubprogram", {
            "name": function.name, "scope": file, "file": file, "line": line, "type": signature,
            "scopeLine": line, "spFlags": ir.DIToken("DISPFlagDefinition"), "unit": unit},
            is_distinct=True)
        function.set_metadata("dbg", self.scope)
        module.add_named_metadata("llvm.dbg.cu", unit)
        flags = module.add_named_metadata("llvm.module.flags")
        flags.add(module.add_metadata([_i32(2), "Dwarf Version", _i32(4)]))
        flags.add(module.add_metadata([_i32(2), "Debug Info Version", _i32(3)]))
        self.lines: dict = {}  # id of a location's metadata -> its source line
        self.default = self._location(line, 0)

    def at(self, loc):
        """The location of `loc` (a jitbridge.errors.Loc), or None to keep the current one."""
        if loc is None or loc.line <= 0 or loc.filename != self.filename:
            return None
        return self._location(loc.line, loc.col)

    def _location(self, line: int, col: int):
        location = self.module.add_debug_info("DILocation", {
            "line": line, "column": col + 1, "scope": self.scope})
        self.lines[id(location)] = line
        return location
