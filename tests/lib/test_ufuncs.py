"""Every ufunc of Numba's list, differentially against NumPy: each dtype NumPy accepts, special
values (nan, inf, signed zeros, integer extremes), broadcasting, mixed dtypes, scalars and
non-contiguous layouts; dtypes NumPy rejects are TypingErrors."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks
from jitbridge.lib.arrays.ufuncs import SUPPORTED
from tests.lib.test_ufuncs_support import (DTYPES, TRANSCENDENTAL, assert_same, batch_factory,
                                           numpy_result, values)

#: every ufunc runs on these; compiling a loop costs ~0.1 s, so each ufunc adds a few of the
#: other dtypes, in turn, and every dtype meets about a dozen ufuncs
CORE_DTYPES = [np.float64, np.int64, np.complex128]
OTHER_DTYPES = [d for d in DTYPES if d not in CORE_DTYPES]

NAMES = sorted(set(SUPPORTED))
UNARY = [n for n in NAMES if getattr(np, n).nin == 1]
BINARY = [n for n in NAMES if getattr(np, n).nin == 2]
#: complex results through |z|, which NumPy computes with its own SIMD hypot
#: NumPy multiplies complex numbers with fused multiply-adds: overflowing and infinite parts
#: then give other (equally valid) answers than the textbook formula
FINITE_COMPLEX = TRANSCENDENTAL | {"multiply", "square"}
NORMS = ("abs", "absolute", "sign", "true_divide", "divide", "reciprocal")
_compiled, _batches = {}, {}


def compiled(name):
    """One dispatcher per ufunc, reused by every test (it compiles once per argument types)."""
    if name not in _compiled:
        ufunc = getattr(np, name)
        if ufunc.nin == 1:
            def call(a):
                return ufunc(a)
        else:
            def call(a, b):
                return ufunc(a, b)
        _compiled[name] = njit(call)
    return _compiled[name]


def check(name, *args):
    """The compiled call gives NumPy's result, or fails where NumPy does."""
    check_many(name, [args])


def check_many(name, groups):
    """`check` of each argument group, the groups NumPy accepts compiled as one function."""
    ufunc = getattr(np, name)
    wants = [_numpy_answer(name, args) for args in groups]
    accepted = [(args, want) for args, want in zip(groups, wants) if not isinstance(want, type)]
    for args, want in zip(groups, wants):
        if isinstance(want, type):
            with pytest.raises((TypingError, want)):
                compiled(name)(*args)
    if not accepted:
        return
    key = (name, len(accepted))
    if key not in _batches:
        _batches[key] = njit(batch_factory(len(accepted), ufunc.nin)(ufunc))
    results = _batches[key](*[a for args, _ in accepted for a in args])
    for (args, want), got in zip(accepted, results):
        complex_args = any(np.asarray(a).dtype.kind == "c" for a in args)
        assert_same(got, want, close=name in TRANSCENDENTAL or (complex_args and name in NORMS),
                    signed_zeros=name not in ("fmax", "fmin"))


def _numpy_answer(name, args):
    ufunc = getattr(np, name)
    want = numpy_result(ufunc, *args)
    if any(getattr(w, "dtype", None) == np.float16 for w in _outputs(want)):
        want = numpy_result(ufunc, *_as_float32(name, args))  # jitbridge has no float16
    return want


def dtypes_for(name, extra):
    """The core dtypes and `extra` others, chosen in turn over the ufuncs."""
    k = NAMES.index(name)
    return CORE_DTYPES + [OTHER_DTYPES[(k + 4 * i) % len(OTHER_DTYPES)] for i in range(extra)]


def test_every_dtype_meets_several_ufuncs():
    for dtype in OTHER_DTYPES:
        assert sum(dtype in dtypes_for(name, 2) for name in UNARY) >= 8


def _outputs(result):
    return result if isinstance(result, tuple) else (result,)


def _as_float32(name, args):
    keep = 1 if name == "ldexp" else len(args)  # ldexp's exponent stays an integer
    return [np.asarray(a, np.float32) if k < keep else a for k, a in enumerate(args)]


def inputs(name, dtype):
    """Values of `dtype` for `name`: finite ones where complex special values would compare
    results of different (equally valid) C99 special-value conventions."""
    special = not (np.dtype(dtype).kind == "c" and name in FINITE_COMPLEX)
    return values(dtype, special)


@pytest.mark.parametrize("name", UNARY)
def test_unary_over_the_dtypes(name):
    check_many(name, [(inputs(name, dtype),) for dtype in dtypes_for(name, 2)])


@pytest.mark.parametrize("name", BINARY)
def test_binary_over_every_dtype_broadcast(name):
    groups = []
    for dtype in dtypes_for(name, 1):
        a = inputs(name, dtype)
        b = np.arange(-3, 4)[None, :] if name == "ldexp" else a[None, :]
        groups.append((a[:, None], b))
    check_many(name, groups)


MIXED = [(np.int8, np.float32), (np.uint64, np.int64), (np.bool_, np.int16),
         (np.float32, np.complex128), (np.int64, np.float32), (np.uint8, np.int8)]


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "true_divide", "floor_divide",
                                  "power", "remainder", "maximum", "fmin", "less", "equal",
                                  "arctan2", "gcd", "left_shift", "bitwise_xor", "copysign",
                                  "logical_xor", "divmod", "fmod", "hypot", "nextafter"])
def test_binary_mixed_dtypes(name):
    k = BINARY.index(name)
    pairs = [MIXED[(k + i) % len(MIXED)] for i in (0, 3)]
    check_many(name, [(values(left), values(right)[:4]) for left, right in pairs])


