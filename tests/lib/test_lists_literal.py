"""List displays of mixed item types (LiteralList), the constants a display remembers
(`initial_value`), and the container fixes of session 12: differential against CPython,
Numba's errors for what a literal list refuses, no leaks."""
import warnings
from collections import namedtuple

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from jitbridge import njit, literal_unroll, types
from jitbridge.errors import NumbaTypeSafetyWarning, TypingError
from jitbridge.extending import overload
from jitbridge.testing import no_leaks
from jitbridge.typed import Dict


@njit
def mixed(s, x):
    l = [s, x, 'lit', 2.5]
    return l[0], l[1], l[-2], l[3], len(l)


@njit
def counts(s, x):
    l = ['a', 1, 'a', 2, s, x]
    return l.count('a'), l.count(2), l.count(x), x in l, 'zz' in l, 3.0 in l


@njit
def contains_unrolled():
    l = ['a', 1, 'a', 2, 'a', 3, 'b', 4, 'b', 5, 'c']
    r = []
    for x in literal_unroll(('a', 'd', 2, 6)):
        r.append(x in l)
    return r


@njit
def unified(x):
    if x > 3:
        l = ['a', 1]
    else:
        l = ['b', 2]
    return l[0], l.copy()[1]


@njit
def compared(s, x):
    a, b = [s, x], [s, x + 1]
    return a == b, a != b, a == [s, x], tuple(a), bool(a)


@njit
def returned(s, x):
    return [s, (x, x), np.arange(2)]


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=6), st.integers(-2**63, 2**63 - 1))
def test_items_length_count_and_in_match_python(s, x):
    assert mixed(s, x) == mixed.py_func(s, x)
    assert counts(s, x) == counts.py_func(s, x)
    if x < 2**63 - 1:
        assert compared(s, x) == compared.py_func(s, x)


def test_in_unify_copy_and_return_to_python():
    assert contains_unrolled() == contains_unrolled.py_func()
    assert unified(5) == ('a', 1) and unified(0) == ('b', 2)
    got = returned('é𝄞', 3)
    assert type(got) is list and got[:2] == ['é𝄞', (3, 3)] and got[2].tolist() == [0, 1]


def test_no_leaks_with_strings_and_arrays():
    s = "".join(["x", "y"])  # a string of its own, so its count is ours to watch
    returned(s, 1), mixed(s, 1), counts(s, 1), compared(s, 1)
    with no_leaks(s):
        for _ in range(500):
            returned(s, 1)
            mixed(s, 1)
            counts(s, 1)
            compared(s, 1)


@pytest.mark.parametrize("body, message", [
    ("return l[x]", "Cannot __getitem__ on a literal list"),
    ("return l[:1]", "Cannot __getitem__ on a literal list"),
    ("return l[5]", "out of range"),
    ("l[0] = 'b'", "Cannot mutate a literal list"),
    ("del l[0]", "Cannot mutate a literal list"),
    ("l.append(2j)", "Cannot mutate a literal list"),
    ("l.sort()", "Cannot mutate a literal list"),
    ("return l.index('a')", "list.index is unsupported for literal lists"),
])
def test_what_a_literal_list_refuses(body, message):
    namespace = {}
    exec(f"def f(x):\n    l = ['a', 1]\n    {body}\n", namespace)
    with pytest.raises(TypingError, match=message):
        njit(namespace["f"])(0)


def test_displays_of_other_lengths_do_not_unify():
    @njit
    def f(x):
        l = ['a', 1, 2j] if x > 3 else ['b', 2]
        return l[0]
    with pytest.raises(TypingError, match="Cannot unify LiteralList"):
        f(100)


def _seen_by_overload(probe):
    """The type an @overload function is given for the display `probe` builds."""
    seen = []

    def bar(x):
        pass

    @overload(bar)
    def ol_bar(x):
        seen.append(x)
        return lambda x: None

    probe(bar)
    return seen[-1]


