"""@jitclass: construction from Python and compiled code, members, methods, properties,
static methods, identity across the boundary, isinstance, spec forms, errors."""
from collections import OrderedDict

import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.experimental import jitclass
from jitbridge.experimental.jitclass.boxing import meminfo_address
from jitbridge.testing import no_leaks


@jitclass([("x", types.float64), ("y", types.int64)])
class Point:
    def __init__(self, x, y=3):
        self.x = x
        self.y = y

    def scaled(self, k):
        return self.x * k + self.y

    @property
    def norm1(self):
        return abs(self.x) + abs(self.y)

    @property
    def yy(self):
        return self.y

    @yy.setter
    def yy(self, value):
        self.y = value * 2

    @staticmethod
    def origin_distance(a, b):
        return (a * a + b * b) ** 0.5


def test_python_construction_members_and_methods():
    p = Point(1.5)
    assert (p.x, p.y, p.scaled(2.0), p.norm1) == (1.5, 3, 6.0, 4.5)
    p.x = 7
    assert p.x == 7.0 and isinstance(p.x, float)
    p.yy = 5
    assert p.yy == 10 and p.y == 10
    assert Point.origin_distance(3.0, 4.0) == 5.0 and p.origin_distance(3.0, 4.0) == 5.0
    assert isinstance(p, Point) and not isinstance(object(), Point)


def test_keyword_and_default_arguments():
    assert Point(y=4, x=2.0).y == 4
    with pytest.raises(TypeError):
        Point()


def test_compiled_construction_methods_and_static_methods():
    @njit
    def f(a):
        p = Point(a, 2)
        p.y += 1
        return p.scaled(2.0) + p.norm1 + Point.origin_distance(3.0, 4.0) + p.origin_distance(0.0, 1.0)

    p = Point(1.0, 2)
    p.y += 1
    expected = p.scaled(2.0) + p.norm1 + 5.0 + 1.0
    assert f(1.0) == expected


def test_identity_is_kept_across_calls():
    @njit
    def bump(p):
        p.y += 1
        return p

    @njit
    def pair(p):
        return p, p

    p = Point(0.0, 1)
    assert bump(p) is p and p.y == 2
    a, b = pair(p)
    assert a is p and b is p
    address = meminfo_address(p)

    @njit
    def make():
        return Point(1.0, 1)
    q = make()
    assert isinstance(q, Point) and meminfo_address(q) != address


def test_class_type_and_instance_type():
    inst = Point.class_type.instance_type
    assert isinstance(inst, types.ClassInstanceType)
    assert list(inst.struct) == ["x", "y"] and inst.struct["y"] == types.int64
    assert inst.class_type == Point.class_type and inst.classname == "Point"
    from jitbridge import typeof
    assert typeof(Point(1.0)) == inst and typeof(Point) == Point.class_type


def test_spec_forms():
    @jitclass(OrderedDict(a="int32", b=types.float64[:]))
    class FromDict:
        c: types.boolean
        d: "float32"

        def __init__(self):
            self.a = 1
            self.b = np.zeros(2)
            self.c = True
            self.d = 0.5

    obj = FromDict()
    assert list(FromDict.class_type.instance_type.struct.values()) == [
        types.int32, types.float64[:], types.boolean, types.float32]
    assert (obj.a, obj.c, obj.d) == (1, True, 0.5) and obj.b.tolist() == [0.0, 0.0]

    @jitclass
    class Annotated:
        n: int
        v: float

        def __init__(self, n):
            self.n = n
            self.v = n / 2

    assert (Annotated(3).n, Annotated(3).v) == (3, 1.5)


def test_spec_errors():
    with pytest.raises(TypeError, match="spec keys should be strings"):
        jitclass([(1, types.int32)])(type("A", (), {}))
    with pytest.raises(TypeError, match="spec values"):
        jitclass([("x", 1)])(type("B", (), {}))
    with pytest.raises(NameError, match="name shadowing"):
        @jitclass([("x", types.int64)])
        class C:
            def x(self):
                return 1
    with pytest.raises(TypeError, match="not supported"):
        @jitclass([])
        class D:
            def __iter__(self):
                return 1


def test_unknown_attribute_is_a_located_typing_error():
    @njit
    def f(p):
        return p.missing

    with pytest.raises(TypingError, match="missing"):
        f(Point(1.0))


def test_wrong_member_type_is_a_typing_error():
    @njit
    def f(p):
        p.y = "text"

    with pytest.raises(TypingError, match="member 'y'"):
        f(Point(1.0))


def test_no_leaks_creating_and_dropping_many():
    @njit
    def churn(n):
        total = 0.0
        for i in range(n):
            p = Point(float(i), i)
            total += p.scaled(1.0)
        return total

    def from_python(n):
        for i in range(n):
            p = Point(float(i), i)
            p.x, p.yy = p.y, 2
            p.scaled(1.0)

    churn(1)
    from_python(2)  # (the second round fills a one-time cache: three references to Point)
    with no_leaks(Point):
        assert churn(100_000) == sum(2.0 * i for i in range(100_000))
        from_python(100_000)


@jitclass([("x", types.int32), ("z", types.int32), ("args", types.UniTuple(types.int32, 2)),
           ("a", types.int32)])
class Starred:
    def __init__(self, x, z=1, *args, a=5):
        self.x = x
        self.z = z
        self.args = args
        self.a = a


def test_init_with_star_args_and_keyword_only_parameters():
    t = Starred(1, 3, 4, 5, a=6)
    assert (t.x, t.z, t.args, t.a) == (1, 3, (4, 5), 6)

    @njit
    def make():
        t = Starred(1, 2, 7, 8)
        return t.args, t.a
    assert make() == ((7, 8), 5)
    with pytest.raises(TypingError, match="member 'args'"):
        Starred(1)


@jitclass([("x", types.float64[:]), ("n", types.int64)])
class Checked:
    def __init__(self, n):
        self.x = np.zeros(n)
        if n > 3:
            raise ValueError("too big")
        self.n = n

    def boom(self, i):
        if i > 0:
            raise IndexError("boom")
        return self.n


def test_exceptions_in_init_and_methods_release_the_instance():
    @njit
    def guarded(n):
        try:
            Checked(n)
        except ValueError:
            return -1
        return 1

    assert guarded(2) == 1 and guarded(9) == -1
    with pytest.raises(IndexError, match="boom"):
        Checked(2).boom(1)
    with no_leaks():
        for _ in range(200):
            with pytest.raises(ValueError, match="too big"):
                Checked(5)
            guarded(9)
