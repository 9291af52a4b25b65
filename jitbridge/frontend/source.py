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
from ..utils import recursion_headroom


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
    made = getattr(func, "__jitbridge_source__", None)  # functions the frontend lifted itself
    if made is not None:
        return made
    is_lambda = func.__code__.co_name == "<lambda>"  # (functools.wraps rewrites __name__)
    if is_lambda:
        found = _lambda_in_file(func)
        if found is not None:
            return found
    try:  # the code object's lines: inspect would follow __wrapped__ to another function
        lines, first_line = inspect.getsourcelines(func.__code__)
        filename = inspect.getsourcefile(func) or func.__code__.co_filename
    except (OSError, TypeError) as exc:
        raise UnsupportedError(
            f"cannot read the source of {func.__qualname__!r} ({exc}); jitbridge compiles from "
            "source, so define the function in a file or module") from None
    raw = "".join(lines)
    text = textwrap.dedent(raw)
    indent = len(lines[0]) - len(lines[0].lstrip()) if text != raw else 0
    loc = Loc(filename, first_line, indent, None, func.__qualname__, lines[0])
    if is_lambda:
        return SourceInfo(func, filename, _lambda_def(func, text, first_line, loc, indent), indent)
    tree = _parse(text, loc)
    ast.increment_lineno(tree, first_line - 1)
    fdef = tree.body[0]
    if not isinstance(fdef, ast.FunctionDef):
        raise UnsupportedError(f"cannot compile a {type(fdef).__name__}; use a def statement", loc)
    return SourceInfo(func, filename, fdef, indent)


def _parse(text: str, loc: Loc):
    """ast.parse of a function CPython compiled: its AST conversion recurses per nesting level
    of an expression (a 3000-term `x + 1 + ...`), so it gets the compiler's headroom."""
    try:
        with recursion_headroom():
            return ast.parse(text)
    except (RecursionError, MemoryError):
        raise UnsupportedError("expression nested too deeply to compile; split it into several "
                               "statements", loc) from None


def _lambda_def(func, text: str, first_line: int, loc: Loc, indent: int) -> ast.FunctionDef:
    """The `lambda` expression of `func` found in its source lines, as a FunctionDef."""
    tree = _parse_fragment(text)
    code = func.__code__
    found = _same_parameters([n for n in ast.walk(tree) if isinstance(n, ast.Lambda)]
                             if tree else [], code)
    if len(found) > 1:  # several candidates: the right line, then (3.11+) the right column
        found = [n for n in found if n.lineno + first_line - 1 == code.co_firstlineno] or found
    if len(found) > 1:
        found = [n for n in found if _body_matches(n, code, indent, first_line)] or found
    if len(found) != 1:
        raise UnsupportedError("cannot find the source of this lambda unambiguously; use a def "
                               "statement", loc)
    fdef = _as_function_def(found[0])
    ast.increment_lineno(fdef, first_line - 1)
    return fdef


#: Lambdas are found in their whole file's AST, parsed once per file (an @overload module
#: returns dozens): re-reading each one's lines and re-parsing them cost ~0.2 ms apiece
_FILE_TREES: dict = {}
#: larger files are not parsed whole for one lambda
_WHOLE_FILE_LINES = 3000


def _lambda_in_file(func) -> SourceInfo | None:
    """The SourceInfo of lambda `func` from its file's cached AST, or None (no file, a file
    too large or changed beyond parsing, or no single matching lambda: the caller falls back
    to reading the lambda's own lines)."""
    code = func.__code__
    lambdas = _file_lambdas(code.co_filename, func.__globals__)
    found = _same_parameters(lambdas.get(code.co_firstlineno, ()), code)
    if len(found) > 1:
        found = [node for node in found if _body_matches(node, code, 0, 1)]
    if len(found) != 1:
        return None
    # shared with the cache: the frontend never changes a source tree (closures.py rewrites
    # a copy; tests/frontend/test_source_trees.py checks)
    return SourceInfo(func, code.co_filename, _as_function_def(found[0]), 0)


def _file_lambdas(filename: str, module_globals) -> dict:
    """Line -> the Lambda nodes starting on it, for `filename` as linecache has it now."""
    linecache.checkcache(filename)
    lines = linecache.getlines(filename, module_globals)
    cached = _FILE_TREES.get(filename)
    if cached is not None and cached[0] is lines:
        return cached[1]
    lambdas: dict = {}
    if 0 < len(lines) <= _WHOLE_FILE_LINES:
        try:
            tree = ast.parse("".join(lines))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Lambda):
                lambdas.setdefault(node.lineno, []).append(node)
    _FILE_TREES[filename] = (lines, lambdas)
    return lambdas


def _same_parameters(lambdas, code) -> list:
    """The Lambda nodes whose parameters are those of `code`."""
    names = list(code.co_varnames[:code.co_argcount])
    return [node for node in lambdas if [a.arg for a in node.args.args] == names]


def _as_function_def(node: ast.Lambda) -> ast.FunctionDef:
    """`def <lambda>(args): return body`, located where the lambda is."""
    fdef = ast.FunctionDef(name="<lambda>", args=node.args, body=[ast.Return(node.body)],
                           decorator_list=[], returns=None, type_params=[])
    for new in (fdef, fdef.body[0]):
        ast.copy_location(new, node)
    return fdef


def _parse_fragment(text: str):
    """Parse source lines that may be a fragment of a larger statement."""
    stripped = text.rstrip()
    header = stripped + "\n" + " " * (len(text) - len(text.lstrip()) + 4) + "pass"
    candidates = [text, header]
    for cut in range(4):  # a line inside a bracketed expression: trim closers, wrap
        part = stripped[:len(stripped) - cut].strip() if cut else stripped.strip()
        candidates += [part, f"({part})", f"[{part}]"]
    for candidate in candidates:
        try:
            return ast.parse(candidate)
        except SyntaxError:
            continue
    return None


def _body_matches(node: ast.Lambda, code, indent: int, first_line: int) -> bool:
    """Whether the lambda's body starts where the code object says (Python 3.11+)."""
    positions = [p for p in getattr(code, "co_positions", lambda: [])()
                 if p[2] is not None and p[2] != p[3]]  # skip zero-width (RESUME)
    if not positions:
        return False
    start = min((p[0], p[2]) for p in positions)
    return start == (node.body.lineno + first_line - 1, node.body.col_offset + indent)


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
