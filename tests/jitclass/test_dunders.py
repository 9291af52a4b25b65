"""@jitclass dunder methods: len(), indexing, `in`, arithmetic (reflected and in-place),
comparisons, hash(), truth, calling an instance; the same results from Python (the proxy
class defines the same dunders) and from compiled code."""
import operator
import pickle

import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.experimental import jitclass
from jitbridge.testing import no_leaks


@jitclass([("data", types.float64[:])])
class Vec:
    def __init__(self, data):
        self.data = data

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, i):
        return self.data[i]

    def __setitem__(self, i, value):
        self.data[i] = value

    def __contains__(self, value):
        for x in self.data:
            if x == value:
                return True
        return False

    def __add__(self, other):
        return Vec(self.data + other.data)

    def __mul__(self, k):
        return Vec(self.data * k)

    def __rmul__(self, k):
        return Vec(self.data * k)

    def __iadd__(self, other):
        self.data += other.data
        return self

    def __neg__(self):
        return Vec(-self.data)

    def __eq__(self, other):
        return np.array_equal(self.data, other.data)

    def __lt__(self, other):
        return self.data.sum() < other.data.sum()

    def __hash__(self):
        return len(self.data)

    def __call__(self, k, offset=0.0):
        return self.data.sum() * k + offset

    def __bool__(self):
        return self.data.shape[0] > 0


def test_dunders_from_python():
    v = Vec(np.array([1.0, 2.0, 3.0]))
    w = Vec(np.array([1.0, 1.0, 1.0]))
    assert len(v) == 3 and v[1] == 2.0 and 2.0 in v and 5.0 not in v
    v[0] = 4.0
    assert v.data.tolist() == [4.0, 2.0, 3.0]
    assert (v + w).data.tolist() == [5.0, 3.0, 4.0]
    assert (v * 2.0).data.tolist() == (2.0 * v).data.tolist() == [8.0, 4.0, 6.0]
    assert (-w).data.tolist() == [-1.0, -1.0, -1.0]
    assert v == Vec(np.array([4.0, 2.0, 3.0])) and w < v and hash(v) == 3
    assert v(2.0) == 18.0 and v(offset=1.0, k=1.0) == 10.0 and bool(v) and not bool(Vec(np.zeros(0)))


def test_dunders_in_compiled_code():
    @njit
    def f(v, w):
        out = 0.0
        out += len(v) + v[1]
        v[0] = 4.0
        out += (2.0 in v) + (5.0 in v)
        u = v + w
        u += w
        out += u[0] + (v * 2.0)[1] + (3.0 * v)[2] + (-w)[0]
        out += (v == w) + (w < v) + hash(v) + v(1.0) + v(offset=1.0, k=0.0)
        if v:
            out += 100.0
        return out

    v, w = np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0])
    expected = 3 + 2.0 + 1 + 0 + 6.0 + 4.0 + 9.0 - 1.0 + 0 + 1 + 3 + 9.0 + 1.0 + 100.0
    assert f(Vec(v.copy()), Vec(w.copy())) == expected


def test_dunders_do_not_leak():
    @njit
    def churn(n):
        s = 0.0
        a = Vec(np.ones(4))
        for i in range(n):
            b = a + Vec(np.full(4, float(i)))
            b += a
            s += (2.0 * b)[0] + len(b)
        return s

    churn(1)
    with no_leaks():
        churn(10_000)


def test_operator_without_dunder_is_a_typing_error():
    @njit
    def f(v):
        return v - v

    from jitbridge.errors import TypingError
    with pytest.raises(TypingError):
        f(Vec(np.ones(2)))


@jitclass([("x", types.int64), ("name", types.unicode_type), ("values", types.float64[:])])
class Record:
    def __init__(self, x, name):
        self.x = x
        self.name = name
        self.values = np.arange(3.0)


def test_instances_pickle():
    r = Record(3, "abc")
    r.values[1] = 9.0
    back = pickle.loads(pickle.dumps(r))
    assert isinstance(back, Record) and back is not r
    assert (back.x, back.name, back.values.tolist()) == (3, "abc", [0.0, 9.0, 2.0])


def test_operator_dispatch_between_two_classes():
    assert operator.add(Vec(np.ones(1)), Vec(np.ones(1))).data.tolist() == [2.0]


@jitclass([("x", types.int64)])
class Plain:
    def __init__(self, x):
        self.x = x


@jitclass([("x", types.int64)])
class EqOnly:
    def __init__(self, x):
        self.x = x

    def __eq__(self, other):
        return self.x == other.x


def test_identity_and_default_equality():
    @njit
    def compare(a, b):
        return a is b, a is not b, a == b, a != b

    p = Plain(1)
    assert compare(p, p) == (True, False, True, False)
    assert compare(p, Plain(1)) == (False, True, False, True)
    assert compare(EqOnly(1), EqOnly(1)) == (False, True, True, False)
    assert compare(EqOnly(1), EqOnly(2)) == (False, True, False, True)
    e = EqOnly(3)
    assert (e != EqOnly(3), e == EqOnly(3), e != EqOnly(4)) == (False, True, True)


def test_pickled_cycles_keep_their_shape():
    from tests.jitclass.test_members import Node
    a = Node(1, None)
    b = Node(2, a)
    a.next = b
    a2 = pickle.loads(pickle.dumps(a))
    assert a2.next.next is a2 and a2.next.value == 2
    a.next = None  # break the cycles, so both pairs are freed
    a2.next = None
