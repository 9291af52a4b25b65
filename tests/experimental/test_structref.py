"""StructRef (jitbridge.experimental.structref): proxies made in Python and in compiled code,
fields mutated from both sides, identity across the boundary, methods through
@overload_method, generated field properties, errors, and leaks."""
import pickle

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.experimental import structref
from jitbridge.extending import overload_attribute, overload_method
from jitbridge.runtime import stats
from jitbridge.testing import no_leaks


@structref.register
class BodyType(types.StructRef):
    pass


class Body(structref.StructRefProxy):
    def __new__(cls, pos, mass):
        return structref.StructRefProxy.__new__(cls, pos, mass)

    @property
    def mass(self):  # hand-written: define_proxy keeps it
        return "hand-written"

    def momentum(self, v):
        return body_momentum(self, v)


structref.define_proxy(Body, BodyType, ["pos", "mass"])


@njit
def body_momentum(b, v):
    return b.mass * v


@overload_method(BodyType, "push")
def _body_push(self, dx):
    def impl(self, dx):
        self.pos += dx
        return self.pos.sum()
    return impl


@overload_attribute(BodyType, "weight")
def _body_weight(self):
    def get(self):
        return self.mass * 9.81
    return get


@njit
def get_mass(b):
    return b.mass


@njit
def set_mass(b, m):
    b.mass = m


@njit
def make_body(n, mass):
    return Body(np.zeros(n), mass)


def test_made_in_python_has_the_argument_types_and_generated_properties():
    b = Body(np.arange(3.0), 2)
    assert isinstance(b, Body) and isinstance(b, structref.StructRefProxy)
    assert b._type == BodyType([("pos", types.float64[::1]), ("mass", types.int64)])
    assert b._type.field_dict["mass"] == types.int64
    np.testing.assert_array_equal(b.pos, [0.0, 1.0, 2.0])
    assert b.mass == "hand-written" and get_mass(b) == 2
    assert b.momentum(3.5) == 7.0


def test_made_in_compiled_code_is_boxed_as_the_proxy_class():
    b = make_body(4, 1.5)
    assert type(b) is Body
    assert get_mass(b) == 1.5 and b.pos.dtype == np.float64 and b.pos.shape == (4,)


def test_fields_mutate_both_ways_and_share_arrays():
    b = Body(np.zeros(2), 1.0)
    b.pos = np.ones(2)                  # generated setter
    set_mass(b, 4.0)                    # compiled setter, seen from Python
    assert get_mass(b) == 4.0
    b.pos[0] = 10.0                     # the array is shared, not copied
    assert body_momentum(b, 2.0) == 8.0
    assert njit(lambda b: b.pos[0])(b) == 10.0


def test_identity_is_preserved_across_the_boundary():
    b = Body(np.zeros(1), 1.0)
    same = njit(lambda x: x)

    @njit
    def twice(x):
        return x, x

    @njit
    def identities(x, y):
        return x is x, x is y, x is not y

    assert same(b) is b
    first, second = twice(make_body(1, 1.0))
    assert first is second
    assert identities(b, Body(np.zeros(1), 1.0)) == (True, False, True)


def test_overload_method_and_attribute():
    b = Body(np.arange(3.0), 2.0)
    assert njit(lambda b: b.push(1.0))(b) == 6.0
    np.testing.assert_array_equal(b.pos, [1.0, 2.0, 3.0])
    assert njit(lambda b: b.weight)(b) == pytest.approx(19.62)


def test_plain_structref_proxy_has_no_field_properties():
    body_ty = BodyType([("pos", types.float64[::1]), ("mass", types.int64)])

    @njit
    def raw():
        s = structref.new(body_ty)
        s.mass = 3
        return s

    # BodyType boxes as Body; a type class boxed as the base class gets no properties
    @structref.register
    class BareType(types.StructRef):
        pass
    structref.define_boxing(BareType, structref.StructRefProxy)
    bare_ty = BareType([("n", types.int64)])

    @njit
    def bare():
        s = structref.new(bare_ty)
        s.n = 5
        return s

    assert get_mass(raw()) == 3
    wrapper = bare()
    assert type(wrapper) is structref.StructRefProxy
    with pytest.raises(AttributeError, match="n"):
        wrapper.n
    assert njit(lambda s: s.n)(wrapper) == 5


