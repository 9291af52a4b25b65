"""Numba's remaining introspection of a dispatcher: `inspect_cfg()` (the control-flow graph of
a specialisation's LLVM function, as Graphviz text) and `get_annotation_info()` (per
specialisation, the source lines with the types of the variables each assigns: the data
behind `inspect_types`/`annotate`, for tools)."""
from __future__ import annotations

from llvmlite import binding as llvm

from .report import function_reports


class ControlFlowGraph:
    """One specialisation's CFG: `.dot` is Graphviz text (`str()` gives it too);
    `display()` renders it when the `graphviz` package is installed."""

    def __init__(self, name: str, dot: str):
        self.name, self.dot = name, dot

    def __str__(self) -> str:
        return self.dot

    def __repr__(self) -> str:
        return f"<ControlFlowGraph of {self.name}: {self.dot.count('->')} edges>"

    def display(self, **kws):
        try:
            import graphviz
        except ImportError:
            raise ImportError("rendering a CFG needs the graphviz package "
                              "(pip install graphviz); its Graphviz text is .dot") from None
        return graphviz.Source(self.dot, **kws)

    def _repr_svg_(self):
        return self.display().pipe(format="svg").decode()


def control_flow_graph(result) -> ControlFlowGraph:
    """The CFG of a CompileResult's function (from its LLVM IR: a cached one has it too)."""
    module = llvm.parse_assembly(result.inspect_llvm())
    function = module.get_function(result.native_name)
    return ControlFlowGraph(result.native_name, llvm.get_function_cfg(function))


def annotation_info(dispatcher) -> dict:
    """{signature text: {"filename", "funcname", "python_lines": [(number, source)],
    "python_types": {number: {variable: type}}}} for each specialisation."""
    info = {}
    for report in function_reports(dispatcher):
        info[report.signature] = {
            "filename": report.filename, "funcname": report.qualname,
            "python_lines": [(line.number, line.source) for line in report.lines],
            "python_types": {line.number: dict(line.types) for line in report.lines
                             if line.types}}
    return info
