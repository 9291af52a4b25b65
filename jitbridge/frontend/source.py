"""Read a Python function's source: AST of its `def`, file name, line offsets, closure snapshot.

Input: a Python function. Output: SourceInfo (the FunctionDef AST with the line numbers and
columns of the real file). The text is the one captured when the function was decorated
(`capture_source`), else the file's current text, and it must compile to the function's code
object (`_check`), so an edited file never compiles other code than the running one. Functions
without a file get their text from `register_source` / `compile_source`. See docs/source.md.
"""
from __future__ import annotations

import __future__

import ast
import copy
import functools
import inspect
import io
import itertools
import linecache
import operator
import textwrap
import types
import warnings
import weakref
from dataclasses import dataclass

from ..errors import Loc, UnsupportedError
from ..utils import code_names, recursion_headroom
from . import exec_texts
from .source_blocks import def_block


@dataclass
class SourceInfo:
    """Where a function's source lives and its parsed `def`."""

    func: object
    filename: str
    tree: ast.FunctionDef
    indent: int
    #: the file's lines the tree was read from (None: linecache's current ones)
    lines: list | None = None

    def loc(self, node: ast.AST | None) -> Loc:
        """The Loc of an AST node (or of the whole function for None)."""
        node = node or self.tree
        line = getattr(node, "lineno", self.tree.lineno)
        col = getattr(node, "col_offset", 0) + self.indent
        end = getattr(node, "end_col_offset", None)
        same_line = getattr(node, "end_lineno", line) == line
        end_col = end + self.indent if end is not None and same_line else None
        lines = self.lines if self.lines is not None else linecache.getlines(self.filename)
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return Loc(self.filename, line, col, end_col, self.func.__qualname__, text)


# -- where the text comes from ----------------------------------------------------------------
#: function -> its file's lines when it was decorated: a later edit of the file changes nothing
_CAPTURED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
#: filename -> lines given to register_source (kept here too: linecache.clearcache drops all)
_REGISTERED: dict = {}
_SOURCE_NUMBERS = itertools.count(1)


def capture_source(func) -> None:
    """Keep the lines of `func`'s file as they are now. Called at decoration, on the import
    path, so it only stats the file and keeps linecache's list: no tokenising, no parsing."""
    code = getattr(func, "__code__", None)
    if code is None:
        return
    lines = _file_lines(code.co_filename, getattr(func, "__globals__", None))
    if not lines and exec_texts.recorded_lines(code.co_filename):
        lines = _exec_text_lines(func)  # (now: the texts kept are a bounded number)
    if lines:  # none yet: the text may be registered before the first compilation
        try:
            _CAPTURED[func] = lines
        except TypeError:  # not weak-referenceable: read at compile time instead
            pass


def captured_lines(func) -> list | None:
    """The lines of `func`'s file captured at decoration (None if it was not decorated)."""
    return _CAPTURED.get(func)


def register_source(text: str, filename: str) -> None:
    """Make `text` the source of `filename`, for functions compiled under that name (by
    `exec(compile(text, filename, "exec"), namespace)`), so that they can be jitted."""
    if not isinstance(text, str) or not isinstance(filename, str):
        raise TypeError("register_source(text, filename) takes two strings")
    lines = io.StringIO(text, newline=None).readlines()  # Python's line breaks, no others
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    _REGISTERED[filename] = lines
    _install(filename, lines)


def compile_source(text: str, name: str | None = None, filename: str | None = None,
                   globals: dict | None = None):
    """Run `text` as a module whose source jitbridge can read; returns its namespace (or the
    object called `name` in it). Functions it defines, decorated or not, compile normally."""
    filename = filename or f"<jitbridge-source-{next(_SOURCE_NUMBERS)}>"
    register_source(text, filename)
    namespace = {"__name__": filename} if globals is None else globals
    exec(compile(text, filename, "exec", dont_inherit=True), namespace)  # noqa: S102
    if name is None:
        return namespace
    if name not in namespace:
        raise NameError(f"compile_source: the source defines no {name!r}")
    return namespace[name]


