"""Pass-through objects: identity, equality, containers, objmode, user types, refcounts."""
import gc
import operator
import sys
import threading
import weakref

import pytest

from jitbridge import jit, njit, objmode, types
from jitbridge.core import cgutils
from jitbridge.extending import (NativeValue, box, make_attribute_wrapper, models, overload,
                                 register_model, typeof_impl, unbox)
from jitbridge.passthru import (PassThruContainer, PassThruType, pass_thru_container_type,
                                pass_thru_type)
from jitbridge.runtime import stats


class Thing:
    def __init__(self, value=1):
        self.value = value


@jit(nopython=True)
def do_something(container):
    with objmode(value='int64'):
        setattr(container.obj, 'value_2', 2)
        value = container.obj.value
    return container, value


def test_issue_example_objmode_sees_the_original_object():
    thing = Thing(5)
    container = PassThruContainer(thing)
    result, value = do_something(container)
    assert result is container
    assert value == 5 and thing.value_2 == 2


def test_identity_preserved():
    container = PassThruContainer(object())
    assert njit(lambda c: c)(container) is container


def test_equality_means_same_wrapped_object():
    thing = Thing()
    eq = njit(lambda a, b: (a == b, a != b))
    assert eq(PassThruContainer(thing), PassThruContainer(thing)) == (True, False)
    assert eq(PassThruContainer(thing), PassThruContainer(Thing())) == (False, True)
    assert PassThruContainer(thing) == PassThruContainer(thing)


def test_in_tuples_and_lists():
    a, b = PassThruContainer([1, 2]), PassThruContainer({"k": 1})

    @njit
    def pack(x, y):
        items = [x, y, x]
        return (y, x), items, len(items)
    (first, second), items, count = pack(a, b)
    assert first is b and second is a and count == 3
    assert items[0] is a and items[1] is b and items[2] is a


def test_unhashable_objects_and_objects_without_eq():
    class NoEq:
        __eq__ = None
        __hash__ = None
    unhashable = PassThruContainer({"a": [1]})
    odd = PassThruContainer(NoEq())
    f = njit(lambda c, d: (c == c, c == d, c))
    same, different, back = f(unhashable, odd)
    assert same and not different and back is unhashable
    assert hash(unhashable) == hash(PassThruContainer(unhashable.obj))


def test_sets_and_dicts_come_out_of_objmode_as_pass_through():
    @njit
    def make(n):
        with objmode(s=pass_thru_type, d=pass_thru_type):
            s = set(range(n))
            d = {i: i * i for i in range(n)}
        return s, d
    s, d = make(3)
    assert s == {0, 1, 2} and d == {0: 0, 1: 1, 2: 4}


def test_reference_counts_exact_over_1000_calls():
    thing = Thing()
    container = PassThruContainer(thing)
    f = njit(lambda c: ([c, c], c == c, c))
    f(container), do_something(container)
    gc.collect()
    before = (sys.getrefcount(thing), sys.getrefcount(container), stats()["live"])
    for _ in range(1000):
        f(container)
        do_something(container)
    gc.collect()
    assert (sys.getrefcount(thing), sys.getrefcount(container), stats()["live"]) == before


def test_objects_die_with_their_last_reference():
    @njit
    def wrap(n):
        with objmode(c=pass_thru_container_type):
            c = PassThruContainer(Thing(n))
        return [c]
    result = wrap(3)
    alive = weakref.ref(result[0].obj)
    assert alive() is not None and alive().value == 3
    del result
    gc.collect()
    assert alive() is None


HOLDER = {}


def _drop():
    HOLDER.clear()


@njit
def hold_and_drop(c):
    items = [c]
    with objmode():
        _drop()   # now the compiled list holds the last reference
    return len(items)


def test_release_from_another_thread():
    hold_and_drop(PassThruContainer(Thing()))  # compile on this thread
    thing = Thing()
    alive = weakref.ref(thing)
    HOLDER["c"] = PassThruContainer(thing)
    del thing
    results = []

    def worker():
        container = HOLDER["c"]
        HOLDER["c"] = container
        del container  # the worker's frame must not keep it alive either
        results.append(hold_and_drop(HOLDER["c"]))
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    gc.collect()
    assert results == [1]
    assert alive() is None  # released by the native list on the worker thread


# -- a user type linked to its Python object (numba-passthru's README example) ------------------

class Testee:
    __test__ = False  # not a pytest test class

    def __init__(self, value):
        self.value = value

    def __gt__(self, other):
        if self.value < 0 or other.value < 0:
            raise ValueError("negative testees cannot be compared")
        return self.value > other.value


class TesteeType(PassThruType):
    __test__ = False

    def __init__(self):
        super(TesteeType, self).__init__(name='Testee')


testee_type = TesteeType()


@typeof_impl.register(Testee)
def type_testee(val, context):
    return testee_type


@register_model(TesteeType)
class TesteeModel(models.StructModel):
    def __init__(self, dmm, fe_typ):
        members = [
            ('parent', pass_thru_type),
            ('value', types.intp),
        ]
        super(TesteeModel, self).__init__(dmm, fe_typ, members)


make_attribute_wrapper(TesteeType, 'value', 'value')


@overload(operator.gt)
def ol_testee_gt(self, other):  # (not named test_*: pytest would collect it)
    if self == testee_type and other == testee_type:
        return Testee.__gt__


@unbox(TesteeType)
def unbox_testee(typ, obj, context):
    testee = cgutils.create_struct_proxy(typ)(context.context, context.builder)
    testee.parent = context.unbox(pass_thru_type, obj).value
    value = context.pyapi.object_getattr_string(obj, "value")
    native_value = context.unbox(types.intp, value)
    context.pyapi.decref(value)
    testee.value = native_value.value
    is_error = cgutils.is_not_null(context.builder, context.pyapi.err_occurred())
    return NativeValue(testee._getvalue(), is_error=is_error)


@box(TesteeType)
def box_testee(typ, val, context):
    val = cgutils.create_struct_proxy(typ)(context.context, context.builder, value=val)
    obj = context.box(pass_thru_type, val.parent)
    return obj


def find_max(testees):
    result = testees[0]
    for testee in testees[1:]:
        if testee > result:
            result = testee
    return result


def test_find_max_returns_the_identical_object():
    testees = [Testee(i) for i in (3, 9, 4, 1)]
    compiled = njit(find_max)
    assert compiled(testees) is testees[1]
    assert find_max(testees) is testees[1]


def test_gt_raising_propagates_and_nothing_leaks():
    testees = [Testee(2), Testee(-1), Testee(5)]
    compiled = njit(find_max)
    compiled([Testee(1), Testee(2)])
    gc.collect()
    before = [sys.getrefcount(t) for t in testees] + [stats()["live"]]
    for _ in range(100):
        with pytest.raises(ValueError, match="negative testees"):
            compiled(testees)
    gc.collect()
    assert [sys.getrefcount(t) for t in testees] + [stats()["live"]] == before


def test_testee_refcounts_exact():
    testees = [Testee(i) for i in range(5)]
    compiled = njit(find_max)
    compiled(testees)
    gc.collect()
    before = [sys.getrefcount(t) for t in testees] + [stats()["live"]]
    for _ in range(1000):
        compiled(testees)
    gc.collect()
    assert [sys.getrefcount(t) for t in testees] + [stats()["live"]] == before
