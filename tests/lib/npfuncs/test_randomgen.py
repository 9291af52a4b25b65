"""np.random.Generator in compiled code: boxing, the shared bit generator stream, and the core
methods (random, standard_normal, standard_exponential, normal, uniform, exponential, integers,
shuffle, permutation, default_rng) bit for bit against NumPy's Generator with the same seed."""
import gc
import sys

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

BITGENS = [np.random.PCG64, np.random.MT19937, np.random.Philox, np.random.SFC64]


def twins(seed=1, bitgen=np.random.PCG64):
    return np.random.Generator(bitgen(seed)), np.random.Generator(bitgen(seed))


def same_state(a, b):
    return str(a.bit_generator.state) == str(b.bit_generator.state)


def assert_same(got, expected):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape
    if expected.ndim:
        assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


# -- boxing ----------------------------------------------------------------------------------

@njit
def identity(g):
    return g


@njit
def one_double(g):
    return g.random()


def test_boxing_returns_the_same_object():
    rng = np.random.default_rng()
    assert identity(rng) is rng


def test_argument_references_are_exact():
    rng = np.random.default_rng()
    kept = identity(rng)
    gc.collect()
    with_extra = sys.getrefcount(rng)
    del kept
    one_double(rng)
    gc.collect()
    assert sys.getrefcount(rng) == with_extra - 1


@pytest.mark.parametrize("bitgen", BITGENS)
def test_compiled_and_python_draws_interleave_on_one_stream(bitgen):
    a, b = twins(5, bitgen)
    got = [one_double(a), a.random(), one_double(a)]
    assert got == b.random(3).tolist()
    assert same_state(a, b)


def test_other_objects_are_not_generators():
    with pytest.raises(TypingError):
        one_double(np.random.RandomState(1))


# -- floats ----------------------------------------------------------------------------------

@njit
def float_draws(g, n):
    return (g.random(), g.random(n), g.random((2, n)), g.standard_normal(n),
            g.standard_exponential(n), g.standard_exponential(n, method="inv"),
            g.normal(1.5, 3, size=n), g.uniform(-2.0, 5, n), g.exponential(2.5, (n, 2)),
            g.normal(), g.uniform(), g.exponential(), g.standard_normal(()))


def numpy_float_draws(g, n):
    return (g.random(), g.random(n), g.random((2, n)), g.standard_normal(n),
            g.standard_exponential(n), g.standard_exponential(n, method="inv"),
            g.normal(1.5, 3, size=n), g.uniform(-2.0, 5, n), g.exponential(2.5, (n, 2)),
            g.normal(), g.uniform(), g.exponential(), g.standard_normal(()))


@pytest.mark.parametrize("bitgen", BITGENS)
def test_float64_draws_match_numpy(bitgen):
    a, b = twins(3, bitgen)
    for got, expected in zip(float_draws(a, 1000), numpy_float_draws(b, 1000)):
        assert_same(got, expected)
    assert same_state(a, b)


@njit
def single_draws(g, n):
    return (g.random(n, dtype=np.float32), g.standard_normal(n, dtype=np.float32),
            g.standard_exponential(n, dtype=np.float32),
            g.standard_exponential(n, dtype=np.float32, method="inv"),
            g.random(dtype=np.float32))


@pytest.mark.parametrize("bitgen", BITGENS)
def test_float32_draws_match_numpy(bitgen):
    a, b = twins(4, bitgen)
    expected = (b.random(2000, dtype=np.float32), b.standard_normal(2000, dtype=np.float32),
                b.standard_exponential(2000, dtype=np.float32),
                b.standard_exponential(2000, dtype=np.float32, method="inv"),
                b.random(dtype=np.float32))
    for got, want in zip(single_draws(a, 2000), expected):
        assert_same(got, want)
    assert same_state(a, b)


@njit
def normals(g, n):
    return g.standard_normal(n), g.standard_exponential(n), \
        g.standard_normal(n, dtype=np.float32), g.standard_exponential(n, dtype=np.float32)


def test_ziggurat_tails_and_rejections_match_over_many_draws():
    a, b = twins(11)
    n = 400_000
    expected = (b.standard_normal(n), b.standard_exponential(n),
                b.standard_normal(n, dtype=np.float32),
                b.standard_exponential(n, dtype=np.float32))
    for got, want in zip(normals(a, n), expected):
        assert_same(got, want)
    assert same_state(a, b)


