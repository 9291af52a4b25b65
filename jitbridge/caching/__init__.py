"""cache=True: compiled specialisations stored on disk and loaded by later processes.

Input: a dispatcher's function and options, then argument types. Output: a CompileResult
loaded from object code without running the compiler, or None (a miss: the caller compiles
and calls `save`). See docs/caching.md for what invalidates an entry.
"""
from __future__ import annotations

import collections
import hashlib
import importlib
import os
import pickle
import secrets
import sys
import warnings

import llvmlite

from .. import config
from ..codegen import CodeLibrary, get_codegen, object_symbol, symbol_recipe
from ..compiler import ensure_runtime, loaded_result
from ..errors import JitBridgeWarning
from ..registry import extension_files
from ..utils import imported
from . import runtime_code, store
from .fingerprint import (Unfingerprintable, file_digest, function_fingerprint, is_library,
                          package_digest)

#: bumped when the layout of an entry changes: older entries then read as misses
FORMAT = 1
#: entries kept per function (closures over many values, many argument types)
MAX_ENTRIES = 64


class CacheStats:
    """What `dispatcher.stats` reports (Numba's names): where the cache lives, and per
    argument types how many specialisations were loaded from it or compiled anew."""

    def __init__(self, cache_path: str | None):
        self.cache_path = cache_path
        self.cache_hits: collections.Counter = collections.Counter()
        self.cache_misses: collections.Counter = collections.Counter()


class FunctionCache:
    """The on-disk cache of one dispatcher's specialisations."""

    def __init__(self, py_func, options: dict):
        self.py_func = py_func
        self.folder = store.cache_folder(py_func.__code__.co_filename)
        self.base = store.base_name(py_func)
        self.options = repr(sorted((k, repr(v)) for k, v in options.items() if k != "cache"))
        self.stats = CacheStats(self.folder)
        self.disabled_because = None
        if self.folder is None:
            self._disable("as no cache folder can be written (set JITBRIDGE_CACHE_DIR)")

    # -- names --------------------------------------------------------------------------------
    @property
    def index_path(self) -> str:
        return os.path.join(self.folder, f"{self.base}.nbi")

    def _data_path(self, key: str) -> str:
        return os.path.join(self.folder, f"{self.base}.{key[:16]}.nbc")

    def native_name(self, name: str) -> str:
        """A symbol no other process's compilation of this function uses: loaded entries of
        several processes share one JIT here."""
        return f"{name}.{secrets.token_hex(6)}"

    def key(self, argtypes, return_type, fingerprint: str) -> str:
        """The digest of everything a specialisation's code is fixed by: the function's
        fingerprint (source, frozen values, callees), the types, options, the versions of
        jitbridge, llvmlite and Python, and the target machine."""
        parts = (FORMAT, fingerprint, config.VERSION, package_digest(), llvmlite.__version__,
                 sys.version_info[:2], get_codegen().target_description(), self.options,
                 pickle.dumps((tuple(argtypes), return_type), protocol=4))
        return hashlib.sha256(repr(parts).encode()).hexdigest()

    def fingerprint(self) -> str | None:
        """The function's current fingerprint, or None (and caching off) when a frozen value
        cannot be digested."""
        if self.disabled_because:
            return None
        try:
            return function_fingerprint(self.py_func)
        except Unfingerprintable as exc:
            self._disable(f"as it freezes a {exc} whose content cannot be compared")
            return None

    # -- loading ------------------------------------------------------------------------------
    def load(self, argtypes, return_type, fingerprint: str | None):
        """The cached CompileResult for these types, or None."""
        entry = self.load_entry(argtypes, return_type, fingerprint)
        if entry is None:
            return None
        return loaded_result(entry["library"], entry["signature"], entry["native_name"],
                             self.py_func.__qualname__, self.py_func.__module__)

    def load_entry(self, argtypes, return_type, fingerprint: str | None) -> dict | None:
        """The cached entry for these types, its code loaded (`entry["library"]`), or None."""
        if fingerprint is None:
            return None
        key = self.key(argtypes, return_type, fingerprint)
        index = store.read(self.index_path)
        if not index or key not in index.get("entries", ()):
            return None
        entry = store.read(self._data_path(key))
        if not entry or entry.get("key") != key or not _unchanged(entry["extensions"]) \
                or not _bind_symbols(entry["symbols"]):
            return None
        entry["library"] = CodeLibrary.from_object_code(
            get_codegen(), entry["native_name"], entry["object"], entry["bitcode"],
            entry["exports"])
        self.stats.cache_hits[tuple(argtypes)] += 1
        return entry

    # -- saving -------------------------------------------------------------------------------
    def save(self, argtypes, return_type, fingerprint: str | None, result) -> None:
        """Store a specialisation just compiled (its library kept its object code)."""
        self.save_library(argtypes, return_type, fingerprint, result.library,
                          result.native_name, result.signature)

    def save_library(self, argtypes, return_type, fingerprint: str | None,
                     library: CodeLibrary, native_name: str, signature) -> None:
        """Store `library` (finalized with its object code kept) as the entry for these
        types; `native_name` and `signature` come back with it."""
        self.stats.cache_misses[tuple(argtypes)] += 1
        if fingerprint is None or library.object_code is None:
            return
        blockers = [local for local in library.process_locals() if not local.recreatable]
        if blockers and all(local.kind == "pending slot" for local in blockers):
            return  # mutual recursion compiled from its other end: a later process stores it
        if blockers:
            self._warn(f"as it uses dynamic globals: {blockers[0].reason()}")
            return
        key = self.key(argtypes, return_type, fingerprint)
        entry = {"key": key, "native_name": native_name, "signature": signature,
                 "object": library.object_code, "bitcode": library.clone_module().as_bitcode(),
                 "exports": sorted(library.exports), "symbols": _symbol_recipes(library),
                 "extensions": _extension_digests()}
        if store.write(self._data_path(key), entry):
            self._add_to_index(key)
            runtime_code.save(ensure_runtime())

    def _add_to_index(self, key: str) -> None:
        """Name the new entry in the index, dropping the oldest beyond `MAX_ENTRIES` (stale
        ones: an older source or older frozen values). A concurrent writer's entry may be
        dropped: that costs it a recompile, never a wrong load."""
        index = store.read(self.index_path)
        entries = index.get("entries", {}) if isinstance(index, dict) else {}
        entries.pop(key, None)
        entries[key] = os.path.basename(self._data_path(key))
        for old in list(entries)[:-MAX_ENTRIES]:
            store.remove(os.path.join(self.folder, entries.pop(old)))
        store.write(self.index_path, {"format": FORMAT, "entries": entries})

    def _disable(self, reason: str) -> None:
        self.disabled_because = reason
        self._warn(reason)

    def _warn(self, reason: str) -> None:
        # the first words are Numba's message
        warnings.warn(f'Cannot cache compiled function "{self.py_func.__qualname__}" {reason} '
                      f"(in {self.py_func.__module__}); it is compiled in every process",
                      JitBridgeWarning, stacklevel=2)


