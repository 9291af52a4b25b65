"""The runtime helpers' object code on disk: every process needs them before its first call,
and building them (LLVM optimisation and code generation) costs more than loading a cached
function. Stored once a cache=True function is saved; loaded by any later process of the
same jitbridge, llvmlite and Python on the same machine type.
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


def _path() -> str:
    parts = (FORMAT, config.VERSION, package_digest(), llvmlite.__version__,
             sys.version_info[:2], get_codegen().target_description())
    key = hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    return os.path.join(config.CACHE_DIR or store.user_cache_root(), f"jitbridge-runtime.{key}.nbc")


def load() -> tuple | None:
    """(object code, bitcode) of the runtime, when stored for this jitbridge and machine."""
    entry = store.read(_path())
    return (entry["object"], entry["bitcode"]) if isinstance(entry, dict) else None


def save(runtime) -> None:
    """Store the runtime built by this process (once; not if it was loaded)."""
    library = runtime.library
    path = _path()
    if runtime.loaded or library.object_code is None or os.path.exists(path):
        return
    if store.usable(os.path.dirname(path)):
        store.write(path, {"object": library.object_code,
                           "bitcode": library.clone_module().as_bitcode()})


helpers.RUNTIME_CODE_STORE[:] = [load]
