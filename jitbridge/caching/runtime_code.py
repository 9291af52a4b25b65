"""The runtime helpers' object code on disk: every process needs them before its first call,
and building them (LLVM optimisation and code generation, ~120 ms) costs more than compiling a
small function. Stored by the first process that builds them (as Numba ships its runtime
compiled); loaded by any later process of the same jitbridge, llvmlite and Python on the same
machine type. The newest `KEEP` files are kept: a checkout under development makes a new key
whenever a source file changes.
"""
from __future__ import annotations

import hashlib
import os
import sys

import llvmlite

from .. import config
from ..codegen import get_codegen
from ..runtime import helpers
from . import store
from .fingerprint import package_digest

FORMAT = 1
#: runtime files kept in one folder (several jitbridge versions or machines may share it)
KEEP = 8
_PREFIX = "jitbridge-runtime."


def _path() -> str:
    parts = (FORMAT, config.VERSION, package_digest(), llvmlite.__version__,
             sys.version_info[:2], get_codegen().target_description())
    key = hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    return os.path.join(config.CACHE_DIR or store.user_cache_root(), f"{_PREFIX}{key}.nbc")


def load() -> tuple | None:
    """(object code, bitcode) of the runtime, when stored for this jitbridge and machine."""
    entry = store.read(_path())
    return (entry["object"], entry["bitcode"]) if isinstance(entry, dict) else None


def save(runtime) -> None:
    """Store the runtime built by this process (not if it was loaded; a damaged or missing
    file is written again)."""
    library = runtime.library
    path = _path()
    if runtime.loaded or library.object_code is None:
        return
    folder = os.path.dirname(path)
    if store.usable(folder) and store.write(path, {"object": library.object_code,
                                                     "bitcode": library.clone_module().as_bitcode()}):
        _prune(folder)


def _prune(folder: str) -> None:
    """Remove all but the `KEEP` most recently written runtime files of `folder`."""
    try:
        paths = [entry.path for entry in os.scandir(folder)
                 if entry.name.startswith(_PREFIX) and entry.name.endswith(".nbc")]
        paths.sort(key=lambda path: os.stat(path).st_mtime_ns, reverse=True)
        for stale in paths[KEEP:]:
            os.remove(stale)
    except OSError:  # (another process pruning at the same time)
        pass


helpers.RUNTIME_CODE_STORE[:] = [load, save]
