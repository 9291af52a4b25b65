"""typeof: the jitbridge type of a Python value (arguments and frozen globals).

`typeof_impl` is a singledispatch function extension authors register on; `as_numba_type`
maps Python annotations/classes to types. Scalars take a fast path by exact class.
"""
from __future__ import annotations

import enum
import functools
import types as pytypes
import weakref

from .. import types
from ..types.records import _numpy
from ..registry import require_value
from .registry import registry


class Purpose(enum.Enum):
    """Why a value is typed: as an argument (runtime value) or a frozen constant."""

    argument = 1
    constant = 2


_FAST = {int: types.int64, float: types.float64, bool: types.boolean, complex: types.complex128,
         type(None): types.none}


#: NumPy scalar classes met so far -> their type (the same for arguments and constants)
_SCALAR_CLASSES: dict = {}


#: classes whose every instance has one type (register_exact_class)
_EXACT_CLASSES: dict = {}


def register_exact_class(cls, typ) -> None:
    """Every instance of exactly `cls` has type `typ`, found before any registry lookup (a
    jitclass proxy: looking it up would hash it, and its __hash__ may be compiled code that
    types the proxy again)."""
    _EXACT_CLASSES[cls] = typ


def scalar_typeof(value):
    """The type of a Python or NumPy scalar argument from its class alone, or None: the
    dispatcher's quick path (no registry, no recursion)."""
    cls = type(value)
    fast = _FAST.get(cls)
    if fast is not None:
        return _checked_int(value) if fast is types.int64 else fast
    return _SCALAR_CLASSES.get(cls)


def typeof(value, purpose: Purpose = Purpose.argument):
    """The type of `value`, or None if it has no jitbridge type."""
    fast = _FAST.get(type(value))
    if fast is not None and (purpose is Purpose.argument or type(value) is float):
        return _checked_int(value) if fast is types.int64 else fast
    scalar = _SCALAR_CLASSES.get(type(value)) or _EXACT_CLASSES.get(type(value))
    if scalar is not None:
        return scalar
    registered = registry.global_type(value)
    if registered is not None:
        return registered
    if _is_operator_function(value):
        return types.Function(value)
    require_value(value)  # the lazy provider of its type, if any (an ndarray: lib.arrays)
    return typeof_impl(value, _Context(purpose))


def _is_operator_function(value) -> bool:
    """`operator.neg` and the like: callable in compiled code exactly as the operators they
    implement (the operators' typing templates and implementations are keyed by them)."""
    return isinstance(value, pytypes.BuiltinFunctionType) and \
        getattr(value, "__module__", None) in ("_operator", "operator") and \
        bool(registry.templates_for(value))


class _Context:
    def __init__(self, purpose: Purpose):
        self.purpose = purpose


def _checked_int(value: int):
    if -(1 << 63) <= value < (1 << 63):
        return types.int64
    if 0 <= value < (1 << 64):
        return types.uint64
    return None


@functools.singledispatch
def typeof_impl(value, c):
    """Type of `value` (extension point: `@typeof_impl.register(MyClass)`)."""
    if _provided_now(value):
        return typeof_impl(value, c)
    numba_type = getattr(value, "_numba_type_", None)
    if isinstance(numba_type, types.Type):
        return numba_type
    if isinstance(value, type) and issubclass(value, BaseException):
        return types.ExceptionClass(value)
    if isinstance(value, type) and issubclass(value, types.Type):  # (overload_classmethod)
        return types.TypeRef(value)
    if isinstance(value, type) and issubclass(value, tuple) and _is_namedtuple_class(value):
        return types.NamedTupleClass(value)  # here, not on `type`: lib/arrays owns that
    return _numpy_scalar(value)


def _provided_now(value) -> bool:
    """Load the lazy provider of `value`'s class; whether it registered an implementation
    for it (an extension's typeof calling `typeof_impl(array, c)` directly comes here before
    anything loaded the array area)."""
    before = typeof_impl.dispatch(type(value))
    require_value(value)
    return typeof_impl.dispatch(type(value)) is not before


def _numpy_scalar(value):
    """np.float64(1.0) -> float64, without importing NumPy here."""
    if type(value).__module__ != "numpy" or getattr(value, "shape", None) != ():
        return None
    name = "boolean" if value.dtype.name == "bool" else value.dtype.name
    ty = getattr(types, name, None)
    if not (isinstance(ty, types.Number) or ty is types.boolean):
        return None
    _SCALAR_CLASSES[type(value)] = ty  # a NumPy scalar's type depends on its class alone
    return ty


