"""Stable text of the typed IR, for golden tests: the untyped printer's statements, the type of
each assigned variable, the refcount ops, and the exit block's releases."""
from __future__ import annotations

from ..ir import nodes as n
from ..ir.printer import block_header, format_node
from .typed_ir import DecRef, IncRef, TypedIR

_OPS = {IncRef: "incref", DecRef: "decref"}


def format_op(tir: TypedIR, node) -> str:
    if type(node) in _OPS:
        return f"{_OPS[type(node)]} {node.var}" + (" (and clear)" if getattr(node, "clear", 0) else "")
    text = format_node(node)
    if isinstance(node, n.Assign):
        text += f"  :: {tir.typemap[node.target]}"
    return text


def format_typed(tir: TypedIR) -> str:
    fir = tir.typed.fir
    params = ", ".join(f"{name}: {ty}" for name, ty in zip(fir.arg_names, tir.typed.argtypes))
    lines = [f"function {fir.qualname}({params}) -> {tir.return_type}:"]
    for label in sorted(tir.blocks):
        lines.append(block_header(label, tir.blocks[label].handler))
        lines.extend(f"    {format_op(tir, op.node)}" for op in tir.blocks[label].body)
    lines.append("  exit:")
    lines.extend(f"    {format_op(tir, op.node)}" for op in tir.exit)
    return "\n".join(lines) + "\n"
