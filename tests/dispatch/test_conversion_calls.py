"""Calls converting arguments to explicit signatures remember the conversion chosen (issue 12,
item 1), and a new signature makes them choose again."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import NoMatchingSignature
from tests.test_dispatch_tables import counting


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


@pytest.mark.parametrize("sig, value, expected", [
    ("float64(float64)", 3, 3.0),
    ("float64(float64)", True, 1.0),
    ("float64(float64)", np.float32(1.5), 1.5),
    ("complex128(complex128)", 2, 2 + 0j),
    ("int64(int64)", np.int16(-7), -7),
    ("optional(int64)(optional(int64))", None, None),
    ("optional(int64)(optional(int64))", 9, 9),
    ("float64[:](float64[:])", np.arange(3.0) * 2, np.array([0.0, 2.0, 4.0])),
])
def test_a_repeated_conversion_is_compiled_into_the_native_dispatcher(sig, value, expected):
    f = njit(sig)(ident)
    slow = counting(f)
    results = [f(value) for _ in range(5)]
    assert len(slow) == 2  # the second conversion compiles its converting wrapper
    for got in results:
        assert type(got) is type(expected)
        np.testing.assert_array_equal(got, expected)


def test_keyword_calls_take_the_native_conversion_too():
    f = njit("float64(float64, float64)")(lambda x, y=2.0: x - y)
    slow = counting(f)
    assert [f(5, y=1) for _ in range(4)] == [4.0] * 4
    assert len(slow) == 2


def test_ints_beyond_int64_still_convert_in_python():
    f = njit("float64(float64)")(ident)
    f(1), f(1)  # the int64 -> float64 conversion is native now
    for value in (2**63, -2**63 - 1, 2**70, 2**64 - 1, -2**200):
        assert f(value) == float(value)


def test_casts_that_could_round_differently_stay_in_python():
    """int64 to float32 rounds once natively but twice through float(): not compiled."""
    f = njit("float32(float32)")(ident)
    slow = counting(f)
    value = 2**53 + 2**29 + 1  # float(value) rounds down to 2**53 + 2**29, a float32 tie
    results = [f(value) for _ in range(3)]
    assert len(slow) == 3
    assert results == [float(np.float32(float(value)))] * 3


def test_a_converting_wrapper_keeps_reference_counts_and_memory():
    import sys
    from jitbridge.testing import no_leaks
    h = njit("float64[:](float64[:])")(lambda a: a)
    a = np.arange(8.0)  # C: converts to the A-layout parameter
    h(a), h(a)
    before = sys.getrefcount(a)
    with no_leaks():
        for _ in range(1000):
            assert h(a) is not None
    assert sys.getrefcount(a) == before


def test_native_int_conversions_match_python_for_any_int():
    from hypothesis import given, strategies as st
    f = njit("float64(float64)")(ident)
    g = njit("complex128(complex128)")(ident)
    f(1), f(1), g(1), g(1)  # both conversions native from here on

    @given(st.one_of(st.integers(), st.integers(-2**64, 2**64), st.booleans()))
    def check(value):
        assert repr(f(value)) == repr(float(value))
        assert repr(g(value)) == repr(complex(value))
    check()