def _extension_digests() -> dict:
    """Source file -> digest of each user module that registered an extension: the code may
    embed what they define (an @overload's body), which no fingerprint of the function sees."""
    return {filename: file_digest(filename) for module, filename in extension_files().items()
            if not is_library(module)}


def _unchanged(digests: dict) -> bool:
    return all(file_digest(filename) == digest for filename, digest in digests.items())


def _symbol_recipes(library: CodeLibrary) -> dict:
    """Each symbol the code needs from outside -> how a loading process binds it."""
    return {name: symbol_recipe(name) for name in library.undefined_symbols
            if not name.startswith("llvm.")}


def _bind_symbols(symbols: dict) -> bool:
    """Bind what the entry's code refers to; False when a symbol stays unresolved (loading
    the code then would abort the process in the JIT linker)."""
    ensure_runtime()
    for recipe in set(symbols.values()):
        if recipe.startswith("import ") and not _import(recipe.removeprefix("import ")):
            return False
        if recipe.startswith("call ") and not _call(recipe.removeprefix("call ")):
            return False
    codegen = get_codegen()
    return all(codegen.resolves(name) for name in symbols)


def _call(target: str) -> bool:
    """Run the function `module:qualname` that defines symbols (a runtime library built on
    first use); False if it fails."""
    module, _, qualname = target.partition(":")
    try:
        importlib.import_module(module)
        imported(module, qualname)()
    except Exception:
        return False
    return True


def _import(target: str) -> bool:
    """Import `module` or `module:qualname` (binding the object's symbol); False if absent."""
    module, _, qualname = target.partition(":")
    try:
        importlib.import_module(module)
    except Exception:
        return False
    if not qualname:
        return True
    found = imported(module, qualname)
    return found is not None and object_symbol(found) is not None
