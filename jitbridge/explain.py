"""Why a function does not compile, with every error found: `explain(func, sig)` and
`python -m jitbridge explain path/to/file.py:func [--args 'float64[:], int64']`.

Typing runs in collect mode (`typing.infer.collecting_errors`): it reports each statement that
fails, not only the first, and skips statements that merely read what a failed one assigned.
A file is imported with Numba's module names mapped to jitbridge (as `python -m jitbridge run`
does) and with eager compilation deferred, so a function whose decorator signature fails can
still be imported and explained.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import inspect
import os
import sys

from . import compat, decorators, types
from .compiler import compile_function
from .dispatch import Dispatcher, make_dispatcher, parse_signature_spec
from .errors import CompilerError
from .types.parse import TypeParseError
from .typing.infer import TypingErrors, collecting_errors

USAGE = "python -m jitbridge explain path/to/file.py:func [--args 'float64[:], int64']"


class TargetError(Exception):
    """The target of `explain` cannot be found or its types cannot be read (exit status 2)."""


def explain(func, sig) -> list:
    """The errors compiling `func` (a jitted or plain function) for `sig` meets, in statement
    order; [] when it compiles. `sig` is any signature form @njit accepts."""
    dispatcher = func if isinstance(func, Dispatcher) else make_dispatcher(func)
    argtypes, return_type = parse_signature_spec(sig)
    try:
        with collecting_errors():
            compile_function(dispatcher.py_func, argtypes, return_type, dispatcher=dispatcher,
                             locals=dispatcher.targetoptions.get("locals"))
    except TypingErrors as exc:
        return exc.errors
    except CompilerError as exc:
        return [exc]
    return []


# -- finding the function -----------------------------------------------------------------------

@contextlib.contextmanager
def _deferred_signatures(recorded: dict):
    """While importing: `@njit(sig)` creates its dispatcher without compiling `sig` (which
    would raise at import the very error to explain) and records `sig` in `recorded`."""
    make = decorators.make_dispatcher

    def deferring(py_func, signatures=(), **options):
        recorded[py_func] = tuple(signatures)
        return make(py_func, (), **options)
    decorators.make_dispatcher = deferring
    try:
        yield
    finally:
        decorators.make_dispatcher = make


def load_target(target: str, recorded: dict):
    """The object `target` (`file.py:name`, `package.module:name`) names."""
    where, sep, name = target.rpartition(":")
    if not sep or not where or not name:
        raise TargetError(f"bad target {target!r}: expected file.py:func or module:func")
    compat.install()
    with _deferred_signatures(recorded):
        module = _import(where)
    value = module
    for part in name.split("."):
        if not hasattr(value, part):
            raise TargetError(f"{where} has no function {name!r}")
        value = getattr(value, part)
    if not isinstance(value, Dispatcher) and not inspect.isfunction(value):
        raise TargetError(f"{target} is a {type(value).__name__}, not a function")
    return value


def _import(where: str):
    if not (where.endswith(".py") or os.sep in where):
        try:
            return importlib.import_module(where)
        except ImportError as exc:
            raise TargetError(f"cannot import module {where!r}: {exc}") from None
    if not os.path.isfile(where):
        raise TargetError(f"no such file: {where}")
    return _import_file(os.path.abspath(where), where)


def _import_file(path: str, where: str):
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise TargetError(f"{where} is not a Python file")
    sys.path.insert(0, os.path.dirname(path))  # its sibling modules import, as under `run`
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pickling and source lookup find it by name
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # the program itself fails at import: nothing to explain
        raise TargetError(f"importing {where} failed: {type(exc).__name__}: {exc}") from None
    return module


def signatures_to_explain(func, args: str | None, recorded: dict) -> list:
    """The signatures to try: `--args`, else the decorator's, else those compiled already."""
    if args is not None:
        return [_parse_args(args)]
    py_func = getattr(func, "py_func", func)
    found = list(recorded.get(py_func, ())) or list(getattr(func, "signatures", ()))
    if not found:
        raise TargetError(f"{py_func.__name__} has no signature in its decorator: give the "
                          "argument types, e.g. --args 'float64[:], int64'")
    return found


def _parse_args(text: str):
    """`float64[:], int64` (or a whole signature) as a tuple of types or a Signature."""
    try:
        argtypes, return_type = _parse_either(text)
    except TypeParseError as exc:
        raise TargetError(f"cannot read --args {text!r}: {exc}") from None
    return argtypes if return_type is None else types.Signature(return_type, argtypes)


def _parse_either(text: str) -> tuple:
    try:
        return parse_signature_spec(text)
    except TypeParseError:
        return parse_signature_spec(f"({text},)" if text.strip() else "()")


# -- the command --------------------------------------------------------------------------------

def format_error(error) -> str:
    """`file:line: message`, then the source line with a caret under the expression."""
    loc = error.loc
    if loc is None:
        return error.msg
    excerpt = loc.excerpt() if loc.col or loc.end_col else ""
    head = f"{loc.filename}:{loc.line}: {error.msg}"
    return f"{head}\n{excerpt}" if excerpt else head


def _report(func, sig) -> int:
    """Print what compiling `func` for `sig` meets; the number of errors."""
    argtypes = parse_signature_spec(sig)[0]
    name = getattr(func, "__name__", str(func))
    shown = f"{name}({', '.join(map(str, argtypes))})"
    errors = explain(func, sig)
    for error in errors:
        print(format_error(error))
    if errors:
        count = len(errors)
        print(f"{count} error{'s' if count != 1 else ''} in {shown}")
    else:
        print(f"{shown} compiles")
    return len(errors)


def main(argv: list) -> int:
    """`python -m jitbridge explain TARGET [--args TYPES]`: 0 compiles, 1 errors, 2 bad use."""
    parser = argparse.ArgumentParser(prog="python -m jitbridge explain", usage=USAGE,
                                     description="Show every error compiling a function meets.")
    parser.add_argument("target", help="file.py:func or package.module:func")
    parser.add_argument("--args", help="argument types, e.g. 'float64[:], int64' (default: "
                                       "the signatures of the function's decorator)")
    options = parser.parse_args(argv)
    try:
        recorded: dict = {}
        func = load_target(options.target, recorded)
        signatures = signatures_to_explain(func, options.args, recorded)
    except TargetError as exc:
        print(f"jitbridge explain: {exc}", file=sys.stderr)
        return 2
    failed = [_report(func, sig) for sig in signatures]
    return 1 if any(failed) else 0
