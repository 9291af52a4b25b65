"""Pickling jitted functions by value, for the ones pickle cannot name: closures, nested and
`__main__` functions, lambdas, exec'd code whose text was registered.

The payload carries what another process needs to compile the function: its bytecode (marshal,
so both sides run the same Python version), its source block, names, defaults, closure cell
values and the globals its code names (modules by name, other values by value, through the same
pickler, so a global that is itself a jitted closure travels too). The receiver registers the
text under a synthetic file name (never a real file's) and rebuilds the function and its
dispatcher or cfunc once per payload key: unpickling it again gives the same object, so its
compiled code is reused. See docs/pickling.md.
"""
from __future__ import annotations

import builtins
import collections
import copyreg
import hashlib
import importlib
import importlib.util
import itertools
import linecache
import marshal
import os
import pickle
import platform
import re
import threading
import types
import weakref

from .frontend.source import captured_lines, def_block, register_source
from .utils import code_names, imported

#: a main script's module: under spawn and forkserver a worker re-imports it as __mp_main__
_MAIN_MODULES = ("__main__", "__mp_main__")
#: this process in payload keys (the pid is added when used: a fork inherits the token)
_TOKEN = os.urandom(8).hex()
_SERIALS = itertools.count()
_lock = threading.RLock()
#: object -> its payload key: made once per sent object, kept by the objects rebuilt from it
_keys: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: key -> the object rebuilt for it; strong (a Pool worker drops the function after each task)
#: but bounded, as a long-lived worker may receive many different closures
_memo: collections.OrderedDict = collections.OrderedDict()
_MEMO_SIZE = 256
#: rebuilt object -> (kind, extra): the only objects _set_state changes (the value must not
#: refer to the object: its function's globals may, and a weak key would then never die)
_rebuilt: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SYNTHETIC = re.compile(r"<jitbridge-pickled (.*) [0-9a-f]{12}>")


class _Empty:
    """An empty closure cell (a recursive inner def referred to before it was bound)."""


class _Module:
    """A module a function uses as a global: unpickled by importing it by name."""

    def __init__(self, name: str):
        self.name = name

    def __reduce__(self):
        return importlib.import_module, (self.name,)


