"""An integer passed where `void*` is taken (a jitted function's voidptr signature, from
compiled code) converts to the address it holds, as ctypes' c_void_p takes ints; a float
does not."""
import pytest

from jitbridge import njit, types
from jitbridge.errors import NoMatchingSignature

_same = njit((types.voidptr, types.voidptr))(lambda a, b: a is b)


@njit
def _same_address(x, y):
    return _same(x, y)


def test_integers_convert_to_the_addresses_they_hold():
    assert _same_address(1, 1) and not _same_address(1, 2)
    assert _same_address(2**40, 2**40)
    assert njit(lambda: _same(7, 7))() is True


def test_a_float_is_not_an_address():
    with pytest.raises(NoMatchingSignature):
        njit(lambda x: _same(x, 1))(1.5)
