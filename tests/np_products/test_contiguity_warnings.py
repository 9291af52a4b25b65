"""Products of non-contiguous arrays warn at compile time with Numba's NumbaPerformanceWarning,
located at the caller's line, and give NumPy's results (matrix operands are copied first,
vectors read in place)."""
import warnings

import numpy as np
import pytest

from jitbridge import njit
from jitbridge.errors import NumbaPerformanceWarning
from jitbridge.testing import no_leaks


def dot2(a, b):
    return np.dot(a, b)


def dot3(a, b, out):
    return np.dot(a, b, out)


def matmul(a, b):
    return a @ b


def vdot(a, b):
    return np.vdot(a, b)


def with_newaxis(a, x):
    return np.dot(a, x[:, None])


def compile_recording(pyfunc, *args):
    """(result, warnings) of the first call of a fresh dispatcher of `pyfunc`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NumbaPerformanceWarning)
        result = njit(pyfunc)(*args)
    return result, [w for w in caught if w.category is NumbaPerformanceWarning]


def reversed_matrix(m, n):
    return np.arange(m * n, dtype=np.float64).reshape(m, n)[::-1]


@pytest.mark.parametrize("pyfunc,args,name", [
    (dot2, (reversed_matrix(2, 3), reversed_matrix(3, 4)), "np.dot()"),
    (dot3, (reversed_matrix(2, 3), reversed_matrix(3, 4), np.empty((2, 4))), "np.dot()"),
    (matmul, (reversed_matrix(2, 3), np.ones((3, 4))), "'@'"),
    (vdot, (np.arange(4.0)[::-2], np.arange(2.0)), "np.vdot()"),
])
def test_non_contiguous_operands_warn_at_the_callers_line(pyfunc, args, name):
    result, caught = compile_recording(pyfunc, *args)
    np.testing.assert_array_equal(result, pyfunc(*args))
    [warning] = caught
    assert str(warning.message).startswith(f"{name} is faster on contiguous arrays, called on (")
    assert "array(float64, 2d, A)" in str(warning.message) or name == "np.vdot()"
    assert warning.filename == pyfunc.__code__.co_filename
    assert warning.lineno == pyfunc.__code__.co_firstlineno + 1


def test_contiguous_operands_and_newaxis_do_not_warn():
    a, x = np.ones((5, 5)), np.arange(5.0)
    result, caught = compile_recording(with_newaxis, a, x)
    np.testing.assert_array_equal(result, with_newaxis(a, x))
    assert caught == []
    assert compile_recording(dot2, a, np.asfortranarray(a))[1] == []


def test_copies_are_released():
    compiled = njit(dot2)
    a = reversed_matrix(3, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NumbaPerformanceWarning)
        compiled(a, a)
    with no_leaks():
        compiled(a, a)
    with no_leaks(), pytest.raises(ValueError, match="incompatible"):
        compiled(a, reversed_matrix(2, 3))


def test_strided_vectors_are_read_in_place():
    x = np.arange(10.0)[::-2]
    for pyfunc in (dot2, vdot, matmul):
        result, caught = compile_recording(pyfunc, x, x)
        assert result == pyfunc(x, x) and len(caught) == 1
    compiled = njit(vdot)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NumbaPerformanceWarning)
        compiled(x, x)
    [llvm] = compiled.inspect_llvm().values()
    assert "allocate" not in llvm  # no copy of either vector
