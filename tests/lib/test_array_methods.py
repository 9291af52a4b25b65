"""Differential tests of array attributes and methods against NumPy: itemsize, nbytes, strides,
real/imag, flags, ctypes.data, dtype (as a value and compared), fill, item, view, conj,
conjugate, dot, np.real/np.imag, over layouts C/F/A, empty arrays and dtypes."""
import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

DTYPES = [np.bool_, np.int8, np.uint64, np.float32, np.complex64, np.complex128]
RECORD = np.dtype([("a", np.int8), ("b", np.int8)])


def layouts(a):
    """The array as C, F and non-contiguous (strided) views with the same values."""
    strided = np.empty(tuple(2 * n for n in a.shape), a.dtype)[tuple(slice(None, None, 2)
                                                                      for _ in a.shape)]
    strided[...] = a
    return [a, np.asfortranarray(a), strided]


def values(shape, dtype):
    return ((np.arange(int(np.prod(shape))) % 5) + 1).astype(dtype).reshape(shape)


def same_array(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert got.strides == expected.strides
    assert got.flags.writeable == expected.flags.writeable
    np.testing.assert_array_equal(got, expected)


# -- attributes --------------------------------------------------------------------------------

sizes = njit(lambda a: (a.itemsize, a.nbytes, a.strides, a.shape, a.size, a.ndim))
flags = njit(lambda a: (a.flags.c_contiguous, a.flags.f_contiguous, a.flags.contiguous,
                        a.flags.writeable, a.flags.aligned))
real = njit(lambda a: a.real)
imag = njit(lambda a: a.imag)
np_real = njit(lambda a: np.real(a))
np_imag = njit(lambda a: np.imag(a))
ctypes_data = njit(lambda a: a.ctypes.data)
dtype_of = njit(lambda a: a.dtype)
dtype_checks = njit(lambda a: (a.dtype == np.dtype("int64"), a.dtype != np.dtype(np.int16),
                               a.dtype == a.T.dtype))


def _numpy_flags(a):
    f = a.flags
    return (f.c_contiguous, f.f_contiguous, f.contiguous, f.writeable, f.aligned)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sizes_and_flags_match_numpy(dtype):
    base = values((3, 4), dtype)
    arrays = layouts(base) + [base[:, :1], base[:1].T, values((0, 3), dtype), base[::-1]]
    for a in arrays:
        with no_leaks(a):
            assert sizes(a) == (a.itemsize, a.nbytes, a.strides, a.shape, a.size, a.ndim)
            assert flags(a) == _numpy_flags(a)


def test_flags_of_a_read_only_array_and_ctypes_data():
    a = np.arange(6.0).reshape(2, 3)
    a.flags.writeable = False
    assert flags(a) == _numpy_flags(a)
    for b in layouts(np.arange(6.0).reshape(2, 3)):
        assert ctypes_data(b) == b.ctypes.data


@pytest.mark.parametrize("dtype", DTYPES)
def test_real_and_imag_match_numpy(dtype):
    for a in layouts(values((2, 5), dtype)):
        with no_leaks(a):  # the results (views of `a`, or `a` itself) are gone at the end
            same_array(real(a), a.real)
            same_array(imag(a), a.imag)
            same_array(np_real(a), np.real(a))
            same_array(np_imag(a), np.imag(a))


def test_real_and_imag_are_views_or_read_only_zeros():
    z = np.arange(4) * (1 + 2j)
    real(z)[0] = 9
    imag(z)[1] = 8
    assert z[0] == 9 and z[1] == 1 + 8j
    a = np.arange(4.0)
    real(a)[0] = 5  # a real array's .real is the array itself
    assert a[0] == 5
    with pytest.raises(ValueError, match="read-only"):
        imag(a)[0] = 1


def test_real_of_a_record_array_is_a_typing_error():
    a = np.zeros(3, dtype=[("real", np.float32), ("imag", np.complex64)])
    with pytest.raises(TypingError, match="cannot access .real of array of Record"):
        real(a)


def test_np_real_and_imag_of_scalars():
    assert np_real(2.5 + 1j) == 2.5 and np_imag(2.5 + 1j) == 1.0
    assert np_real(3.0) == 3.0 and np_imag(3.0) == 0.0


def test_dtype_is_a_value_and_compares():
    for dtype in (np.int64, np.int16, np.complex64, RECORD):
        a = np.zeros(3, dtype)
        assert dtype_of(a) == a.dtype
        if dtype != RECORD:
            assert dtype_checks(a) == (a.dtype == np.dtype("int64"),
                                       a.dtype != np.dtype(np.int16), True)


# -- methods -----------------------------------------------------------------------------------

@njit
def fill(a, v):
    return a.fill(v)


item = njit(lambda a: a.item())
conj = njit(lambda a: a.conj())
conjugate = njit(lambda a: a.conjugate())
dot_chain = njit(lambda a, b: a.dot(b).dot(b))


@pytest.mark.parametrize("value", [np.float64(10.5), np.bool_(True), 3])
def test_fill_matches_numpy(value):
    for a in layouts(values((3, 4), np.float64)) + [np.zeros(0)]:
        expected, got = a.copy(order="K"), a.copy(order="K")
        expected.fill(value)
        with no_leaks(got):
            assert fill(got, value) is None
        same_array(got, expected)


def test_fill_converts_to_the_array_dtype():
    a = np.arange(8, dtype=np.complex64).reshape(2, 2, 2)
    expected = a.copy()
    expected.fill(2.5)
    fill(a, 2.5)
    same_array(a, expected)


def test_item_of_size_one_arrays_and_scalars():
    for x in (np.float32([1.5]), np.complex128([[1.5j]]), np.array(7), np.bool_(True),
              np.float32(1.5), np.arange(6)[4:5]):
        got, expected = item(x), x.item()
        assert got == expected and type(got) is type(expected)
    for bad in (np.array([1, 2]), np.array([])):
        with pytest.raises(ValueError, match="can only convert an array of size 1"):
            item(bad)


@pytest.mark.parametrize("dtype", [np.float64, np.complex64, np.complex128, np.int16])
def test_conj_and_conjugate_match_numpy(dtype):
    for a in layouts(values((3, 4), dtype) * (1 + 1j if np.dtype(dtype).kind == "c" else 1)):
        with no_leaks(a):
            got = conj(a)
            np.testing.assert_array_equal(got, a.conj())
            assert got.dtype == a.dtype
            del got
        np.testing.assert_array_equal(conjugate(a), a.conjugate())


def test_dot_method_chains():
    a = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(dot_chain(a, a), a.dot(a).dot(a))
    np.testing.assert_array_equal(dot_chain(a.T, a[0]), a.T.dot(a[0]).dot(a[0]))


# -- view --------------------------------------------------------------------------------------

def _viewer(dtype):
    return njit(lambda a: a.view(dtype))


VIEWS = {t: _viewer(t) for t in (np.int8, np.int16, np.uint32, np.float32, np.complex64,
                                 np.complex128, RECORD)}


def _outcome(func, a):
    try:
        return func(a), None
    except ValueError as exc:
        return None, str(exc)


@pytest.mark.parametrize("dtype", list(VIEWS))
def test_view_matches_numpy_shapes_strides_and_errors(dtype):
    base = np.arange(24, dtype=np.int8)
    arrays = [base, base.reshape(3, 8), base.reshape(3, 8).T, np.arange(16, dtype=np.int32)[::2],
              np.arange(16, dtype=np.int32).reshape(4, 4)[:, :1], np.zeros((0, 4), np.int16),
              np.array(42, dtype=np.int32)]
    for a in arrays:
        got, got_error = _outcome(VIEWS[dtype], a)
        expected, expected_error = _outcome(lambda a: a.view(dtype), a)
        assert got_error == expected_error
        if expected is not None:
            same_array(got, expected)


def test_view_shares_memory_and_keeps_the_base_alive():
    @njit
    def fresh_view(n):
        return np.arange(n).view(np.uint8)

    with no_leaks():
        v = fresh_view(4)
        np.testing.assert_array_equal(v, np.arange(4).view(np.uint8))
        del v
    a = np.zeros(4, np.int32)
    VIEWS[np.int8](a)[4] = 1
    assert a[1] == 1


# -- astype ------------------------------------------------------------------------------------

astype_f32 = njit(lambda a: a.astype("float32"))
astype_record = njit(lambda a: a.astype(RECORD))


def test_astype_keeps_numpy_order_and_takes_dtype_strings():
    base = np.arange(24, dtype=np.int8).reshape(3, 8)
    for a in layouts(base):
        expected = a.astype("float32")
        got = astype_f32(a)
        assert got.dtype == expected.dtype and got.flags.f_contiguous == expected.flags.f_contiguous
        np.testing.assert_array_equal(got, expected)
    frozen = np.arange(4)
    frozen.flags.writeable = False
    assert astype_f32(frozen).flags.writeable


def test_astype_to_a_record_is_a_typing_error():
    with pytest.raises(TypingError, match="cannot convert from int32 to Record"):
        astype_record(np.arange(3, dtype=np.int32))


# -- views of read-only arrays stay read-only ---------------------------------------------------

views_of = njit(lambda a: (a.T, a.reshape(a.size), a.view(np.int64), a.real))


def test_views_of_a_read_only_array_are_read_only():
    a = np.arange(6.0).reshape(2, 3)
    a.flags.writeable = False
    for view in views_of(a):
        assert not view.flags.writeable
    with pytest.raises(TypingError):
        fill(a, 1.0)


@pytest.mark.parametrize("func", [np.asfortranarray, np.ascontiguousarray])
def test_contiguous_copies_of_scalars_and_0d(func):
    compiled = njit(lambda a: func(a))
    for x in (42, 2.5j, np.float32(1.5), True, np.array(7.0)):
        same_array(compiled(x), func(x))
    with pytest.raises(TypingError, match='The argument "a" must be array-like'):
        compiled("hello")


def test_argmin_argmax_of_empty_arrays():
    for method in (njit(lambda a: a.argmax()), njit(lambda a: np.argmin(a))):
        with pytest.raises(ValueError, match="attempt to get arg(min|max) of an empty sequence"):
            method(np.ones(0))


def test_cumulative_functions_take_scalars_and_sequences():
    cumsum, cumprod = njit(lambda a: np.cumsum(a)), njit(lambda a: np.cumprod(a))
    for x in (np.int8(3), True, 2.5, (1, 2.5, 3)):
        for got, expected in ((cumsum(x), np.cumsum(x)), (cumprod(x), np.cumprod(x))):
            assert got.dtype == expected.dtype
            np.testing.assert_array_equal(got, expected)
