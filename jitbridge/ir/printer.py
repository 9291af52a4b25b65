"""Stable text form of the IR, for golden tests and `inspect_ir()`."""
from __future__ import annotations

import operator

from . import nodes as n
from .function import FunctionIR

_OP_NAMES = {getattr(operator, name): name for name in dir(operator) if not name.startswith("_")}


def _op(op) -> str:
    return _OP_NAMES.get(op, getattr(op, "__name__", repr(op)))


def _value(v) -> str:
    if hasattr(v, "__module__") and hasattr(v, "__qualname__"):
        return f"<{v.__module__}.{v.__qualname__}>"
    if hasattr(v, "__name__") and type(v).__name__ == "module":
        return f"<module {v.__name__}>"
    return repr(v)


_FORMAT = {
    n.Const: lambda e: f"const({e.value!r})",
    n.Global: lambda e: f"global({e.name}: {_value(e.value)})",
    n.Arg: lambda e: f"arg({e.index}, {e.name})",
    n.Var: lambda e: e.name,
    n.BinOp: lambda e: f"{_op(e.op)}({e.lhs}, {e.rhs})",
    n.UnaryOp: lambda e: f"{_op(e.op)}({e.operand})",
    n.Compare: lambda e: f"{_op(e.op)}({e.lhs}, {e.rhs})",
    n.Call: lambda e: "call {}({})".format(
        e.func, ", ".join([*_starred(e.args, e.star), *(f"{k}={v}" for k, v in e.kws)])),
    n.GetAttr: lambda e: f"getattr({e.value}, {e.attr})",
    n.GetItem: lambda e: f"getitem({e.value}, {e.index})",
    n.BuildTuple: lambda e: f"build_tuple({', '.join(_starred(e.items, e.star))})",
    n.BuildList: lambda e: f"build_list({', '.join(e.items)})",
    n.GetIter: lambda e: f"getiter({e.value})",
    n.ArrayExpr: lambda e: f"array_expr({_tree(e.tree)}; {', '.join(e.args)})",
    n.IterNext: lambda e: f"iternext({e.iterator})",
    n.Assign: lambda s: f"{s.target} = {format_node(s.value)}",
    n.SetItem: lambda s: f"{s.target}[{s.index}] = {s.value}",
    n.SetAttr: lambda s: f"{s.target}.{s.attr} = {s.value}",
    n.Jump: lambda s: f"jump {s.target}",
    n.Branch: lambda s: f"branch {s.cond}, {s.truebr}, {s.falsebr}",
    n.Return: lambda s: f"return {s.value}",
    n.Raise: lambda s: f"raise {s.exception}" if s.exception else "raise",
    n.Catch: lambda e: f"catch({e.region}, {e.classes or '*'}{'' if e.keep else ', drop'})",
    n.Caught: lambda e: f"caught({e.region}, {e.classes or '*'})",
    n.Reraise: lambda s: "reraise" if s.region is None else f"reraise {s.region}",
}


def _tree(tree) -> str:
    """`mul(#0, add(#1, #2))`: a fused array expression, leaves by argument number."""
    if isinstance(tree, int):
        return f"#{tree}"
    operation, _, children = tree
    name = getattr(operation, "__name__", str(operation))
    return f"{name}({', '.join(map(_tree, children))})"


def format_node(node: n.Node) -> str:
    """One node as text."""
    return _FORMAT[type(node)](node)


def format_function(fir: FunctionIR, typemap: dict | None = None) -> str:
    """The whole function; with `typemap`, assignments show the target's type."""
    lines = [f"function {fir.qualname}({', '.join(fir.arg_names)}):"]
    for label in sorted(fir.blocks):
        lines.append(block_header(label, fir.blocks[label].handler))
        for stmt in fir.blocks[label].body:
            text = format_node(stmt)
            if typemap is not None and isinstance(stmt, n.Assign):
                text += f"  :: {typemap.get(stmt.target)}"
            lines.append(f"    {text}")
    return "\n".join(lines)


def block_header(label: int, handler) -> str:
    """`block 3:`, or `block 3 (except 7):` for a block in a try region (7: its dispatch)."""
    return f"  block {label}:" if handler is None else f"  block {label} (except {handler}):"


def format_annotated(fir: FunctionIR, typemap: dict, header: str, lines: list,
                     first: int) -> str:
    """Numba's `inspect_types()` layout: the function's source lines (from `first`, in
    `lines`, the file's), each preceded by the typed statements compiled from it, as
    comments."""
    statements = [stmt for label in sorted(fir.blocks) for stmt in fir.blocks[label].body]
    last = max([first, *(s.loc.line for s in statements if s.loc.filename == fir.loc.filename)])
    by_line: dict = {}
    for stmt in statements:
        text = format_node(stmt)
        if isinstance(stmt, n.Assign):
            text += f"  :: {typemap.get(stmt.target)}"
        line = stmt.loc.line if first <= stmt.loc.line <= last else first
        by_line.setdefault(line, []).append(text)
    out = [header, "-" * 80, f"# File: {fir.loc.filename}"]
    for number in range(first, last + 1):
        source = lines[number - 1].rstrip() if number <= len(lines) else ""
        indent = source[:len(source) - len(source.lstrip())]
        out.append(f"{indent}# --- LINE {number} --- ")
        out.extend(f"{indent}#   {text}" for text in by_line.get(number, ()))
        out += ["", source, ""]
    return "\n".join(out)


def _starred(names, star) -> list:
    return [f"*{v}" if i in star else v for i, v in enumerate(names)]
