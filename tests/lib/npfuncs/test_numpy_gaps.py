"""Gaps closed in issue 13's last round: clip's argument checks, the 0-d views of
asfortranarray/ascontiguousarray, np.amax/np.amin beside the datetime overloads."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError


@njit
def clip_into(a, lo, hi, out):
    return np.clip(a, lo, hi, out)


@njit
def clip(a, lo, hi):
    return np.clip(a, lo, hi)


@njit
def clip_into_six(a, lo, hi):
    return np.clip(a, lo, hi, out=6)


def test_clip_into_out_matches_numpy():
    a = np.linspace(-10, 10, 5)
    for lo, hi in [(-5, 5), (np.zeros(5), 5.0), (None, np.full(5, 3.0))]:
        out = np.empty(5)
        got = clip_into(a, lo, hi, out)
        assert got is out
        np.testing.assert_array_equal(out, np.clip(a, lo, hi))


def test_clip_out_of_the_wrong_shape_is_refused_before_writing():
    buf = np.full(8, 999.0)
    for bad in (buf[:3], buf[:6]):
        with pytest.raises(ValueError, match="shape of the 'out' array does not match"):
            clip_into(np.arange(5.0), 0.0, 3.0, bad)
    np.testing.assert_array_equal(buf, np.full(8, 999.0))


@pytest.mark.parametrize("args,message", [
    ((None, 0, 10), 'The argument "a" must be array-like'),
    ((1, "a", 10), 'The argument "a_min" must be a number'),
    ((1, 1, "b"), 'The argument "a_max" must be a number'),
])
def test_clip_arguments_of_the_wrong_kind(args, message):
    with pytest.raises(TypingError, match=message):
        clip(*args)


def test_clip_out_of_the_wrong_kind_or_ndim():
    with pytest.raises(TypingError, match='"out" must be an array if it is provided'):
        clip_into_six(5, 1, 10)
    with pytest.raises(TypingError, match='"out" must have the same number of dimensions'):
        clip_into(np.arange(5.0), 0.0, 3.0, np.empty((2, 5)))


@njit
def as_layouts(a):
    return np.asfortranarray(a), np.ascontiguousarray(a)


def test_0d_arrays_become_1d_views():
    a = np.array([5]).reshape(())
    for got, expected in zip(as_layouts(a), (np.asfortranarray(a), np.ascontiguousarray(a))):
        assert got.shape == expected.shape == (1,)
        assert got.ctypes.data == a.ctypes.data == expected.ctypes.data


@njit
def extremes(a):
    return np.amax(a), np.amin(a)


def test_amax_amin_after_the_datetime_overloads():
    days = np.arange("2000-01-01", "2000-01-05", dtype="M8[D]")
    assert extremes(days) == (days.max(), days.min())
    for a in (np.arange(5, dtype=np.int32), np.array([1.5, -2.0]), np.array([True, False])):
        assert extremes(a) == (np.amax(a), np.amin(a))


@njit
def bytes_round_trip(a):
    b = a.tobytes()
    return b, np.frombuffer(b, np.int16), np.frombuffer(b, dtype="uint8", count=3, offset=1)


def test_tobytes_and_frombuffer_match_numpy():
    for a in (np.arange(6, dtype=np.int16), np.arange(12, dtype=np.int16).reshape(3, 4).T):
        b, halves, three = bytes_round_trip(a)
        assert b == a.tobytes()
        np.testing.assert_array_equal(halves, np.frombuffer(a.tobytes(), np.int16))
        np.testing.assert_array_equal(three, np.frombuffer(a.tobytes(), "uint8", 3, 1))
        assert not halves.flags.writeable and three.dtype == np.uint8


@njit
def constant_buffer():
    return np.frombuffer(b"foo", dtype=np.uint8)


@njit
def floats_of(b):
    return np.frombuffer(b)


def test_frombuffer_of_constants_and_its_errors():
    np.testing.assert_array_equal(constant_buffer(), np.frombuffer(b"foo", dtype=np.uint8))
    with pytest.raises(ValueError, match="multiple of element size"):
        floats_of(b"abc")
    with pytest.raises(TypingError, match='"buffer" must be buffer-like'):
        floats_of(None)


A6 = np.array([1.5, 2, 3, 4, 5, 6], dtype=np.float32)


def test_constant_arrays_have_their_elements_alignment():
    from jitbridge import types
    compiled = njit((types.intp,))(lambda i: A6[i])
    lines = [line for line in compiled.inspect_llvm((types.intp,)).splitlines()
             if "jb.const.array" in line and "constant [24 x i8]" in line]
    assert lines and lines[0].endswith(", align 4")
    assert compiled(2) == 3.0


@njit
def percentile(a, q):
    return np.percentile(a, q)


def test_percentile_of_0d_quantiles_and_scalars_is_a_scalar():
    for a, q in [(np.array(5), np.array(1)), (5, 50.0)]:
        got, expected = percentile(a, q), np.percentile(a, q)
        assert not isinstance(got, np.ndarray) and got == expected


@njit
def nan_arg_extremes(a):
    return np.nanargmax(a), np.nanargmin(a)


def test_nanarg_extremes_take_nans_as_infinities():
    for a in ([np.nan, -np.inf], [np.nan, np.inf], [np.inf, np.nan], [1.0, np.nan, 3.0, 3.0],
              [-np.inf, -np.inf], [np.nan, 2.0, np.nan, -1.0]):
        a = np.array(a)
        assert nan_arg_extremes(a) == (np.nanargmax(a), np.nanargmin(a))
    with pytest.raises(ValueError, match="All-NaN slice"):
        nan_arg_extremes(np.array([np.nan, np.nan]))


@njit
def cross(a, b):
    return np.cross(a, b)


def test_cross_broadcasts_and_takes_two_component_vectors():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # NumPy's 2-vectors
        for a, b in [(np.array([1.0, 2.0, 3.0]), np.array([[4.0, 5.0, 6.0], [1.0, 2.0, 3.0]])),
                     (np.array([np.inf, 1.0]), np.array([1.0, 2.0, 3.0]))]:
            got, expected = cross(a, b), np.cross(a, b)
            assert got.shape == expected.shape and got.dtype == expected.dtype
            np.testing.assert_array_equal(got, expected)
    with pytest.raises(ValueError, match="incompatible dimensions for cross product"):
        cross(np.arange(4.0), np.arange(3.0))
    with pytest.raises(ValueError, match="they are 2 and 2 dimensional"):
        cross(np.arange(2.0), np.arange(2.0))


@njit
def interp(x, xp, fp):
    return np.interp(x, xp, fp)


def test_interp_of_complex_values_matches_numpy():
    xp = np.array([0.0, 1.0, 2.0, 4.0, 5.0])
    fp = np.array([1 + 2j, 3 - 1j, np.inf + 0j, complex(2, np.nan), complex(np.inf, 1)])
    x = np.array([-1.0, 0.5, 1.5, 2.0, 3.0, 4.5, 5.0, 6.0, np.nan])
    got, expected = interp(x, xp, fp), np.interp(x, xp, fp)
    assert got.dtype == expected.dtype == np.complex128
    np.testing.assert_array_equal(got, expected)


@njit
def isin(a, b):
    return np.isin(a, b)


def test_isin_of_lists_and_scalars_matches_numpy():
    from jitbridge.typed import List
    for a, b in [([1.0, 2.0, 3.0], [2.0, 5.0]), (3.0, np.arange(5.0))]:
        expected = np.isin(a, b)
        got = isin(List(a) if isinstance(a, list) else a, List(b) if isinstance(b, list) else b)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


def test_percentile_of_complex_arrays_is_a_typing_error():
    with pytest.raises(TypingError, match="Not supported for complex dtype"):
        percentile(np.arange(5) * 1j, 0.1)


@njit
def trim(a):
    return np.trim_zeros(a)


def test_trim_zeros_of_strings_trims_empty_ones():
    for a in (np.array(["", "a", "", "b", ""]), np.array(["\0", "1", "2"]),
              np.array([b"", b"x", b""]), np.array(["", ""])):
        got, expected = trim(a), np.trim_zeros(a)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
