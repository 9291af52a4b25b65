"""datetime64/timedelta64 scalars in compiled code, differential against NumPy: types, boxing,
constants, unit conversions, arithmetic and comparisons with NaT, NumPy's refusals."""
import itertools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.lib import datetimes_helpers as helpers
from jitbridge.np.numpy_support import as_dtype, from_dtype

TD, DT = np.timedelta64, np.datetime64
NAT = -(1 << 63)
UNITS = ("Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as")
BINARY = {
    "add": njit(lambda a, b: a + b), "sub": njit(lambda a, b: a - b),
    "mul": njit(lambda a, b: a * b), "truediv": njit(lambda a, b: a / b),
    "floordiv": njit(lambda a, b: a // b), "mod": njit(lambda a, b: a % b),
    "eq": njit(lambda a, b: a == b), "ne": njit(lambda a, b: a != b),
    "lt": njit(lambda a, b: a < b), "le": njit(lambda a, b: a <= b),
    "gt": njit(lambda a, b: a > b), "ge": njit(lambda a, b: a >= b),
}


@njit
def identity(x):
    return x


@njit
def unary(x):
    return -x, +x, abs(x)


@njit
def builtins_of(a, b):
    return min(a, b), max(a, b)


@njit
def hashed(x):
    return hash(x)


@njit
def as_int(x):
    return int(x)


CONSTANT = DT("2001-01-01")


@njit
def add_constant(x):
    return x + CONSTANT, x + TD("NaT", "D")


def same(expected, got) -> bool:
    """Equal values of equal types; a NumPy bool/int/float equals the Python one."""
    if isinstance(expected, (np.datetime64, np.timedelta64)):
        return type(got) is type(expected) and got.dtype == expected.dtype and \
            np.asarray(got).view(np.int64) == np.asarray(expected).view(np.int64)
    expected = expected.item() if isinstance(expected, np.generic) else expected
    if isinstance(expected, float) and expected != expected:
        return isinstance(got, float) and got != got
    return type(got) is type(expected) and got == expected


def numpy_result(func, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args)


def check_binary(name, a, b):
    try:
        expected = numpy_result(BINARY[name].py_func, a, b)
    except TypeError:
        with pytest.raises(TypingError):
            BINARY[name](a, b)
        return
    got = BINARY[name](a, b)
    assert same(expected, got), (name, a, b, expected, got)


def test_types_spell_as_numba_and_map_every_unit_to_its_dtype():
    assert str(types.NPDatetime("ns")) == "datetime64[ns]"
    assert str(types.NPTimedelta("")) == "timedelta64[]"
    assert types.NPTimedelta("s") == types.NPTimedelta("s") != types.NPDatetime("s")
    for unit in UNITS + ("",):
        for code in ("M8", "m8"):
            dtype = np.dtype(f"{code}[{unit}]" if unit else code)
            ty = from_dtype(dtype)
            assert ty.unit == unit and as_dtype(ty) == dtype
    with pytest.raises(ValueError):
        types.NPDatetime("10Y")
    with pytest.raises(TypeError):
        from_dtype(np.dtype("M8[10Y]"))


@pytest.mark.parametrize("value", [TD(3, "s"), TD(-4, "ms"), TD("NaT", "as"), TD(5), TD("NaT"),
                                   DT("2014"), DT("2014-03"), DT("NaT"), DT(-1, "ns"),
                                   DT("1600-02-29", "D"), DT("NaT", "W")])
def test_values_cross_the_boundary_unchanged(value):
    assert same(value, identity(value))


def test_constants_and_nat_constants():
    x = TD(4, "D")
    got = add_constant(x)
    assert same(x + CONSTANT, got[0]) and same(x + TD("NaT", "D"), got[1])


#: (operators, a, b): every kind of operand pair, unit promotion and calendar conversion
CASES = [
    (sorted(BINARY), TD(7, "s"), TD(-3, "ms")),
    (("add", "sub", "eq", "lt"), TD(5), TD(2, "s")),
    (("add", "sub", "lt"), DT("2014"), TD(4, "D")),
    (("add", "sub"), DT("2012-02-02"), TD(2, "W")),
    (("add", "sub"), TD(2, "M"), DT("2014")),
    (("sub", "eq", "ne", "lt", "ge"), DT("2014-03"), DT("2014-01-05")),
    (("sub", "eq", "gt"), DT("2000-01-01T01:02:03", "s"), DT("1969-12-31", "D")),
    (("eq", "ne", "le"), TD(1, "Y"), TD(12, "M")),
    (("mul", "truediv", "floordiv"), TD(-7, "ps"), 2),
    (("mul", "truediv", "floordiv"), TD(7, "ps"), -1.5),
    (("mul", "truediv"), TD(-3, "ps"), np.uint32(2)),
    (("mul",), 3, TD(2, "h")),
    (("add", "eq", "ne", "lt"), TD(1, "s"), 1.5),  # no loop: == is False, != True, else error
    (("eq", "ne", "add"), DT("2014"), TD(1, "s")),
    (("eq", "ne", "sub"), TD(1, "s"), DT("2014")),
]


@pytest.mark.parametrize("names, a, b", CASES)
def test_operators_match_numpy(names, a, b):
    """Units promote to the finer one, calendars convert, and NumPy's refusals are
    TypingErrors; both operand orders."""
    for name in names:
        check_binary(name, a, b)
        check_binary(name, b, a)


def test_months_and_days_do_not_mix_as_in_numpy():
    with pytest.raises(TypingError, match="ufunc 'add' is not supported between "
                                          "timedelta64\\[M\\] and timedelta64\\[D\\]"):
        BINARY["add"](TD(1, "M"), TD(1, "D"))
    with pytest.raises(TypingError):
        BINARY["lt"](TD("NaT", "Y"), TD("NaT", "D"))
    with pytest.raises(TypingError):
        BINARY["add"](DT("2014-01-01"), TD(1, "Y"))


counts = st.one_of(st.just(NAT), st.just(0), st.integers(-10**6, 10**6))


@settings(max_examples=25, deadline=None)
@given(counts, counts, st.sampled_from([("s", "ms"), ("D", "h"), ("W", "D"), ("Y", "M")]))
def test_timedelta_arithmetic_on_any_counts(x, y, units):
    a, b = TD(x, units[0]), TD(y, units[1])
    for name in ("add", "sub", "truediv", "floordiv", "mod", "lt", "eq", "ne"):
        check_binary(name, a, b)
    assert all(same(e, g) for e, g in zip((-a, +a, abs(a)), unary(a)))


@settings(max_examples=25, deadline=None)
@given(st.integers(-400 * 366, 400 * 366), counts, st.sampled_from(["Y", "M", "D", "h"]),
       st.sampled_from(["D", "W", "M", "s"]))
def test_datetime_plus_timedelta_through_the_calendar(days, delta, dt_unit, td_unit):
    date = DT(days, "D").astype(f"M8[{dt_unit}]")
    check_binary("add", date, TD(delta, td_unit))
    check_binary("sub", date, TD(delta, td_unit))
    check_binary("sub", date, DT(delta if delta != NAT else days, "D"))


@settings(max_examples=20, deadline=None)
@given(counts, st.one_of(st.integers(-5, 5), st.floats(allow_nan=True, width=64)))
def test_timedelta_times_and_over_numbers(x, n):
    for name in ("mul", "truediv", "floordiv"):
        check_binary(name, TD(x, "ps"), n)


def test_python_min_max_keep_the_first_of_unordered_values():
    for a, b in itertools.product([TD(0, "s"), TD(2, "s"), TD("NaT", "s")], repeat=2):
        assert all(same(e, g) for e, g in zip((min(a, b), max(a, b)), builtins_of(a, b)))


def test_hash_is_the_count_and_int_takes_integer_like_units():
    assert hashed(TD(-4, "ms")) == -4 and hashed(DT("2014")) == 44
    with pytest.raises(ValueError, match="Can't hash generic timedelta64"):
        hashed(TD(3))
    assert as_int(TD(30000, "ns")) == int(TD(30000, "ns"))
    assert as_int(DT("2000-01-01T01:02:03", "ns")) == int(DT("2000-01-01T01:02:03", "ns"))
    with pytest.raises(TypingError, match="datetime64\\[Y\\]"):
        as_int(DT("2014"))


def test_explicit_signatures_convert_units():
    add = njit("NPDatetime('us')(NPDatetime('ms'), NPTimedelta('us'))")(
        lambda a, b: a + b)
    assert same(DT(1, "ms") + TD(2, "us"), add(DT(1, "ms"), TD(2, "us")))


def test_numba_unit_helpers():
    assert helpers.get_datetime_timedelta_conversion("M", "s") == ("s", 146097 * 86400, 4800)
    assert helpers.get_datetime_timedelta_conversion("D", "W") == ("D", 1, 7)
    assert helpers.get_timedelta_conversion_factor("W", "us") == 7 * 24 * 3600 * 10**6
    assert helpers.get_timedelta_conversion_factor("Y", "D") is None
    assert helpers.combine_datetime_timedelta_units("Y", "s") == "s"
    assert helpers.combine_datetime_timedelta_units("s", "Y") is None
    assert not helpers.can_cast_timedelta_units("s", "")
    assert helpers.same_kind("W", "D") and not helpers.same_kind("D", "h")
    with pytest.raises(RuntimeError):
        helpers.get_datetime_timedelta_conversion("s", "M")


@njit
def constructed(n):
    return np.datetime64("2014-01", "D"), np.timedelta64(n, "ms"), np.isnat(np.timedelta64("NaT"))


def test_construction_parses_constant_strings_and_counts_units():
    assert all(same(e, g) for e, g in zip(constructed.py_func(5), constructed(5)))
    with pytest.raises(TypingError, match="Error parsing datetime string"):
        njit(lambda: np.datetime64("garbage"))()
