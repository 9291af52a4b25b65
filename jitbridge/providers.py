"""Lazy providers: which module of `lib/` registers what, imported the first time it is needed.

The compiler loads the core of `lib/` (scalars, tuples, ranges, exceptions) before its first
compilation and every other area on first use: when a registry is asked about a key the area
provides (`numpy.sum`), when a type of a class it provides reaches typing, a data model or
boxing (`jitbridge.types.arrays.Array`), or when `typeof` meets a Python value it provides a type for
(a `numpy.ndarray`). First-compile time therefore does not grow with the size of the library.

Names are the registry's stable dotted keys (`registry.stable_key`). A test imports every area
and checks that each registration is reachable through this table.
"""
from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass

#: The part of lib/ every compilation needs; imported before the first one.
CORE = "jitbridge.lib"


@dataclass(frozen=True)
class Area:
    """What one lazily imported module provides."""
    module: str
    #: key prefixes (a prefix ending in "." matches keys below it, others match exactly)
    keys: tuple = ()
    #: type classes (their values' data models, boxing, operations)
    type_classes: tuple = ()
    #: Python classes whose instances `typeof` gives a type for
    value_classes: tuple = ()
    #: Python classes whose subclasses (the class objects themselves) `typeof` types
    class_values: tuple = ()
    #: type classes whose methods (or attributes the loaded areas do not know) it may provide:
    #: loaded when one is resolved, not when a value of the type merely appears
    method_classes: tuple = ()


_T = "jitbridge.types."
AREAS = (
    Area("jitbridge.lib.arrays",
         keys=("numpy.", "array.", "jitbridge.cfunc.carray", "jitbridge.cfunc.farray"),
         type_classes=(_T + "arrays.Array", _T + "arrays.Buffer", _T + "arrays.DType",
                       _T + "arrays.ArrayIterator", _T + "records.Record",
                       _T + "records.CharSeq", _T + "records.UnicodeCharSeq",
                       _T + "functions.NumberClass"),
         value_classes=("numpy.ndarray", "numpy.dtype", "numpy.void"),
         class_values=("numpy.generic",)),
    # NumPy written with @overload (lib/npfuncs/): on a numpy.* key, `@`, or an array method
    Area("jitbridge.lib.npfuncs", keys=("numpy.", "operator.matmul", "operator.imatmul"),
         method_classes=(_T + "arrays.Array", _T + "abstract.Number", _T + "scalars.Boolean"),
         value_classes=("numpy.polynomial.polynomial.Polynomial",)),
    Area("jitbridge.lib.random",  # np.random.*, np.random.Generator, Python's random.*
         keys=("numpy.random.", "random.Random.", "builtins.Random."),
         type_classes=(_T + "misc.NumPyRandomGeneratorType",),
         value_classes=("numpy.random.Generator",)),
    Area("jitbridge.lib.lists",
         keys=("builtins.list", "builtins.sorted", "build_list", "list.", "TypeRef.empty_list",
               "ListType.", "LiteralList."),
         type_classes=(_T + "containers.List", _T + "containers.ListIterator",
                       _T + "containers.LiteralList",
                       _T + "containers.ListType", _T + "dicts.TypeRef"),
         value_classes=("builtins.list",)),
    Area("jitbridge.lib.math", keys=("math.",)),
    Area("jitbridge.lib.cmath", keys=("cmath.",)),
    Area("jitbridge.lib.heapq", keys=("heapq.",)),
    Area("jitbridge.lib.literally", keys=("jitbridge.ir.markers.literally",)),
    Area("jitbridge.lib.enums", type_classes=(_T + "misc.EnumMember", _T + "misc.EnumClass")),
    Area("jitbridge.lib.closures",
         keys=("jitbridge.ir.markers.make_closure", "jitbridge.ir.markers.cell_get",
               "jitbridge.ir.markers.cell_set"),
         value_classes=("jitbridge.ir.markers.LiftedFunction",)),
    Area("jitbridge.lib.parallel", keys=(*(f"jitbridge.ir.markers.{name}" for name in (
        "parallel_for", "reduction_identity", "pndindex", "as_shape", "shape_count", "unravel",
        "nonnegative")),
                                         "jitbridge.runtime.threads.")),
    Area("jitbridge.progressbar", keys=("jitbridge.progressbar.progress", *(
        f"jitbridge.ir.markers.progress_{name}" for name in ("open", "tick", "rest", "close")))),
    Area("jitbridge.lib.generators", keys=("jitbridge.ir.markers.yield_value",),
         type_classes=(_T + "generators.Generator",),
         value_classes=("jitbridge.lib.generators.NativeGenerator",)),
    Area("jitbridge.lib.strings",
         keys=("UnicodeType.", "StringLiteral.", "builtins.str", "builtins.ord", "builtins.chr",
               "builtins.repr", "builtins.ascii", "builtins.hex", "builtins.oct", "builtins.bin",
               "builtins.format"),
         type_classes=(_T + "strings.UnicodeType", _T + "strings.UnicodeIteratorType",
                       _T + "scalars.StringLiteral")),
    Area("jitbridge.lib.bytes", keys=("Bytes.",),
         type_classes=(_T + "bytes.Bytes", _T + "bytes.BytesIteratorType"),
         value_classes=("builtins.bytes",)),
    Area("jitbridge.lib.datetimes",
         keys=("jitbridge.types.functions.NumberClass",),  # np.datetime64('2014', 'D')
         type_classes=(_T + "datetime.NPDatetime", _T + "datetime.NPTimedelta"),
         value_classes=("numpy.datetime64", "numpy.timedelta64")),
    Area("jitbridge.lib.sets", keys=("builtins.set", "builtins.frozenset", "Set.", "set.",
                                     "FrozenSet.", "frozenset.", "jitbridge.lib.sets."),
         type_classes=(_T + "sets.Set", _T + "sets.FrozenSet", _T + "sets.SetIter"),
         value_classes=("builtins.set", "builtins.frozenset")),
    Area("jitbridge.lib.dicts",
         keys=("builtins.dict", "DictType.", "TypeRef.empty", "jitbridge.lib.dicts."),
         type_classes=tuple(_T + "dicts." + c for c in (
             "DictType", "DictViewType", "DictKeysIterableType", "DictValuesIterableType",
             "DictItemsIterableType", "DictIteratorType", "TypeRef", "LiteralStrKeyDict"))),
    Area("jitbridge.lib.function_values",
         type_classes=(_T + "functions.FunctionType", _T + "functions.FunctionSet")),
    Area("jitbridge.lib.printing", keys=("builtins.print",),
         type_classes=(_T + "scalars.StringLiteral",)),
    # cffi objects (the module imports cffi, so only a program using cffi loads it)
    Area("jitbridge.cffi_support",
         value_classes=("_cffi_backend._CDataBase", "_cffi_backend.FFI", "cffi.api.FFI")),
)

