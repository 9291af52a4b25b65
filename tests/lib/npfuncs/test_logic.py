"""Differential tests of jitbridge/lib/npfuncs/logic.py against NumPy: isclose, allclose,
array_equal and the type tests (isscalar, iscomplexobj, isrealobj, iscomplex, isreal)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

isclose = njit(lambda a, b, rtol, atol, equal_nan: np.isclose(a, b, rtol, atol, equal_nan))
allclose = njit(lambda a, b, rtol, atol, equal_nan: np.allclose(a, b, rtol, atol, equal_nan))
allclose2 = njit(lambda a, b: np.allclose(a, b))
array_equal = njit(lambda a, b: np.array_equal(a, b))
array_equal_nan = njit(lambda a, b: np.array_equal(a, b, equal_nan=True))

MIN_INT = np.array([np.iinfo(np.int64).min])
PAIRS = [(np.array([1e10, 1e-7]), np.array([1.00001e10, 1e-8])), (1.0, 1.0), (1e10, np.nan),
         (np.array([np.inf, 1]), np.array([0, np.inf])), (MIN_INT, MIN_INT),
         (np.inf, np.array([np.inf])), (np.array([1.0, np.nan]), np.array([1.0, np.nan])),
         (np.zeros((5, 4)), 1e-3), (0, np.array([1e-8, np.inf, -np.inf, np.nan])),
         (np.arange(6.0).reshape(2, 3)[:, ::2], np.arange(2.0)),
         (np.array([1 + 1j, np.nan]), np.array([1 + 1.00001j, np.nan])),
         (np.array([1, 2], np.float32), np.array([1, 2.00001], np.float32)),
         (np.array([True, False]), np.array([1, 0])), ([1.0, 2.0], (1.0, 2.0000001))]


@pytest.mark.parametrize("a, b", PAIRS, ids=range(len(PAIRS)))
@pytest.mark.parametrize("equal_nan", [False, True])
def test_close(a, b, equal_nan):
    for rtol, atol in [(1e-05, 1e-08), (0.0, 0.0), (1e-3, 0.1)]:
        expected = np.isclose(a, b, rtol, atol, equal_nan)
        got = isclose(a, b, rtol, atol, equal_nan)
        assert np.shape(got) == np.shape(expected)
        np.testing.assert_array_equal(got, expected)
        result = allclose(a, b, rtol, atol, equal_nan)
        assert type(result) is bool and result == np.allclose(a, b, rtol, atol, equal_nan)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=6),
       st.floats(-1e-6, 1e-6))
def test_close_random(values, noise):
    a = np.array(values)
    b = a + noise
    assert allclose2(a, b) == np.allclose(a, b)
    np.testing.assert_array_equal(isclose(a, b, 1e-5, 1e-8, False), np.isclose(a, b))


def test_close_errors():
    with pytest.raises(TypingError, match='"rtol" must be a floating point'):
        allclose(2, 3, False, 1e-8, False)
    with pytest.raises(TypingError, match='"equal_nan" must be a boolean'):
        allclose(2, 3, 1e-5, 1e-8, 1)
    with pytest.raises(ValueError):
        allclose2(np.ones(3), np.ones(2))


@pytest.mark.parametrize("a, b", [(np.arange(3), np.arange(3.0)), (np.ones(2), np.ones(3)),
                                  (np.array([np.nan]), np.array([np.nan])), ((), np.array([])),
                                  (np.ones((2, 2)), np.ones((2, 2)).T), ((1, 2), [1, 3])])
def test_array_equal(a, b):
    assert array_equal(a, b) == np.array_equal(a, b)
    assert array_equal_nan(a, b) == np.array_equal(a, b, equal_nan=True)


def _compiled(func):
    return njit(lambda v: func(v))


TYPE_TESTS = {f: _compiled(f) for f in (np.isscalar, np.iscomplexobj, np.isrealobj,
                                        np.iscomplex, np.isreal)}


@pytest.mark.parametrize("x", [3j, 4.5, np.int16(5), None, np.array([3]), (3,), [1.0],
                               np.array([1j, 2]), (1, 2.5j)])
def test_type_tests(x):
    for func in (np.isscalar, np.iscomplexobj, np.isrealobj):
        assert TYPE_TESTS[func](x) == func(x)
    if x is not None:
        for func in (np.iscomplex, np.isreal):
            got, expected = TYPE_TESTS[func](x), func(x)
            assert isinstance(got, np.ndarray) == isinstance(expected, np.ndarray)  # scalars
            np.testing.assert_array_equal(got, expected)


def test_no_leaks():
    a = np.arange(4.0)
    with no_leaks(a):
        allclose(a, a + 1e-9, 1e-5, 1e-8, True)
        isclose(a, 1.0, 1e-5, 1e-8, False)
        array_equal(a, a)