def _install(filename: str, lines: list) -> None:
    """A linecache entry that linecache.checkcache keeps (mtime None: nothing to stat), so
    tracebacks and inspect see the text too."""
    linecache.cache[filename] = (sum(map(len, lines)), None, lines, filename)


def _file_lines(filename: str, module_globals) -> list:
    """The lines of `filename` now: registered text first, else linecache's up-to-date copy."""
    registered = _REGISTERED.get(filename)
    if registered is not None:
        if filename not in linecache.cache:
            _install(filename, registered)
        return registered
    linecache.checkcache(filename)
    return linecache.getlines(filename, module_globals)


class SourceChangedError(UnsupportedError):
    """The text found for a function does not compile to the code object it runs."""


def read_source(func) -> SourceInfo:
    """Parse the source of `func` into a SourceInfo, or raise UnsupportedError. The text is the
    one captured when `func` was decorated, else its file's current text; either way it must
    compile to `func.__code__` (an edited file fails clearly instead of compiling other code)."""
    made = getattr(func, "__jitbridge_source__", None)  # functions the frontend lifted itself
    if made is not None:
        return made
    captured = _CAPTURED.get(func)
    lines = captured or _current_lines(func)
    if not lines:
        return _read_exec_text(func)
    try:
        return _read(func, lines)
    except SourceChangedError:
        current = _current_lines(func)
        if captured is None or current is captured:
            raise
    # the code object was replaced after decoration (IPython's autoreload assigns __code__)
    return _read(func, current)


def _read_exec_text(func) -> SourceInfo:
    """A function made by exec()/compile() of a string: the recorded text that compiles to its
    code object (the newest, when one text was run several times), kept for later reads."""
    lines = _exec_text_lines(func)
    if lines is None:
        raise UnsupportedError(_no_source_message(func))
    try:
        _CAPTURED[func] = lines
    except TypeError:  # not weak-referenceable
        pass
    return _read(func, lines)


def _exec_text_lines(func) -> list | None:
    for lines in exec_texts.recorded_lines(func.__code__.co_filename):
        try:
            _read(func, lines)
        except UnsupportedError:
            continue
        return lines
    return None


def _current_lines(func) -> list:
    # func.__code__, not inspect: inspect would follow __wrapped__ to another function
    return _file_lines(func.__code__.co_filename, func.__globals__)


def _read(func, lines: list) -> SourceInfo:
    code = func.__code__
    if code.co_name == "<lambda>":  # (functools.wraps rewrites __name__)
        return _read_lambda(func, lines)
    try:
        tree, loc = _parsed_block(func, lines, quick=True)
    except SourceChangedError:  # (the quick cut can be wrong: see source_blocks)
        tree, loc = _parsed_block(func, lines, quick=False)
    fdef = tree.body[0]
    if not isinstance(fdef, ast.FunctionDef):
        raise UnsupportedError(f"cannot compile a {type(fdef).__name__}; use a def statement", loc)
    return SourceInfo(func, code.co_filename, fdef, 0, lines)


def _parsed_block(func, lines: list, quick: bool) -> tuple:
    block, first_line = _block(func, lines, quick)
    indent = len(block[0]) - len(block[0].lstrip())
    loc = Loc(func.__code__.co_filename, first_line, indent, None, func.__qualname__, block[0])
    tree = _parse_block(func, block, first_line, loc)
    _check(func, tree.body, lines, loc)
    return tree, loc


def _read_lambda(func, lines: list) -> SourceInfo:
    found = _lambda_in_file(func, lines) or _lambda_in_lines(func, lines)
    fdef = found.tree
    node = ast.copy_location(ast.Lambda(fdef.args, fdef.body[0].value), fdef)
    _check(func, [ast.copy_location(ast.Expr(node), fdef)], lines, found.loc(None))
    return found


