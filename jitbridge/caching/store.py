"""Cache files: where they live, and reading and writing them safely.

One function has one index file (`<module>.<qualname>-<line>.py311.jitbridge.nbi`) naming its
cached specialisations, and one data file per specialisation (`...jitbridge.<key>.nbc`), in the
`__pycache__` folder beside its source file, in `config.CACHE_DIR` ($JITBRIDGE_CACHE_DIR), or,
where neither can be written, in a per-user folder. Every file carries a digest of its
contents: a truncated, corrupt or foreign file reads as missing (recompiled), never as code.
Writes go to a temporary file renamed into place, so processes sharing a cache never see half
a file.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile

from .. import config

_MAGIC = b"jitbridge-cache-1\n"
_DIGEST = 32


def cache_folder(source_file: str) -> str | None:
    """The folder for the cache files of functions defined in `source_file` (None: none can
    be written)."""
    override = config.CACHE_DIR
    if override:
        return usable(os.path.join(override, _flattened(source_file)))
    if os.path.isfile(source_file):
        beside = usable(os.path.join(os.path.dirname(os.path.abspath(source_file)),
                                      "__pycache__"))
        if beside is not None:
            return beside
    return usable(os.path.join(user_cache_root(), _flattened(source_file)))


def _flattened(path: str) -> str:
    """A folder name standing for the folder of `path` (distinct folders never share one)."""
    folder = os.path.dirname(os.path.abspath(path)) if os.sep in path else path
    readable = "".join(c if c.isalnum() else "_" for c in folder)[-60:]
    return f"{readable}-{hashlib.sha256(folder.encode()).hexdigest()[:12]}"


def user_cache_root() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "jitbridge")


def usable(folder: str) -> str | None:
    """`folder`, created if needed, when this process can write there."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def base_name(func) -> str:
    """`<module file stem>.<qualname>-<first line>.py<version>.jitbridge`, the prefix of its
    files."""
    stem = os.path.splitext(os.path.basename(func.__code__.co_filename))[0]
    stem = "".join(c if c.isalnum() or c in "_-" else "_" for c in stem) or "source"
    qualname = func.__qualname__.replace("<locals>", "locals").replace("<lambda>", "lambda")
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    # Numba's extensions (.nbi, .nbc: users' cleanup scripts and ignore rules match them),
    # never Numba's names: a module run by both keeps two caches that ignore each other
    return f"{stem}.{qualname}-{func.__code__.co_firstlineno}.{version}.jitbridge"


def read(path: str):
    """The object stored at `path`, or None when it is missing, truncated or corrupt."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    header = len(_MAGIC) + _DIGEST
    if not data.startswith(_MAGIC) or len(data) < header:
        return None
    body = data[header:]
    if hashlib.sha256(body).digest() != data[len(_MAGIC):header]:
        return None
    try:
        return pickle.loads(body)
    except Exception:  # (a digest collision is beyond reach; a foreign pickle is not)
        return None


def write(path: str, value) -> bool:
    """Store `value` at `path` atomically; False when the folder cannot be written."""
    body = pickle.dumps(value, protocol=4)
    data = _MAGIC + hashlib.sha256(body).digest() + body
    folder = os.path.dirname(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
        return True
    except OSError:
        remove(temporary)
        return False


def remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