@njit
def normal_sized(g, size):
    return g.normal(0.0, 1.0, size)


def test_sizes_int_tuple_empty():
    a, b = twins()
    for size in [0, 3, (), (0,), (2, 0, 3), (2, 3, 4)]:
        assert_same(normal_sized(a, size), b.normal(0.0, 1.0, size))
    with pytest.raises(ValueError, match="negative dimensions"):
        normal_sized(a, -1)


@njit
def normal_checked(g, scale):
    return g.normal(0.0, scale)


@njit
def uniform_checked(g, low, high):
    return g.uniform(low, high)


@njit
def exponential_bad_method(g):
    return g.standard_exponential(method="bad")


def test_float_parameter_errors_match_numpy():
    g = np.random.default_rng(1)
    for scale in (-1.0, -0.0):
        with pytest.raises(ValueError, match="scale < 0"):
            normal_checked(g, scale)
    assert np.isnan(normal_checked(g, np.nan))
    with pytest.raises(ValueError, match="high - low < 0"):
        uniform_checked(g, 1.0, 0.0)
    with pytest.raises(OverflowError, match="range exceeds valid bounds"):
        uniform_checked(g, -1e308, 1e308)
    with pytest.raises(ValueError, match="'method' argument"):
        exponential_bad_method(g)


def test_argument_types_are_checked_when_compiling():
    @njit
    def bad_loc(g):
        return g.normal(loc=(0,))

    @njit
    def bad_dtype(g):
        return g.random(dtype=np.int32)

    @njit
    def bad_size(g):
        return g.random(size=1.5)

    g = np.random.default_rng(1)
    with pytest.raises(TypingError, match="Argument loc is not one of the expected type"):
        bad_loc(g)
    with pytest.raises(TypingError, match="Argument dtype"):
        bad_dtype(g)
    with pytest.raises(TypingError, match="Argument size"):
        bad_size(g)


# -- integers --------------------------------------------------------------------------------

INT_DTYPES = [np.int64, np.int32, np.int16, np.int8, np.uint64, np.uint32, np.uint16, np.uint8]


def _integers_for(dtype):
    @njit
    def draw(g, low, high, size, endpoint):
        return g.integers(low, high, size=size, dtype=dtype, endpoint=endpoint), \
            g.integers(low, high, dtype=dtype, endpoint=endpoint)
    return draw


INTEGERS = {dt: _integers_for(dt) for dt in INT_DTYPES + [np.bool_]}


def _arg(v):
    return np.uint64(v) if v > np.iinfo(np.int64).max else v


@pytest.mark.parametrize("bitgen", [np.random.PCG64, np.random.MT19937])
@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_integers_match_numpy(dtype, bitgen):
    info = np.iinfo(dtype)
    lo, hi = int(info.min), int(info.max)
    cases = [(5, 10), (5, 6), (0, hi), (lo, hi), (lo, lo + 3), (0, 0xFFFFFFFF), (0, 0xFFFF)]
    for low, high in cases:
        if high > hi:
            continue
        for endpoint in (False, True):
            a, b = twins(9, bitgen)
            arr, one = INTEGERS[dtype](a, _arg(low), _arg(high), (7, 5), endpoint)
            assert_same(arr, b.integers(low, high, (7, 5), dtype, endpoint))
            assert one == b.integers(low, high, dtype=dtype, endpoint=endpoint)
            assert same_state(a, b)


def test_bool_integers_match_numpy():
    a, b = twins(2)
    for low, high, endpoint in [(0, 1, False), (0, 1, True), (1, 1, True), (0, 0, True)]:
        arr, one = INTEGERS[np.bool_](a, low, high, 100, endpoint)
        assert_same(arr, b.integers(low, high, 100, np.bool_, endpoint))
        assert one == b.integers(low, high, dtype=np.bool_, endpoint=endpoint)
    assert same_state(a, b)


@njit
def integers_default(g, high):
    return g.integers(high)


@njit
def integers_mixed(g):
    return g.integers(np.uint8(0), np.int64(100), size=50)


@settings(max_examples=60, deadline=None)
@given(st.integers(-2**63, 2**63 - 1), st.integers(1, 2**64 - 1), st.integers(0, 2**32))
def test_integers_any_int64_range(low, span, seed):
    high = min(low + span, 2**63 - 1)
    if high <= low:
        return
    a, b = twins(seed)
    arr, one = INTEGERS[np.int64](a, low, high, 20, False)
    assert_same(arr, b.integers(low, high, 20))
    assert one == b.integers(low, high)


