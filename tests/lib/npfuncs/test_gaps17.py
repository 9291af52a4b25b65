"""Issue 13 gaps: np.array of arrays and of mixed nested lists, np.expand_dims with a tuple
axis, np.sort_complex, np.linalg.norm with axis=/keepdims=, ufunc dtype=/where= keywords and
the binary ufuncs' reduce/accumulate/outer/at methods, against NumPy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit
from jitbridge.errors import TypingError


def same(got, expected, exact=True):
    got = np.asarray(got)
    assert got.dtype == expected.dtype and got.shape == expected.shape, (got, expected)
    if exact:
        np.testing.assert_array_equal(got, expected)
    else:
        np.testing.assert_allclose(got, expected, rtol=2e-6, atol=1e-12)


# -- np.array of arrays, of nested lists mixing types ---------------------------------------------

stack_list = njit(lambda a, b: np.array([a, b]))
stack_tuple = njit(lambda a, b: np.array((a, b)))
stack_f32 = njit(lambda a, b: np.asarray([a, b], dtype=np.float32))
from_list = njit(lambda items: np.array(items))


@pytest.mark.parametrize("a, b", [
    (np.arange(5.0), np.ones(5)), (np.arange(12).reshape(3, 4), np.ones((3, 4), np.int8)),
    (np.asfortranarray(np.arange(6.0).reshape(2, 3)), np.arange(12.0).reshape(2, 6)[:, ::2]),
    (np.array(2.5), np.array(1.0)), (np.arange(3) > 0, np.arange(3) > 1),
    (np.zeros((0, 2)), np.zeros((0, 2))), (np.arange(3.0), np.arange(3) * 1j)])
def test_array_of_equal_shape_arrays_stacks_them(a, b):
    same(stack_tuple(a, b), np.array((a, b)))
    same(stack_f32(a.real, b.real), np.asarray([a.real, b.real], dtype=np.float32))
    if a.dtype == b.dtype and a.flags.c_contiguous == b.flags.c_contiguous:
        same(stack_list(a, b), np.array([a, b]))


def test_array_of_a_list_argument_of_arrays_and_of_nested_lists():
    items = [np.arange(4.0) * k for k in range(3)]
    same(from_list(items), np.array(items))
    nested = [[items[0], items[1]], [items[2], items[0]]]
    same(from_list(nested), np.array(nested))
    same(njit(lambda a: np.array([a, [1, 2, 3, 4]]))(items[1]), np.array([items[1], [1, 2, 3, 4]]))


def test_array_of_arrays_of_different_shapes_is_a_valueerror():
    with pytest.raises(ValueError, match="inhomogeneous"):
        stack_list(np.arange(3.0), np.arange(2.0))
    with pytest.raises(ValueError, match="inhomogeneous"):
        stack_tuple(np.ones((2, 2)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="inhomogeneous"):
        from_list([np.arange(3.0), np.arange(4.0)])


def test_nested_lists_mixing_ints_floats_and_bools_take_numpy_dtype():
    cases = [lambda: np.asarray([[1, 2.5], [3, 4]]), lambda: np.array([[True, False], [3, 4]]),
             lambda: np.array([[[1, 2.5]], [[3, 4]]]), lambda: np.array(([1, 2.5], [3, 4])),
             lambda: np.asarray([[1, 2.5], [3, 4]], dtype=np.float32),
             lambda: np.array([[1, 2j], [3, 4]])]
    for case in cases:
        same(njit(case)(), case())
    with pytest.raises(ValueError):
        njit(lambda: np.array([[1, 2.5], [3]]))()


# -- np.expand_dims with a tuple axis --------------------------------------------------------------

@pytest.mark.parametrize("axis", [(0, 2), (-1, 0), (0,), (), (1, -1), (0, 1, 2), (3, 0)])
def test_expand_dims_tuple_axis(axis):
    f = njit(lambda a: np.expand_dims(a, axis))
    for a in [np.arange(12.0).reshape(3, 4), np.asfortranarray(np.ones((2, 3))),
              np.arange(8)[::2], np.array(5)]:
        try:
            expected = np.expand_dims(a, axis)
        except ValueError:
            with pytest.raises(ValueError):
                f(a)
            continue
        got = f(a)
        same(got, expected)
        if got.size:
            got.flat[0] = 99  # a view, as NumPy's
            assert a.flat[0] == 99


def test_expand_dims_repeated_axis_is_a_valueerror():
    with pytest.raises(ValueError, match="repeated axis"):
        njit(lambda a: np.expand_dims(a, (1, -3)))(np.ones((2, 2)))


# -- np.sort_complex -------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32,
                                   np.uint64, np.float32, np.float64, np.complex64,
                                   np.complex128])
def test_sort_complex_values_and_dtype(dtype):
    rng = np.random.default_rng(3)
    a = (rng.normal(size=9) * 10).astype(dtype) if np.dtype(dtype).kind != "c" else \
        (rng.integers(0, 3, 9) + 1j * rng.normal(size=9)).astype(dtype)
    f = njit(lambda a: np.sort_complex(a))
    same(f(a), np.sort_complex(a))
    same(f(a.reshape(3, 3)), np.sort_complex(a.reshape(3, 3)))


def test_sort_complex_with_nans_and_lists():
    a = np.array([3, np.nan, 1 + 1j, 1j * np.nan, 1 - 1j, 0])
    same(njit(lambda a: np.sort_complex(a))(a), np.sort_complex(a))
    same(njit(lambda: np.sort_complex([3, 1, 2]))(), np.sort_complex([3, 1, 2]))


# -- np.linalg.norm with axis= and keepdims= -------------------------------------------------------

def _sample(values, kept):
    """`values` as parameters, those not in `kept` marked slow (each compiles for many
    dtypes and layouts: CI runs a representative part, `pytest -m slow` the rest)."""
    return [v if any(v is k or (type(v) is type(k) and v == k) for k in kept)
            else pytest.param(v, marks=pytest.mark.slow) for v in values]


VECTOR_ORDS = _sample([None, np.inf, -np.inf, 0, 1, -1, 2, -2, 3, 0.5], [None, -np.inf, 0.5])
MATRIX_ORDS = _sample([None, np.inf, -np.inf, 1, -1, 2, -2, "fro", "nuc"], ["nuc", -1])


def norm_sources():
    t = np.random.default_rng(4).normal(size=(2, 3, 4))
    return [t, np.asfortranarray(t)[:, ::2], (t + 2j * t[::-1]).astype(np.complex64)]


@pytest.mark.parametrize("order", VECTOR_ORDS)
def test_norm_along_one_axis(order):
    f = njit(lambda a, axis: np.linalg.norm(a, order, axis))
    keep = njit(lambda a, axis: np.linalg.norm(a, order, axis, True))
    for a in [*norm_sources(), np.arange(24).reshape(2, 3, 4), np.arange(5.0) - 2]:
        for axis in range(-a.ndim, a.ndim):
            same(f(a, axis), np.linalg.norm(a, order, axis), exact=False)
            same(keep(a, axis), np.linalg.norm(a, order, axis, True), exact=False)


@pytest.mark.parametrize("order", MATRIX_ORDS)
def test_norm_over_two_axes(order):
    f = njit(lambda a, axes: np.linalg.norm(a, order, axes))
    keep = njit(lambda a, axes: np.linalg.norm(a, ord=order, axis=axes, keepdims=True))
    for k, a in enumerate(norm_sources()[:2]):  # (complex: test_norm_of_complex_stacks)
        for axes in [(0, 1), (1, 0), (-1, 0), (2, 1)]:
            same(f(a, axes), np.linalg.norm(a, order, axes), exact=False)
            if k == 0:
                same(keep(a, axes), np.linalg.norm(a, order, axes, True), exact=False)
    m = norm_sources()[0][0]
    for axes in [(0, 1), (1, 0)]:
        same(f(m, axes), np.linalg.norm(m, order, axes), exact=False)


@pytest.mark.parametrize("order", [None, 1, 2, "nuc"])
def test_norm_of_complex_stacks(order):
    a = norm_sources()[2]
    f = njit(lambda a, axes: np.linalg.norm(a, order, axes))
    for axes in [(0, 1), (2, 0)]:
        same(f(a, axes), np.linalg.norm(a, order, axes), exact=False)


def test_norm_keepdims_without_axis_and_errors():
    m = np.arange(12.0).reshape(3, 4)
    for order in [None, "fro", 1, 2, np.inf]:
        same(njit(lambda a: np.linalg.norm(a, order, None, True))(m),
             np.linalg.norm(m, order, None, True), exact=False)
    with pytest.raises(ValueError, match="Duplicate axes"):
        njit(lambda a: np.linalg.norm(a, axis=(1, -1)))(m)
    with pytest.raises(ValueError):
        njit(lambda a: np.linalg.norm(a, 0, (0, 1)))(m)
    with pytest.raises(TypingError, match="'fro'"):
        njit(lambda a: np.linalg.norm(a, "fro", 0))(m)


# -- ufunc keywords: dtype=, where= ----------------------------------------------------------------

def test_ufunc_dtype_keyword_picks_numpy_loop():
    m, i = np.arange(12.0).reshape(3, 4) - 3, np.arange(12).reshape(3, 4)
    cases = [(lambda a, b: np.add(a, b, dtype=np.float32), (m, m)),
             (lambda a, b: np.add(a, b, dtype=np.float32), (i, i)),
             (lambda a, b: np.multiply(a, b, dtype="int32"), (i, i)),
             (lambda a: np.add(a, 1, dtype=np.int8), (i.astype(np.int8),)),
             (lambda a: np.sqrt(a, dtype=np.float32), (i,)),
             (lambda a: np.sqrt(a, dtype=np.complex128), (m,))]
    for case, args in cases:
        same(njit(case)(*args), case(*args), exact=False)
    with pytest.raises(TypingError, match="int32"):
        njit(lambda a: np.add(a, a, dtype=np.int32))(m)


@njit
def sqrt_where(a, mask, out):
    return np.sqrt(a, where=mask, out=out)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-10, 10), min_size=0, max_size=12), st.integers(0, 2 ** 12))
def test_where_writes_only_selected_elements(values, bits):
    a = np.array(values, dtype=np.float64)
    mask = np.array([(bits >> k) & 1 == 1 for k in range(a.size)], dtype=np.bool_)
    expected = np.full_like(a, -7.0)
    np.sqrt(a, where=mask, out=expected)
    got = np.full_like(a, -7.0)
    same(sqrt_where(a, mask, got), expected)


def test_where_broadcasts_and_combines_with_dtype_and_tuple_outputs():
    m = np.arange(12.0).reshape(3, 4) - 3
    row = np.array([True, False, True, False])
    got, expected = np.full_like(m, -1.0), np.full_like(m, -1.0)
    np.sqrt(m, where=row, out=expected)
    same(sqrt_where(m, row, got), expected)
    same(sqrt_where(m, False, np.zeros_like(m)), np.zeros_like(m))

    def add_f32(a, mask, out):
        np.add(a, 1, out=out, where=mask, dtype=np.float32)
        return out
    same(njit(add_f32)(m, m > 0, np.zeros(m.shape, np.float32)),
         add_f32(m, m > 0, np.zeros(m.shape, np.float32)))

    def divmod_where(a, mask, q, r):
        np.divmod(a, 3, out=(q, r), where=mask)
        return q + 100 * r
    args = (m, m > 0, np.zeros_like(m), np.zeros_like(m))
    same(njit(divmod_where)(*args), divmod_where(m, m > 0, np.zeros_like(m), np.zeros_like(m)))


def test_where_without_out_and_casting_are_typing_errors():
    m = np.arange(4.0)
    with pytest.raises(TypingError, match="where= is only supported together with out="):
        njit(lambda a: np.sqrt(a, where=a > 1))(m)
    with pytest.raises(TypingError, match="casting="):
        njit(lambda a: np.sqrt(a, casting="unsafe"))(m)
    with pytest.raises(TypingError, match="boolean"):
        njit(lambda a, o: np.sqrt(a, where=a, out=o))(m, m.copy())


# -- ufunc methods: reduce, accumulate, outer, at --------------------------------------------------

METHOD_UFUNCS = _sample([np.add, np.multiply, np.maximum, np.minimum, np.subtract,
                         np.logical_and, np.true_divide, np.fmax],
                        [np.add, np.subtract, np.logical_and])


def method_sources():
    rng = np.random.default_rng(6)
    t = rng.normal(size=(2, 3, 4))
    return [rng.integers(-5, 5, (3, 4)), t, np.asfortranarray(t)[:, ::2],
            rng.integers(0, 4, (3, 4)).astype(np.int8), t[0, 0], np.zeros((0, 3))]


@pytest.mark.parametrize("ufunc", METHOD_UFUNCS, ids=lambda u: u.__name__)
def test_reduce_and_accumulate_like_numpy(ufunc):
    reduce_axis = njit(lambda a, axis: ufunc.reduce(a, axis))
    reduce_default = njit(lambda a: ufunc.reduce(a))
    reduce_keep = njit(lambda a: ufunc.reduce(a, -1, keepdims=True))
    accumulate = njit(lambda a, axis: ufunc.accumulate(a, axis=axis))
    for k, a in enumerate(method_sources()):
        if a.size == 0 and ufunc.identity is None:
            with pytest.raises(ValueError, match="no identity"):
                reduce_axis(a, 0)
            continue
        if k < 2:
            same(reduce_default(a), ufunc.reduce(a), exact=False)
            same(reduce_keep(a), ufunc.reduce(a, -1, keepdims=True), exact=False)
        for axis in range(-a.ndim, a.ndim):
            same(reduce_axis(a, axis), ufunc.reduce(a, axis), exact=False)
            same(accumulate(a, axis), ufunc.accumulate(a, axis=axis), exact=False)


def test_reduce_axis_none_dtype_and_small_integer_promotion():
    i8 = np.arange(1, 7, dtype=np.int8).reshape(2, 3)
    assert njit(lambda a: np.add.reduce(a, axis=None))(i8) == np.add.reduce(i8, axis=None)
    same(njit(lambda a: np.add.reduce(a, 1))(i8), np.add.reduce(i8, 1))  # int64, as np.sum
    same(njit(lambda a: np.multiply.accumulate(a, 0))(i8 > 2), np.multiply.accumulate(i8 > 2, 0))
    same(njit(lambda a: np.add.reduce(a, 0, np.float32))(i8), np.add.reduce(i8, 0, np.float32))
    with pytest.raises(ValueError, match="not reorderable"):
        njit(lambda a: np.subtract.reduce(a, axis=None))(i8)


@pytest.mark.parametrize("ufunc", METHOD_UFUNCS, ids=lambda u: u.__name__)
def test_outer_like_numpy(ufunc):
    f = njit(lambda a, b: ufunc.outer(a, b))
    for a in method_sources():
        b = a[..., :2]
        same(f(a, b), ufunc.outer(a, b), exact=False)
    assert njit(lambda: ufunc.outer(3, 4))() == ufunc.outer(3, 4)


@pytest.mark.parametrize("ufunc", [np.add, np.multiply, np.maximum, np.subtract],
                         ids=lambda u: u.__name__)
def test_at_is_unbuffered_like_numpy(ufunc):
    def at(a, indices, b):
        ufunc.at(a, indices, b)
        return a
    f = njit(at)
    base = np.arange(12.0).reshape(3, 4)
    for a, indices, b in [(base[0], np.array([0, 0, 2, -1]), 1.5),
                          (base[0], [1, 1, 1], np.array([1.0, 2.0, 3.0])),
                          (base, np.array([0, 0, 2]), np.arange(4.0)), (base, 1, 3.0)]:
        same(f(a.copy(), indices, b), at(a.copy(), indices, b))
    with pytest.raises(IndexError):
        f(base.copy(), np.array([3]), 1.0)
    with pytest.raises(TypingError, match="same_kind"):
        f(np.arange(3), np.array([0]), 1.5)
