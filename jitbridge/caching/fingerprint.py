"""Content fingerprints of what a compiled function depends on, the same in every process.

A cached specialisation is valid while the function's source, the values it froze (globals,
closure cells, defaults) and, recursively, the functions it calls are what they were when it
was compiled. `function_fingerprint` digests all of that from the function object alone (its
code object names what it reads), so a cache hit needs no frontend run. Library code (the
standard library, NumPy, jitbridge itself) is covered by the versions in the cache key; its
functions are named, not read.
"""
from __future__ import annotations

import enum
import hashlib
import linecache
import marshal
import os
import pickle
import sys
import types as pytypes

from ..frontend.source import captured_lines
from ..utils import code_names

#: values digested by their repr: it is exact and the same in every process
_BY_REPR = (type(None), bool, int, float, complex, str, bytes, type(Ellipsis), range, slice)
#: the prefix of modules whose attributes are library code (covered by the versions)
_LIBRARY_ROOTS = ("numpy", "jitbridge", "llvmlite", "math", "cmath", "operator", "builtins",
                  "functools", "itertools", "collections", "ctypes", "random", "enum", "typing")


class Unfingerprintable(Exception):
    """A frozen value whose content cannot be digested (its code cannot be cached)."""


def function_fingerprint(func) -> str:
    """A hex digest of `func`'s source, frozen values and callees (see module docstring)."""
    digest = hashlib.sha256()
    _FunctionWalker(digest).function(func)
    return digest.hexdigest()


def file_digest(filename: str) -> str:
    """The digest of a file's bytes ("" when it cannot be read); re-read only when its size or
    modification time changed."""
    try:
        info = os.stat(filename)
        stamp = (filename, info.st_size, info.st_mtime_ns)
        if stamp not in _FILE_DIGESTS:
            with open(filename, "rb") as handle:
                _FILE_DIGESTS[stamp] = hashlib.sha256(handle.read()).hexdigest()
        return _FILE_DIGESTS[stamp]
    except OSError:
        return ""


_FILE_DIGESTS: dict = {}


class _FunctionWalker:
    """Feeds one digest with functions and values, visiting each function once (recursion)."""

    def __init__(self, digest):
        self.digest = digest
        self.seen: set = set()

    def feed(self, *parts) -> None:
        for part in parts:
            self.digest.update(str(part).encode("utf-8", "surrogatepass") + b"\0")

    def function(self, func) -> None:
        code = func.__code__
        if id(code) in self.seen:
            self.feed("again", func.__module__, func.__qualname__)
            return
        self.seen.add(id(code))
        self.feed("function", func.__module__, func.__qualname__, _source_digest(func))
        self._frozen_names(func, code)
        self.feed("defaults")
        for value in (func.__defaults__ or ()):
            self.value(value)
        self.feed("closure")
        for name, cell in zip(code.co_freevars, func.__closure__ or ()):
            self.feed(name)
            self.value(_cell_value(cell))

    def _frozen_names(self, func, code) -> None:
        """The globals and builtins `code` (and the code nested in it) may read."""
        names = code_names(code)
        namespace = func.__globals__
        builtins = namespace.get("__builtins__", {})
        builtins = builtins if isinstance(builtins, dict) else vars(builtins)
        for name in sorted(names):
            if name in namespace:
                self.feed("global", name)
                self.value(namespace[name], names)
            elif name in builtins:
                self.feed("builtin", name)

    def value(self, value, attr_names=()) -> None:
        kind = type(value)
        if kind in _BY_REPR:
            self.feed(kind.__name__, repr(value))
        elif isinstance(value, (tuple, list)):
            self.feed(kind.__name__, len(value))
            for item in value:
                self.value(item)
        elif isinstance(value, pytypes.ModuleType):
            self._module(value, attr_names)
        elif isinstance(value, pytypes.FunctionType):
            self._function_value(value)
        elif isinstance(_jitted_function(value), pytypes.FunctionType):
            self.feed("jitted", type(value).__qualname__)  # a dispatcher, a cfunc
            self.function(value.py_func)
        elif isinstance(value, type):
            self.feed("class", value.__module__, value.__qualname__)
        elif isinstance(value, enum.Enum):
            self.feed("enum", type(value).__module__, type(value).__qualname__, value.name)
        else:
            self._data(value)

    def _function_value(self, func) -> None:
        if is_library(func.__module__):
            self.feed("library function", func.__module__, func.__qualname__)
        else:  # a user function: an @overload target, a register_jitable, a callee
            self.function(func)

    def _module(self, module, attr_names) -> None:
        """A module by name; a user module's attributes the code may read, by value."""
        self.feed("module", module.__name__)
        if is_library(module.__name__):
            return
        for name in sorted(attr_names):
            if name in vars(module):
                self.feed("attribute", name)
                self.value(vars(module)[name])

    def _data(self, value) -> None:
        """Arrays, NumPy scalars and dtypes, records: their type and bytes."""
        array = getattr(value, "__array_interface__", None)
        if array is not None and hasattr(value, "tobytes"):
            self.feed("array", value.dtype.str, repr(value.dtype.descr), value.shape)
            self.digest.update(value.tobytes())
            return
        try:
            data = pickle.dumps(value, protocol=4)
        except Exception as exc:
            raise Unfingerprintable(f"{type(value).__qualname__} value {_short(value)}") \
                from exc
        self.feed("pickled", type(value).__module__, type(value).__qualname__)
        self.digest.update(data)