@pytest.mark.parametrize("name", ["sqrt", "isnan", "modf", "square"])
def test_non_contiguous_layouts(name):
    groups = []
    for dtype in (np.int64, np.float64, np.complex128):
        base = inputs(name, dtype)
        grid = np.stack([base, base[::-1], base])
        groups += [(grid[:, ::2],), (np.asfortranarray(grid),), (grid.T,)]
    check_many(name, groups)


@pytest.mark.parametrize("name", ["add", "arctan2", "divmod", "maximum", "ldexp", "less"])
def test_binary_non_contiguous_and_empty(name):
    a = values(np.float64)
    b = np.arange(len(a), dtype=np.int64 if name == "ldexp" else np.float64) - 3
    check_many(name, [(a[::2], b[1::2]), (np.asfortranarray(np.stack([a, a])), b), (a[:0], b[:0]),
                      (np.empty((0, 3)), np.float64(2.0) if name != "ldexp" else np.int64(2))])


@pytest.mark.parametrize("name", UNARY)
def test_unary_scalars_and_zero_d(name):
    check_many(name, [(value,) for value in (
        np.float64(-2.5), np.int64(-3), np.float32(0.5), np.complex128(1 - 2j), np.bool_(True),
        np.uint8(200), np.array(0.75), np.empty((2, 0)))])


@pytest.mark.parametrize("name", BINARY)
def test_binary_scalars(name):
    pairs = [(np.float64(-2.5), np.float64(1.5)), (np.int64(-7), np.int64(3)),
             (np.float32(0.5), np.int8(2)), (np.int32(5), np.float64(2.0))]
    check_many(name, pairs + [(np.arange(4.0), np.float64(2.0))])


def test_literals_are_weak_and_keep_the_array_dtype():
    @njit
    def f(a):
        return np.add(a, 1), np.multiply(a, 2.5), np.maximum(a, 3), np.power(a, 2)

    a = np.arange(5, dtype=np.int8)
    for got, want in zip(f(a), (np.add(a, 1), np.multiply(a, 2.5), np.maximum(a, 3),
                                np.power(a, 2))):
        assert_same(got, want)
    f32 = np.arange(3, dtype=np.float32)
    for got, want in zip(f(f32), (f32 + 1, f32 * 2.5, np.maximum(f32, 3), f32 ** 2)):
        assert_same(got, want)


def test_integer_to_negative_integer_power_raises_value_error():
    compiled("power")(np.arange(3), np.array([1, 1, 2]))
    with no_leaks(), pytest.raises(ValueError, match="Integers to negative integer powers are "
                                                     "not allowed"):
        compiled("power")(np.arange(3), np.array([1, -1, 2]))
    with pytest.raises(ValueError, match="Integers to negative integer powers"):
        compiled("power")(np.int64(2), np.int64(-2))


def test_float16_loops_run_in_float32_as_numba():
    got = compiled("sqrt")(np.arange(4, dtype=np.int8))
    assert got.dtype == np.float32
    assert np.array_equal(got, np.sqrt(np.arange(4, dtype=np.float32)))


def test_multiple_outputs_are_tuples():
    x = np.array([-3.5, 0.25, 7.0, -0.0])
    for name in ("modf", "frexp"):
        got = compiled(name)(x)
        assert isinstance(got, tuple) and len(got) == 2
        assert_same(got, getattr(np, name)(x))
    got = compiled("divmod")(np.arange(-5, 5), np.int64(3))
    assert_same(got, np.divmod(np.arange(-5, 5), 3))


def test_aliases_are_the_same_ufuncs():
    @njit
    def f(a, b):
        return np.abs(a), np.divide(a, b), np.mod(a, b), np.conj(a), np.degrees(a), np.radians(a)

    a, b = np.array([-1.5, 2.0, 3.0]), np.array([0.5, -2.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = (np.absolute(a), np.true_divide(a, b), np.remainder(a, b), np.conjugate(a),
                np.rad2deg(a), np.deg2rad(a))
    for got, w in zip(f(a, b), want):
        assert_same(got, w)


VALUE_SENSITIVE = ["floor_divide", "remainder", "divmod", "fmod", "copysign", "nextafter",
                   "maximum", "fmin", "logaddexp", "spacing", "modf", "frexp", "sign", "rint",
                   "ldexp"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(width=64), st.floats(width=64)), min_size=1, max_size=6),
       st.sampled_from(VALUE_SENSITIVE))
def test_float_functions_on_any_values(pairs, name):
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    if name == "ldexp":
        b = np.clip(np.nan_to_num(b), -2000, 2000).astype(np.int64)
    check(name, *((a,) if getattr(np, name).nin == 1 else (a, b)))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-128, 127), st.integers(-128, 127)), min_size=1,
                max_size=6),
       st.sampled_from(["floor_divide", "remainder", "divmod", "fmod", "gcd", "lcm",
                        "left_shift", "right_shift", "power"]))
def test_int8_functions_on_any_values(pairs, name):
    a = np.array([p[0] for p in pairs], np.int8)
    b = np.array([p[1] for p in pairs], np.int8)
    if name == "power":
        b = np.abs(b) % 9
    check(name, a, b)


@njit
def _zero_d_operations(z, v):
    return z + 1, np.sqrt(z), -z, z * v, np.maximum(z, z)


def test_0d_arrays_alone_give_scalars_as_numpy():
    z, v = np.array(2.25), np.arange(3.0)
    got = _zero_d_operations(z, v)
    expected = (z + 1, np.sqrt(z), -z, z * v, np.maximum(z, z))
    for e, g in zip(expected, got):
        assert np.ndim(g) == np.ndim(e) and np.array_equal(e, g)
    assert not isinstance(got[0], np.ndarray) and isinstance(got[3], np.ndarray)
