"""typeof: the jitbridge type of a Python value (arguments and frozen globals).

`typeof_impl` is a singledispatch function extension authors register on; `as_numba_type`
maps Python annotations/classes to types. Scalars take a fast path by exact class.
"""
from __future__ import annotations

import enum
import functools
import types as pytypes

from .. import types
from .registry import registry


class Purpose(enum.Enum):
    """Why a value is typed: as an argument (runtime value) or a frozen constant."""

    argument = 1
    constant = 2


_FAST = {int: types.int64, float: types.float64, bool: types.boolean, complex: types.complex128,
         type(None): types.none}


def typeof(value, purpose: Purpose = Purpose.argument):
    """The type of `value`, or None if it has no jitbridge type."""
    fast = _FAST.get(type(value))
    if fast is not None and (purpose is Purpose.argument or type(value) is float):
        return _checked_int(value) if fast is types.int64 else fast
    registered = registry.global_type(value)
    if registered is not None:
        return registered
    return typeof_impl(value, _Context(purpose))


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
    numba_type = getattr(value, "_numba_type_", None)
    if isinstance(numba_type, types.Type):
        return numba_type
    if isinstance(value, type) and issubclass(value, BaseException):
        return types.ExceptionClass(value)
    return _numpy_scalar(value)


def _numpy_scalar(value):
    """np.float64(1.0) -> float64, without importing NumPy here."""
    if type(value).__module__ != "numpy" or getattr(value, "shape", None) != ():
        return None
    name = "boolean" if value.dtype.name == "bool" else value.dtype.name
    ty = getattr(types, name, None)
    return ty if isinstance(ty, types.Number) or ty is types.boolean else None


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
    return types.StringLiteral(value) if c.purpose is Purpose.constant else None


@typeof_impl.register(complex)
def _typeof_complex(value, c):
    return types.complex128


@typeof_impl.register(type(None))
def _typeof_none(value, c):
    return types.none


@typeof_impl.register(tuple)
def _typeof_tuple(value, c):
    items = [typeof(v, c.purpose) for v in value]
    if any(t is None for t in items):
        return None
    return types.tuple_of([types.unliteral(t) for t in items])


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
