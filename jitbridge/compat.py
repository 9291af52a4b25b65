"""Run Numba programs unchanged: once `install()` ran, `import numba` (and every `numba.*`
path, and `numba_passthru`) imports jitbridge; `python -m jitbridge run script.py [args]` does
that, then runs the script as `__main__`. See docs/migration.md for what differs.
Numba's NUMBA_CACHE_DIR, NUMBA_OPT, NUMBA_DISABLE_JIT and NUMBA_BOUNDSCHECK are honoured too.
"""
from __future__ import annotations

import os
import runpy
import sys

from . import config
from .aliases import FINDER

NUMBA_NAMES = {"numba": "jitbridge", "numba_passthru": "jitbridge.passthru"}
#: Numba's environment variables and the jitbridge settings they stand for, when the
#: jitbridge variable is not set
NUMBA_ENVIRONMENT = {"NUMBA_CACHE_DIR": ("JITBRIDGE_CACHE_DIR", "CACHE_DIR", str),
                     "NUMBA_OPT": ("JITBRIDGE_OPT", "OPT_LEVEL", int),
                     "NUMBA_DISABLE_JIT": ("JITBRIDGE_DISABLE_JIT", "DISABLE_JIT",
                                           lambda text: bool(int(text))),
                     "NUMBA_BOUNDSCHECK": ("JITBRIDGE_BOUNDSCHECK", "BOUNDSCHECK",
                                           lambda text: bool(int(text)) if text else None)}


def install() -> None:
    """Map Numba's module names to jitbridge for the rest of this process."""
    for name in NUMBA_NAMES:
        loaded = sys.modules.get(name)
        if loaded is not None and not loaded.__name__.startswith("jitbridge"):
            raise RuntimeError(f"{name!r} is already imported (the real package): call "
                               "jitbridge.compat.install() before anything imports it")
    FINDER.add(NUMBA_NAMES)
    _honour_numba_environment()


def _honour_numba_environment() -> None:
    for numba_name, (own_name, setting, convert) in NUMBA_ENVIRONMENT.items():
        value = os.environ.get(numba_name)
        if value is not None and own_name not in os.environ:
            try:
                setattr(config, setting, convert(value))
            except ValueError:
                pass  # as jitbridge's own variables: an unreadable value keeps the default


def run(argv: list) -> int:
    """`python -m jitbridge run script.py [args]` or `run -m module [args]`."""
    if not argv or argv[0] in ("-h", "--help") or (argv[0] == "-m" and len(argv) < 2):
        print("usage: python -m jitbridge run script.py [args...]\n"
              "       python -m jitbridge run -m module [args...]\n"
              "Runs a program written for Numba on jitbridge: `import numba` imports jitbridge.")
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    install()
    if argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(argv)
        sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
        runpy.run_path(argv[0], run_name="__main__")
    return 0
