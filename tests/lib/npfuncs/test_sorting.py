"""np.sort / argsort / partition / searchsorted / nonzero / where / take..., against NumPy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.int32, np.int64, np.uint64,
          np.float32, np.float64, np.complex64, np.complex128]


# -- compiled once, reused -------------------------------------------------------------------

@njit
def sort(a):
    return np.sort(a)


@njit
def sort_axis(a, axis):
    return np.sort(a, axis=axis)


@njit
def sort_flat(a):
    return np.sort(a, axis=None)


@njit
def argsort(a):
    return np.argsort(a)


@njit
def argsort_stable(a, axis):
    return np.argsort(a, axis=axis, kind="mergesort")


@njit
def method_sort(a):
    a.sort()


@njit
def method_sort_stable(a, axis):
    a.sort(axis=axis, kind="stable")


@njit
def partition(a, kth):
    return np.partition(a, kth)


@njit
def argpartition(a, kth):
    return np.argpartition(a, kth)


@njit
def searchsorted(a, v):
    return np.searchsorted(a, v)


@njit
def searchsorted_right(a, v):
    return np.searchsorted(a, v, side="right")


@njit
def nonzero(a):
    return np.nonzero(a)


@njit
def where3(c, x, y):
    return np.where(c, x, y)


@njit
def where_zero(c, x):
    return np.where(c, x, 0)


@njit
def take(a, i):
    return np.take(a, i)


@njit
def method_take(a, i):
    return a.take(i)


def assert_same(got, expected):
    assert type(got) is type(expected)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def values(dtype, shape, seed, nan=True):
    """Few distinct values (ties), NaNs and infinities for the float kinds."""
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 4, shape)
    if np.dtype(dtype).kind == "b":
        return (x > 0).astype(dtype)
    if np.dtype(dtype).kind == "u":
        x = np.abs(x)
    x = x.astype(dtype)
    if np.dtype(dtype).kind in "fc" and x.size and nan:
        flat = x.reshape(-1)
        flat[rng.integers(0, x.size, max(1, x.size // 5))] = np.nan
        flat[0] = np.inf
        if np.dtype(dtype).kind == "c":
            flat[rng.integers(0, x.size, max(1, x.size // 5))] += complex(0, np.nan)
    return x


def layouts(x):
    """x as C, Fortran and non-contiguous (strided, reversed) arrays of the same shape."""
    yield x
    yield np.asfortranarray(x)
    big = np.empty(tuple(2 * s for s in x.shape), x.dtype)
    view = big[tuple(slice(None, None, -2) for _ in x.shape)]
    view[...] = x
    yield view


shapes = st.sampled_from([(0,), (1,), (7,), (40,), (300,), (3, 0), (3, 5), (2, 3, 17)])


# -- sort / argsort ---------------------------------------------------------------------------

@njit
def sorts(a):
    """Every sort of `a` at once: one compilation per type keeps the file fast."""
    return (np.sort(a), np.sort(a, kind="stable"), np.argsort(a),
            np.argsort(a, kind="mergesort"), a.argsort(kind="stable"))


@njit
def sort_argsort(a):
    return np.sort(a), np.argsort(a, kind="stable")


def check_sorts(x):
    before = x.copy()
    plain, stable, order, stable_order, method_order = sorts(x)
    assert_same(plain, np.sort(x))
    assert_same(stable, np.sort(x, kind="stable"))
    assert_same(stable_order, np.argsort(x, kind="stable"))
    assert_same(method_order, x.argsort(kind="stable"))
    assert order.dtype == np.intp  # ties (NaNs included) may come in any order
    np.testing.assert_array_equal(np.take_along_axis(x, order, -1), np.sort(x))
    assert_same(x, before)  # not sorted in place


@pytest.mark.parametrize("dtype", DTYPES)
@settings(max_examples=15, deadline=None)
@given(n=st.sampled_from([0, 1, 2, 7, 16, 17, 40, 300]), seed=st.integers(0, 1000))
def test_sorts_match_numpy(dtype, n, seed):
    x = values(dtype, (n,), seed)
    plain, order = sort_argsort(x)
    assert_same(plain, np.sort(x))
    assert_same(order, np.argsort(x, kind="stable"))


@pytest.mark.parametrize("dtype", [np.float64])
@settings(max_examples=10, deadline=None)
@given(shape=st.sampled_from([(3, 0), (3, 5), (4, 33)]), seed=st.integers(0, 1000))
def test_sorts_of_every_layout(dtype, shape, seed):
    for x in layouts(values(dtype, shape, seed)):
        check_sorts(x)


@pytest.mark.parametrize("dtype", [np.float32])
def test_sort_along_every_axis(dtype):
    x = values(dtype, (3, 4, 6), 7)
    for axis in (0, 1, 2, -1, -2, -3):
        assert_same(sort_axis(x, axis), np.sort(x, axis=axis))
        assert_same(argsort_stable(x.T, axis), np.argsort(x.T, axis=axis, kind="stable"))
        inplace = x.copy()
        method_sort_stable(inplace, axis)
        assert_same(inplace, np.sort(x, axis=axis))
    assert_same(sort_flat(x[:, ::2]), np.sort(x[:, ::2], axis=None))


@pytest.mark.parametrize("dtype", [np.int64])
def test_method_sort_in_place(dtype):
    for shape in [(0, 4), (3, 17), (20, 300)]:
        for x in layouts(values(dtype, shape, 3)):
            expected = np.sort(x)
            method_sort(x)  # views too: the sorted values land in the caller's memory
            assert_same(x, expected)


@pytest.mark.parametrize("n", [17, 1000, 100_000])
def test_introsort_on_adversarial_orders(n):
    """Sorted, reversed, all equal, organ pipe and sawtooth inputs (the quicksort's worst
    cases, where it falls back to heapsort), for both kinds."""
    ramp = np.arange(n, dtype=np.float64)
    cases = [ramp, ramp[::-1].copy(), np.ones(n), np.concatenate([ramp[: n // 2], ramp[n // 2:][::-1]]),
             ramp % 7, np.where(ramp % 2 == 0, ramp, -ramp)]
    for x in cases:
        assert_same(sort(x), np.sort(x))
        assert_same(argsort_stable(x, 0), np.argsort(x, kind="stable"))
        np.testing.assert_array_equal(x[argsort(x)], np.sort(x))


def test_nan_and_signed_zero_order():
    x = np.array([np.nan, -0.0, 0.0, -np.inf, np.inf, np.nan, 1.0, -1.0] * 5)
    got = sort(x)
    np.testing.assert_array_equal(got, np.sort(x))
    assert np.isnan(got[-10:]).all()
    assert_same(argsort_stable(x, 0), np.argsort(x, kind="stable"))  # NaN indices in order


def test_kind_errors():
    @njit
    def bad_kind(a):
        return np.sort(a, kind="heapsort")

    @njit
    def bad_method_kind(a):
        a.argsort(kind="bogus")

    with pytest.raises(TypingError, match="Unsupported \"kind\": 'heapsort'"):
        bad_kind(np.arange(3))
    with pytest.raises(TypingError, match="Unsupported \"kind\": 'bogus'"):
        bad_method_kind(np.arange(3))
    with pytest.raises(TypingError, match='Argument "a" must be array-like'):
        sort(None)
    with pytest.raises(ValueError, match="axis"):
        sort_axis(np.zeros((2, 3)), 2)


# -- partition --------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(st.sampled_from([np.float64]), st.integers(1, 60), st.integers(0, 1000),
       st.data())
def test_partition_contract(dtype, n, seed, data):
    x = values(dtype, (2, n), seed)
    kth = data.draw(st.integers(-n, n - 1))
    got = partition(x, kth)
    assert got.dtype == x.dtype and got.shape == x.shape
    k = kth % n
    expected = np.partition(x, kth)
    np.testing.assert_array_equal(got[:, k], expected[:, k])
    for row, orig in zip(got, x):  # nothing after kth orders before it
        np.testing.assert_array_equal(np.sort(row[:k]), np.sort(np.sort(orig)[:k]))
    order = argpartition(x, kth)
    np.testing.assert_array_equal(np.take_along_axis(x, order, -1)[:, k], expected[:, k])


def test_partition_errors():
    a = np.arange(10)
    for kth in (10, -11, (3, 30)):
        with pytest.raises(ValueError, match="kth out of bounds"):
            partition(a, kth)
    with pytest.raises(ValueError, match="kth must be scalar or 1-D"):
        argpartition(a, np.zeros((1, 1), np.int64))
    with pytest.raises(TypingError, match="Partition index must be integer"):
        partition(a, 1.5)
    assert_same(partition(np.zeros((3, 0)), 0), np.partition(np.zeros((3, 0)), 0))


# -- searchsorted -----------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.sampled_from([np.int8, np.float32, np.complex128]), st.integers(0, 30), st.integers(0, 30), st.booleans(), st.integers(0, 1000))
def test_searchsorted_matches_numpy(dtype, n, m, presort, seed):
    a = values(dtype, (n,), seed).astype(dtype)
    if presort:
        a = np.sort(a)
    v = values(dtype, (m,), seed + 1).astype(dtype)  # a unsorted too: NumPy's exact answers
    for func, side in ((searchsorted, "left"), (searchsorted_right, "right")):
        assert_same(func(a, v), np.searchsorted(a, v, side=side))
        assert_same(func(a[::-1], v.reshape(1, -1)), np.searchsorted(a[::-1], v.reshape(1, -1), side=side))
        if m:
            assert func(a, v[0]) == np.searchsorted(a, v[0], side=side)


def test_searchsorted_lists_and_errors():
    assert_same(searchsorted([1, 2, 3], [0, 2, 5]), np.searchsorted([1, 2, 3], [0, 2, 5]))
    assert searchsorted_right(np.array([False, True, True]), True) == 3

    @njit
    def bad_side(a, v):
        return np.searchsorted(a, v, side="nonsense")

    # (a str side is checked when the call runs, as NumPy checks it)
    with pytest.raises(ValueError, match="side must be 'left' or 'right'"):
        bad_side(np.arange(3), 1)


# -- nonzero, flatnonzero, argwhere, where, take ----------------------------------------------

@njit
def indexers(a):
    return np.nonzero(a), a.nonzero(), np.where(a), np.flatnonzero(a), np.argwhere(a)


@pytest.mark.parametrize("dtype", [np.bool_, np.float64])
def test_index_functions_match_numpy(dtype):
    for shape in [(0,), (9,), (4, 5), (3, 0)]:
        for x in layouts(values(dtype, shape, 5, nan=False)):
            got = indexers(x)
            for tup in got[:3]:
                assert len(tup) == x.ndim
                for g, e in zip(tup, np.nonzero(x)):
                    assert_same(g, e)
            assert_same(got[3], np.flatnonzero(x))
            assert_same(got[4], np.argwhere(x))
    x = values(dtype, (2, 3, 4), 6, nan=False)
    for g, e in zip(nonzero(x), np.nonzero(x)):
        assert_same(g, e)


@pytest.mark.parametrize("xtype, ytype", [(np.int8, np.uint8), (np.bool_, np.complex64),
                                          (np.float64, np.int64)])
def test_where_broadcasts_and_promotes(xtype, ytype):
    for seed in range(5):
        x = values(xtype, (3, 4), seed)
        y = values(ytype, (4,), seed + 1)
        c = values(np.int8, (3, 1), seed + 2)
        assert_same(where3(c, x, y), np.where(c, x, y))
        assert_same(where3(c > 0, x[:, ::-1], y[::-1]), np.where(c > 0, x[:, ::-1], y[::-1]))
        assert_same(where_zero(x != 0, x), np.where(x != 0, x, 0))  # 0 is weak (NumPy 2)


def test_where_shape_mismatch():
    with pytest.raises(ValueError):
        where3(np.ones(3, np.bool_), np.ones(4), 0.0)


def test_take():
    a = np.arange(24.0).reshape(2, 3, 4)[:, ::2]
    idx = np.array([[0, -1], [5, 3]])
    assert_same(take(a, idx), np.take(a, idx))
    assert_same(method_take(a, [1, 2, -8]), a.take([1, 2, -8]))
    assert take(a, -2) == np.take(a, -2)
    with pytest.raises(IndexError, match="index out of bounds"):
        take(a, 16)


def test_sort_does_not_leak():
    x = np.random.default_rng(0).random((4, 50))
    calls = [lambda: sorts(x), lambda: partition(x, 3), lambda: indexers(x > 0.5),
             lambda: where_zero(x != 0, x), lambda: searchsorted(x[0].astype(np.float32), x[1].astype(np.float32))]
    for call in calls:  # compiled first, outside the check
        call()
    with no_leaks(x):
        for call in calls * 2:
            call()


@njit
def _partition_sequences(a, k):
    return np.partition(a, k), np.argpartition(a, k)


@pytest.mark.parametrize("sequence", [[3, 1, 2], (3.5, 2.5, 1.5, 0.5), (2, 7, 1, 8, 2, 8)])
def test_partition_takes_lists_and_tuples_as_arrays(sequence):
    for k in range(len(sequence)):
        part, order = _partition_sequences(sequence, k)
        values = np.asarray(sequence)
        assert part[k] == np.sort(values)[k] and values[order[k]] == part[k]
        assert (part[:k] <= part[k]).all() and (part[k:] >= part[k]).all()


# -- keywords and keys that cannot work: Numba's messages -------------------------------------

@njit
def _method_with_unknown_keyword():
    np.arange(5).sort(foo="")


@njit
def _argsort_with_unknown_keywords():
    return np.arange(5).argsort(foo="", bar=1)


@pytest.mark.parametrize("func, message", [
    (_method_with_unknown_keyword, "ndarray.sort(): Unsupported keywords: ['foo']"),
    (_argsort_with_unknown_keywords, "ndarray.argsort(): Unsupported keywords: ['foo', 'bar']"),
])
def test_array_sort_methods_name_unknown_keywords(func, message):
    with pytest.raises(TypingError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("]", r"\]")):
        func()


@njit
def _list_sorted(x, key=None, reverse=False):
    return sorted(x, key=key, reverse=reverse)


@njit
def _negated(v):
    return -v


@pytest.mark.parametrize("kws, message", [
    ({"key": "illegal"}, "Key must be None or a Numba JIT compiled function"),
    ({"key": _negated, "reverse": "backwards"}, "an integer is required for 'reverse'"),
])
def test_sorted_refuses_keys_and_reverse_flags_that_cannot_work(kws, message):
    with pytest.raises(TypingError, match=message):
        _list_sorted([3, 1, 2], **kws)


def test_sorted_with_a_jitted_key_still_sorts_as_python():
    data = [3, 1, 4, 1, 5, 9, 2]
    assert _list_sorted(data, key=_negated) == sorted(data, key=lambda v: -v)
    assert _list_sorted(data, reverse=True) == sorted(data, reverse=True)


def test_a_key_that_may_be_none_is_refused_with_numbas_message():
    @njit
    def maybe_key(x, flag):
        key = _negated if flag else None
        x.sort(key=key)
        return x

    with pytest.raises(TypingError, match="Key must concretely be None or a Numba JIT"):
        maybe_key([2, 1], True)
