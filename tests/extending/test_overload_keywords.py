"""@overload functions with keyword-only parameters, and with *args followed by keyword
options (np.meshgrid(*xi, indexing=...)-style): the overload function is called as Python
would call it (keyword-only values by name, the options a call leaves out at their Python
defaults), and calls bind to the implementation's signature, any number of values."""
import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.extending import overload

SEEN = []


def scaled(x, *, scale=2):
    return x * scale


@overload(scaled)
def ol_scaled(x, *, scale=2):
    SEEN.append(("scaled", x, scale))

    def impl(x, *, scale=2):
        return x * scale
    return impl


def total(*values, weight=1):
    return sum(values) * weight


@overload(total)
def ol_total(*values, weight=1):
    SEEN.append(("total", values, weight))
    if not all(isinstance(v, types.Integer) for v in values):
        raise TypingError("total() takes integers")

    def impl(*values, weight=1):
        s = 0
        for v in values:
            s += v
        return s * weight
    return impl


@njit
def use_scaled(x):
    return scaled(x), scaled(x, scale=3)


@njit
def use_total(x):
    return (total(x, x, x), total(x, x, weight=10), total(weight=5),
            total(x, x, x, x, x, x, x, x, x, x, x, weight=-1))


def test_keyword_only_parameters_are_passed_to_the_overload_by_name():
    SEEN.clear()
    assert use_scaled(4) == (scaled(4), scaled(4, scale=3))
    assert ("scaled", types.int64, types.int64) in SEEN  # scale= given: its type
    assert any(kind == "scaled" and isinstance(scale, types.Omitted) for kind, _, scale in SEEN)


def test_star_args_with_keyword_options_take_any_number_of_values():
    SEEN.clear()
    assert use_total(4) == (total(4, 4, 4), total(4, 4, weight=10), total(weight=5),
                            total(*[4] * 11, weight=-1))
    # an option the call leaves out reaches the overload at its Python default, as Numba does
    assert ("total", (types.int64,) * 3, 1) in SEEN


def test_an_unknown_keyword_is_refused_with_the_functions_name():
    @njit
    def bad(x):
        return total(x, bogus=1)
    with pytest.raises(TypingError, match=r"total\(\) got an unexpected keyword argument 'bogus'"):
        bad(1)


@pytest.mark.slow  # (tens of seconds on CI's two cores: `pytest -m slow`)
def test_meshgrid_takes_more_arrays_than_the_old_eight_slots():
    a = np.arange(2.0)
    grids = njit(lambda a: np.meshgrid(a, a, a, a, a, a, a, a, a, a, indexing="ij",
                                        sparse=True))(a)
    expected = np.meshgrid(*[a] * 10, indexing="ij", sparse=True)
    assert len(grids) == 10
    assert all(g.shape == e.shape and np.array_equal(g, e) for g, e in zip(grids, expected))


def difference(x, y):
    return x - y


@overload(difference)
def ol_difference(x, y):
    return lambda x, y: x - y


def test_one_call_with_its_keywords_in_either_order_binds_each_by_name():
    @njit
    def both_orders(a, b):
        return difference(x=a, y=b), difference(y=b, x=a)
    assert both_orders(10, 3) == (7, 7)
