"""Pieces every NumPy area shares: the None test of argument types, axis normalisation with
NumPy's error, and a C-ordered array for kernels that walk memory in order."""
from __future__ import annotations

from ... import types
from ...errors import TypingError
from ...extending import overload, register_jitable


def is_none(ty) -> bool:
    """Whether an argument type is None, omitted or an omitted None."""
    if isinstance(ty, types.Omitted):
        return ty.value is None
    return ty is None or isinstance(ty, types.NoneType)


@register_jitable
def normalize_axis(axis, ndim):
    """`axis` in range(ndim) (negative counts from the end); ValueError as numpy.AxisError."""
    if axis < -ndim or axis >= ndim:
        raise ValueError("axis is out of bounds for array of this dimension")
    return axis + ndim if axis < 0 else axis


def as_c(a):
    """`a` itself when C-contiguous, else a C-ordered copy."""


@overload(as_c)
def _ol_as_c(a):
    if a.layout == "C":
        return lambda a: a
    return lambda a: a.copy()


def conjugate(x):
    """x's complex conjugate; a real x itself."""


@overload(conjugate)
def _ol_conjugate(x):
    if isinstance(x, types.Complex):
        return lambda x: x.conjugate()
    return lambda x: x


def constant_flag(function: str, name: str, flag) -> bool:
    """The value of a flag deciding the result's type (a tuple or not): it must be a constant
    (`function` names the NumPy function in the error)."""
    if isinstance(flag, types.Omitted):
        return bool(flag.value)
    if isinstance(flag, types.BooleanLiteral):
        return flag.literal_value
    raise TypingError(f"{function}(): {name} must be a constant True or False, not {flag}")
