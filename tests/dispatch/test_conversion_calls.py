"""Calls converting arguments to explicit signatures remember the conversion chosen (issue 12,
item 1), and a new signature makes them choose again."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import NoMatchingSignature


def ident(x):
    return x


def test_a_remembered_conversion_is_chosen_again_after_a_new_signature():
    f = njit("float64(float64)")(ident)
    for _ in range(2):  # (the second call takes the remembered choice)
        value = f(np.int8(3))
        assert value == 3.0 and type(value) is float
    f.disable_compile(False)
    f.compile("int16(int16)")
    f.disable_compile(True)
    value = f(np.int8(3))  # int16 is now the better conversion of int8
    assert value == 3 and type(value) is int
    assert f(2.5) == 2.5


def test_optional_and_array_conversions_give_python_results():
    g = njit("int64(optional(int64))")(lambda x: -1 if x is None else x * 2)
    assert [g(None), g(4), g(None), g(5)] == [-1, 8, -1, 10]
    h = njit("float64(float64[:])")(lambda a: a.sum())
    a = np.arange(4.0)
    assert h(a) == h(a) == 6.0
    assert h(a[::2]) == 2.0
    with pytest.raises(NoMatchingSignature, match="No matching definition"):
        h(np.arange(4))
