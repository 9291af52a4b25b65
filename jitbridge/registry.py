"""The registration core every registry builds on.

- **Stable keys.** A registration is filed under a dotted name (`"numpy.sum"`, `"operator.add"`,
  `"array.sum"`, `"jitbridge.types.arrays.Array"`) that is the same in every process, never
  under an `id()`. Objects whose names collide (two local functions called `f`) are told apart by
  identity within their name's bucket.
- **Specificity.** Among the implementations registered for a key, the one whose argument
  patterns fit the argument types most closely wins: a type instance before a type class,
  a class before its bases (by MRO distance), anything before `types.Any`. An explicit
  `priority` outranks specificity. Two registrations of equal priority that could both apply
  with neither more specific than the other are refused when the second is registered.
- **Providers.** Modules that register under a key are imported on first use of that key, or of
  a type class they provide (`providers.py`), so the compiler loads only what a program uses.
- **Registrants.** The source files of modules outside jitbridge that register anything are
  remembered (`extension_files`): compiled code may embed what they define, so a cached
  specialisation is valid only while they are unchanged (caching/).
"""
from __future__ import annotations

import sys
import weakref
from dataclasses import dataclass, field

from . import config, types
from .errors import CompilerError
from .providers import require_key, require_methods, require_names

#: score of a pattern matching anything; above any MRO distance
_ANY_SCORE = 1000


#: module name -> source file, for the modules outside jitbridge that registered something
_REGISTRANTS: dict = {}