_lock = threading.RLock()
_loaded: set = set()
_loading: set = set()
_by_key: dict = {}


def _matches(prefix: str, name: str) -> bool:
    # (an instance's key, `numpy.ndarray#instance`, is not below its module: the classes
    # of values load their providers through value_classes)
    if prefix.endswith(".") and not name.endswith("#instance"):
        return name.startswith(prefix)
    return name == prefix


def _areas_for_key(name: str) -> tuple:
    areas = _by_key.get(name)
    if areas is None:
        areas = _by_key[name] = tuple(a for a in AREAS if any(_matches(p, name) for p in a.keys))
    return areas


def require_key(name: str) -> None:
    """Import the areas that register under key `name`."""
    for area in _areas_for_key(name):
        load(area.module)


def require_names(names, field: str) -> None:
    """Import the areas whose `field` (type_classes, value_classes, class_values) lists any of
    `names` (the stable keys of a class and its bases)."""
    for area in AREAS:
        if area.module not in _loaded and any(n in getattr(area, field) for n in names):
            load(area.module)


def require_methods(names) -> bool:
    """Import the areas whose method_classes list any of `names` (the stable keys of a type
    class and its bases); whether any was imported."""
    wanted = [area for area in AREAS if area.module not in _loaded and
              any(n in area.method_classes for n in names)]
    for area in wanted:
        load(area.module)
    return bool(wanted)


def load(module: str) -> None:
    """Import `module` (once; a re-entrant request while it is importing is a no-op)."""
    if module in _loaded:
        return
    with _lock:
        if module in _loaded or module in _loading:
            return
        _loading.add(module)
        try:
            importlib.import_module(module)
            _loaded.add(module)
        finally:
            _loading.discard(module)


def area_rank(module: str) -> int:
    """The place of the lib/ area defining `module` in a fixed order (the core first, then
    AREAS'), so that the order of jitbridge's own templates never depends on which area a
    program happened to load first; len(AREAS) + 1 for modules outside lib/."""
    for rank, area in enumerate(AREAS, start=1):
        if module == area.module or module.startswith(area.module + "."):
            return rank
    return 0 if module == CORE or module.startswith(CORE + ".") else len(AREAS) + 1


def load_all() -> None:
    """Import every area (tests and tools that need the whole registry)."""
    load(CORE)
    for area in AREAS:
        load(area.module)
