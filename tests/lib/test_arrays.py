"""Arrays: compiled results equal NumPy's (values and dtypes), views share memory, no leaks."""
import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

A = np.arange(12.0).reshape(3, 4)
I32 = np.arange(10, dtype=np.int32)


def same(expected, actual):
    if isinstance(expected, tuple):
        return isinstance(actual, tuple) and len(expected) == len(actual) and all(
            map(same, expected, actual))
    e, a = np.asarray(expected), np.asarray(actual)
    return e.dtype == a.dtype and e.shape == a.shape and np.array_equal(e, a, equal_nan=True)


def getitem2d(a):
    return a[1, 2] + a[-1, -1]


def setitems(a):
    b = a.copy()
    b[0, 0] = 100.0
    b[1] = 7.0
    b[2, 1:3] = b[0, 1:3]
    b[:, 0] = -1
    b[::2, 3] = b[1, 1]
    return b


def iterate(a):
    s = 0.0
    for row in a:
        for x in row:
            s += x
    return s


def inplace(a):
    b = a.copy()
    b += 1
    b *= b
    b -= a
    b /= 2
    return b


def creation(n):
    return (np.zeros(n), np.ones((n, 2)), np.full(n, 7), np.zeros(n, dtype=np.int32),
            np.ones(n, np.float32), np.empty(n).shape, np.full((2, n), 1.5))


def aranges(n):
    return np.arange(n), np.arange(1, n), np.arange(0, n, 2), np.arange(0.5, n, 0.5), \
        np.arange(n, 0, -1)


def likes(a):
    return np.empty_like(a).shape, np.zeros_like(a), np.ones_like(a), np.full_like(a, 3.0), \
        np.zeros_like(a, dtype=np.int64)


def overlapping(x):
    y = x.copy()
    y[1:] = y[:-1]
    z = x.copy()
    z[:-2] = z[2:]
    return y, z


def seed_program():
    x = np.arange(5)
    y = np.zeros_like(x)
    y += x[::-1]
    return y


CASES = [
    (getitem2d, (A,)),
    (lambda a: a[1], (A,)),
    (lambda a: a[1:, ::2], (A,)),
    (lambda a: a[-2:, 1], (A,)),
    (lambda u: u[:-2, 1:-1] + u[2:, 1:-1], (A,)),
    (lambda u: (u[1:-1, :-2] + 0, u[:-2, 1:-1].copy(), u[1, 1:3] * 2), (A,)),
    (lambda x: x[::-1], (I32,)),
    (lambda x: x[8:2:-2], (I32,)),
    (lambda a: a.T, (A,)),
    (lambda a: (a.shape, a.size, a.ndim, len(a), a.strides, a.itemsize, a.nbytes), (A,)),
    (lambda a: a.reshape(4, 3), (A,)),
    (lambda a: a.reshape((2, -1)), (A,)),
    (lambda a: a + 1, (A,)),
    (lambda x: x + 1, (I32,)),
    (lambda x: x * 2.5, (I32,)),
    (lambda a: a + a[0], (A,)),
    (lambda a: a[:, :1] * a[0], (A,)),
    (lambda x: x / 3, (I32,)),
    (lambda x: (x - 5) // 3, (I32,)),
    (lambda x: (x - 5) % 3, (I32,)),
    (lambda a: a ** 2, (A,)),
    (lambda a: 2.0 - a, (A,)),
    (lambda a: a > 5, (A,)),
    (lambda a: (a == a.T[0, 0]) | (a < 2), (A,)),
    (lambda a: -a, (A,)),
    (lambda a: np.sqrt(a), (A,)),
    (lambda a: np.log(np.exp(a) + 1.0), (A,)),
    (lambda a: np.sin(a) * np.cos(a), (A,)),
    (lambda x: np.abs(x - 5), (I32,)),
    (lambda x: abs(x - 5), (I32,)),
    (lambda a: np.minimum(a, 5.0) + np.maximum(a, 3.0), (A,)),
    (lambda a: a.sum(), (A,)),
    (lambda x: x.sum(), (I32,)),
    (lambda a: np.sum(a), (A,)),
    (lambda x: x[1:6].prod(), (I32,)),
    (lambda a: (a.min(), a.max(), np.min(a), np.max(a)), (A,)),
    (lambda x: x.mean(), (I32,)),
    (lambda a: np.mean(a.T), (A,)),
    (lambda a: (a.argmin(), a.argmax(), np.argmax(a[::-1, ::-1]), np.argmin(a.T)), (A,)),
    (lambda a: np.dot(a[0], a[1]), (A,)),
    (lambda a: a[0] @ a[2], (A,)),
    (creation, (3,)),
    (aranges, (5,)),
    (likes, (A,)),
    (lambda a: (a.copy(), np.copy(a.T)), (A,)),
    (lambda a: np.asarray(a), (A,)),
    (setitems, (A,)),
    (iterate, (A,)),
    (overlapping, (I32,)),
    (overlapping, (A.T.copy()[::2],)),
    (inplace, (A,)),
    (lambda a: a + 1, (np.asfortranarray(A),)),
    (lambda x: (x > 3).sum(), (I32,)),
    (lambda a: np.float32(a[0, 0]) + np.int32(2), (A,)),
    (lambda x: x * np.int32(2), (I32,)),
    (lambda x: (x.astype(np.float32), x.astype(np.int8), np.arange(3.7, 0, -1).astype(np.int64)), (I32,)),
]


@pytest.mark.parametrize("func,args", CASES, ids=[str(i) for i in range(len(CASES))])
def test_matches_numpy(func, args):
    expected = func(*args)
    # (a first use imports modules of lib/ lazily, whose constants refer to small ints such as
    # the arguments: a second compilation shows what compiling and calling keep of them)
    njit(func)(*args)
    # (small ints are shared objects whose counts other code moves: not counted)
    with no_leaks(*[a for a in args if not (isinstance(a, int) and -5 <= a <= 256)]):
        actual = njit(func)(*args)
        assert same(expected, actual), (expected, actual)
        del actual


def test_seed_program_of_objmode():
    result = njit(seed_program)()
    assert result.dtype == np.intp
    assert result.tolist() == [4, 3, 2, 1, 0]


def test_unboxing_is_zero_copy_and_views_share_memory():
    a = np.zeros(5)

    @njit
    def write(x):
        x[1] = 3.0
        v = x[2:]
        v[0] = 4.0
        return v
    view = write(a)
    assert a.tolist() == [0.0, 3.0, 4.0, 0.0, 0.0]
    view[1] = 9.0
    assert a[3] == 9.0
    assert np.shares_memory(view, a)


def test_identity_preserved_for_returned_argument():
    a = np.arange(3.0)
    assert njit(lambda x: x)(a) is a


def test_created_array_keeps_runtime_memory_alive_and_frees_it():
    from jitbridge.runtime import stats

    make = njit(lambda n: np.arange(n) * 2)
    before = stats()["live"]
    arr = make(1000)
    assert stats()["live"] == before + 1
    view = arr[10:]
    del arr
    assert stats()["live"] == before + 1  # the view keeps the memory alive
    assert view[0] == 20
    del view
    assert stats()["live"] == before


def test_no_leak_over_many_calls():
    from jitbridge.runtime import stats

    f = njit(lambda a: (a + 1).sum() + a[1:].sum())
    a = np.arange(100.0)
    f(a)
    with no_leaks(a):
        for _ in range(1000):
            f(a)
    assert stats()["live"] >= 0


def test_dtypes_supported():
    f = njit(lambda x: x[0] + x[-1])
    for dtype in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
                  np.uint32, np.uint64, np.float32, np.float64, np.complex128):
        x = np.arange(1, 4).astype(dtype)
        expected = x[0].item() + x[-1].item()  # scalars follow Python semantics (bool+bool is int)
        assert f(x) == expected, dtype


