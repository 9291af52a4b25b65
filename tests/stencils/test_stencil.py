"""@stencil: differential tests against plain NumPy loops (1-D, 2-D, 3-D, borders, cval,
neighborhood, standard_indexing, out=, mixed dtypes), calls from compiled code, stencils made
inside compiled code, and reference counts."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import jitbridge
from jitbridge import njit, stencil
from jitbridge.testing import no_leaks


def reference(kernel_at, a, lo, hi, cval=0, dtype=np.float64, out=None):
    """Apply `kernel_at(index)` where every offset in [lo, hi] stays inside `a`."""
    out = np.full(a.shape, cval, dtype=dtype) if out is None else out
    ranges = [range(-min(0, l), n - max(0, h)) for l, h, n in zip(lo, hi, a.shape)]
    for index in np.ndindex(*[len(r) for r in ranges]):
        at = tuple(r[i] for r, i in zip(ranges, index))
        out[at] = kernel_at(at)
    return out


@stencil
def cross(a):
    return 0.25 * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0])


def cross_at(a):
    return lambda p: 0.25 * (a[p[0], p[1] + 1] + a[p[0] + 1, p[1]] + a[p[0], p[1] - 1]
                             + a[p[0] - 1, p[1]])


@settings(max_examples=25, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=7),
                  elements=st.floats(-1e6, 1e6)))
def test_2d_cross_matches_numpy_loops(a):
    got = cross(a)
    assert got.dtype == np.float64 and got.shape == a.shape
    np.testing.assert_array_equal(got, reference(cross_at(a), a, (-1, -1), (1, 1)))


@stencil
def window_sum(a):
    total = 0
    for i in range(-3, 1):  # the neighbourhood (-3, 0) is read from the range
        total += a[i]
    return total


def test_1d_neighbourhood_inferred_from_range_loop():
    a = np.arange(10)
    got = window_sum(a)
    expected = reference(lambda p: a[p[0] - 3:p[0] + 1].sum(), a, (-3,), (0,), dtype=np.int64)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)


@stencil(cval=-1)
def diff3(a):
    return a[0, 0, 0] - a[0, 1, 0] + a[-1, 0, 1]


def test_3d_cval_and_integer_output():
    a = np.arange(60).reshape(3, 4, 5)
    expected = reference(lambda p: a[p] - a[p[0], p[1] + 1, p[2]] + a[p[0] - 1, p[1], p[2] + 1],
                         a, (-1, 0, 0), (0, 1, 1), cval=-1, dtype=np.int64)
    got = diff3(a)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)


@stencil(neighborhood=((-1, 1), (-2, 2)), standard_indexing=("weights",))
def weighted(a, weights, scale):
    acc = 0.0
    for i in range(-1, 2):
        for j in range(-2, 3):
            acc += a[i, j] * weights[i + 1, j + 2]
    return acc * scale


def test_neighborhood_standard_indexing_and_scalar_argument():
    a = np.random.default_rng(0).random((6, 9))
    w = np.arange(15.).reshape(3, 5)
    expected = reference(lambda p: (a[p[0] - 1:p[0] + 2, p[1] - 2:p[1] + 3] * w).sum() * 0.5,
                         a, (-1, -2), (1, 2), dtype=np.float64)
    np.testing.assert_allclose(weighted(a, w, 0.5), expected)


@stencil
def two_inputs(a, b):
    return a[0, 1] + b[-1, 0]


def test_out_keyword_keeps_the_border_without_cval():
    a, b = np.arange(12.).reshape(3, 4), np.ones((3, 4))
    out = np.full((3, 4), 7.0)
    result = two_inputs(a, b, out=out)
    expected = reference(lambda p: a[p[0], p[1] + 1] + b[p[0] - 1, p[1]], a, (-1, 0), (0, 1),
                         out=np.full((3, 4), 7.0))
    assert result is out
    np.testing.assert_array_equal(out, expected)


def test_out_keyword_with_cval_fills_the_border():
    kernel = stencil(lambda a: a[0, 0] - a[1, 0], cval=5)
    a = np.arange(12).reshape(3, 4)
    out = np.ones_like(a)
    kernel(a, out=out)
    expected = np.full_like(a, -4)
    expected[-1, :] = 5
    np.testing.assert_array_equal(out, expected)


@stencil
def parity(a):
    return a[-1, 0] ^ a[0, 0] ^ a[1, 0]


def test_mixed_dtypes_bool_output_and_complex_widening():
    a = (np.arange(20) % 3 == 0).reshape(4, 5)
    got = parity(a)
    assert got.dtype == np.bool_
    np.testing.assert_array_equal(got, reference(lambda p: a[p[0] - 1, p[1]] ^ a[p] ^
                                                 a[p[0] + 1, p[1]], a, (-1, 0), (1, 0),
                                                 dtype=np.bool_))
    shifted = stencil(lambda a: a[0] + 1j)
    assert shifted(np.arange(3.)).dtype == np.complex128


@njit
def global_use(a):
    out = np.zeros_like(a)
    cross(a, out=out)
    return cross(a) + out


def test_called_from_njit_with_out_and_as_argument():
    @njit
    def passed(kernel, a, b):
        return kernel(a, b)

    a = np.arange(30.).reshape(5, 6)
    np.testing.assert_array_equal(global_use(a), 2 * cross(a))
    np.testing.assert_array_equal(passed(two_inputs, a, a), two_inputs(a, a))


def test_made_inside_compiled_code():
    @njit
    def inner(a):
        @stencil(cval=1.0)
        def smooth(x):
            return 0.5 * (x[-1] + x[1])
        return smooth(a) + stencil(lambda x: x[0] * 2)(a)

    a = np.arange(6.)
    expected = np.array([1.0, 1, 2, 3, 4, 1]) + 2 * a
    np.testing.assert_array_equal(inner(a), expected)


def test_no_leaks_and_no_extra_references():  # from Python and from compiled code
    a = np.arange(20.).reshape(4, 5)
    out = np.empty_like(a)
    cross(a), cross(a, out=out), global_use(a)  # compiled before counting
    with no_leaks(a, out):
        for _ in range(50):
            cross(a)
            cross(a, out=out)
            global_use(a)


# -- errors ---------------------------------------------------------------------------------------

def test_index_not_constant_needs_neighborhood():
    kernel = stencil(lambda a, c: a[-c] + a[c])
    with pytest.raises(jitbridge.errors.NumbaValueError,
                       match="index is not constant, 'neighborhood' option required") as info:
        kernel(np.arange(5.), 1)
    assert "test_stencil.py" in str(info.value) and "a[-c]" in str(info.value)


@pytest.mark.parametrize("kernel, options, message", [
    (lambda a: 1.0, {}, "no accesses to relatively indexed arrays"),
    (lambda a: a[0], {}, "Stencil index does not match array dimensionality"),
    (lambda a, out: a[0, 0], {}, "reserved word 'out'"),
    (lambda a, b: a[0, 0] + b[0, 0], {"standard_indexing": "c"}, "not present"),
    (lambda a: a[0, 0], {"standard_indexing": "a"}, "primary input array"),
    (lambda a: a[0, 0], {"neighborhood": ((-1, 1),)}, "1 dimensional neighborhood"),
])
def test_kernels_that_are_not_stencils(kernel, options, message):
    with pytest.raises(jitbridge.errors.NumbaValueError, match=message):
        stencil(kernel, **options)(np.ones((3, 3)), *([np.ones((3, 3))] * (
            kernel.__code__.co_argcount - 1)))


def test_store_into_input_is_refused_with_its_location():
    def kernel(a):
        a[0, 1] = 12
        return a[0, 1]
    with pytest.raises(jitbridge.errors.NumbaValueError,
                       match="(?s)a\\[0, 1\\] = 12.*Assignments to arrays passed"):
        stencil(kernel)(np.ones((3, 3)))


def test_option_and_size_errors():
    with pytest.raises(jitbridge.errors.NumbaValueError, match="Unknown stencil option bad"):
        stencil(lambda a: a[0], bad=1)
    with pytest.raises(jitbridge.errors.NumbaValueError, match="Unsupported mode style"):
        stencil("reflect")
    with pytest.raises(ValueError, match="Secondary stencil array has some dimension smaller"):
        two_inputs(np.ones((3, 4)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="shape of its first input"):
        cross(np.ones((5, 6)), out=np.ones((5, 5)))


def test_cval_type_must_convert_to_the_result():
    with pytest.raises(jitbridge.errors.NumbaValueError,
                       match="cval type does not match stencil return type"):
        stencil(lambda a: a[0, 0] + a[0, 1], cval=1j)(np.ones((3, 3)))


@pytest.mark.slow
def test_4d_and_user_neighborhood_wider_than_accesses():
    a = np.arange(4 * 5 * 3 * 3.).reshape(4, 5, 3, 3)
    k = stencil(lambda a: a[0, 0, 0, 0] - a[0, 1, 0, -1])
    np.testing.assert_array_equal(k(a), reference(
        lambda p: a[p] - a[p[0], p[1] + 1, p[2], p[3] - 1], a, (0, 0, 0, -1), (0, 1, 0, 0)))
    wide = stencil(lambda a: a[0], neighborhood=((-2, 3),))
    b = np.arange(8.)
    np.testing.assert_array_equal(wide(b), reference(lambda p: b[p], b, (-2,), (3,)))


def test_dynamic_index_inside_user_neighborhood_is_bounds_checked():
    k = stencil(lambda a, c: a[c], neighborhood=((-1, 1),))
    b = np.arange(8.)
    np.testing.assert_array_equal(k(b, 1), reference(lambda p: b[p[0] + 1], b, (-1,), (1,)))
    with pytest.raises(IndexError):
        k(b, 5)  # outside the declared neighbourhood: an error, never a wild read


def _plain_decorator(f):
    return f


def test_other_decorators_on_inner_functions_are_located_typing_errors():
    @njit
    def uses(x):
        @_plain_decorator
        def inner(y):
            return y + 1
        return inner(x)

    with pytest.raises(jitbridge.errors.TypingError, match="(?s)@_plain_decorator.*_plain_dec"):
        uses(1)
