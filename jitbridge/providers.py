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

import functools
import importlib
import threading
from dataclasses import dataclass

from .utils import collector_paused

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
    #: a package whose modules load one by one: the module of its generated index
    #: (lib/lazy_index.py) of what each registers, in place of the fields above
    index: str = ""


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
    # NumPy written with @overload (lib/npfuncs/): the module registering a numpy.* key, `@`,
    # an array method... on its first use
    Area("jitbridge.lib.npfuncs", index="jitbridge.lib.npfuncs_index"),
    Area("jitbridge.lib.random",  # np.random.*, np.random.Generator, Python's random.*
         keys=("numpy.random.", "random.Random.", "builtins.Random."),
         type_classes=(_T + "misc.NumPyRandomGeneratorType",
                       _T + "misc.NumPyRandomBitGeneratorType"),
         value_classes=("numpy.random.Generator", "numpy.random.bit_generator.BitGenerator")),
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
#: an Area's field -> the field of its index that stands for it
_INDEXED = {"keys": "KEYS", "method_classes": "METHODS", "type_classes": "TYPES",
            "value_classes": "VALUES"}


@functools.lru_cache(maxsize=None)
def _index(area: Area) -> dict:
    """{index field: {name: modules registering it, in the package's fixed order}}, and
    "ORDER": {module: its place in that order}."""
    try:  # (while lib/lazy_index.py makes it: any fields, or none yet)
        data = importlib.import_module(area.index)
    except ModuleNotFoundError:
        data = None
    modules = getattr(data, "MODULES", ())
    order = {f"{area.module}.{name}": rank for rank, name in enumerate(modules, 1)}
    index = {"ORDER": order}
    for field in _INDEXED.values():
        by_name = index[field] = {}
        for module, names in getattr(data, field, {}).items():
            for name in names:
                by_name.setdefault(name, []).append(f"{area.module}.{module}")
        for modules in by_name.values():
            modules.sort(key=lambda m: order.get(m, len(order) + 1))
    return index


def _provided(area: Area, field: str, name: str) -> list:
    """The modules of `area` to import for `name` in its `field` (keys, type_classes...)."""
    if area.index:
        return _index(area)[_INDEXED[field]].get(name, [])
    if field == "keys":
        return [area.module] if any(_matches(p, name) for p in area.keys) else []
    return [area.module] if name in getattr(area, field) else []


def _matches(prefix: str, name: str) -> bool:
    # (an instance's key, `numpy.ndarray#instance`, is not below its module: the classes
    # of values load their providers through value_classes)
    if prefix.endswith(".") and not name.endswith("#instance"):
        return name.startswith(prefix)
    return name == prefix


def _modules_for_key(name: str) -> tuple:
    modules = _by_key.get(name)
    if modules is None:
        modules = _by_key[name] = tuple(m for a in AREAS for m in _provided(a, "keys", name))
    return modules


def require_key(name: str) -> None:
    """Import the modules that register under key `name`."""
    for module in _modules_for_key(name):
        load(module)


def require_names(names, field: str) -> None:
    """Import the modules providing for any of `names` (the stable keys of a class and its
    bases) in `field` (type_classes, value_classes, class_values)."""
    for area in AREAS:
        if area.index and field not in _INDEXED:
            continue
        for name in names:
            for module in _provided(area, field, name):
                load(module)


def require_methods(names, attr: str) -> bool:
    """Import the modules that may provide attribute `attr` (a method) of a type whose class
    and bases have the stable keys `names`; whether any was imported."""
    wanted = [m for area in AREAS for name in names for m in _methods_in(area, name, attr)
              if m not in _loaded]
    for module in wanted:
        load(module)
    return bool(wanted)


def _methods_in(area: Area, name: str, attr: str) -> list:
    if not area.index:
        return _provided(area, "method_classes", name)
    methods = _index(area)["METHODS"]
    return methods.get(f"{name} {attr}", []) + methods.get(f"{name} *", [])


def load(module: str) -> None:
    """Import `module` (once; a re-entrant request while it is importing is a no-op)."""
    if module in _loaded:
        return
    with _lock:
        if module in _loaded or module in _loading:
            return
        _loading.add(module)
        try:
            with collector_paused():  # (an import allocates much and frees little)
                importlib.import_module(module)
            _loaded.add(module)
        finally:
            _loading.discard(module)


def area_rank(module: str) -> tuple:
    """The place of the lib/ area defining `module` in a fixed order (the core first, then
    AREAS', within an indexed area its modules'), so that the order of jitbridge's own
    templates never depends on which area a program happened to load first; (len(AREAS) + 1,)
    for modules outside lib/."""
    for rank, area in enumerate(AREAS, start=1):
        if module == area.module or module.startswith(area.module + "."):
            return (rank, _index(area)["ORDER"].get(module, 0) if area.index else 0)
    return (0, 0) if module == CORE or module.startswith(CORE + ".") else (len(AREAS) + 1, 0)


def load_all() -> None:
    """Import every area (tests and tools that need the whole registry)."""
    load(CORE)
    for area in AREAS:
        load(area.module)
        for module in _index(area)["ORDER"] if area.index else ():
            load(module)
