"""The compiler's own builtins, registered only through the public registries.

This package imports the core every compilation needs (scalars, tuples, ranges, slices,
exceptions); `compiler.ensure_builtins()` imports it before the first compilation. The other
areas (arrays, lists, math, enums, closures, printing) are imported on first use through the
provider table in `jitbridge/providers.py`.
"""
from . import (builtins, casts, exceptions, iterators, numbers, optional,  # noqa: F401
               powers, ranges, slices, tuples)
from . import globals as _globals  # noqa: F401
from . import hashing  # noqa: F401
from . import functional, number_methods, operators  # noqa: F401
from . import attributes, complex_power, isinstance as _isinstance  # noqa: F401
