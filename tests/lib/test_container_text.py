"""str(), repr(), format(), str.format() and f-string fields of lists, sets, dicts, tuples and
arrays: CPython's text of the boxed value (Numba prints `<object type:...>`); no leaks."""
import numpy as np
import pytest

from jitbridge import njit, typed
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks


def texts(a):
    return f"ABC_{a}", str(a), repr(a), format(a, ""), "{} {!r:>40}".format(a, a)


def made_inside():
    lst = [1, 2]
    lst.append(3)
    nested = [[1.5], [2.0, 3.0]]
    return str(lst), repr(nested), str((1, ("x", 2.5))), f"{ {4, 5} }"


def bad_spec(a):
    return f"{a:>4}"


JIT_TEXTS, JIT_MADE, JIT_BAD = njit(texts), njit(made_inside), njit(bad_spec)


def test_list_text_is_cpythons():
    assert JIT_TEXTS(["A", "B"]) == texts(["A", "B"])


@pytest.mark.slow
@pytest.mark.parametrize("value", [[1, 2], [[1.5], [2.0]], {1, 2}, (1, "x", 2.5),
                                   np.arange(3), np.zeros((2, 2))])
def test_container_text_is_cpythons(value):
    assert JIT_TEXTS(value) == texts(value)


@pytest.mark.slow
def test_containers_made_in_compiled_code():
    assert JIT_MADE() == made_inside()


@pytest.mark.slow
def test_typed_list_text_is_its_python_objects():
    lst = typed.List([1, 2])
    assert JIT_TEXTS(lst) == texts(lst)


def test_format_spec_error_is_cpythons():
    with pytest.raises(TypeError, match="unsupported format string passed to list.__format__"):
        JIT_BAD([1, 2])


def test_values_without_python_text_are_still_refused():
    with pytest.raises(TypingError, match="format\\(\\) of a value of type LiteralList"):
        njit(lambda: f"{[1, 'a']}")()


def test_container_text_releases_everything():
    value = ["A", "B"]
    JIT_TEXTS(value)
    with no_leaks(value):
        for _ in range(100):
            JIT_TEXTS(value)
