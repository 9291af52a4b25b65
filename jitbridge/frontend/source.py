"""Read a Python function's source: AST of its `def`, file name, line offsets, closure snapshot.

Input: a Python function. Output: SourceInfo (the FunctionDef AST with absolute line numbers, and
the column indent removed by dedenting, so locations point into the real file).
"""
from __future__ import annotations

import ast
import inspect
import linecache
import textwrap
from dataclasses import dataclass

from ..errors import Loc, UnsupportedError


@dataclass
class SourceInfo:
    """Where a function's source lives and its parsed `def`."""

    func: object
    filename: str
    tree: ast.FunctionDef
    indent: int

    def loc(self, node: ast.AST | None) -> Loc:
        """The Loc of an AST node (or of the whole function for None)."""
        node = node or self.tree
        line = getattr(node, "lineno", self.tree.lineno)
        col = getattr(node, "col_offset", 0) + self.indent
        end = getattr(node, "end_col_offset", None)
        same_line = getattr(node, "end_lineno", line) == line
        end_col = end + self.indent if end is not None and same_line else None
        text = linecache.getline(self.filename, line)
        return Loc(self.filename, line, col, end_col, self.func.__qualname__, text)


def read_source(func) -> SourceInfo:
    """Parse the source of `func` into a SourceInfo, or raise UnsupportedError."""
    try:
        lines, first_line = inspect.getsourcelines(func)
        filename = inspect.getsourcefile(func) or func.__code__.co_filename
    except (OSError, TypeError) as exc:
        raise UnsupportedError(
            f"cannot read the source of {func.__qualname__!r} ({exc}); jitbridge compiles from "
            "source, so define the function in a file or module") from None
    raw = "".join(lines)
    text = textwrap.dedent(raw)
    indent = len(lines[0]) - len(lines[0].lstrip()) if text != raw else 0
    tree = ast.parse(text)
    ast.increment_lineno(tree, first_line - 1)
    fdef = tree.body[0]
    if not isinstance(fdef, ast.FunctionDef):
        loc = Loc(filename, first_line, indent, None, func.__qualname__, lines[0])
        kind = "lambda" if func.__name__ == "<lambda>" else type(fdef).__name__
        raise UnsupportedError(f"cannot compile a {kind}; use a def statement", loc)
    return SourceInfo(func, filename, fdef, indent)


def closure_values(func) -> dict:
    """Free variable name -> current cell value (frozen as constants at compile time)."""
    names = func.__code__.co_freevars
    cells = func.__closure__ or ()
    values = {}
    for name, cell in zip(names, cells):
        try:
            values[name] = cell.cell_contents
        except ValueError:  # cell not yet filled (e.g. a recursive inner def)
            continue
    return values
