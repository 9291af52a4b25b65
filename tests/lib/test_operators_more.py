"""`is` between Ellipsis values and raw pointers; number types ordered by width (Numba's
`sorted(types.signed_domain)`)."""
import operator

import pytest

from jitbridge import njit, types


@njit
def identities(x, y):
    return x is y, x is not y, operator.is_(x, y), operator.is_not(x, y)


def test_ellipsis_is_ellipsis():
    assert identities(..., ...) == (True, False, True, False)


def test_number_types_order_by_width_within_a_kind():
    assert sorted(types.signed_domain) == [types.int8, types.int16, types.int32, types.int64]
    assert sorted([types.float64, types.float32]) == [types.float32, types.float64]
    assert types.complex64 < types.complex128 and types.uint8 <= types.uint8
    with pytest.raises(TypeError):
        types.int8 < types.uint16  # noqa: B015
    with pytest.raises(TypeError):
        types.int8 < types.float32  # noqa: B015