def _source_digest(func) -> str:
    """The digest of the source lines the frontend compiles (as captured when the function
    was decorated, see frontend/source.py), or of the code object when none are readable."""
    code = func.__code__
    lines = captured_lines(func) or linecache.getlines(code.co_filename, func.__globals__)
    last = _last_line(code)
    if not lines or last > len(lines):
        return hashlib.sha256(marshal.dumps(code)).hexdigest()
    text = "".join(lines[code.co_firstlineno - 1:last])
    return hashlib.sha256(f"{code.co_filename}:{code.co_firstlineno}\n{text}".encode()).hexdigest()


def _last_line(code) -> int:
    """The last source line `code` (or code nested in it) was compiled from: the function's
    text ends there (read without tokenising: a cache hit must stay cheap)."""
    last = max((end for *_, end in _positions(code) if end is not None),
               default=code.co_firstlineno)
    for const in code.co_consts:
        if isinstance(const, pytypes.CodeType):
            last = max(last, _last_line(const))
    return last


def _positions(code):
    """(start, end) lines of each instruction."""
    if hasattr(code, "co_positions"):  # 3.11+: end lines of multi-line expressions too
        return [(start, end) for start, end, *_ in code.co_positions()]
    return [(start, start) for _, _, start in code.co_lines()]


def _jitted_function(value):
    """The Python function a dispatcher or cfunc compiles, else None (without trusting an
    arbitrary object's __getattr__)."""
    try:
        return getattr(value, "py_func", None)
    except Exception:
        return None


def _cell_value(cell):
    try:
        return cell.cell_contents
    except ValueError:  # not filled yet (a recursive inner function)
        return "<empty cell>"


def is_library(module: str | None) -> bool:
    """Whether `module` is library code (covered by the versions in the cache key)."""
    root = (module or "").partition(".")[0]
    return root in _LIBRARY_ROOTS or root in sys.stdlib_module_names


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_PACKAGE_DIGEST: list = []


def package_digest() -> str:
    """A digest of jitbridge's own files (names, sizes, modification times): code compiled by
    one checkout is never loaded by another, even with the same version number. Computed
    once per process (a stat per file, no reads)."""
    if not _PACKAGE_DIGEST:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        digest = hashlib.sha256()
        for folder, dirs, files in sorted(os.walk(root)):
            dirs.sort()
            for name in sorted(f for f in files if f.endswith(".py")):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{folder[len(root):]}/{name}:{info.st_size}:"
                              f"{info.st_mtime_ns}\n".encode())
        _PACKAGE_DIGEST.append(digest.hexdigest())
    return _PACKAGE_DIGEST[0]