def _lambda_in_lines(func, lines: list) -> SourceInfo:
    """The lambda found in the lines of its own statement (when the whole file gave none)."""
    block, first_line = _block(func, lines, quick=False)  # (a lambda's statement goes on)
    raw = "".join(block)
    text = textwrap.dedent(raw)
    indent = len(block[0]) - len(block[0].lstrip()) if text != raw else 0
    loc = Loc(func.__code__.co_filename, first_line, indent, None, func.__qualname__, block[0])
    fdef = _lambda_def(func, text, first_line, loc, indent)
    return SourceInfo(func, func.__code__.co_filename, fdef, indent, lines)


def _block(func, lines: list, quick: bool = True) -> tuple:
    """The lines of `func`'s def (or lambda statement) and the number of its first line."""
    found = def_block(func, lines, quick)
    if found is not None:
        return found
    if lines:
        raise _changed(func)
    raise UnsupportedError(_no_source_message(func))


def _parse_block(func, block: list, first_line: int, loc: Loc) -> ast.Module:
    """The block parsed where it stands: an indented one (a method, a nested def) under an
    `if 1:` rather than dedented, which would change its multi-line strings' contents; blank
    lines before it give the nodes their lines in the file (cheaper than moving them after)."""
    indented = block[0][:1] in (" ", "\t")
    header = "\n" * (first_line - 1 - indented) + ("if 1:\n" if indented else "")
    try:
        tree = _parse(header + "".join(block), loc)
    except SyntaxError:  # CPython compiled this function: its text parsed then
        raise _changed(func) from None
    return ast.Module(tree.body[0].body, []) if indented else tree


# -- checking the text against the running code ----------------------------------------------
#: function -> (code object, lines) whose text passed _check (read_source runs again when a
#: cached IR goes stale; the compile() is paid once)
_CHECKED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_FUTURE_FLAGS = functools.reduce(operator.or_, (getattr(__future__, name).compiler_flag
                                                for name in __future__.all_feature_names))
#: co_flags that say what kind of function a code object is (CO_NESTED depends on the
#: enclosing scope, which the check reproduces only as far as it matters)
_KIND_FLAGS = (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS | inspect.CO_GENERATOR
               | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR)


def _check(func, body: list, lines: list, loc: Loc) -> None:
    """Raise unless the statements `body` (absolute line numbers) compile to `func.__code__`:
    the text read is then the one the running function came from."""
    code = func.__code__
    done = _CHECKED.get(func)
    if done is not None and done[0] is code and done[1] is lines:
        return
    enclosed = _enclosed(body, func)
    found = _compiled_like([enclosed], code)
    if found is not None and not _same_code(found, code):
        found = _compiled_like(_in_module(enclosed, func, lines), code)
    if not _same_code(found, code):
        raise _changed(func, loc)
    _CHECKED[func] = (code, lines)


def _in_module(stmt: ast.stmt, func, lines: list) -> list:
    """`stmt` in a module like `func`'s: `name.attr(...)` compiles otherwise when `name` is
    imported at module level, and pytest rewrites the asserts of test modules."""
    imports = _top_level_imports(func.__code__.co_filename, lines) | _module_globals(func)
    declared = [_at(ast.Import([_at(ast.alias(name))])) for name in sorted(imports)]
    return _as_pytest_would([*declared, stmt], func, lines)


def _module_globals(func) -> set:
    """The globals `func` reads that are modules: imported, most likely, even when `lines` is
    only the function's block (a pickled function's text, see pickling.py)."""
    found = func.__globals__
    return {n for n in code_names(func.__code__) if isinstance(found.get(n), types.ModuleType)}


def _compiled_like(body: list, code):
    """The code object named like `code` that the module `body` compiles to, or None."""
    try:
        with recursion_headroom():
            compiled = compile(ast.Module(body, []), code.co_filename, "exec",
                               code.co_flags & _FUTURE_FLAGS, dont_inherit=True)
    except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError):
        return None
    return _find_code(compiled, code)


