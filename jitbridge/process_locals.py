"""What generated code takes from this process: symbols bound to addresses here (NumPy's
C API, runtime helpers, Python objects by import path) and the records saying what each is and
how another process binds it again (`ProcessLocal`). Libraries collect the records of what
their code refers to (codegen.py); the cache stores them with the code (caching/)."""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

import llvmlite.binding as llvm
from llvmlite import ir

from .utils import imported

_lock = threading.Lock()


@dataclass(frozen=True)
class ProcessLocal:
    """Something generated code refers to that lives in this process. `recipe` says how another
    process re-creates it (empty: it cannot); `address` is the raw address embedded, if any.
    `tier0_only`: part of the tiering machinery (runtime/tiering.py), which only tier-0 code
    refers to: its library reports what the full-level code, the one a cache stores, needs."""

    kind: str
    description: str
    recipe: str = ""
    address: int = 0
    tier0_only: bool = False

    @property
    def recreatable(self) -> bool:
        return bool(self.recipe)

    def reason(self) -> str:
        """Why code embedding this cannot be loaded in another process."""
        return f"{self.kind}: {self.description}, which exists only in this process"


#: Named metadata of an llvmlite module: one !{kind, description, recipe} node per record (the
#: calling convention writes it: it has no library at hand).
PROCESS_LOCALS = "jitbridge.process_locals"
#: symbol name -> the ProcessLocal it stands for (bound by `add_symbol` or `note_symbol`)
_SYMBOLS: dict = {}
#: symbols the dynamic linker finds (CPython's, libc's: in every process)
_IN_PROCESS: set = set()
#: objects bound to `jb.pyobj:` symbols, to never rebind one name to another object
_BOUND_OBJECTS: dict = {}


def recorded_in(module: ir.Module) -> list:
    """The ProcessLocal records in `module`'s PROCESS_LOCALS metadata."""
    node = module.namedmetadata.get(PROCESS_LOCALS)
    if node is None:
        return []
    return [ProcessLocal(*(op.string for op in md.operands)) for md in node.operands]


def _symbol_record(name: str) -> "ProcessLocal | None":
    local = _SYMBOLS.get(name)
    if local is not None or name.startswith("llvm."):
        return local
    if name in _IN_PROCESS:
        return None
    if llvm.address_of_symbol(name) is None:  # (not remembered: jitted symbols come and go)
        return ProcessLocal("symbol", f"the symbol {name!r} of code compiled in this process")
    _IN_PROCESS.add(name)
    return None


def note_symbol(name: str, local: ProcessLocal) -> None:
    """Say what symbol `name` (defined or bound elsewhere) stands for, for the libraries whose
    code refers to it."""
    _SYMBOLS[name] = local


def object_symbol(obj) -> str | None:
    """A symbol bound to the address of `obj`, which lives as long as the process (a class, a
    module-level object): another process binds it again by importing `obj`. None when `obj`
    is not importable by its name (a local class) or a different object took that name."""
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or \
            imported(module, qualname) is not obj:
        return None
    name = f"jb.pyobj:{module}:{qualname}"
    with _lock:
        bound = _BOUND_OBJECTS.setdefault(name, obj)
        if bound is not obj:
            return None  # the name now means another object (a reloaded module)
        if name not in _SYMBOLS:
            add_symbol(name, id(obj), ProcessLocal(
                "object", f"{module}.{qualname}", f"import {module}:{qualname}"))
    return name


def add_symbol(name: str, address: int, local: ProcessLocal | None = None) -> None:
    """Make `name` resolve to `address` in JIT-compiled code (e.g. NumPy C-API functions);
    `local` says what it is and how another process binds it again (by default: the module
    that binds it does so again when imported)."""
    if local is None:
        module = sys._getframe(1).f_globals.get("__name__", "?")
        local = ProcessLocal("symbol", f"the symbol {name!r}", f"import {module}")
    note_symbol(name, local)
    llvm.add_symbol(name, address)


def forget_symbol(name: str) -> None:
    """Drop the record of `name`, bound to something that is gone (a tier-0 heat counter
    freed with the last code referring to it: no code compiled later names it)."""
    _SYMBOLS.pop(name, None)


def symbol_recipe(name: str) -> str:
    """How another process binds `name` again ("" when nothing needs doing: CPython's, libc's,
    or when it cannot)."""
    local = _SYMBOLS.get(name)
    return local.recipe if local is not None else ""