def test_integers_defaults_and_mixed_bounds():
    a, b = twins()
    assert integers_default(a, 100) == b.integers(100)
    assert_same(integers_mixed(a), b.integers(np.uint8(0), np.int64(100), size=50))
    assert same_state(a, b)


@pytest.mark.parametrize("low, high, dtype, endpoint, message", [
    (5, 5, np.int64, False, "low >= high"),
    (5, 4, np.int64, True, "low > high"),
    (-1, 5, np.uint8, False, "low is out of bounds for uint8"),
    (0, 257, np.uint8, False, "high is out of bounds for uint8"),
    (0, 256, np.uint8, True, "high is out of bounds for uint8"),
    (-129, 0, np.int8, False, "low is out of bounds for int8"),
    (-1, 5, np.uint64, False, "low is out of bounds for uint64"),
    (np.uint64(2**63), np.uint64(2**64 - 1), np.int64, True, "low is out of bounds|high is"),
])
def test_integers_bounds_errors_match_numpy(low, high, dtype, endpoint, message):
    g = np.random.default_rng(1)
    with pytest.raises(ValueError, match=message):
        g.integers(low, high, dtype=dtype, endpoint=endpoint)
    with pytest.raises(ValueError, match=message):
        INTEGERS[dtype](g, low, high, 3, endpoint)


def test_integers_empty_size_skips_the_checks():
    a, b = twins()
    arr, _ = INTEGERS[np.int64](a, 0, 10, (0, 3), False)
    assert_same(arr, b.integers(0, 10, (0, 3)))


# -- shuffle and permutation -----------------------------------------------------------------

@njit
def shuffled(g, a, axis):
    g.shuffle(a, axis=axis)
    return a


@njit
def shuffled_default(g, a):
    g.shuffle(a)


@njit
def permuted(g, a, axis):
    return g.permutation(a, axis=axis)


@njit
def permuted_default(g, a):
    return g.permutation(a)


@pytest.mark.parametrize("bitgen", [np.random.PCG64, np.random.MT19937])
@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_shuffle_and_permutation_along_axes(axis, bitgen):
    a, b = twins(1, bitgen)
    x = np.arange(2400.0).reshape(8, 10, 30)
    y = x.copy()
    shuffled(a, x, axis)
    b.shuffle(y, axis=axis)
    assert_same(x, y)
    source = np.asfortranarray(np.arange(2400).reshape(8, 10, 30))
    assert_same(permuted(a, source, axis), b.permutation(source, axis=axis))
    assert source[0, 0, 1] == 1                       # permutation works on a copy
    assert same_state(a, b)


def test_shuffle_and_permutation_1d_views_and_ints():
    a, b = twins(3)
    x = np.arange(40)
    y = x.copy()
    shuffled_default(a, x[::3])
    b.shuffle(y[::3])
    assert_same(x, y)
    assert_same(permuted_default(a, 50), b.permutation(50))
    assert_same(permuted_default(a, -3), b.permutation(-3))
    view = np.arange(20, dtype=np.int8)[::2]
    assert_same(permuted_default(a, view), b.permutation(view))
    big = np.arange(70_000, dtype=np.int32)
    big2 = big.copy()
    shuffled_default(a, big)
    b.shuffle(big2)
    assert_same(big, big2)
    assert same_state(a, b)


def test_empty_arrays_draw_what_numpy_draws():
    a, b = twins(3)
    assert_same(permuted(a, np.zeros((3, 0)), 0), b.permutation(np.zeros((3, 0)), axis=0))
    shuffled(a, np.zeros((3, 0)), 0)
    b.shuffle(np.zeros((3, 0)), axis=0)
    shuffled_default(a, np.array([]))
    b.shuffle(np.array([]))
    assert_same(permuted_default(a, np.array([])), b.permutation(np.array([])))
    assert same_state(a, b)


def test_shuffle_and_permutation_errors():
    g = np.random.default_rng(1)
    with pytest.raises(np.exceptions.AxisError, match="axis 2 is out of bounds"):
        permuted(g, np.zeros((2, 2)), 2)
    with pytest.raises(IndexError):
        shuffled(g, np.zeros((2, 2)), -3)
    with pytest.raises(np.exceptions.AxisError):
        permuted_default(g, np.array(3.0))
    readonly = np.arange(3.0)
    readonly.flags.writeable = False
    with pytest.raises(TypingError, match="read-only"):
        shuffled_default(g, readonly)
    with pytest.raises(TypingError, match="Argument x"):
        shuffled_default(g, 3.0)


