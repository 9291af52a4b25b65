"""jitbridge.typed.Dict (Numba's numba.typed.Dict): the Python-side mapping against CPython's
dict, passing in and out of compiled code without copying, types inferred at the first insert,
Numba's errors, no leaks."""
import numpy as np
import pytest

from jitbridge import float32, int32, njit, types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks
from jitbridge.typed import Dict, dictobject


def test_python_side_mapping_matches_dict():
    d, expected = Dict.empty(types.unicode_type, types.int64), {}
    for target in (d, expected):
        for i, word in enumerate(["\xe9t\xe9", "b", "\U0001f600", "b", "c"]):
            target[word] = i
        del target["c"]
        target.setdefault("z", 9)
        target.update({"y": 1})
    assert list(d.items()) == list(expected.items()) and d == expected
    assert (len(d), "b" in d, "q" in d, 3 in d, d.get("q"), d.get("b")) == \
        (len(expected), True, False, False, None, 3)
    assert d.pop("b") == 3 and d.popitem() == ("y", 1) and list(d) == ["\xe9t\xe9",
                                                                     "\U0001f600", "z"]
    copied = d.copy()
    d.clear()
    assert len(d) == 0 and dict(copied) == {"\xe9t\xe9": 0, "\U0001f600": 2, "z": 9}


def test_str_and_repr():
    d = Dict.empty(types.unicode_type, types.int64)
    d["a"] = 2
    assert str(d) == "{'a': 2}" and repr(d) == "DictType[unicode_type,int64]({'a': 2})"


@njit
def fill(d, n):
    for i in range(n):
        d[i] = np.full(2, i)
    return len(d)


@njit
def produce():
    d = dictobject.new_dict(int32, float32)
    d[1] = 1.25
    e = Dict.empty(int32, float32)
    e[2] = 3
    f = Dict()
    f["k"] = 1
    return d, e, f


@njit
def read(d, key):
    return d[key]


def test_no_copy_across_the_boundary():
    d = Dict.empty(types.int64, types.int64[:])
    assert fill(d, 3) == 3
    assert [a.tolist() for a in d.values()] == [[0, 0], [1, 1], [2, 2]]
    d[0][0] = 7                       # the array stored is the one compiled code reads
    assert read(d, 0).tolist() == [7, 0]
    d1, d2, d3 = produce()
    assert (d1._numba_type_, dict(d1)) == (types.DictType(int32, float32), {1: 1.25})
    assert d2._numba_type_ == d1._numba_type_ and d2 == {2: 3.0} and d3 == {"k": 1}
    assert read(d1, 1) == 1.25


def test_untyped_dict_takes_types_of_its_first_insert():
    d = Dict()
    assert not d._typed and len(d) == 0 and list(d) == [] and d.get("a") is None
    with pytest.raises(KeyError):
        d["a"]
    with pytest.raises(TypeError, match="untyped dictionary"):
        d.setdefault("a")
    d["a"] = 2
    assert d._typed and d._numba_type_ == types.DictType(types.unicode_type, types.int64)
    assert Dict([("a", 1), ("b", 2)]) == {"a": 1, "b": 2} and Dict(x=1) == {"x": 1}


def test_constructor_errors_as_numba():
    with pytest.raises(TypingError, match="at most 1 argument"):
        Dict(1, 2)
    with pytest.raises(TypingError, match="mapping"):
        Dict({1: 2})
    with pytest.raises(TypingError, match="not iterable"):
        Dict(3)
    with pytest.raises(ValueError, match="element #1 has length 3"):
        Dict(((1, "a"), (2, "b", 3)))


def test_arguments_keep_working_after_the_python_keys_die():
    d = Dict.empty(types.unicode_type, types.unicode_type)
    for i in range(50):
        d[str(i) * 3] = "v" + str(i)    # temporary strings: the dict must own copies
    assert read(d, "494949") == "v49" and len(d) == 50


def test_no_leaks():
    d = Dict.empty(types.int64, types.int64[:])
    fill(d, 2)
    produce()
    with no_leaks():
        for _ in range(30):
            e = Dict.empty(types.int64, types.int64[:])
            fill(e, 4)
            del e
            produce()