def _as_pytest_would(body: list, func, lines: list) -> list:
    """`body` with its asserts rewritten if pytest's import hook loaded `func`'s module (its
    globals then hold that module as `@pytest_ar`); a copy: the frontend compiles the asserts
    as written."""
    rewrite = func.__globals__.get("@pytest_ar")
    if not hasattr(rewrite, "rewrite_asserts"):
        return body
    module = ast.Module(copy.deepcopy(body), [])
    config = getattr(func.__globals__.get("__loader__"), "config", None)
    try:
        with warnings.catch_warnings():  # pytest warned once already, at import
            warnings.simplefilter("ignore")
            rewrite.rewrite_asserts(module, "".join(lines).encode(), None, config)
    except Exception:  # noqa: BLE001 - a pytest we do not know: the check then fails
        return body
    return module.body


#: filename -> (lines, names its module-level statements bind by import)
_FILE_IMPORTS: dict = {}


def _top_level_imports(filename: str, lines: list) -> frozenset:
    """Names bound by imports in the module scope of `lines`, parsed once per file text."""
    cached = _FILE_IMPORTS.get(filename)
    if cached is not None and cached[0] is lines:
        return cached[1]
    try:
        names = _import_names(ast.parse("".join(lines)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        names = frozenset()
    _FILE_IMPORTS[filename] = (lines, names)
    return names


def _import_names(tree: ast.Module) -> frozenset:
    names, pending = set(), list(tree.body)
    while pending:  # module scope: into if/try/with/loop bodies, not into defs or classes
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).partition(".")[0] for a in node.names)
        elif not isinstance(node, _SCOPES):
            pending.extend(c for c in ast.iter_child_nodes(node) if isinstance(c, _BLOCKS))
    return frozenset(names - {"*"})


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BLOCKS = (ast.stmt, ast.excepthandler, ast.match_case)


def _enclosed(body: list, func) -> ast.stmt:
    """`body` in the scopes that make its names compile as in `func`: its class (private names
    are mangled), and a def binding its free variables (cells, not globals)."""
    stmt = body[0] if len(body) == 1 else _at(ast.If(_at(ast.Constant(1)), body, []))
    owner = _class_name(_qualname(func))
    if owner is not None:
        stmt = _at(ast.ClassDef(owner, [], [], [stmt], [], type_params=[]))
    free = [n for n in func.__code__.co_freevars if not (owner and n == "__class__")]
    if free:
        names = [_at(ast.Name(n, ast.Store())) for n in free]
        bind = _at(ast.Assign(names, _at(ast.Constant(None))))
        stmt = _at(ast.FunctionDef("_jitbridge_check_", _NO_ARGS, [bind, stmt], [], None,
                                   type_params=[]))
    return stmt


def _at(node):
    """`node` placed at line 1 (ast.fix_missing_locations would walk the whole tree)."""
    node.lineno, node.col_offset, node.end_lineno, node.end_col_offset = 1, 0, 1, 0
    return node


_NO_ARGS = ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def private_name(func, name: str) -> str:
    """`name` as CPython compiles it in `func`: a private `__x` inside a class body's function
    is `_Class__x` (jitbridge reads the source, which that mangling never touched)."""
    if not name.startswith("__") or name.endswith("__") or "." in name:
        return name
    owner = _class_name(_qualname(func))
    owner = owner.lstrip("_") if owner else ""
    return f"_{owner}{name}" if owner else name


def _class_name(qualname: str) -> str | None:
    """The innermost class around a function named `qualname` (`A.f`, `A.f.<locals>.g`)."""
    parts = qualname.split(".")[:-1]
    for index in range(len(parts) - 1, -1, -1):
        following = parts[index + 1] if index + 1 < len(parts) else None
        if parts[index] != "<locals>" and following != "<locals>":
            return parts[index]
    return None