def test_missing_field_is_a_located_typing_error():
    b = Body(np.zeros(1), 1.0)

    def read(b):
        return b.velocity

    def write(b):
        b.velocity = 1.0

    with pytest.raises(TypingError, match=r"(?s)read.*b\.velocity.*'velocity'.*BodyType"):
        njit(read)(b)
    with pytest.raises(TypingError, match=r"(?s)b\.velocity.*has no field 'velocity'"):
        njit(write)(b)
    with pytest.raises(TypingError, match=r"cannot store unicode_type in field 'mass'"):
        set_mass(b, "heavy")
    with pytest.raises(AttributeError, match="velocity"):
        b.velocity


def test_unassigned_reference_field_raises_instead_of_reading_null():
    inner_ty = BodyType([("pos", types.float64[::1]), ("mass", types.float64)])

    @structref.register
    class HolderType(types.StructRef):
        pass
    holder_ty = HolderType([("body", inner_ty)])

    @njit
    def read_unassigned():
        h = structref.new(holder_ty)
        return h.body.mass

    with no_leaks():
        with pytest.raises(AttributeError, match="'body'.*before it was assigned"):
            read_unassigned()


def test_invalid_registrations_and_fields():
    with pytest.raises(ValueError, match="cannot register"):
        structref.register(types.StructRef)
    with pytest.raises(ValueError, match="cannot register"):
        structref.define_boxing(types.StructRef, Body)
    with pytest.raises(ValueError, match="expecting a str for field name"):
        types.StructRef([(1, types.int64)])
    with pytest.raises(ValueError, match="expecting a Numba Type for field type"):
        types.StructRef([("a", 123)])
    with pytest.raises(ValueError, match="identifiers"):
        structref.define_constructor(Body, BodyType, ["not a name"])

    class Unregistered(types.StructRef):
        pass
    unregistered = Unregistered([("a", types.int64)])
    with pytest.raises(TypingError, match="Unregistered is not registered"):
        njit(lambda: structref.new(unregistered))()

    class NoConstructor(structref.StructRefProxy):
        pass
    with pytest.raises(TypeError, match="NoConstructor has no compiled constructor"):
        NoConstructor(1)


@structref.register
class ChainType(types.StructRef):
    def preprocess_fields(self, fields):
        self.name = f"ChainType#{id(self)}"  # named before Optional(self) is made
        return (("value", types.int64), ("next", types.Optional(self)))


class Chain(structref.StructRefProxy):
    def __hash__(self):
        return chain_value(self)


structref.define_proxy(Chain, ChainType, ["value", "next"])


@njit
def chain_value(c):
    return c.value


@njit
def chain_sum(n):
    head = Chain(0, None)
    node = head
    for i in range(1, n):
        nxt = Chain(i, None)
        node.next = nxt
        node = nxt
    total, cur = 0, head
    while cur is not None:
        total += cur.value
        cur = cur.next
    head.next.value = 100                    # set through an Optional
    return total, head.next.value


def test_self_referencing_type_hash_and_pickle():
    assert chain_sum(10) == (45, 100)
    c = Chain(7, None)
    assert hash(c) == 7                      # typeof never hashes the proxy (Numba #8241)
    ty = c._type
    assert pickle.loads(pickle.dumps(ty)) is ty      # interned, as every type


def test_create_and_drop_100k_leaves_no_live_meminfo():
    @njit
    def churn(n):
        total = 0.0
        for i in range(n):
            b = Body(np.zeros(1), float(i))
            total += b.mass
        return total

    churn(1)
    b = Body(np.zeros(2), 1.0)
    live = stats()["live"]
    with no_leaks(b):
        assert churn(100_000) == sum(range(100_000))
        for _ in range(1000):
            set_mass(make_body(1, 2.0), 3.0)
        assert njit(lambda x: x)(b) is b
    del b
    assert stats()["live"] < live


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1,
                max_size=5), st.floats(-1e6, 1e6))
def test_values_set_in_python_are_what_compiled_code_reads(pos, mass):
    b = Body(np.asarray(pos), mass)
    b.pos = np.asarray(pos) * 2
    assert get_mass(b) == mass
    assert body_momentum(b, 2.0) == mass * 2.0
    np.testing.assert_array_equal(b.pos, np.asarray(pos) * 2)
