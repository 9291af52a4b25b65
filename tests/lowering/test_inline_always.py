"""Issue 22, honest options: `@njit(inline='always')` lowers the callee's body into each jitted
caller (lowering/inline.py `lower_dispatcher_in_place`), with the results of the call."""
import numpy as np
import pytest

from jitbridge import compiler, njit
from jitbridge.extending import overload
from jitbridge.testing import no_leaks


def _norm2(x):
    total = 0.0
    for i in range(x.shape[0]):
        total += x[i] * x[i]
    return total


def _checked_half(n):
    if n % 2:
        raise ValueError("odd", n)
    return n // 2


def _scaled(x, k):
    return x * k  # a new array: the inlined body owns, then hands over, a reference


inline_norm2 = njit(inline="always")(_norm2)
called_norm2 = njit(_norm2)
inline_half = njit(inline="always")(_checked_half)
inline_scaled = njit(inline="always")(_scaled)
fast_norm2 = njit(inline="always", fastmath=True)(_norm2)


@njit(inline="always")
def inline_fact(n):
    return 1 if n <= 1 else n * inline_fact(n - 1)


@njit
def use_inline(x):
    return inline_norm2(x) + 1.0


@njit
def use_call(x):
    return called_norm2(x) + 1.0


@njit
def use_half_in_loop(values):
    total = 0
    for v in values:
        total += inline_half(v)
    return total


@njit
def use_scaled(x):
    y = inline_scaled(x, 2.0)
    return inline_scaled(y, 0.5)


@njit
def use_fact(n):
    return inline_fact(n)


@njit
def use_fast(x):
    return fast_norm2(x)


def _result(dispatcher):
    (sig,) = dispatcher.signatures
    return dispatcher.overloads[sig]


def _inlined(caller, callee) -> bool:
    """The caller neither links nor names the callee's compiled specialisation."""
    own, target = _result(caller), _result(callee)
    return target.library not in own.library.calls_into and \
        target.native_name not in own.inspect_llvm()


def test_the_body_is_lowered_into_the_caller_with_the_calls_results():
    x = np.linspace(-2.0, 3.0, 7)
    assert use_inline(x) == use_call(x) == _norm2(x) + 1.0
    assert _inlined(use_inline, inline_norm2)
    assert not _inlined(use_call, called_norm2)  # the default: a call (LLVM decides)


def test_an_inlined_body_raises_what_the_call_raises():
    assert use_half_in_loop(np.array([2, 4, 10])) == 8
    with pytest.raises(ValueError) as info:
        use_half_in_loop(np.array([2, 3]))
    assert info.value.args == ("odd", 3)
    assert _inlined(use_half_in_loop, inline_half)


def test_inlined_bodies_release_what_they_own():
    x = np.arange(6.0)
    with no_leaks(x):
        for _ in range(3):
            np.testing.assert_array_equal(use_scaled(x), x)
    assert _inlined(use_scaled, inline_scaled)


def test_a_recursive_callee_stays_a_call():
    assert use_fact(10) == 3628800
    assert not _inlined(use_fact, inline_fact)


def test_a_callee_with_other_code_changing_options_stays_a_call():
    """Inlined, its body would follow the caller's fastmath setting, not its own."""
    x = np.arange(4.0)
    assert use_fast(x) == _norm2(x)
    assert not _inlined(use_fast, fast_norm2)


def test_a_cost_model_function_is_refused_loudly():
    with pytest.raises(TypeError, match="inline= expects 'never' or 'always'.*cost-model"):
        njit(inline=lambda expr, caller, callee: True)(_norm2)


def big_sum(a):
    raise NotImplementedError


def _big_sum_impl(a):
    """More typed ops than lowering/inline.MAX_OPS: without inline='always' a call."""
    total = 0.0
    for i in range(a.shape[0]):
        x = a[i]
        if x > 10.0:
            total += x * 2.0 - 1.0
        elif x > 5.0:
            total += x * 3.0 + 2.0
        elif x > 2.0:
            total -= x / 2.0
        elif x > 1.0:
            total += x * x * x
        else:
            total += 1.5 + x
    return total


@overload(big_sum, inline="always")
def _ol_big_sum(a):
    return _big_sum_impl


@njit
def use_big_sum(a):
    return big_sum(a) + big_sum(a[::-1])


def _built_as_libraries(qualname) -> list:
    return [key for key in compiler._callee_libraries if qualname in key[0]]


def test_an_overload_with_inline_always_is_lowered_in_place_whatever_its_size():
    a = np.linspace(0.0, 12.0, 25)
    expected = _big_sum_impl(a) + _big_sum_impl(a[::-1])
    assert use_big_sum(a) == pytest.approx(expected, rel=1e-15)
    assert _built_as_libraries("_big_sum_impl") == []  # never a function of its own


def test_an_overload_inline_cost_model_is_refused_loudly():
    with pytest.raises(TypeError, match="inline= expects 'never' or 'always'"):
        overload(big_sum, inline=lambda *info: True)
