"""getattr() and hasattr() with names known at compile time."""
import numpy as np
import pytest

from jitbridge import njit, typed, types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks

MISSING = "__not_a_valid_attr__"
NDIM = "ndim"


def test_written_name_reads_attributes_and_binds_methods():
    @njit
    def f(x, z):
        return getattr(x, "ndim"), getattr(z, "conjugate")(), getattr(z, "__hash__")()
    a = np.ones((2, 3))
    assert f(a, 1 + 2j) == (2, 1 - 2j, hash(1 + 2j))


def test_constant_name_from_a_global():
    @njit
    def f(x):
        return getattr(x, NDIM)
    assert f(np.ones((1, 1, 1))) == 3


def test_default_when_missing_keeps_references_exact():
    @njit
    def f(x, default):
        return getattr(x, MISSING, default)
    for x, default in ((1, None), (2.5, 20), ((5, 6), "some_string")):
        assert f(x, default) == default
    a, s = np.ones(3), "text" * 3
    assert f(a, s) is s  # (compiled before counting)
    with no_leaks(a, s):
        for _ in range(100):
            assert f(a, s) is s


def test_missing_without_default_raises_attribute_error_when_run():
    @njit
    def f(x):
        return getattr(x, MISSING)
    with pytest.raises(AttributeError, match=f"'float64' has no attribute '{MISSING}'"):
        f(1.25)


def test_name_must_be_a_compile_time_string():
    @njit
    def f(x, name):
        return getattr(x, name)
    with pytest.raises(TypingError, match="argument 'name' must be a literal string"):
        f(1, "__hash__")


@pytest.mark.parametrize("value", [1, 2.34, (5, 6), np.ones(2), "ABC",
                                   typed.List.empty_list(types.int64)])
def test_hasattr_against_python(value):
    @njit
    def f(x):
        return hasattr(x, "__hash__"), hasattr(x, MISSING), hasattr(x, "__repr__")
    assert f(value) == (hasattr(value, "__hash__"), hasattr(value, MISSING),
                        hasattr(value, "__repr__"))


def test_hasattr_is_a_compile_time_constant():
    @njit
    def f(x):
        if hasattr(x, "shape"):
            return x.shape[0]
        return x
    assert f(np.ones(4)) == 4 and f(7) == 7


def test_locals_is_a_typing_error_where_it_stands():
    # (a TypingError as in Numba's nopython mode; object mode refuses it as ForbiddenConstruct)
    from jitbridge.errors import TypingError

    @njit
    def f(x):
        y = x
        return locals()["y"]
    with pytest.raises(TypingError, match="locals\\(\\) is not supported") as e:
        f(1)
    assert 'return locals()["y"]' in str(e.value)
