"""ufunc outputs given by the caller: `out=` (array or tuple) and positional outputs, their
shape, layout, casting and memory overlap with the inputs, differentially against NumPy."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks
from tests.lib.test_ufuncs_support import assert_same


@njit
def add_kw(a, b, out):
    return np.add(a, b, out=out)


@njit
def add_positional(a, b, out):
    return np.add(a, b, out)


@njit
def sqrt_kw(a, out):
    return np.sqrt(a, out=out)


@njit
def negative_kw(a, out):
    return np.negative(a, out=out)


@njit
def modf_kw(a, out):
    return np.modf(a, out=out)


@njit
def divmod_positional(a, b, q, r):
    return np.divmod(a, b, q, r)


@njit
def frexp_kw(a, m, e):
    return np.frexp(a, out=(m, e))


@njit
def add_out_none(a, b):
    return np.add(a, b, out=None)


@njit
def iadd(a, b):
    a += b
    return a


def test_out_keyword_and_positional_return_the_given_array():
    a, b = np.arange(6.0).reshape(2, 3), np.array([10.0, 20.0, 30.0])
    for fn in (add_kw, add_positional):
        out = np.empty((2, 3))
        with no_leaks(out):
            result = fn(a, b, out)
            assert result is out
            del result
        assert_same(out, a + b)


def test_out_casts_with_the_same_kind_rule():
    a = np.arange(5, dtype=np.int64)
    out32 = np.empty(5, np.float32)  # int64 + float64 -> float64 -> float32: same kind
    assert_same(add_kw(a, 0.5, out32), np.add(a, 0.5, out=np.empty(5, np.float32)))
    out8 = np.empty(5, np.int8)
    assert_same(add_kw(a, 3, out8), np.add(a, 3, out=np.empty(5, np.int8)))
    with pytest.raises(TypingError, match=r"Cannot cast ufunc 'add' output from dtype\('float64"):
        add_kw(a, 0.5, np.empty(5, np.int64))
    with pytest.raises(TypingError, match="Cannot cast ufunc 'sqrt'"):
        sqrt_kw(np.arange(3.0), np.empty(3, np.int32))


def test_out_of_the_wrong_shape_is_a_value_error():
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        add_kw(np.ones(3), np.ones(3), np.empty(4))
    with pytest.raises(ValueError):
        add_kw(np.ones((2, 3)), 1.0, np.empty((3, 2)))
    with pytest.raises(TypingError, match="non-broadcastable output"):
        add_kw(np.ones((2, 3)), 1.0, np.empty(3))


def test_inputs_broadcast_up_to_the_output_and_scalars_fill_it():
    out = np.zeros((2, 3))
    assert_same(add_kw(np.arange(3.0), 1.0, out), np.arange(3.0) + np.ones((2, 3)))
    out = np.zeros(4)
    assert_same(sqrt_kw(np.float64(16.0), out), np.full(4, 4.0))
    assert_same(add_kw(np.ones(0), 1.0, np.empty(0)), np.empty(0))


def test_non_contiguous_outputs():
    a = np.arange(12.0).reshape(3, 4)
    base = np.zeros((4, 8))
    want = base.copy()
    np.add(a, a.T[:3, :3].sum(), out=want[::1, ::2][:3])
    add_kw(a, a.T[:3, :3].sum(), base[::1, ::2][:3])
    assert_same(base, want)
    fortran = np.asfortranarray(np.zeros((3, 4)))
    assert_same(negative_kw(a, fortran), -a)


@pytest.mark.parametrize("make", [
    lambda a: (a, a),                 # the very same view: read before written
    lambda a: (a[::-1], a),           # reversed: NumPy copies the input first
    lambda a: (a[:-1], a[1:]),        # shifted by one element
    lambda a: (a[1:], a[:-1]),
    lambda a: (a[::2], a[:5]),
])
def test_outputs_overlapping_inputs_see_the_original_values(make):
    mine, theirs = np.arange(10.0), np.arange(10.0)
    src, dst = make(mine)
    want_src, want_dst = make(theirs)
    np.add(want_src, want_src[::-1], out=want_dst)
    with no_leaks():
        add_kw(src, src[::-1], dst)
    assert_same(mine, theirs)


def test_inplace_operator_with_overlapping_operand():
    a, b = np.arange(6.0), np.arange(6.0)
    b += b[::-1]
    iadd(a, a[::-1])
    assert_same(a, b)
    m, n = np.arange(9.0).reshape(3, 3), np.arange(9.0).reshape(3, 3)
    n += n.T
    iadd(m, m.T)
    assert_same(m, n)


def test_multiple_outputs_through_out_tuples_and_positionally():
    x = np.array([-2.5, 0.75, 3.0, -0.0, np.inf])
    frac, whole = np.empty(5), np.empty(5)
    result = modf_kw(x, (frac, whole))
    assert result[0] is frac and result[1] is whole
    assert_same((frac, whole), np.modf(x))
    q, r = np.empty(6, np.int64), np.empty(6, np.int64)
    a = np.array([7, -7, 7, -7, 0, 5])
    assert_same(divmod_positional(a, np.int64(3), q, r), np.divmod(a, 3))
    m, e = np.empty(5), np.empty(5, np.int32)
    assert_same(frexp_kw(x[:4], m[:4], e[:4]), np.frexp(x[:4]))
    with pytest.raises(TypingError, match="Cannot cast ufunc 'frexp'"):
        frexp_kw(x, np.empty(5, np.int64), np.empty(5, np.int32))


def test_outputs_of_different_shapes_are_refused():
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        modf_kw(np.float64(1.5), (np.empty(5), np.empty(2)))
    with pytest.raises(TypingError, match="one shape"):
        modf_kw(np.float64(1.5), (np.empty(5), np.empty((1, 5))))


def test_out_none_is_no_output():
    assert_same(add_out_none(np.arange(3), 2), np.arange(3) + 2)


def test_read_only_and_non_array_outputs_are_typing_errors():
    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(TypingError, match="writable array"):
        add_kw(np.ones(3), 1.0, ro)
    with pytest.raises(TypingError, match="writable array"):
        add_kw(np.ones(3), 1.0, 2.0)


def test_out_with_a_literal_out_of_range_raises_as_numpy():
    with pytest.raises(OverflowError):
        np.add(np.zeros(2, np.int8), 300, out=np.empty(2, np.int8))
    with pytest.raises(OverflowError):
        add_int8_literal(np.zeros(2, np.int8), np.empty(2, np.int8))


@njit
def add_int8_literal(a, out):
    return np.add(a, 300, out=out)