def note_registrant() -> bool:
    """Remember the module (outside jitbridge) whose code is making a registration: the first
    caller frame that is not jitbridge's own; whether there is one. Registrations jitbridge
    makes while it imports (the caller is then the import machinery) are not the user's."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("jitbridge"):
        frame = frame.f_back
    namespace = frame.f_globals if frame is not None else {}
    filename = namespace.get("__file__")
    if not filename or namespace.get("__name__", "").startswith("importlib"):
        return False
    _REGISTRANTS[namespace["__name__"]] = filename
    return True


def extension_files() -> dict:
    """Module name -> source file of every module outside jitbridge that registered an
    extension (an @overload, a data model, a lowering...) in this process so far."""
    return dict(_REGISTRANTS)


class RegistrationError(CompilerError):
    """Two registrations conflict: raised when the second is made."""


# -- stable keys ---------------------------------------------------------------------------------

#: stable keys of classes and functions, computed once (weak: local ones may be freed)
_memo = weakref.WeakKeyDictionary()


def stable_key(obj) -> str:
    """The dotted name `obj` is registered under: its public module path and name."""
    if isinstance(obj, str):
        return obj
    if not _memoizable(obj):
        return _compute_key(obj)
    try:
        return _memo[obj]
    except (KeyError, TypeError):
        pass
    key = _compute_key(obj)
    try:
        _memo[obj] = key
    except TypeError:  # not weakly referenceable (builtins): cheap enough to recompute
        pass
    return key


def _memoizable(obj) -> bool:
    """Whether the memo may hash `obj`: a class's own __hash__ is user code, which may call
    compiled code that types this very object (a StructRef proxy's __hash__: Numba #8241)."""
    return isinstance(obj, (type, types.Type)) or type(obj).__hash__ is object.__hash__


def _compute_key(obj) -> str:
    if isinstance(obj, types.Type):
        return f"{stable_key(type(obj))}({obj})"
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not isinstance(name, str):  # an instance with no name of its own
        return f"{stable_key(type(obj))}#instance"
    return _public_name(obj, name)


def _public_name(obj, qualname: str) -> str:
    """module.qualname; an object of a private module (a component starting with "_") is named
    after the shortest public module exposing it: `_operator.add` is `operator.add`,
    `numpy._core.fromnumeric.sum` is `numpy.sum`. (Public modules are never shortened: the
    name must not depend on which packages had finished importing when it was first asked.)"""
    module = _module_of(obj) or "builtins"
    parts = module.split(".")
    if not any(part.startswith("_") for part in parts):
        return f"{module}.{qualname}"
    short = qualname.rsplit(".", 1)[-1]
    public = [".".join(p.lstrip("_") for p in parts[:i]) for i in range(1, len(parts) + 1)]
    for candidate in public:
        if getattr(sys.modules.get(candidate), short, None) is obj:
            return f"{candidate}.{short}"
    return f"{module}.{qualname}"


def _module_of(obj) -> str | None:
    """`obj.__module__`. Older NumPy (2.0 included) gives ufuncs none: they would be named
    `builtins.add`, and np.divmod would take the key of Python's divmod."""
    module = getattr(obj, "__module__", None)
    if module is None and type(obj).__name__ == "ufunc":
        numpy = sys.modules.get("numpy")
        if getattr(numpy, getattr(obj, "__name__", ""), None) is obj:
            return "numpy"
    return module


# -- argument patterns ---------------------------------------------------------------------------

class VarArg:
    """Matches any number of trailing arguments of `pattern`."""

    def __init__(self, pattern):
        self.pattern = pattern

    def __repr__(self):
        return f"*{_describe(self.pattern)}"


def pattern_score(pattern, ty):
    """How closely `pattern` fits type `ty` (0: exactly), or None if it does not fit."""
    if pattern is types.Any:
        return _ANY_SCORE
    if isinstance(pattern, type):
        mro = type(ty).__mro__
        return 1 + mro.index(pattern) if pattern in mro else None
    return 0 if pattern == ty else None


def _expand(patterns: tuple, count: int):
    """`patterns` stretched to `count` positions (a trailing VarArg repeats), or None."""
    if patterns and isinstance(patterns[-1], VarArg):
        fixed = patterns[:-1]
        if count < len(fixed):
            return None
        return fixed + (patterns[-1].pattern,) * (count - len(fixed))
    return patterns if len(patterns) == count else None


def match_score(patterns: tuple, argtypes: tuple):
    """(total score, 1 if variadic) of `patterns` for `argtypes`, or None if they do not fit."""
    variadic = int(bool(patterns) and isinstance(patterns[-1], VarArg))
    if variadic:
        patterns = _expand(patterns, len(argtypes))
        if patterns is None:
            return None
    elif len(patterns) != len(argtypes):
        return None
    total = 0
    for pattern, ty in zip(patterns, argtypes):  # (stops at the first misfit: most are)
        score = pattern_score(pattern, ty)
        if score is None:
            return None
        total += score
    return total, variadic


def _covers(general, specific) -> bool:
    """Whether every type `specific` matches is also matched by `general`."""
    if general is types.Any:
        return True
    if specific is types.Any:
        return False
    if isinstance(general, type):
        return issubclass(specific, general) if isinstance(specific, type) \
            else isinstance(specific, general)
    return not isinstance(specific, type) and general == specific


def _overlap(a, b) -> bool:
    """Whether some type could match both patterns."""
    if _covers(a, b) or _covers(b, a):
        return True
    return isinstance(a, type) and isinstance(b, type) and _common_subclass(a, b)


def _common_subclass(a: type, b: type) -> bool:
    return any(issubclass(sub, b) for sub in _all_subclasses(a))


def _all_subclasses(cls: type) -> list:
    found, stack = [], list(cls.__subclasses__())
    while stack:
        sub = stack.pop()
        found.append(sub)
        stack.extend(sub.__subclasses__())
    return found


def _describe(pattern) -> str:
    return getattr(pattern, "__name__", None) or str(pattern)


# -- registrations -------------------------------------------------------------------------------

@dataclass
class Registration:
    """One implementation of `key` for argument `patterns`."""
    key: object
    patterns: tuple
    impl: object
    priority: int = 0
    serial: int = 0
    #: made by code outside jitbridge (an extension)
    external: bool = False

    def describe(self) -> str:
        where = getattr(getattr(self.impl, "origin", self.impl), "__qualname__", self.impl)
        return f"{where} for ({', '.join(map(repr_pattern, self.patterns))})"


def repr_pattern(pattern) -> str:
    return repr(pattern) if isinstance(pattern, VarArg) else _describe(pattern)


def same_key(a, b) -> bool:
    """Whether two registered objects are the same key (identity, or equal values)."""
    if a is b:
        return True
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:  # an extension's __eq__ that refuses foreign values
        return False


@dataclass
class ImplTable:
    """Implementations by stable key, selected by priority, then specificity, then newest."""
    what: str
    _buckets: dict = field(default_factory=dict)
    _serial: int = 0
    #: (key, argument types) -> the selected implementation; emptied by every registration
    _selected: dict = field(default_factory=dict)

    def __post_init__(self):
        # (a dropped jitted function's type would stay a key here, and its dispatcher with it)
        types.functions.DROPPED_HOOKS.append(self.forget_type)

    def forget_type(self, ty) -> None:
        """Forget the selections made for argument types that include `ty`."""
        for key in [k for k in self._selected if ty in k[1]]:
            del self._selected[key]

    def add(self, key, patterns: tuple, impl, priority: int = 0) -> None:
        external = note_registrant()
        self._selected.clear()
        self._serial += 1
        new = Registration(key, tuple(patterns), impl, priority, self._serial, external)
        bucket = self._buckets.setdefault(stable_key(key), [])
        rivals = [r for r in bucket if same_key(r.key, key) and r.priority == priority]
        for old in rivals:
            # jitbridge's own pairs are checked by its tests, not in every process's import
            if external or old.external or config.CHECK_BUILTIN_REGISTRATIONS:
                _check_unambiguous(self.what, key, old, new, rivals)
        bucket.append(new)

    def registrations(self, key) -> list:
        """What is registered for `key` (its providers loaded first)."""
        name = stable_key(key)
        require_key(name)
        return [r for r in self._buckets.get(name, ()) if same_key(r.key, key)]

    def select(self, key, argtypes: tuple):
        """The implementation of `key` that fits `argtypes` best, or None (remembered: the
        lowering asks the same questions over and over)."""
        try:
            return self._selected[key, argtypes]
        except KeyError:
            pass
        except TypeError:  # an unhashable key or type: select every time
            return self._select(key, argtypes)
        impl = self._selected[key, argtypes] = self._select(key, argtypes)
        return impl

    def _select(self, key, argtypes: tuple):
        best, best_rank = None, None
        for reg in self.registrations(key):
            score = match_score(reg.patterns, argtypes)
            if score is None:
                continue
            rank = (-reg.priority, score, -reg.serial)
            if best_rank is None or rank < best_rank:
                best, best_rank = reg, rank
        return None if best is None else best.impl


def _check_unambiguous(what: str, key, old: Registration, new: Registration, rivals) -> None:
    """Refuse `new` if some argument types would fit it and `old` equally well, unless both
    are the same implementation or the overlap has a registration of its own (registered
    first, as Julia resolves method ambiguities)."""
    a, b = _aligned(old.patterns, new.patterns)
    if a is None or a == b or old.impl is new.impl or not all(map(_overlap, a, b)):
        return  # disjoint, or the same patterns: the newer registration replaces the older
    if all(map(_covers, a, b)) or all(map(_covers, b, a)):
        return
    overlap = _intersection(a, b)
    if overlap is not None and any(_aligned(r.patterns, overlap)[0] == overlap for r in rivals):
        return
    hint = f"register ({', '.join(map(repr_pattern, overlap))}) first, " if overlap else ""
    raise RegistrationError(
        f"ambiguous {what} registrations for {stable_key(key)!r}: {old.describe()} and "
        f"{new.describe()} both fit some argument types and neither is more specific; "
        f"{hint}give one a higher priority=, or narrow the argument types")


def _aligned(a: tuple, b: tuple):
    """Both pattern tuples at one common length (VarArgs expanded), or (None, None)."""
    width = max(len(a), len(b)) + 1
    x, y = _expand(a, width), _expand(b, width)
    if x is not None and y is not None:
        return x, y
    return (a, b) if len(a) == len(b) else (None, None)


def _intersection(a: tuple, b: tuple):
    """The patterns matching exactly what both match, or None if no pattern expresses it."""
    result = []
    for p, q in zip(a, b):
        if _covers(p, q):
            result.append(q)
        elif _covers(q, p):
            result.append(p)
        else:
            return None
    return tuple(result)


# -- type-class keyed tables ---------------------------------------------------------------------

@dataclass
class ClassTable:
    """Values by type class (box/unbox functions, data models): a type finds the entry of its
    nearest class in MRO order."""
    what: str
    _entries: dict = field(default_factory=dict)

    def add(self, type_class: type, value) -> None:
        note_registrant()
        self._entries[stable_key(type_class)] = (type_class, value)

    def lookup(self, ty):
        require_types((ty,))
        for cls in type(ty).__mro__:
            entry = self._entries.get(stable_key(cls))
            if entry is not None and entry[0] is cls:
                return entry[1]
        return None


# -- provider triggers ---------------------------------------------------------------------------
_seen_type_classes = weakref.WeakSet()
_seen_value_classes = weakref.WeakSet()


def require_types(tys) -> None:
    """Import the lazy providers of the classes of types `tys` (once per class)."""
    for ty in tys:
        cls = type(ty)
        if cls not in _seen_type_classes:
            require_names([stable_key(c) for c in cls.__mro__], "type_classes")
            _seen_type_classes.add(cls)


#: type class -> the method names whose providers were asked for (weak: an extension's
#: classes may be made and dropped at run time)
_methods_loaded = weakref.WeakKeyDictionary()


def require_methods_of(ty, attr: str) -> bool:
    """Import the lazy providers of method `attr` of `ty`'s class (once per class and name);
    whether any was imported now (the caller then resolves the attribute again)."""
    cls = type(ty)
    asked = _methods_loaded.setdefault(cls, set())
    if attr in asked:
        return False
    asked.add(attr)
    return require_methods([stable_key(c) for c in cls.__mro__], attr)


def require_value(value) -> None:
    """Import the lazy providers `typeof(value)` may need (once per class)."""
    cls = type(value)
    if isinstance(value, type):
        require_names([stable_key(c) for c in value.__mro__], "class_values")
    elif cls not in _seen_value_classes:
        require_names([stable_key(c) for c in cls.__mro__], "value_classes")
        _seen_value_classes.add(cls)
