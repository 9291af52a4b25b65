"""The compiler's own builtins, registered only through the public registries.

Imported once, lazily, by `compiler._load_builtins()`.
"""
from . import builtins, casts, exceptions, math, numbers, ranges, slices, tuples
from . import arrays, closures, enums, lists, printing  # noqa: F401
from . import globals as _globals  # noqa: F401