def test_layouts_specialise():
    f = njit(lambda x: x.sum())
    c = np.ones((3, 4))
    f(c), f(np.asfortranarray(c)), f(c[:, ::2])
    layouts = sorted(sig[0].layout for sig in f.signatures)
    assert layouts == ["A", "C", "F"]
    assert f.signatures[0][0] == types.Array(types.float64, 2, "C")


def test_boundscheck_option():
    checked = njit(boundscheck=True)(lambda x, i: x[i])
    with pytest.raises(IndexError):
        checked(np.arange(3), 5)
    assert checked(np.arange(3), -1) == 2


def test_broadcast_error():
    with pytest.raises(ValueError, match="broadcast"):
        njit(lambda a, b: a + b)(np.ones(3), np.ones(4))


def test_reshape_errors():
    with pytest.raises(ValueError, match="total size"):
        njit(lambda a: a.reshape(5, 5))(np.ones(12))
    with pytest.raises(NotImplementedError, match="incompatible shape for array"):
        njit(lambda a: a.reshape(2, 3))(np.ones((3, 4))[:, :2])


def test_empty_reduction_raises():
    with pytest.raises(ValueError, match="zero-size"):
        njit(lambda a: a.max())(np.ones(0))


def test_inplace_casting_rule():
    with pytest.raises(TypingError, match="cannot cast"):
        def f(x):
            x += 1.5
        njit(f)(np.arange(3))


def test_readonly_arrays_cannot_be_written():
    a = np.arange(3.0)
    a.setflags(write=False)
    assert njit(lambda x: x.sum())(a) == 3.0
    with pytest.raises(TypingError):
        def f(x):
            x[0] = 1.0
        njit(f)(a)


def test_structured_arrays_fields_read_and_written():
    dtype = np.dtype([("mass", np.float64), ("count", np.int64)])
    particles = np.zeros(4, dtype=dtype)
    particles["mass"] = [1.0, 2.0, 3.0, 4.0]

    @njit
    def weigh(p):
        total = 0.0
        for i in range(len(p)):
            record = p[i]
            record.count = i * 10
            total += record.mass
        return total, p[1].count
    assert weigh(particles) == (10.0, 10)
    assert particles["count"].tolist() == [0, 10, 20, 30]
    with pytest.raises(TypingError, match="Field 'speed' was not found"):
        njit(lambda p: p[0].speed)(particles)