# -- default_rng inside compiled code --------------------------------------------------------

@njit
def seeded(seed):
    g = np.random.default_rng(seed)
    return g.random(4), g.integers(0, 10, 3), g


@njit
def unseeded():
    return np.random.default_rng().random()


@njit
def passed_through(g):
    return np.random.default_rng(g)


def test_default_rng_in_compiled_code_matches_numpy():
    values, ints, g = seeded(42)
    expected = np.random.default_rng(42)
    assert_same(values, expected.random(4))
    assert_same(ints, expected.integers(0, 10, 3))
    assert isinstance(g, np.random.Generator)
    assert g.random() == expected.random()             # the returned object continues
    assert 0.0 <= unseeded() < 1.0 and unseeded() != unseeded()
    rng = np.random.default_rng(1)
    assert passed_through(rng) is rng


def test_default_rng_rejects_negative_seeds():
    with pytest.raises(ValueError, match="non-negative"):
        seeded(-1)


def _exercise(rng):
    _, _, made = seeded(5)
    del made
    float_draws(rng, 10)
    identity(rng)
    permuted(rng, np.zeros((3, 4)), 1)
    with pytest.raises(ValueError):
        seeded(-1)


def test_no_leaks():
    rng = np.random.default_rng(7)
    _exercise(rng)                     # compiled (and its constants made) outside the check
    with no_leaks(rng):
        for _ in range(3):
            _exercise(rng)


# -- choice ----------------------------------------------------------------------------------

@njit
def chosen(g, a, size, replace, shuffle):
    return g.choice(a, size, replace, shuffle=shuffle)


@njit
def chosen_one(g, a):
    return g.choice(a)


@njit
def chosen_weighted(g, a, size, replace, p):
    return g.choice(a, size, replace, p)


@pytest.mark.parametrize("population", [10, 20000, np.arange(30.0) * 2])
@pytest.mark.parametrize("replace", [True, False])
def test_choice_matches_numpy(population, replace):
    for size in [5, (3, 4), 0, 3000]:
        for shuffle in (True, False):
            a, b = twins(3)
            try:
                expected = b.choice(population, size, replace, shuffle=shuffle)
            except ValueError as error:
                with pytest.raises(ValueError, match=str(error)):
                    chosen(a, population, size, replace, shuffle)
                continue
            assert_same(chosen(a, population, size, replace, shuffle), expected)
            assert same_state(a, b)


def test_choice_scalars_and_weights():
    a, b = twins()
    assert chosen_one(a, 10) == b.choice(10)
    assert chosen_one(a, np.arange(5.0)) == b.choice(np.arange(5.0))
    p = np.array([0.1, 0.2, 0.3, 0.4])
    for size, replace in [(5, True), ((3, 2), True), (3, False), (4, False)]:
        assert_same(chosen_weighted(a, 4, size, replace, p), b.choice(4, size, replace, p))
    assert same_state(a, b)


@pytest.mark.parametrize("args, message", [
    ((4, 3, False, np.array([0.5, 0.0, 0.5, 0.0])), "Fewer non-zero entries in p than size"),
    ((4, 3, True, np.array([0.5, 0.5])), "a and p must have same size"),
    ((2, 3, True, np.array([0.5, 0.6])), "Probabilities do not sum to 1"),
    ((2, 3, True, np.array([1.5, -0.5])), "Probabilities are not non-negative"),
    ((2, 3, False, np.array([0.5, 0.5])), "Cannot take a larger sample"),
    ((0, 3, True, np.array([])), "a must be a positive integer"),
    ((2, 3, True, np.array([np.nan, 0.5])), "robabilities contain NaN"),
])
def test_choice_errors_match_numpy(args, message):
    g = np.random.default_rng(1)
    with pytest.raises(ValueError, match=message):
        g.choice(*args)
    with pytest.raises(ValueError, match=message):
        chosen_weighted(g, *args)


def test_explicit_signatures_name_the_generator_type_as_numba_does():
    from jitbridge import types
    draw = njit(types.float64(types.npy_rng))(lambda g: g.random())
    ours, theirs = twins(7)
    assert draw(ours) == theirs.random()
    assert same_state(ours, theirs)
    assert isinstance(types.npy_rng, types.NumPyRandomGeneratorType)
