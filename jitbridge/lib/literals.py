"""NumPy 2 promotion (NEP 50) of scalar operands, and exact evaluation of literal expressions.

Literals are NumPy's weak Python scalars: NumPy sees a Python value of their kind, so a literal
adopts the other operand's type (`np.uint64(x) + 1` is uint64); its range is checked when it is
converted (numbers.py: an out-of-range int raises OverflowError at run time, as in NumPy).
Typed values (arguments, array elements, NumPy scalars) are strong and promote as dtypes do.
"""
from __future__ import annotations

import operator

import numpy as np

from .. import types
from ..errors import TypingError

ORDERED = (operator.lt, operator.le, operator.gt, operator.ge)
EQUALITY = (operator.eq, operator.ne)
#: shifts keep the left operand's signedness (Numba): `uint64 << int8` is uint64
SHIFTS = (operator.lshift, operator.rshift, operator.ilshift, operator.irshift)
WEAK_STAND_INS = ((types.IntegerLiteral, 0), (types.FloatLiteral, 0.0), (types.ComplexLiteral, 0j))
NUMBER_LITERALS = (types.IntegerLiteral, types.BigIntegerLiteral, types.FloatLiteral,
                   types.ComplexLiteral)
#: operations on literals evaluated exactly while typing, as Python would (`2**64 - 1`)
CONSTANT_OPS = (operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
                operator.mod, operator.pow, operator.lshift, operator.rshift, operator.and_,
                operator.or_, operator.xor) + ORDERED + EQUALITY
UNARY_CONSTANT_OPS = (operator.neg, operator.pos, operator.invert)
MAX_CONSTANT_BITS = 4096  # beyond any machine integer; bounds compile-time work
_SYMBOLS = {operator.pow: "**", operator.lshift: "<<"}


def numpy_operand(ty):
    """What NumPy's promotion sees for a scalar of type `ty`: a Python scalar if weak, else a
    dtype."""
    for cls, stand_in in WEAK_STAND_INS:
        if isinstance(ty, cls):
            return stand_in
    return np.dtype(types.unliteral(ty).name)


def promote(a, b, op=None) -> types.Type:
    """The type `a op b` is computed in: NumPy 2's promotion, except integer arithmetic, which
    is at least 64 bits wide as in Numba (scalar values then match Python's far more often than
    int8 wrapping would) and comparisons, which NumPy makes exact. Bool with bool follows
    Python (True + True == 2)."""
    if all(isinstance(types.unliteral(t), types.Boolean) for t in (a, b)):
        return types.int64
    if op not in ORDERED + EQUALITY and _integer_like(a) and _integer_like(b) and \
            not all(isinstance(t, types.IntegerLiteral) for t in (a, b)):
        return _wide_integer(a, b) if op not in SHIFTS else _wide_integer(a, a)
    dtype = np.result_type(numpy_operand(a), numpy_operand(b))
    return getattr(types, "boolean" if dtype.name == "bool" else dtype.name)


def _integer_like(ty) -> bool:
    return isinstance(types.unliteral(ty), (types.Integer, types.Boolean))


def _wide_integer(a, b) -> types.Integer:
    """Numba's integer typing: signed if either operand is, 64 bits wide; a literal adopts the
    other operand's signedness when it fits (`np.uint64(x) + 1` stays uint64)."""
    literal = next((t for t in (a, b) if isinstance(t, types.IntegerLiteral)), None)
    typed = [t for t in (a, b) if t is not literal and isinstance(t, types.Integer)]
    if literal is not None:
        wide = types.uint64 if typed and not typed[0].signed else types.int64
        if literal.literal_value in int_range(wide):
            return wide
        return types.int64 if literal.literal_value in int_range(types.int64) else types.uint64
    return types.uint64 if typed and not any(t.signed for t in typed) else types.int64


def int_range(ty: types.Integer) -> range:
    """The values an integer type holds."""
    if ty.signed:
        return range(-(1 << (ty.bitwidth - 1)), 1 << (ty.bitwidth - 1))
    return range(0, 1 << ty.bitwidth)


def beyond_range(a, b) -> bool:
    """An int literal compared with an integer type that cannot hold it (NumPy compares such
    values exactly, so the answer is known)."""
    for lit, other in ((a, b), (b, a)):
        if isinstance(lit, types.IntegerLiteral) and isinstance(other, types.Integer) and \
                not isinstance(other, types.IntegerLiteral):
            return lit.literal_value not in int_range(other)
    return False


def number_literals(args) -> bool:
    return all(isinstance(a, NUMBER_LITERALS) for a in args)


def reject_big_literals(args) -> None:
    """A constant too large for a machine integer used as a value: say so, don't wrap it."""
    for arg in args:
        if isinstance(arg, types.BigIntegerLiteral):
            types.unliteral(arg)  # raises the TypingError naming the constant


def fold_binary(op, a, b):
    """Python's `op(a, b)`, or None where Python raises: the operation then runs (and raises,
    if it does) at run time."""
    if op in _SYMBOLS and isinstance(b, int) and isinstance(a, int) and b >= 0 and \
            _bits(op, a, b) > MAX_CONSTANT_BITS:
        raise TypingError(f"integer constant expression {a} {_SYMBOLS[op]} {b} is too large")
    try:
        return op(a, b)
    except (ArithmeticError, ValueError, TypeError):
        return None


def _bits(op, a, b) -> int:
    """An upper bound of the size of `a ** b` or `a << b` in bits."""
    if op is operator.lshift:
        return a.bit_length() + b
    return 0 if abs(a) <= 1 else a.bit_length() * b


def fold_unary(op, args):
    """Python's `op(literal)` (`-(2**63)` fits int64), or None."""
    if not number_literals(args):
        return None
    try:
        return op(args[0].literal_value)
    except TypeError:  # ~2.5
        return None
