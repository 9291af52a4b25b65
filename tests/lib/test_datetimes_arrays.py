"""Arrays of datetime64/timedelta64 in compiled code, differential against NumPy: arguments
and results of every unit, ufuncs with NaT rules and unit promotion, reductions, sorting."""
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

TD, DT = np.timedelta64, np.datetime64
NAT = -(1 << 63)
TD_S = np.array([7, -7, "NaT", 0, 3], "m8[s]")
TD_MS = np.array([1, "NaT", -5000, 2, 9], "m8[ms]")
DT_D = np.array(["2014-01-05", "NaT", "1969-12-31", "2000-02-29", "1900-03-01"], "M8[D]")
DT_Y = np.array(["2014", "NaT", "1969", "2000", "1900"], "M8[Y]")
INTS = np.array([2, 0, -3, 1, 5])
FLOATS = np.array([1.5, 0.0, np.nan, -2.5, 1e300])


def ufunc_caller(ufunc):
    if ufunc.nin == 1:
        return njit(lambda a: ufunc(a))
    return njit(lambda a, b: ufunc(a, b))


BINARY = {u: ufunc_caller(u) for u in (
    np.add, np.subtract, np.multiply, np.true_divide, np.floor_divide, np.remainder,
    np.maximum, np.fmin, np.equal, np.less)}
UNARY = {u: ufunc_caller(u) for u in (np.negative, np.absolute, np.sign, np.isnat, np.isnan,
                                      np.isfinite, np.positive)}


def assert_same_array(expected, got):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    as_ints = (lambda a: a.view(np.int64)) if expected.dtype.kind in "mM" else np.asarray
    np.testing.assert_array_equal(as_ints(got), as_ints(expected))


def check_ufunc(func, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = func.py_func(*args)
        except TypeError:
            with pytest.raises(TypingError):
                func(*args)
            return
    assert_same_array(expected, func(*args))


PAIRS = [(TD_S, TD_MS), (DT_D, TD_S), (DT_Y, DT_D), (TD_S, INTS), (TD_MS, FLOATS),
         (DT_Y, TD(3, "M"))]


@pytest.mark.parametrize("ufunc", list(BINARY), ids=lambda u: u.__name__)
def test_binary_ufuncs_match_numpy(ufunc):
    for a, b in PAIRS:
        check_ufunc(BINARY[ufunc], a, b)
        check_ufunc(BINARY[ufunc], b, a)


@pytest.mark.parametrize("ufunc", list(UNARY), ids=lambda u: u.__name__)
def test_unary_ufuncs_match_numpy(ufunc):
    for a in (TD_S, DT_D):
        check_ufunc(UNARY[ufunc], a)


def test_refused_units_name_the_ufunc_and_types():
    with pytest.raises(TypingError, match=r"ufunc 'add' is not supported between "
                                          r"datetime64\[ns\] and timedelta64\[M\]"):
        BINARY[np.add](np.array(["2011-01-01"], "M8[ns]"), TD(1000, "M"))


@njit
def add_into(a, b, out):
    np.add(a, b, out)
    return out


@njit
def operators(a, b):
    return a + b, a < b, -a


def test_out_arguments_convert_units_and_views_work():
    expected = np.add(TD_S, TD_MS, out=np.empty(5, "m8[us]"))
    with no_leaks(TD_S, TD_MS):
        assert_same_array(expected, add_into(TD_S, TD_MS, np.empty(5, "m8[us]")))
    grid = np.arange(24).astype("m8[h]").reshape(4, 6)[::2, 1::2].T
    for e, g in zip(operators.py_func(grid, TD(1, "D")), operators(grid, TD(1, "D"))):
        assert_same_array(e, g)


@njit
def first(a):
    return a[0]


def test_each_unit_is_its_own_specialisation():
    """An array of another unit never runs code compiled for this one."""
    for unit in ("s", "ns", "D", "Y"):
        a = np.array([5, 6], f"M8[{unit}]")
        assert first(a) == a[0] and first(a).dtype == a.dtype


@njit
def set_items(a, value):
    a[0] = value
    a[1:3] = value
    return a


def test_setitem_converts_to_the_array_unit():
    a = np.zeros(4, "m8[ms]")
    assert_same_array(set_items.py_func(a.copy(), TD(2, "s")), set_items(a.copy(), TD(2, "s")))
    assert_same_array(set_items.py_func(a.copy(), 7), set_items(a.copy(), 7))
    with pytest.raises(TypingError):
        set_items(a, DT(1, "s"))


METHODS = {
    "min": njit(lambda a: a.min()), "max": njit(lambda a: a.max()),
    "argmin": njit(lambda a: a.argmin()), "argmax": njit(lambda a: a.argmax()),
    "mean": njit(lambda a: a.mean()), "sum": njit(lambda a: a.sum()),
    "cumsum": njit(lambda a: a.cumsum()), "median": njit(lambda a: np.median(a)),
    "sort": njit(lambda a: np.sort(a)), "builtin_min": njit(lambda a: min(a)),
    "builtin_max": njit(lambda a: max(a)),
}
DATETIME_METHODS = ("min", "max", "argmin", "argmax", "sort", "builtin_min", "builtin_max")


def check_method(name, a):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = METHODS[name].py_func(a)
        except ValueError as exc:
            with pytest.raises(ValueError, match=re.escape(str(exc))):
                METHODS[name](a)
            return
    got = METHODS[name](a)
    if isinstance(expected, np.ndarray):
        assert_same_array(expected, got)
    elif isinstance(expected, (np.datetime64, np.timedelta64)):
        assert got.dtype == expected.dtype
        assert np.asarray(got).view(np.int64) == np.asarray(expected).view(np.int64)
    else:
        assert got == expected


counts = st.lists(st.one_of(st.just(NAT), st.integers(-10**9, 10**9)), max_size=9)


@pytest.mark.parametrize("dtype, names", [("m8[s]", list(METHODS)),
                                          ("M8[D]", DATETIME_METHODS)])
@settings(max_examples=15, deadline=None)
@given(values=counts)
def test_reductions_and_sorting(dtype, names, values):
    """NaT wins min/max/argmin/argmax and spoils sums; Python's min()/max() ignore it."""
    a = np.array(values, np.int64).view(dtype)
    for name in names:
        check_method(name, a)


def test_reductions_of_2d_views_and_datetime_sums_refused():
    a = np.arange(12).astype("m8[ms]").reshape(3, 4).T[::2]
    with no_leaks(a):
        for name in ("min", "argmax", "mean", "cumsum", "sort"):
            check_method(name, a)
    with pytest.raises(TypingError):
        METHODS["mean"](DT_D)
