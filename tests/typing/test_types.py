"""The type lattice, signature parsing, typeof and unification."""
import math

import numpy as np
import pytest

from jitbridge import types, typeof
from jitbridge.typing import TypingContext
from jitbridge.typing.unify import Conversion, can_convert


def test_numba_names_exist():
    for name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                 "intp", "uintp", "float32", "float64", "complex128", "boolean", "void",
                 "none", "voidptr"):
        assert isinstance(getattr(types, name), types.Type), name
    assert types.intp == types.int64
    assert types.CPointer(types.float64).dtype == types.float64


def test_types_compare_by_class_and_key():
    assert types.Integer("int64") == types.int64
    assert hash(types.UniTuple(types.int64, 2)) == hash(types.UniTuple(types.int64, 2))
    assert types.Tuple([types.int64, types.int64]) == types.UniTuple(types.int64, 2)
    assert types.IntegerLiteral(1) != types.int64
    assert isinstance(types.IntegerLiteral(1), types.Integer)


def test_parse_signatures_and_types():
    sig = types.parse_signature("float64(float64, int64)")
    assert sig.return_type == types.float64 and sig.args == (types.float64, types.int64)
    assert types.parse_type("intp[:]") == types.Array(types.intp, 1, "A")
    assert types.parse_type("float64[:, ::1]") == types.Array(types.float64, 2, "C")
    assert types.parse_type("float64[::1, :]") == types.Array(types.float64, 2, "F")
    assert types.parse_type("UniTuple(float64, 2)") == types.UniTuple(types.float64, 2)
    assert types.parse_signature("void(CPointer(float64), intp)").args[0] == types.CPointer(
        types.float64)
    assert types.float64(types.int64) == types.parse_signature("float64(int64)")


@pytest.mark.parametrize("text", ["float64(", "__import__('os')", "int64 + 1", "nope(int64)"])
def test_parse_rejects_bad_input(text):
    with pytest.raises(TypeError):
        types.parse_signature(text)


def test_typeof():
    assert typeof(1) == types.int64
    assert typeof(True) == types.boolean
    assert typeof(1.5) == types.float64
    assert typeof(1j) == types.complex128
    assert typeof(None) == types.none
    assert typeof(2 ** 64 - 1) == types.uint64
    assert typeof(2 ** 64) is None
    assert typeof((1, 2)) == types.UniTuple(types.int64, 2)
    assert typeof(np.float32(1)) == types.float32
    assert typeof(np.int8(1)) == types.int8
    assert typeof(np.bool_(True)) == types.boolean
    assert typeof("text") == types.unicode_type  # a runtime str (constants: StringLiteral)
    assert typeof(math) == types.Module(math)


def test_conversions():
    assert can_convert(types.int64, types.int64) is Conversion.exact
    assert can_convert(types.int32, types.int64) is Conversion.promote
    assert can_convert(types.int64, types.float64) is Conversion.safe
    assert can_convert(types.float64, types.int64) is Conversion.unsafe
    assert can_convert(types.IntegerLiteral(3), types.int64) is Conversion.promote
    assert can_convert(types.UniTuple(types.int64, 2), types.UniTuple(types.float64, 2)) is \
        Conversion.safe
    assert can_convert(types.none, types.int64) is None


def test_unification():
    ctx = TypingContext()
    assert ctx.unify_types(types.int64, types.float64) == types.float64
    assert ctx.unify_types(types.IntegerLiteral(1), types.IntegerLiteral(2)) == types.int64
    assert ctx.unify_types(types.boolean, types.int64) == types.int64
    assert ctx.unify_types(types.int64, types.UniTuple(types.int64, 2)) is None
    assert ctx.unify_types(types.UniTuple(types.int64, 2),
                           types.UniTuple(types.float64, 2)) == types.UniTuple(types.float64, 2)
