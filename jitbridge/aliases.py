"""Module paths that are other names of a module: Numba's layout inside jitbridge
(`jitbridge.core.types` *is* `jitbridge.types`), and, once `jitbridge.compat.install()` ran,
`numba.*` as `jitbridge.*`.

An alias binds the very module object (never a copy: a second copy of `jitbridge.types` would
define a second `Array` class), and its submodules alias too. A path that maps to nothing
fails with the ModuleNotFoundError Python gives, naming both paths. Leaf module: imported
first by `jitbridge/__init__.py`.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import threading

#: Numba's module paths (since 0.49) for modules jitbridge keeps at its top level
NUMBA_LAYOUT = {
    "jitbridge.core.types": "jitbridge.types",
    "jitbridge.core.errors": "jitbridge.errors",
    "jitbridge.core.config": "jitbridge.config",
    "jitbridge.core.extending": "jitbridge.extending",
    "jitbridge.core.typing": "jitbridge.typing",
    "jitbridge.core.typing.templates": "jitbridge.typing.numba_templates",
    "jitbridge.core.runtime": "jitbridge.runtime",
    "jitbridge.core.dispatcher": "jitbridge.dispatch",  # (its Dispatcher: isinstance checks)
    "jitbridge.core.decorators": "jitbridge.decorators",
}


class AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds alias paths (longest prefix first) and loads them as their real module."""

    def __init__(self):
        self._table: dict = {}
        self._ordered: list = []  # aliases, longest first
        self._lock = threading.Lock()
        self._specs: dict = {}  # id(real module) -> its own spec, while the alias loads

    def add(self, aliases: dict) -> None:
        with self._lock:
            self._table.update(aliases)
            self._ordered = sorted(self._table, key=len, reverse=True)

    def real_name(self, name: str) -> str | None:
        """The module `name` stands for, or None when it is no alias."""
        for alias in self._ordered:
            if name == alias or name.startswith(alias + "."):
                return self._table[alias] + name[len(alias):]
        return None

    def find_spec(self, name, path=None, target=None):
        real = self.real_name(name)
        if real is None:
            return None
        if importlib.util.find_spec(real) is None:
            raise ModuleNotFoundError(f"No module named {name!r} (jitbridge has no {real!r})",
                                      name=name)
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec):
        module = importlib.import_module(self.real_name(spec.name))
        self._specs[id(module)] = module.__spec__
        return module

    def exec_module(self, module):
        # the import system may have stamped the alias's spec on the real module
        own = self._specs.pop(id(module), None)
        if own is not None:
            module.__spec__ = own


FINDER = AliasFinder()
FINDER.add(NUMBA_LAYOUT)
if FINDER not in sys.meta_path:
    sys.meta_path.insert(0, FINDER)