@typeof_impl.register(bool)
def _typeof_bool(value, c):
    return types.BooleanLiteral(value) if c.purpose is Purpose.constant else types.boolean


@typeof_impl.register(int)
def _typeof_int(value, c):
    if c.purpose is Purpose.constant and _checked_int(value) is types.int64:
        return types.IntegerLiteral(value)
    return _checked_int(value)


@typeof_impl.register(str)
def _typeof_str(value, c):
    return types.StringLiteral(value) if c.purpose is Purpose.constant else types.unicode_type


@typeof_impl.register(bytearray)
def _typeof_bytearray(value, c):
    # an argument only: a frozen global would be a constant, but a bytearray is mutable
    return None if c.purpose is Purpose.constant else types.ByteArray()


@typeof_impl.register(memoryview)
def _typeof_memoryview(value, c):
    # typed as the array NumPy makes of it (its dtype, shape and layout): that also loads the
    # array library, which implements memoryviews (lib/arrays/memoryviews.py)
    if c.purpose is Purpose.constant:  # an argument only, as a bytearray
        return None
    try:
        array = typeof(_numpy().asarray(value), c.purpose)
    except (ValueError, TypeError):  # a released view, a format NumPy cannot read
        return None
    if not isinstance(array, types.Array):
        return None
    return types.MemoryView(array.dtype, array.ndim, array.layout, readonly=value.readonly)


@typeof_impl.register(complex)
def _typeof_complex(value, c):
    return types.complex128


@typeof_impl.register(type(None))
def _typeof_none(value, c):
    return types.none


@typeof_impl.register(type(Ellipsis))
def _typeof_ellipsis(value, c):
    return types.ellipsis


@typeof_impl.register(tuple)
def _typeof_tuple(value, c):
    items = [typeof(v, c.purpose) for v in value]
    if any(t is None for t in items):
        return None
    items = [types.unliteral(t) for t in items]
    if _is_namedtuple_class(type(value)):
        return types.named_tuple_of(items, type(value))
    return types.tuple_of(items)


def _is_namedtuple_class(cls) -> bool:
    """collections.namedtuple / typing.NamedTuple classes (tuple subclasses with `_fields`)."""
    return cls is not tuple and isinstance(getattr(cls, "_fields", None), tuple)


# -- enums: a member is typed by its class and the one type of all the class's values -------
_ENUM_CLASS_TYPES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@typeof_impl.register(enum.EnumMeta)
def _typeof_enum_class(cls, c):
    """EnumClass/IntEnumClass, or None when the members' values have no single type."""
    try:
        return _ENUM_CLASS_TYPES[cls]
    except KeyError:
        pass
    value_types = {typeof(member.value) for member in cls.__members__.values()}
    if len(value_types) != 1 or not _plain_value_type(next(iter(value_types))):
        return None
    kind = types.IntEnumClass if issubclass(cls, enum.IntEnum) else types.EnumClass
    ty = _ENUM_CLASS_TYPES[cls] = kind(cls, value_types.pop())
    return ty


def _plain_value_type(ty) -> bool:
    """Scalars and tuples of them: values a member can be represented by (no references)."""
    if isinstance(ty, types.BaseTuple):
        return all(_plain_value_type(t) for t in ty.types)
    return isinstance(ty, (types.Number, types.Boolean))


@typeof_impl.register(enum.Enum)
@typeof_impl.register(enum.IntEnum)  # before `int`, which IntEnum derives from too
def _typeof_enum_member(value, c):
    class_type = _typeof_enum_class(type(value), c)
    return None if class_type is None else class_type.member


@typeof_impl.register(pytypes.ModuleType)
def _typeof_module(value, c):
    return types.Module(value)


class AsNumbaType:
    """Maps Python classes/annotations to jitbridge types; `register(py_type, numba_type)`."""

    def __init__(self):
        self.lookup = {int: types.int64, float: types.float64, bool: types.boolean,
                       complex: types.complex128, type(None): types.none, None: types.none}

    def register(self, py_type, numba_type) -> None:
        """Make `py_type` correspond to `numba_type`."""
        self.lookup[py_type] = numba_type

    def __call__(self, py_type):
        if isinstance(py_type, types.Type):
            return py_type
        try:
            return self.lookup[py_type]
        except (KeyError, TypeError):
            raise TypeError(f"no jitbridge type corresponds to {py_type!r}") from None


as_numba_type = AsNumbaType()