def by_reference(obj) -> bool:
    """Whether any process can find `obj` by name: its module, not a main script (which
    another process may lack or define differently), holds it under its qualified name."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", "")
    return module not in _MAIN_MODULES and imported(module, qualname) is obj


def reduce_by_value(obj, func, kind, extra: tuple, deferred: bool = True) -> tuple:
    """The reduce value giving `kind.make(function, *extra)` in another process, the function
    rebuilt from `func`'s payload. Deferred, the globals and closure values travel as pickle
    state, set once the object exists, so functions referring to each other (or themselves)
    pickle; `kind.finish(obj, *extra)` then runs. Else (a cfunc compiles when made) they
    travel in the arguments."""
    header, state = _header(obj, func), _state(func)
    if not deferred:
        return _rebuild_now, (kind, header, extra, state)
    return _rebuild, (kind, header, extra), state, None, None, _set_state


# -- the sending side --------------------------------------------------------------------------
def _header(obj, func) -> dict:
    code = func.__code__
    lines, first_line = _source_block(func)
    return {"magic": importlib.util.MAGIC_NUMBER, "python": platform.python_version(),
            "key": _key(obj, code), "code": marshal.dumps(code), "source": "".join(lines),
            "first_line": first_line, "filename": _original_filename(code.co_filename),
            "name": func.__name__, "qualname": func.__qualname__, "module": func.__module__,
            "defaults": func.__defaults__, "kwdefaults": func.__kwdefaults__,
            "main": func.__module__ in _MAIN_MODULES}


def _key(obj, code) -> str:
    """The payload key: the sending object's identity (process token, pid, serial) and code.
    Not the values: two closures of one code over different values are different functions."""
    with _lock:
        key = _keys.get(obj)
        if key is None:
            sender = f"{_TOKEN}:{os.getpid()}:{next(_SERIALS)}".encode()
            key = _keys[obj] = hashlib.sha256(sender + marshal.dumps(code)).hexdigest()[:32]
        return key


def _source_block(func) -> tuple:
    """(lines, number of the first) of the text the frontend compiles `func` from: the def
    block of the text captured at decoration (else the file's), a lambda's whole file (it
    may sit inside a longer statement)."""
    code = func.__code__
    lines = captured_lines(func) or _current_lines(func)
    if code.co_name == "<lambda>" and 0 < code.co_firstlineno <= len(lines):
        return lines, 1
    found = def_block(func, lines)
    if found is None:
        raise _no_source(func)
    return found


def _current_lines(func) -> list:
    """linecache's copy, unchecked: the frontend refreshes it when it reads a file, so it
    holds the text last compiled, even once the file is gone (a cfunc, compiled when made)."""
    return linecache.getlines(func.__code__.co_filename, func.__globals__)


def _no_source(func) -> pickle.PicklingError:
    return pickle.PicklingError(
        f"cannot pickle jitted function {func.__qualname__!r} by value: the source of "
        f"{func.__code__.co_filename!r} is not available, and another process compiles from "
        "source; define it in a file, or run its text with jitbridge.compile_source(text)")


def _original_filename(filename: str) -> str:
    """A function rebuilt here and pickled again keeps its first file name."""
    found = _SYNTHETIC.fullmatch(filename)
    return found.group(1) if found else filename


def _state(func) -> tuple:
    """(frozen globals, closure values): the globals named by the code (nested code included)
    that the function's module defines (builtins are the receiver's), and its cells."""
    code, scope = func.__code__, func.__globals__
    frozen = {name: _shippable(func, "global", name, scope[name])
              for name in sorted(code_names(code)) if name in scope}
    closure = [_cell_value(func, name, cell)
               for name, cell in zip(code.co_freevars, func.__closure__ or ())]
    return frozen, closure


def _cell_value(func, name: str, cell):
    try:
        value = cell.cell_contents
    except ValueError:
        return _Empty
    return _shippable(func, "closure variable", name, value)


#: values pickle saves by name or itself, whose __reduce_ex__ would wrongly refuse them
_SAVED_BY_PICKLE = (type, types.FunctionType, types.BuiltinFunctionType)


def _shippable(func, what: str, name: str, value):
    """`value` as it travels (a module by name), after a shallow check that it pickles, so
    that a failure names the function and the global rather than only the value's type."""
    if isinstance(value, types.ModuleType):
        return _Module(value.__name__)
    if isinstance(value, tuple):
        for item in value:
            _shippable(func, what, name, item)
    elif not _trusted(value):
        try:
            value.__reduce_ex__(pickle.DEFAULT_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - any refusal: reported with its reason
            raise pickle.PicklingError(
                f"cannot pickle jitted function {func.__qualname__!r} by value: its {what} "
                f"{name!r} ({type(value).__name__}) does not pickle: {exc}") from None
    return value


def _trusted(value) -> bool:
    """Values not worth a trial reduce: pickled by name, by a registered reducer, or by
    NumPy or jitbridge (whose reduce may be costly, or recurse into this module)."""
    kind = type(value)
    return (isinstance(value, _SAVED_BY_PICKLE) or kind in copyreg.dispatch_table
            or kind.__module__.partition(".")[0] in ("numpy", "jitbridge"))


# -- the receiving side ------------------------------------------------------------------------
def _rebuild(kind, header: dict, extra: tuple):
    """Unpickling, first step: the object for a payload (its globals come in _set_state)."""
    return _obtain(kind, header, extra, None)


def _rebuild_now(kind, header: dict, extra: tuple, state: tuple):
    """Unpickling an object that compiles when made: with its globals and closure."""
    return _obtain(kind, header, extra, state)


def _set_state(obj, state: tuple) -> None:
    """Unpickling, second step: the sender's current globals and closure values into the
    function rebuilt here (on a memo hit as well, as the sender's own function would see
    them for its next compilation); an object found by reference keeps its own."""
    record = _rebuilt.get(obj)
    if record is None:
        return
    kind, extra = record
    _apply(obj.py_func, state)
    kind.finish(obj, *extra)


def _obtain(kind, header: dict, extra: tuple, state):
    _check_python(header)
    code = marshal.loads(header["code"])
    key = header["key"]
    with _lock:
        found = _memo.get(key)
        if found is None:
            found = _main_match(kind, header, code, extra)
        if found is None:
            found = _make(kind, header, code, extra, state)
        _memo[key] = found
        _memo.move_to_end(key)
        while len(_memo) > _MEMO_SIZE:
            _memo.popitem(last=False)
        return found


def _check_python(header: dict) -> None:
    if header["magic"] != importlib.util.MAGIC_NUMBER:
        raise pickle.UnpicklingError(
            f"cannot unpickle jitted function {header['qualname']!r}: it was pickled by value "
            f"by Python {header['python']}, whose bytecode Python {platform.python_version()} "
            "cannot load; run the same Python version in every process")


def _main_match(kind, header: dict, code, extra: tuple):
    """The receiver's own `__main__` function of that name, when it is the same code with the
    same options (a fork inherits it, a spawn worker re-imports the script): its compiled
    code is then shared. Else (python -c, stdin, another script) None."""
    if not header["main"]:
        return None
    candidate = imported("__main__", header["qualname"])
    return candidate if candidate is not None and kind.same(candidate, code, *extra) else None


def _make(kind, header: dict, code, extra: tuple, state):
    filename = _register(header)
    scope = {"__builtins__": builtins, "__name__": header["module"]}
    cells = tuple(types.CellType() for _ in code.co_freevars) or None
    func = types.FunctionType(_renamed(code, filename), scope, header["name"],
                              header["defaults"], cells)
    func.__qualname__, func.__kwdefaults__ = header["qualname"], header["kwdefaults"]
    if state is not None:
        _apply(func, state)
    obj = kind.make(func, *extra)
    _rebuilt[obj] = (kind, extra)
    _keys[obj] = header["key"]
    return obj


def _register(header: dict) -> str:
    """The source under a name no real file has, padded so line numbers stay the file's;
    named after the text, not the key: many closures of one code share one entry."""
    text = "\n" * (header["first_line"] - 1) + header["source"]
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    filename = f"<jitbridge-pickled {header['filename']} {digest}>"
    register_source(text, filename)
    return filename


def _renamed(code, filename: str):
    consts = tuple(_renamed(c, filename) if isinstance(c, types.CodeType) else c
                   for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def _apply(func, state: tuple) -> None:
    frozen, closure = state
    func.__globals__.update(frozen)
    for cell, value in zip(func.__closure__ or (), closure):
        if value is not _Empty:
            cell.cell_contents = value
