"""Issue 22, honest options: read-only arrays (`a.flags.writeable = False`) have a type of
their own (`readonly array(...)`, as in Numba), take the native dispatcher's fast path like
any array, and code writing into them is refused when it compiles."""
import numpy as np
import pytest

from jitbridge import njit, types
from jitbridge.errors import TypingError
from jitbridge.testing import no_leaks
from tests.test_dispatch_tables import counting


def _frozen(a):
    a = np.array(a)
    a.flags.writeable = False
    return a


@njit
def total(a):
    return a.sum()


@njit
def first_row(a):
    return a[0].copy()


@njit
def store(a):
    a[0] = 1.0


@njit
def add_in_place(a):
    a += 1.0


@njit
def store_through_view(a):
    b = a[1:]
    b[0] = 1.0


@njit
def store_in_callee(a):
    store(a)


def test_a_readonly_array_has_its_own_type_and_specialisation():
    ro, rw = _frozen(np.arange(4.0)), np.arange(4.0)
    assert total(ro) == total(rw) == 6.0
    assert (types.Array(types.float64, 1, "C", readonly=True),) in total.signatures
    assert (types.Array(types.float64, 1, "C"),) in total.signatures
    assert len(total.signatures) == 2


def test_readonly_arrays_are_dispatched_natively():
    arrays = [_frozen(np.arange(6.0).reshape(2, 3)),
              _frozen(np.asfortranarray(np.ones((2, 3)))),
              _frozen(np.arange(12.0).reshape(3, 4)[:, ::2])]
    for a in arrays:
        np.testing.assert_array_equal(first_row(a), a[0])
    seen = counting(first_row)
    for a in arrays * 3:
        with no_leaks(a):
            np.testing.assert_array_equal(first_row(a), a[0])
    assert seen == []  # the native dispatcher found every specialisation


@pytest.mark.parametrize("function, words", [
    (store, "Cannot modify readonly array of type: readonly array(float64, 1d, C)"),
    (add_in_place, "Cannot modify readonly array of type: readonly array(float64, 1d, C) "
                   "(in-place add)"),
    (store_through_view, "Cannot modify readonly array"),
    (store_in_callee, "Cannot modify readonly array"),
])
def test_writes_into_readonly_arrays_are_refused_when_compiling(function, words):
    ro = _frozen(np.arange(3.0))
    with pytest.raises(TypingError) as info:
        function(ro)
    assert words in str(info.value)
    np.testing.assert_array_equal(ro, np.arange(3.0))
    rw = np.arange(3.0)
    function(rw)  # the same code compiles for writeable arrays
    assert rw[1] == 1.0 or rw[0] == 1.0
