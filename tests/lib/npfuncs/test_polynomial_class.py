"""numpy.polynomial.Polynomial in compiled code: construction (NumPy's dtypes and errors),
attributes, and Polynomial objects passed in and out, against NumPy itself."""
import numpy as np
import pytest
from numpy.polynomial import Polynomial

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


@njit
def make3(c, d, w):
    return Polynomial(c, d, w)


@njit
def make1(c):
    return Polynomial(c)


@njit
def make_named(c):
    return Polynomial(c, symbol="t")


@njit
def members(p):
    return p.coef, p.domain, p.window, p.symbol


@njit
def same(p):
    return p


@njit
def evaluate_at_domain_start(p):
    return p.coef.sum() + p.domain[0]


def assert_same_polynomial(got, expected):
    assert type(got) is Polynomial
    for name in ("coef", "domain", "window"):
        a, b = getattr(got, name), getattr(expected, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b)
    assert got.symbol == expected.symbol


SERIES = [np.array([0, 1]), np.array([0.0, 1.0]), np.array([1.5, 2.0], np.float32),
          np.array([1j, 2.0])]


def test_construction_matches_numpy():
    for c in SERIES[::3]:  # int64 and complex128 (the rest: test_construction_sweep)
        assert_same_polynomial(make1(c), Polynomial(c))
    c, d = SERIES[0], SERIES[2]
    assert_same_polynomial(make3(c, c, d), Polynomial(c, c, d))
    assert_same_polynomial(make_named(c), Polynomial(c, symbol="t"))


@pytest.mark.slow
@pytest.mark.parametrize("c", SERIES, ids=lambda c: str(c.dtype))
def test_construction_sweep(c):
    assert_same_polynomial(make1(c), Polynomial(c))
    for d in (np.array([0, 1]), np.array([0.0, 2.0], np.float32)):
        assert_same_polynomial(make3(c, d, d[::-1]), Polynomial(c, d, d[::-1]))
    assert_same_polynomial(make_named(c), Polynomial(c, symbol="t"))


def test_tuples_lists_and_scalars_as_series():
    assert_same_polynomial(make3((1, 2), [0, 1], (0, 1.5)), Polynomial((1, 2), [0, 1], (0, 1.5)))
    assert_same_polynomial(make1(3), Polynomial(3))


def test_the_coefficients_are_copied():
    c = np.array([1.0 + 0j, 2.0])  # (already of the coefficients' dtype: no cast)
    p = make1(c)
    c[0] = 9.0
    assert p.coef[0] == 1.0


def test_members_and_round_trip():
    p = Polynomial([1.0, 2.0, 3.0], [0, 2], [0.0, 1.0], symbol="z")
    coef, domain, window, symbol = members(p)
    np.testing.assert_array_equal(coef, p.coef)
    np.testing.assert_array_equal(domain, p.domain)
    np.testing.assert_array_equal(window, p.window)
    assert symbol == "z"
    assert_same_polynomial(same(p), p)
    assert same(p) == p
    # the symbol is part of the type: another one is another specialisation
    assert members(Polynomial([1.0]))[3] == "x"
    assert evaluate_at_domain_start(p) == 6.0


@pytest.mark.parametrize("args, message", [
    ((np.array([1, 2]), np.array([1, 2, 3]), np.array([1, 2])),
     "Domain has wrong number of elements."),
    ((np.array([1, 2]), np.array([1, 2]), np.array([1, 2, 3])),
     "Window has wrong number of elements."),
    ((np.array([], np.int64), np.array([1, 2]), np.array([1, 2])), "Coefficient array is empty"),
])
def test_value_errors_as_numpy(args, message):
    with pytest.raises(ValueError, match=message):
        Polynomial(*args)
    with pytest.raises(ValueError, match=message):
        make3(*args)


@pytest.mark.parametrize("args, message", [
    ((np.arange(4).reshape((2, 2)), np.array([1, 2]), np.array([1, 2])),
     "Coefficient array is not 1-d"),
    ((np.array([1, 2]), np.ones((2, 2)), np.array([1, 2])), "Coefficient array is not 1-d"),
    ((np.array([True, False]), np.array([1, 2]), np.array([1, 2])),
     "Coefficient arrays have no common type"),
    (("ab", np.array([1, 2]), np.array([1, 2])), "must be an array"),
])
def test_typing_errors_where_numpy_raises(args, message):
    with pytest.raises((ValueError, TypeError)):
        Polynomial(*args)
    with pytest.raises(TypingError, match=message):
        make3(*args)


def test_bad_symbol_is_refused():
    @njit
    def bad(c):
        return Polynomial(c, symbol="1x")
    with pytest.raises(TypingError, match="valid Python identifier"):
        bad(np.ones(2))


def test_subclass_is_not_taken_for_a_polynomial():
    class Shifted(Polynomial):
        pass
    with pytest.raises(TypingError, match="Shifted"):
        same(Shifted([1.0]))


def test_no_leaks():
    p = Polynomial([1.0, 2.0])
    c = np.array([1, 2])
    with no_leaks():
        for _ in range(3):
            same(p), make3(c, c, c), members(p), evaluate_at_domain_start(p)
            with pytest.raises(ValueError):
                make3(c, c, np.ones(3, np.int64))