def _find_code(compiled, code):
    """The code object named and placed like `code` among those `compiled` contains."""
    pending = [compiled]
    while pending:
        current = pending.pop()
        if (current.co_name, current.co_firstlineno) == (code.co_name, code.co_firstlineno) \
                and current is not compiled:
            return current
        pending.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    return None


def _same_code(new, old) -> bool:
    """Same instructions, names, constants and nested code (line tables may differ)."""
    if new is None:
        return False
    same = (new.co_code == old.co_code and new.co_names == old.co_names
            and new.co_varnames == old.co_varnames and new.co_freevars == old.co_freevars
            and new.co_cellvars == old.co_cellvars and new.co_argcount == old.co_argcount
            and new.co_kwonlyargcount == old.co_kwonlyargcount
            and new.co_posonlyargcount == old.co_posonlyargcount
            and new.co_flags & _KIND_FLAGS == old.co_flags & _KIND_FLAGS)
    return same and _same_const(new.co_consts, old.co_consts)


def _same_const(new, old) -> bool:
    """Equal constants of one type (`1 == 1.0 == True` and `0.0 == -0.0` are edits)."""
    if type(new) is not type(old):
        return False
    if isinstance(new, types.CodeType):
        return _same_code(new, old)
    if isinstance(new, tuple):
        return len(new) == len(old) and all(map(_same_const, new, old))
    if isinstance(new, (float, complex, frozenset)):
        return _repr_key(new) == _repr_key(old)
    return new == old


def _repr_key(value):
    return sorted(map(repr, value)) if isinstance(value, frozenset) else repr(value)


def _qualname(func) -> str:
    """The name the code was defined under (functools.wraps rewrites __qualname__)."""
    return getattr(func.__code__, "co_qualname", func.__qualname__)


def _changed(func, loc: Loc | None = None) -> SourceChangedError:
    code = func.__code__
    return SourceChangedError(
        f"the source of {_qualname(func)!r} in {code.co_filename} changed since the function "
        "was defined: jitbridge compiles from source and will not compile other code than the "
        "running one; re-import the module (importlib.reload) to use the new text, or register "
        "the text the function was defined from with jitbridge.register_source(text, filename)",
        loc)


def _no_source_message(func) -> str:
    return (f"cannot read the source of {_qualname(func)!r}: {func.__code__.co_filename!r} "
            "has no text jitbridge can read (stdin, a .pyc-only module, or an "
            "exec/compile() string run before jitbridge was imported). jitbridge compiles from "
            "source: define the function in a file, run its text with "
            "jitbridge.compile_source(text), or, for code compiled under a file name, call "
            "jitbridge.register_source(text, filename) first")


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


def _lambda_in_file(func, lines: list) -> SourceInfo | None:
    """The SourceInfo of lambda `func` from its file's cached AST, or None (no file, a file
    too large or changed beyond parsing, or no single matching lambda: the caller falls back
    to reading the lambda's own lines)."""
    code = func.__code__
    lambdas = _file_lambdas(code.co_filename, func.__globals__, lines)
    found = _same_parameters(lambdas.get(code.co_firstlineno, ()), code)
    if len(found) > 1:
        found = [node for node in found if _body_matches(node, code, 0, 1)]
    if len(found) != 1:
        return None
    # shared with the cache: the frontend never changes a source tree (closures.py rewrites
    # a copy; tests/frontend/test_source_trees.py checks)
    return SourceInfo(func, code.co_filename, _as_function_def(found[0]), 0, lines)


def _file_lambdas(filename: str, module_globals, lines: list | None = None) -> dict:
    """Line -> the Lambda nodes starting on it, in `lines` of `filename` (default: its text
    now)."""
    if lines is None:
        lines = _file_lines(filename, module_globals)
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


def parameters(args: ast.arguments) -> list:
    """The parameters in the order of the function's Python signature; `*args` is one
    parameter (the tuple of the extra positional values)."""
    return [*args.posonlyargs, *args.args, *([args.vararg] if args.vararg else []),
            *args.kwonlyargs]
