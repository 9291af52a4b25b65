"""dtypes in compiled code: `np.dtype(spec)`, comparisons (`a.dtype == np.float64`,
`== 'float64'`, `== b.dtype`), attributes (`kind`, `char`, `name`, `itemsize` ...) and
`np.issubdtype`. A DType's type is its whole value, so all of them fold to constants while
typing: NumPy itself computes each answer from the values the types stand for."""
from __future__ import annotations

import operator

import numpy as np

from ... import types
from ...errors import TypingError
from .._registries import (AbstractTemplate, AttributeTemplate, lower_builtin, lower_getattr,
                           register, register_attr, register_global)
from .construction import parse_dtype
from .model import as_dtype, equivalent_typenums

_NOT_A_DTYPE = object()


def dtype_like_value(ty):
    """The Python object a dtype-like argument type stands for (a dtype, an abstract NumPy
    class such as np.floating, a string, None), or _NOT_A_DTYPE."""
    if isinstance(ty, types.AbstractNumberClass):
        return ty.cls
    if isinstance(ty, (types.NoneType, types.Omitted)) and getattr(ty, "value", None) is None:
        return None
    if isinstance(ty, types.StringLiteral):
        return ty.literal_value
    element = parse_dtype(ty)
    if element is None:
        return _NOT_A_DTYPE
    return as_dtype(element)


# -- np.dtype(spec) ----------------------------------------------------------------------------

class DTypeConstructor(AbstractTemplate):
    key = np.dtype

    def generic(self, args, kws):
        dtype = parse_dtype(args[0]) if len(args) == 1 and not kws else None
        return None if dtype is None else types.signature(types.DType(dtype), args[0])


@lower_builtin(np.dtype, types.Any)
def dtype_constructor_impl(context, builder, sig, args):
    return context.get_dummy_value()


# -- ==, != ------------------------------------------------------------------------------------

def _compared(lhs, rhs):
    """NumPy's `lhs == rhs` for a DType and a dtype-like operand, or None if not one."""
    if not any(isinstance(t, types.DType) for t in (lhs, rhs)):
        return None
    left, right = dtype_like_value(lhs), dtype_like_value(rhs)
    if left is _NOT_A_DTYPE or right is _NOT_A_DTYPE:
        if isinstance(types.unliteral(lhs), types.UnicodeType) or \
                isinstance(types.unliteral(rhs), types.UnicodeType):
            raise TypingError("a dtype compares with a string constant only: its value must "
                              "be known when the function compiles")
        return None
    dtype = left if isinstance(lhs, types.DType) else right
    return bool(dtype == (right if dtype is left else left))


class DTypeCompare(AbstractTemplate):
    def generic(self, args, kws):
        if len(args) == 2 and not kws and _compared(*args) is not None:
            return types.signature(types.boolean, *args)
        return None


class DTypeEq(DTypeCompare):
    key = operator.eq


class DTypeNe(DTypeCompare):
    key = operator.ne


def _constant_comparison(negate: bool):
    def impl(context, builder, sig, args):
        return context.get_constant(types.boolean, _compared(*sig.args) != negate)
    return impl


_DTYPE_LIKE = (types.NumberClass, types.AbstractNumberClass, types.StringLiteral, types.NoneType,
               types.Function)
for _pattern in ((types.DType, types.DType), *((types.DType, t) for t in _DTYPE_LIKE),
                 *((t, types.DType) for t in _DTYPE_LIKE)):
    lower_builtin(operator.eq, *_pattern)(_constant_comparison(False))
    lower_builtin(operator.ne, *_pattern)(_constant_comparison(True))


# -- attributes ------------------------------------------------------------------------------

_STRING_ATTRIBUTES = ("kind", "char", "name", "str", "byteorder")
_INT_ATTRIBUTES = ("itemsize", "alignment")


def _attribute_type(ty, attr):
    """A literal type: `a.dtype.kind == 'f'` folds like any comparison of constants."""
    return types.literal(getattr(as_dtype(ty.dtype), attr))


class DTypeValueAttributes(AttributeTemplate):
    """The descriptive attributes of a dtype, constants of its type."""
    key = types.DType

    def generic_resolve(self, ty, attr):
        if attr not in _STRING_ATTRIBUTES + _INT_ATTRIBUTES or \
                not isinstance(ty.dtype, (types.Number, types.Boolean)):
            return None
        if attr == "char" and len(equivalent_typenums(ty.dtype)) > 1:
            # int64 arrays may be NumPy's 'l' or 'q' (one type here): the code is not known
            raise TypingError(f"dtype.char of {ty.dtype} is not known when compiling: NumPy "
                              f"has {len(equivalent_typenums(ty.dtype))} types of that size")
        return _attribute_type(ty, attr)


register_attr(DTypeValueAttributes)


def _dtype_attribute_impl(context, builder, ty, value, attr):
    literal = _attribute_type(ty, attr)
    return context.get_constant_generic(builder, literal, literal.literal_value)


for _attr in _STRING_ATTRIBUTES + _INT_ATTRIBUTES:
    lower_getattr(types.DType, _attr)(_dtype_attribute_impl)


# -- np.issubdtype -------------------------------------------------------------------------------

class IsSubdtype(AbstractTemplate):
    key = np.issubdtype

    def generic(self, args, kws):
        if len(args) != 2 or kws:
            return None
        values = [dtype_like_value(a) for a in args]
        if any(v is _NOT_A_DTYPE for v in values):
            raise TypingError(f"np.issubdtype(): both arguments must be dtypes, NumPy scalar "
                              f"classes or string constants, not {args[0]}, {args[1]}")
        try:
            np.issubdtype(*values)
        except TypeError as exc:
            raise TypingError(f"np.issubdtype(): {exc}") from None
        return types.signature(types.boolean, *args)


@lower_builtin(np.issubdtype, types.Any, types.Any)
def issubdtype_impl(context, builder, sig, args):
    values = [dtype_like_value(a) for a in sig.args]
    return context.get_constant(types.boolean, bool(np.issubdtype(*values)))


for _template in (DTypeConstructor, DTypeEq, DTypeNe, IsSubdtype):
    register(_template)
register_global(np.dtype, types.Function(np.dtype))
register_global(np.issubdtype, types.Function(np.issubdtype))
