"""Issue 10 items 1, 4, 6, 7 and list subclasses (15): unboxing and reflecting list arguments.

A list argument is unboxed from a snapshot of its items; every item must have the list's item
type; the items stay alive for the whole call however the Python list changes meanwhile (objmode,
other threads, Python code run by the unboxing itself); reflection swaps the new contents in at
once. Each property: the compiled function equals the Python function on a copy of the list
(result and list contents afterwards, arrays by identity), or raises a clear error and leaves the
list alone -- never a crash, never a coerced value.
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from jitbridge import njit, objmode
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks
from tests.isolation import run_isolated

CLEAR_ERRORS = (TypeError, TypingError, OverflowError)


@njit
def first(items):
    return items[0]


@njit
def append_first(items):
    items.append(items[0])
    return len(items)


@njit
def pop_first(items):
    return items.pop(0)


@njit
def exercise(items):
    """Read, append, setitem and pop in one function (one compilation per list type)."""
    head = items[0]
    items.append(head)
    items[-1] = items[0]
    return head, items.pop(0), len(items)


def _same(expected, actual):
    """Arrays by identity (reflection must give back the caller's arrays); scalars by type and
    value, NumPy scalars as the Python scalars compiled code returns (as Numba does)."""
    if actual is expected or isinstance(expected, np.ndarray):
        return actual is expected
    if isinstance(expected, np.generic):
        expected = expected.item()
    if isinstance(expected, tuple):
        return (isinstance(actual, tuple) and len(actual) == len(expected)
                and all(_same(e, a) for e, a in zip(expected, actual)))
    if isinstance(expected, complex):
        return isinstance(actual, complex) and _same(expected.real, actual.real) and \
            _same(expected.imag, actual.imag)
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return type(actual) is type(expected) and actual == expected


def _agrees_with_python(func, items, must_succeed):
    """Run `func` compiled and in Python on copies of `items`; True if it ran compiled."""
    expected_list, actual_list = list(items), list(items)
    expected = func.py_func(expected_list)
    try:
        actual = func(actual_list)
    except CLEAR_ERRORS:
        assert not must_succeed, f"{func.__name__} rejected a homogeneous list {items!r}"
        assert len(actual_list) == len(items) and all(a is b for a, b in zip(actual_list, items))
        return False
    assert _same(expected, actual), (func.__name__, items, expected, actual)
    assert len(actual_list) == len(expected_list)
    assert all(_same(e, a) for e, a in zip(expected_list, actual_list)), \
        (expected_list, actual_list)
    return True


# -- strategies ------------------------------------------------------------------------------------

numpy_scalar_types = st.sampled_from([np.int32, np.uint64, np.float32, np.complex64, np.bool_])


@st.composite
def numpy_scalars(draw, cls=None):
    cls = cls or draw(numpy_scalar_types)
    return cls(draw(hnp.from_dtype(np.dtype(cls), allow_nan=False, allow_infinity=False)))


def _layout(array, layout):
    if layout == "F":
        return np.asfortranarray(array)
    if layout == "strided":
        return np.repeat(array, 2, axis=0)[::2]
    return array


@st.composite
def arrays(draw, dtype=None, ndim=None, layout=None):
    """Arrays of a few dtypes (including a byte-swapped one), 1-2 dimensions, C/F/strided."""
    dtype = dtype or draw(st.sampled_from(["float64", "int32", ">f8"]))
    ndim = ndim or draw(st.integers(1, 2))
    shape = draw(hnp.array_shapes(min_dims=ndim, max_dims=ndim, min_side=1, max_side=4))
    array = draw(hnp.arrays(dtype, shape))
    return _layout(array, layout or draw(st.sampled_from(["C", "F", "strided"])))


def element_kinds():
    """Strategies of one kind of item each (a homogeneous list draws all items from one)."""
    ints = st.integers(-2 ** 63, 2 ** 63 - 1)
    return [ints, st.floats(), st.booleans(), st.complex_numbers(), st.none(),
            st.tuples(ints, st.floats(allow_nan=False)),
            st.lists(ints, min_size=1, max_size=3)]


@st.composite
def homogeneous_lists(draw):
    kind = draw(st.integers(0, len(element_kinds()) + 1))
    if kind == len(element_kinds()) + 1:  # NumPy scalars of one class
        return draw(st.lists(numpy_scalars(draw(numpy_scalar_types)), min_size=1, max_size=6))
    if kind == len(element_kinds()):  # arrays: one dtype, ndim and layout for all
        dtype = draw(st.sampled_from(["float64", "int32"]))
        shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4))
        layout = draw(st.sampled_from(["C", "F", "strided"]))
        same_type = hnp.arrays(dtype, shape).map(lambda array: _layout(array, layout))
        return draw(st.lists(same_type, min_size=1, max_size=4))
    return draw(st.lists(element_kinds()[kind], min_size=1, max_size=6))


mixed_lists = st.lists(st.one_of(*element_kinds(), arrays(), numpy_scalars()),
                       min_size=1, max_size=5)


# -- item 4: heterogeneous lists -------------------------------------------------------------------

@njit
def total(items):
    s = 0
    for x in items:
        s += x
    return s


def _heterogeneous(call, expected, actual, index):
    """Numba's message, and a note naming the offending item."""
    with pytest.raises(TypeError) as info:
        call()
    assert str(info.value) == f"can't unbox heterogeneous list: {expected} != {actual}"
    assert info.value.__notes__ == [f"(item {index} of the list)"]


def test_heterogeneous_lists_are_rejected_with_the_index_and_types():
    _heterogeneous(lambda: total([True, 2]), "bool", "int64", 1)
    _heterogeneous(lambda: total([1, 2, 3.5]), "int64", "float64", 2)
    _heterogeneous(lambda: first([np.ones(2), np.ones(2, np.int32)]),
                   "array(float64, 1d, C)", "array(int32, 1d, C)", 1)
    _heterogeneous(lambda: first([(1,), (2, 3)]), "UniTuple(int64 x 1)", "UniTuple(int64 x 2)", 1)
    items = [None, 2 ** 64 - 1, "text"]
    _heterogeneous(lambda: append_first(items), "none", "uint64", 1)
    assert items == [None, 2 ** 64 - 1, "text"]  # never coerced and written back


def test_compatible_items_are_accepted():
    assert total([1, np.int64(2)]) == 3  # the same item type, as typeof says
    assert first([2 ** 64 - 1, 1]) == 2 ** 64 - 1  # a uint64 list takes small ints
    with pytest.raises(OverflowError):
        first([1, 2 ** 64 - 1])  # but an int64 list checks the range of each
    strided = np.arange(6.0)[::2]
    items = [strided, np.ones(3)]  # layout A takes any layout
    assert first(items) is strided


@settings(max_examples=30, deadline=None)
@given(homogeneous_lists())
def test_homogeneous_lists_agree_with_python(items):
    assert _agrees_with_python(exercise, items, must_succeed=True)  # (lists of lists too)


@settings(max_examples=50, deadline=None)
@given(mixed_lists)
def test_mixed_lists_agree_with_python_or_raise(items):
    _agrees_with_python(exercise, items, must_succeed=False)


# -- item 1: reflection keeps the arrays alive -----------------------------------------------------

def test_reflecting_a_list_of_arrays_keeps_them_alive():
    out = run_isolated("""
        @njit
        def f(l):
            l.append(l[0])
            l[0] = l[-1]
            return len(l)
        for i in range(200):
            original = np.full(1000, float(i))
            l = [original]
            del original  # only the list refers to the array
            assert f(l) == 2
            assert l[0] is l[1] and (l[0] == i).all(), l
        print("ok")
    """)
    assert out.strip() == "ok"


def test_reflected_arrays_keep_their_identity():
    a, b = np.arange(3.0), np.ones(3)
    items = [a, b]
    assert append_first(items) == 3
    assert items[0] is a and items[1] is b and items[2] is a
    assert first(items) is a


# -- item 6: items stay alive while the Python list is emptied -------------------------------------

@njit
def sum_around_objmode(items):
    kept = items[0]
    with objmode():
        items.clear()  # the block receives the caller's list
        junk = [np.full(1000, 7.0) for _ in range(50)]  # reuse the freed memory if any
        del junk
    return kept.sum() + len(items)  # the block's clear() is seen, as in Python


ITEM6_PROGRAM = """
    import threading
    from hypothesis import given, settings, strategies as st
    from jitbridge import objmode

    @njit
    def sum_around_objmode(items):
        kept = items[0]
        with objmode():
            items.clear()
            junk = [np.full(1000, 7.0) for _ in range(50)]
            del junk
        return kept.sum() + len(items)  # the block's clear() is seen, as in Python

    for i in range(20):  # the list the block emptied held the only references
        l = [np.full(1000, 1.0), np.full(1000, 2.0)]
        assert sum_around_objmode(l) == 1000.0
        assert l == []

    started, mutated = threading.Event(), threading.Event()

    def wait_for_mutation():
        started.set()
        mutated.wait(5)

    @njit
    def total_after_wait(items):
        with objmode():
            wait_for_mutation()
        s = 0.0
        for a in items:
            s += a.sum()
        items.append(items[0])
        return s

    MUTATIONS = [lambda l: l.clear(), lambda l: l.pop(), lambda l: l.__setitem__(0, np.zeros(3)),
                 lambda l: l.extend([np.ones(2)] * 3), lambda l: l.reverse(),
                 lambda l: l.__delitem__(slice(0, None, 2))]

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.integers(-1000, 1000).map(float), min_size=1, max_size=6),
           st.sampled_from(range(len(MUTATIONS))))
    def check(values, which):
        items = [np.full(1000, v) for v in values]  # only the list refers to the arrays
        started.clear(); mutated.clear()
        def mutate():
            started.wait(5)
            MUTATIONS[which](items)
            mutated.set()
        thread = threading.Thread(target=mutate)
        thread.start()
        assert total_after_wait(items) == 1000 * sum(values)
        thread.join()
        # written back: the compiled list's contents replace whatever the thread did
        assert [a[0] for a in items] == values + values[:1]
        assert all(len(a) == 1000 and (a == a[0]).all() for a in items)

    check()
    print("ok")
"""


def test_items_stay_alive_when_the_list_is_emptied_during_the_call():
    """An objmode block emptying the list it received; another thread emptying it while the
    function waits in an objmode block (run in a child: a regression would crash)."""
    assert run_isolated(ITEM6_PROGRAM).strip() == "ok"


# -- item 7: Python code run during unboxing changes the list --------------------------------------

DUNDER_PROGRAM = """
    import itertools
    from hypothesis import given, settings, strategies as st
    from jitbridge import types

    MUTATIONS = [lambda l: l.clear(), lambda l: l.pop(0), lambda l: l.__delitem__(slice(None, -1)),
                 lambda l: l.append(l[0]), lambda l: l.__setitem__(slice(None), [0.5])]

    class Hostile:
        '''Mutates the list it is in when Python code asks about it.'''
        def __init__(self, items, which):
            self.items, self.which = items, which
        def mutate(self):
            if self.items is not None:
                items, self.items = self.items, None
                MUTATIONS[self.which](items)

    class HostileFloat(float, Hostile):
        @property
        def _numba_type_(self):  # the typeof hook: accepted as a float64, after the mutation
            self.mutate()
            return types.float64
        def __float__(self):
            self.mutate(); return 1.0

    class HostileInt(int, Hostile):
        def __index__(self):
            self.mutate(); return 1
        def __bool__(self):
            self.mutate(); return True

    class HostileObject(Hostile):
        def __index__(self):
            self.mutate(); return 1
        def __float__(self):
            self.mutate(); return 1.0
        def __bool__(self):
            self.mutate(); return True

    @njit
    def total(items):
        s = 0.0
        for x in items:
            s += x
        items.append(items[0])
        return s

    @njit
    def total_sums(items):
        s = 0.0
        for x in items:
            s += x.sum()
        return s

    @njit
    def count_true(items):
        n = 0
        for x in items:
            if x:
                n += 1
        return n

    @njit
    def first_pair(items):
        return items[0][0] + items[-1][1]

    KINDS = {"float": (1.5, total), "int": (3, total), "bool": (True, count_true),
             "tuple": ((1.0, 2.0), first_pair), "array": (np.ones(3), total_sums)}

    def check_one(kind, before, after, cls, which, in_tuple):
        good, func = KINDS[kind]
        items = [good] * before + [None] + [good] * after
        hostile = cls.__new__(cls, 2) if cls is not HostileObject else cls.__new__(cls)
        hostile.items, hostile.which = items, which
        items[before] = (hostile, 1.0) if in_tuple else hostile
        snapshot = list(items)
        try:
            result = func(items)
        except (TypeError, OverflowError, TypingError):
            return
        # accepted (a float subclass typed float64): computed on the items as they were
        expected_list = list(snapshot)
        assert result == func.py_func(expected_list), (result, snapshot)
        if func is total:  # changed, so written back: the hostile item's mutation is undone
            assert items == expected_list

    @settings(max_examples=10, deadline=None)
    @given(st.integers(1, 5), st.integers(0, 5))
    def check(before, after):
        for kind, cls, which, in_tuple in itertools.product(
                sorted(KINDS), [HostileFloat, HostileInt, HostileObject], range(len(MUTATIONS)),
                [False, True]):
            check_one(kind, before, after, cls, which, in_tuple)

    from jitbridge.errors import TypingError
    check()
    print("ok")
"""


def test_python_code_run_by_unboxing_cannot_break_the_list():
    assert run_isolated(DUNDER_PROGRAM).strip() == "ok"


# -- item 15: list subclasses ----------------------------------------------------------------------

class Numbers(list):
    def __getitem__(self, index):  # compiled code uses the list's storage, as Numba does
        raise AssertionError("not called")


@njit
def append_and_return(items):
    items.append(items[0] * 2)
    return items


def test_list_subclass_arguments_run_and_reflect():
    items = Numbers([1, 2])
    assert total(items) == 3
    assert append_and_return(items) is items
    assert type(items) is Numbers and list(items) == [1, 2, 2]


# -- leaks -----------------------------------------------------------------------------------------

@njit
def list_output(n, x):
    """Owned unboxing (an objmode output): the last item is of the wrong type unless n < 0."""
    with objmode(out="List(float64[::1])"):
        out = [x] * abs(n) + ([np.zeros(2, np.int32)] if n >= 0 else [])
    return out


def test_no_leaks_over_calls_and_error_paths():
    a, b = np.arange(4.0), np.ones(4)
    calls = [lambda: append_first([a, b]), lambda: pop_first(Numbers([a, b])),
             lambda: first([a, b, np.ones(2, np.int32)]), lambda: total([1, 2, "x"]),
             lambda: first([1, 2 ** 64]), lambda: first([a, np.arange(4.0)[::2]]),
             lambda: list_output(3, a), lambda: list_output(-3, a),
             lambda: sum_around_objmode([a, b])]

    def run_all():
        for call in calls:
            try:
                call()
            except (TypeError, OverflowError):
                pass
    run_all()  # compile first
    assert [np.array_equal(x, a) for x in list_output(-2, a)] == [True, True]
    with no_leaks(a, b):
        for _ in range(3):
            run_all()
