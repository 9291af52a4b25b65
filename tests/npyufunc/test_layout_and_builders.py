"""Layout strings, Numba's builder API (jitbridge.np.ufunc), and the ufunc C-API plumbing."""
import numpy as np
import pytest

from jitbridge.np.ufunc import PyUFunc_One, PyUFunc_ReorderableNone, PyUFunc_Zero, guvectorize
from jitbridge.np.ufunc.dufunc import DUFunc
from jitbridge.np.ufunc.ufuncbuilder import GUFuncBuilder
from jitbridge.npyufunc.capi import identity_code
from jitbridge.npyufunc.layout import dimension_indices, parse_layout


@pytest.mark.parametrize("text,expected", [
    ("(m,n),(n,p)->(m,p)", ((("m", "n"), ("n", "p")), (("m", "p"),))),
    ("(n),()->()", ((("n",), ()), ((),))),
    (" ( x ) -> ( x ) , ( x ) ", ((("x",),), (("x",), ("x",)))),
    ("(x,y),(x,y),(x,y)", ((("x", "y"),) * 3, ())),
])
def test_parse_layout(text, expected):
    assert parse_layout(text) == expected


@pytest.mark.parametrize("text,error", [(")-:", ValueError), ("(n", ValueError),
                                        ("(n)->", ValueError), ("(n)->(m)", NameError),
                                        ("(n m)->(n)", ValueError)])
def test_bad_layouts(text, error):
    with pytest.raises(error):
        parse_layout(text)


def test_dimension_indices_follow_first_appearance():
    inputs, outputs = parse_layout("(m,n),(n,p)->(m,p)")
    assert dimension_indices((*inputs, *outputs)) == [[0, 1], [1, 2], [0, 2]]


def test_identity_codes():
    assert [identity_code(i) for i in (0, 1, None, "reorderable")] == \
        [PyUFunc_Zero, PyUFunc_One, -1, PyUFunc_ReorderableNone]
    for bad in (2, "none", False, 0.0):
        with pytest.raises(ValueError):
            identity_code(bad)


def _add(a, b):
    """An addition"""
    return a + b


def _guadd(a, b, c):
    """A generalized addition"""
    x, y = c.shape
    for i in range(x):
        for j in range(y):
            c[i, j] = a[i, j] + b[i, j]


def test_numba_builder_api():
    builder = DUFunc(_add)
    result = builder.add("int32(int32, int32)")
    assert result.objectmode is False
    builder.add("int64(int64, int64)")
    ufunc = builder.build_ufunc()
    a = np.arange(12, dtype=np.int32)[::2].reshape(2, 3)
    assert ufunc(a, a).dtype == np.int32 and (ufunc(a, a) == a + a).all()
    assert ufunc.__name__ == "_add" and "An addition" in ufunc.__doc__

    gubuilder = GUFuncBuilder(_guadd, "(x, y),(x, y)->(x, y)")
    gubuilder.add("void(complex64[:,:], complex64[:,:], complex64[:,:])")
    gufunc = gubuilder.build_ufunc()
    c = np.arange(10, dtype=np.complex64).reshape(2, 5) + 1j
    np.testing.assert_array_equal(gufunc(c, c), c + c)
    assert "A generalized addition" in gufunc.__doc__


def test_layout_without_outputs_writes_into_the_last_operand():
    gufunc = guvectorize(["(int32[:,:], int32[:,:], int32[:,:])"], "(x,y),(x,y),(x,y)")(_guadd)
    a = np.arange(10, dtype=np.int32).reshape(2, 5)
    out = np.zeros_like(a)
    gufunc(a, a, out)
    np.testing.assert_array_equal(out, a + a)
