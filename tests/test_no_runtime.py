"""`_nrt=False` (Numba's option to compile without the runtime): a function that allocates
memory the runtime would manage is refused with Numba's NumbaRuntimeError; others compile."""
import pytest

from jitbridge import jit, njit, types
from jitbridge.errors import LoweringError, NumbaRuntimeError

NO_RUNTIME = {"nopython": True, "_nrt": False}


def scalar_work(x, y):
    return max(x, y) + abs(x) - divmod(x, 3)[1]


def list_work(x, y):
    return max([x, y])


def text_work(x):
    return hex(x)


def fails_when_true(x):
    if x:
        raise ValueError("constant")
    return x


def test_scalar_code_compiles_and_runs():
    f = jit((types.int32, types.int32), **NO_RUNTIME)(scalar_work)
    assert [f(x, y) for x in (-4, 5) for y in (2, -7)] == \
        [scalar_work(x, y) for x in (-4, 5) for y in (2, -7)]
    g = njit(_nrt=False)(fails_when_true)
    assert g(0) == 0
    with pytest.raises(ValueError, match="constant"):
        g(1)


@pytest.mark.parametrize("func, sig", [(list_work, (types.int32, types.int32)),
                                       (text_work, (types.int32,))])
def test_allocating_code_is_refused(func, sig):
    with pytest.raises(NumbaRuntimeError, match="NRT required but not enabled") as info:
        jit(sig, **NO_RUNTIME)(func)
    assert func.__name__ in str(info.value) and isinstance(info.value, LoweringError)
    assert jit(sig, nopython=True)(func)(*[3] * len(sig)) == func(*[3] * len(sig))