def test_types_seen_by_overloads():
    def literal_list(bar):
        njit(lambda: bar(['cat', 10, 2.5, np.zeros(1), [1, 2]]))()
    lst = _seen_by_overload(literal_list)
    assert isinstance(lst, types.LiteralList) and not isinstance(lst, types.BaseTuple)
    assert lst.literal_value[:3] == [types.literal('cat'), types.literal(10), types.float64]
    assert lst.literal_value[4] == types.List(types.intp, initial_value=[1, 2])

    def literal_dict(bar):
        njit(lambda: bar({'a': 1, 'b': 2j}))()
    assert _seen_by_overload(literal_dict).literal_value[types.literal('b')] == \
        types.complex128


def test_initial_value_is_forgotten_by_unliteral_and_unification():
    remembered = types.List(types.int64, initial_value=[1, 2])
    assert remembered != types.List(types.int64) and "<iv=[1, 2]>" in str(remembered)
    assert types.unliteral(remembered) == types.List(types.int64)
    d = types.DictType(types.unicode_type, types.int64, initial_value={'a': 1})
    assert types.unliteral(d) == types.DictType(types.unicode_type, types.int64)

    @njit
    def f(x):
        l = [1, 2] if x else [3]
        d = {'a': 1} if x else {'b': 2}
        l.append(x)
        d['c'] = x
        return l, d
    assert f(5) == ([1, 2, 5], {'a': 1, 'c': 5})
    assert f.signatures == [(types.int64,)]


def test_tuple_types_of_one_type_are_refused():
    with pytest.raises(TypingError, match="Argument 'types' is not iterable"):
        types.Tuple((types.uint32))
    with pytest.raises(TypingError, match="Argument 'types' is not iterable"):
        types.NamedTuple(types.uint32, 'p')


Point = namedtuple("Point", "a b c")


@njit
def rebuild(p, *args):
    return type(p)(*args)


def test_type_of_a_namedtuple_builds_another():
    got = rebuild(Point(1, 2, 3), 4, 5.5, 6j)
    assert type(got) is Point and got == Point(4, 5.5, 6j)


@njit
def dict_from_zip(s, other):
    return Dict(zip(s, other))


def test_zip_stopping_at_a_later_iterator_releases_items_once():
    # zip drew a string from `s`, then `other` ran out: that string was released twice
    other = Dict()
    other[1] = 'abc'
    for _ in range(3):
        d = dict_from_zip('key', other)
        assert dict(d) == {'k': 1}
    with no_leaks():
        for _ in range(300):
            dict_from_zip('key', other)


@njit
def narrowing_lookup(k1, v1, k2):
    d = Dict()
    d[k1] = v1
    return d[k2]


def test_unsafe_key_cast_warns_as_numba():
    k1, k2 = (np.int8(1), np.int8(2)), (np.int32(1), np.int32(2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert narrowing_lookup(k1, np.intp(123), k2) == 123
    messages = [str(w.message) for w in caught if w.category is NumbaTypeSafetyWarning]
    assert messages == ["unsafe cast from UniTuple(int32 x 2) to UniTuple(int8 x 2). "
                        "Precision may be lost."]


def test_empty_list_returned_says_what_is_imprecise():
    with pytest.raises(TypingError, match=r"imprecise type: list\(undefined\)"):
        njit(lambda: list())()


@njit
def grow_while_iterating(lst):
    count = 0
    for _ in lst:
        if count > 1:
            lst.append(2.0)
        count += 1
    return count


def test_typed_list_resized_while_iterated_raises():
    # Numba's typed.List semantics; a reflected Python list follows its growth as CPython's
    from jitbridge.typed import List
    typed = List([1.0, 1.0, 1.0])
    with pytest.raises(RuntimeError, match="list was mutated during iteration"):
        grow_while_iterating(typed)
    assert len(typed) == 4
    assert grow_while_iterating(List([1.0, 2.0])) == 2
    with no_leaks():
        for _ in range(200):
            with pytest.raises(RuntimeError):
                grow_while_iterating(typed)
